/**
 * Health monitor activities (RP-009, ED-004, LI-006): domain bounce and complaint rates over 30
 * days -> good / warning / critical (paused) and retirement after 7 critical days with the
 * affected clients re-provisioned; LinkedIn seat status and accept rate -> pause or throttle;
 * every figure kept as a daily snapshot for the dashboards.
 */
import type { Db } from '../db/client.js';
import type { DomainRegistrar, SeatProvider, WarmupService } from '../providers/ports.js';
import { acceptRate, acceptRateCut, defaultDomainConfig, domainHealth, isRetirementCandidate, type DomainConfig } from '../domain/index.js';
import type { AlertService } from './alerts.js';
import type { WorkflowGateway } from './workflow-gateway.js';

export interface HealthDeps {
  db: Db;
  alerts: AlertService;
  gateway: WorkflowGateway;
  seats: SeatProvider;
  /** To stop a retired domain's warmup and renewal. */
  registrar: DomainRegistrar;
  warmup: WarmupService;
  domainConfig?: DomainConfig;
}

const DAY_MS = 86_400_000;
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function createHealthActivities(deps: HealthDeps) {
  const { db, alerts, gateway } = deps;
  const config = deps.domainConfig ?? defaultDomainConfig;

  return {
    /** Classify every live domain from its last 30 days of email touches (RP-009, ED-004). */
    async checkDomainHealth(input: {
      version: 1;
      nowMs: number;
    }): Promise<{ checked: number; byClass: Record<'good' | 'warning' | 'critical', number>; retire: string[] }> {
      const now = new Date(input.nowMs);
      const from = new Date(input.nowMs - config.domainHealth.windowDays * DAY_MS);
      const counts = await db.system.$queryRaw<{ domain_id: string; sent: bigint; bounced: bigint; complaints: bigint }[]>`
        SELECT m.domain_id::text AS domain_id,
               count(*) AS sent,
               count(*) FILTER (WHERE t.outcome ? 'bounce') AS bounced,
               count(*) FILTER (WHERE t.outcome ? 'complaint') AS complaints
          FROM touches t
          JOIN mailboxes m ON m.id::text = t.evidence->>'mailboxId'
         WHERE t.channel = 'email' AND t.sent_at IS NOT NULL AND t.sent_at > ${from} AND t.sent_at <= ${now}
         GROUP BY m.domain_id`;
      const byDomain = new Map(
        counts.map((c) => [c.domain_id, { sent: Number(c.sent), bounced: Number(c.bounced), complaints: Number(c.complaints) }]),
      );
      const domains = await db.system.domain.findMany({ where: { status: { in: ['warming', 'ready', 'paused'] } } });
      const byClass = { good: 0, warning: 0, critical: 0 };
      const retire: string[] = [];
      for (const d of domains) {
        const c = byDomain.get(d.id) ?? { sent: 0, bounced: 0, complaints: 0 };
        const h = domainHealth(c, config);
        byClass[h.class]++;
        const criticalSince = h.class === 'critical' ? (d.criticalSince ?? now) : null;
        const status =
          h.class === 'critical' && d.status === 'ready'
            ? 'paused'
            : h.class !== 'critical' && d.status === 'paused' && d.criticalSince
              ? 'ready'
              : d.status;
        await db.system.domain.update({ where: { id: d.id }, data: { healthClass: h.class, criticalSince, status } });
        const metrics = {
          ...c,
          bounceRate: h.rates.bounceRate,
          complaintRate: h.rates.complaintRate,
          heatScore: d.heatScore,
          dailyLimitCap: h.dailyLimitCap,
          status,
        };
        await db.system.healthSnapshot.upsert({
          where: { resourceType_resourceId_day: { resourceType: 'domain', resourceId: d.id, day: utcDay(input.nowMs) } },
          update: { healthClass: h.class, metrics, takenAt: now },
          create: { resourceType: 'domain', resourceId: d.id, day: utcDay(input.nowMs), healthClass: h.class, metrics, takenAt: now },
        });
        const key = (l: string) => `domain:${d.id}:health-${l}`;
        const pct = (r: number) => `${(r * 100).toFixed(2)}%`;
        const figures = `bounce ${pct(h.rates.bounceRate)}, complaints ${pct(h.rates.complaintRate)} over ${c.sent} emails in 30 days`;
        if (h.class === 'good') await alerts.resolve([key('warning'), key('critical')], now);
        if (h.class === 'warning') {
          await alerts.resolve([key('critical')], now);
          await alerts.raise(
            {
              kind: 'domain_health_warning',
              severity: 'warning',
              dedupeKey: key('warning'),
              message: `Domain ${d.name} is in Warning (${figures}): limited to ${h.dailyLimitCap}/day per mailbox`,
              data: { domainId: d.id, ...metrics },
            },
            now,
          );
        }
        if (h.class === 'critical') {
          await alerts.raise(
            {
              kind: 'domain_health_critical',
              severity: 'critical',
              dedupeKey: key('critical'),
              message: `Domain ${d.name} is Critical (${figures}): sending paused`,
              data: { domainId: d.id, ...metrics },
            },
            now,
          );
          if (isRetirementCandidate(criticalSince, now, config)) retire.push(d.id);
        }
      }
      return { checked: domains.length, byClass, retire };
    },

    /**
     * Retire a domain Critical for 7+ days (RP-009): it and its mailboxes leave the pool, their
     * allocations end, and each client that held them is re-provisioned (a replacement from the
     * pool, or a purchase when the pool is short).
     */
    async retireDomain(input: { version: 1; domainId: string; nowMs: number }): Promise<{ clients: string[] }> {
      const now = new Date(input.nowMs);
      const domain = await db.system.domain.findUniqueOrThrow({
        where: { id: input.domainId },
        include: { mailboxes: { select: { id: true, email: true } } },
      });
      const ids = [domain.id, ...domain.mailboxes.map((m) => m.id)];
      const open = await db.system.resourceAllocation.findMany({
        where: { resourceId: { in: ids }, releasedAt: null },
        select: { clientId: true },
      });
      const clients = [...new Set(open.map((a) => a.clientId))];
      await db.system.$transaction([
        db.system.domain.update({ where: { id: domain.id }, data: { status: 'retired', retiredAt: domain.retiredAt ?? now } }),
        db.system.mailbox.updateMany({ where: { domainId: domain.id }, data: { status: 'retired' } }),
        db.system.resourceAllocation.updateMany({ where: { resourceId: { in: ids }, releasedAt: null }, data: { releasedAt: now } }),
      ]);
      // It leaves for good: its warmup stops and its registration is left to lapse (both idempotent).
      for (const m of domain.mailboxes) await deps.warmup.disableWarmup(m.email);
      if (domain.providerRef) await deps.registrar.disableAutoRenew([domain.providerRef]);
      await alerts.raise(
        {
          kind: 'domain_retired',
          severity: 'warning',
          dedupeKey: `domain:${domain.id}:retired`,
          message: `Domain ${domain.name} was Critical for ${config.domainHealth.retirementAfterCriticalDays}+ days and is retired; ${clients.length} client(s) get a replacement`,
          data: { domainId: domain.id, clients },
        },
        now,
      );
      await alerts.resolve([`domain:${domain.id}:health-critical`, `domain:${domain.id}:health-warning`], now);
      for (const clientId of clients) {
        await gateway.signalWithStart({
          workflowType: 'provisioningWorkflow',
          workflowId: `provisioning:${clientId}`,
          args: [{ version: 1, clientId }],
          signalName: 'resourcesChanged',
          signalArgs: [{ reason: `domain ${domain.name} retired` }],
        });
      }
      return { clients };
    },

    /**
     * LinkedIn seat health (LI-006): a restricted or checkpointed account pauses its seat and
     * raises an alert; a 7-day accept rate under 30% / 20% throttles it (the rate is stored on
     * the seat and applied by the sequences) with a warning; a healthy account comes back.
     */
    async checkSeatHealth(input: { version: 1; nowMs: number }): Promise<{ checked: number; paused: number; throttled: number }> {
      const now = new Date(input.nowMs);
      const accounts = new Map((await deps.seats.listLinkedInAccounts()).map((a) => [a.accountRef, a.status]));
      const seats = await db.system.linkedInSeat.findMany({ where: { status: { in: ['ready', 'paused', 'warming'] } } });
      // One query for every seat's invitations of the accept-rate window.
      const since = new Date(input.nowMs - config.linkedin.acceptRateWindowDays * DAY_MS);
      const sentBySeat = new Map<string, { sentAt: Date; acceptedAt: Date | null }[]>();
      for (const inv of await db.system.linkedInInvitation.findMany({
        where: { seatId: { in: seats.map((x) => x.id) }, sentAt: { gt: since } },
        select: { seatId: true, sentAt: true, acceptedAt: true },
      })) {
        sentBySeat.set(inv.seatId, [...(sentBySeat.get(inv.seatId) ?? []), inv]);
      }
      let paused = 0;
      let throttled = 0;
      for (const s of seats) {
        const status = accounts.get(s.accountRef); // undefined: not listed (unknown), keep as is
        const health =
          status === undefined
            ? s.health
            : status === 'OK' || status === 'CONNECTING'
              ? 'ok'
              : status === 'CREDENTIALS'
                ? 'checkpoint'
                : 'restricted';
        const rate = acceptRate(sentBySeat.get(s.id) ?? [], now, config);
        const cut = acceptRateCut(rate.rate, config);
        const seatStatus = health === 'ok' ? (s.status === 'paused' && s.health !== 'ok' ? 'ready' : s.status) : 'paused';
        await db.system.linkedInSeat.update({ where: { id: s.id }, data: { health, acceptRate: rate.rate, status: seatStatus } });
        await db.system.healthSnapshot.upsert({
          where: { resourceType_resourceId_day: { resourceType: 'linkedin_seat', resourceId: s.id, day: utcDay(input.nowMs) } },
          update: { healthClass: health, metrics: { providerStatus: status ?? null, ...rate, cut }, takenAt: now },
          create: {
            resourceType: 'linkedin_seat',
            resourceId: s.id,
            day: utcDay(input.nowMs),
            healthClass: health,
            metrics: { providerStatus: status ?? null, ...rate, cut },
            takenAt: now,
          },
        });
        const key = (l: string) => `seat:${s.id}:${l}`;
        if (health !== 'ok') {
          paused++;
          await alerts.raise(
            {
              kind: 'seat_restricted',
              severity: 'critical',
              dedupeKey: key('restricted'),
              message: `LinkedIn seat ${s.displayName ?? s.accountRef} is ${health} (Unipile status ${status}): paused until reconnected`,
              data: { seatId: s.id, accountRef: s.accountRef, providerStatus: status },
            },
            now,
          );
        } else {
          await alerts.resolve([key('restricted')], now);
        }
        if (cut > 0) {
          throttled++;
          await alerts.raise(
            {
              kind: 'seat_throttled',
              severity: 'warning',
              dedupeKey: key('throttled'),
              message: `LinkedIn seat ${s.displayName ?? s.accountRef}: 7-day accept rate ${Math.round((rate.rate ?? 0) * 100)}%, limits cut by ${Math.round(cut * 100)}%`,
              data: { seatId: s.id, ...rate, cut },
            },
            now,
          );
        } else {
          await alerts.resolve([key('throttled')], now);
        }
      }
      return { checked: seats.length, paused, throttled };
    },
  };
}
