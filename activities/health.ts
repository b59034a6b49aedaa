/**
 * Health monitor activities (RP-009, ED-004, LI-006): domain bounce and complaint rates over 30
 * days -> good / warning / critical (paused) and retirement after 7 critical days with the
 * affected clients re-provisioned; LinkedIn seat status and accept rate -> pause or throttle;
 * every figure kept as a daily snapshot for the dashboards.
 */
import { acceptRate, acceptRateCut, domainHealth, isRetirementCandidate } from '../domain/index.js';
import { SIGNAL_NAMES, WORKFLOW_TYPES, workflowIds, type ProvisioningInput } from '../domain/processes.js';
import type { DomainRegistrar, SeatProvider, WarmupService } from '../providers/ports.js';
import type { Services } from '../services/index.js';

export interface HealthDeps {
  services: Services;
  seats: SeatProvider;
  /** To stop a retired domain's warmup and renewal. */
  registrar: DomainRegistrar;
  warmup: WarmupService;
}

const DAY_MS = 86_400_000;
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const pct = (r: number) => `${(r * 100).toFixed(2)}%`;

export function createHealthActivities(deps: HealthDeps) {
  const { alerts, allocations, touches, linkedin, gateway, domainConfig: config } = deps.services;
  const { inventory, snapshots } = deps.services.pool;

  return {
    /** Classify every live domain from its last 30 days of email touches (RP-009, ED-004). */
    async checkDomainHealth(input: {
      version: 1;
      nowMs: number;
    }): Promise<{ checked: number; byClass: Record<'good' | 'warning' | 'critical', number>; retire: string[] }> {
      const now = new Date(input.nowMs);
      const byDomain = await touches.system.emailFiguresByDomain(new Date(input.nowMs - config.domainHealth.windowDays * DAY_MS), now);
      const domains = await inventory.system.liveDomains();
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
        await inventory.system.updateDomain(d.id, { healthClass: h.class, criticalSince, status });
        const metrics = {
          ...c,
          bounceRate: h.rates.bounceRate,
          complaintRate: h.rates.complaintRate,
          heatScore: d.heatScore,
          dailyLimitCap: h.dailyLimitCap,
          status,
        };
        await snapshots.system.recordHealth('domain', d.id, utcDay(input.nowMs), h.class, metrics, now);
        const key = (l: string) => `domain:${d.id}:health-${l}`;
        const figures = `bounce ${pct(h.rates.bounceRate)}, complaints ${pct(h.rates.complaintRate)} over ${c.sent} emails in 30 days`;
        const data = { domainId: d.id, ...metrics };
        if (h.class === 'good') await alerts.system.resolve([key('warning'), key('critical')], now);
        if (h.class === 'warning') {
          await alerts.system.resolve([key('critical')], now);
          const message = `Domain ${d.name} is in Warning (${figures}): limited to ${h.dailyLimitCap}/day per mailbox`;
          await alerts.system.raise({ kind: 'domain_health_warning', severity: 'warning', dedupeKey: key('warning'), message, data }, now);
        }
        if (h.class === 'critical') {
          const message = `Domain ${d.name} is Critical (${figures}): sending paused`;
          await alerts.system.raise(
            { kind: 'domain_health_critical', severity: 'critical', dedupeKey: key('critical'), message, data },
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
      const { domain, resourceIds } = await inventory.system.domainForRetirement(input.domainId);
      const clients = await allocations.system.clientsHolding(resourceIds);
      await inventory.system.retireDomain(domain.id, resourceIds, domain.retiredAt ?? now, now);
      // It leaves for good: its warmup stops and its registration is left to lapse (both idempotent).
      for (const m of domain.mailboxes) await deps.warmup.disableWarmup(m.email);
      if (domain.providerRef) await deps.registrar.disableAutoRenew([domain.providerRef]);
      await alerts.system.raise(
        {
          kind: 'domain_retired',
          severity: 'warning',
          dedupeKey: `domain:${domain.id}:retired`,
          message: `Domain ${domain.name} was Critical for ${config.domainHealth.retirementAfterCriticalDays}+ days and is retired; ${clients.length} client(s) get a replacement`,
          data: { domainId: domain.id, clients },
        },
        now,
      );
      await alerts.system.resolve([`domain:${domain.id}:health-critical`, `domain:${domain.id}:health-warning`], now);
      for (const clientId of clients) {
        const args: [ProvisioningInput] = [{ version: 1, clientId }];
        await gateway.signalWithStart(
          WORKFLOW_TYPES.provisioning,
          workflowIds.provisioning(clientId),
          args,
          SIGNAL_NAMES.resourcesChanged,
          {
            reason: `domain ${domain.name} retired`,
          },
        );
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
      const seats = await inventory.system.liveSeats();
      const sentBySeat = await linkedin.system.invitationsBySeat(
        seats.map((x) => x.id),
        new Date(input.nowMs - config.linkedin.acceptRateWindowDays * DAY_MS),
      );
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
        await inventory.system.updateSeat(s.id, { health, acceptRate: rate.rate, status: seatStatus });
        await snapshots.system.recordHealth(
          'linkedin_seat',
          s.id,
          utcDay(input.nowMs),
          health,
          { providerStatus: status ?? null, ...rate, cut },
          now,
        );
        const key = (l: string) => `seat:${s.id}:${l}`;
        const name = s.displayName ?? s.accountRef;
        if (health !== 'ok') {
          paused++;
          const message = `LinkedIn seat ${name} is ${health} (Unipile status ${status}): paused until reconnected`;
          const data = { seatId: s.id, accountRef: s.accountRef, providerStatus: status };
          await alerts.system.raise({ kind: 'seat_restricted', severity: 'critical', dedupeKey: key('restricted'), message, data }, now);
        } else {
          await alerts.system.resolve([key('restricted')], now);
        }
        if (cut > 0) {
          throttled++;
          const message = `LinkedIn seat ${name}: 7-day accept rate ${Math.round((rate.rate ?? 0) * 100)}%, limits cut by ${Math.round(cut * 100)}%`;
          await alerts.system.raise(
            { kind: 'seat_throttled', severity: 'warning', dedupeKey: key('throttled'), message, data: { seatId: s.id, ...rate, cut } },
            now,
          );
        } else {
          await alerts.system.resolve([key('throttled')], now);
        }
      }
      return { checked: seats.length, paused, throttled };
    },
  };
}
