/**
 * The daily outreach preparation's activities (SDK-002), one zone's clients each morning before
 * the sending windows open: per keyset page of a client's open leads (PAGE_SIZE, never the whole
 * table), (c) zones re-derived where unknown or from a weak source (ED-002), (b) scores
 * re-computed and stored where the lead's data (or the signals' age) changed them (SYS-002), (a)
 * numbers washed again whose wash expires before their next SMS or call (SM-001, SM-002), and
 * (d) the steps falling on the client's day counted per channel; then the day's capacity per
 * channel and an alert (one per client per day) when the plan exceeds it (ED-001 caps).
 * Every step is idempotent: a retried page finds nothing left to change but the counts.
 */
import { Context } from '@temporalio/activity';
import type { ScoreInput } from '../domain/scoring-types.js';
import { icpFit, scoreLead } from '../domain/scoring.js';
import { readAttributes, signalScoreInput } from '../domain/lead-signals.js';
import { resolveRecipientZone, isValidZone } from '../domain/timezone.js';
import { clientColdCap } from '../domain/mailbox-rotation.js';
import { mailboxSendLimit } from '../domain/warmup.js';
import { localDate } from '../domain/zone-days.js';
import { dayCapacity, needsRewash, overCapacity, stepsDueOn, zeroCounts, type ChannelCounts } from '../domain/outreach-prep.js';
import type { DncrRegister } from '../providers/ports.js';
import type { Services } from '../services/index.js';
import type { PrepPageChanges } from '../services/outreach-prep.js';

/** Leads per page: one transaction of updates and at most one wash request per page. */
export const PREP_PAGE_SIZE = 500;
export const OUTREACH_OVER_CAPACITY = 'outreach_over_capacity';

export interface PrepPageInput {
  version: 1;
  clientId: string;
  afterId: string | null;
  nowMs: number;
}

export interface PrepPageResult {
  /** The last lead of the page; null when the page was the last. */
  nextAfterId: string | null;
  leads: number;
  zonesRefreshed: number;
  rescored: number;
  washed: number;
  /** Numbers due for a wash the register did not answer: they stay as they were (fail closed at the step). */
  washFailed: number;
  /** Steps of the page's leads falling on the client's day, per channel. */
  due: ChannelCounts;
}

/** JSON with object keys sorted: a jsonb column gives keys back in its own order. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([p], [q]) => p.localeCompare(q))) : x,
  );

/** Zones from a weak source (or none) are derived again: only an HQ-derived zone is kept as it is (ED-002). */
const isWeakZone = (timezone: string | null, source: string | null) => !isValidZone(timezone) || source !== 'hq';

export function createOutreachPrepActivities({ services, dncr }: { services: Services; dncr: DncrRegister }) {
  const { outreachPrep, allocations, pool, alerts, gateway } = services;
  return {
    /**
     * The zones of the prepared clients now, each with its daily-outreach-prep schedule (a new
     * client's zone gets one; a zone no client uses any more loses it).
     */
    async syncOutreachPrepZones(): Promise<{ zones: string[]; changes: { id: string; outcome: string }[] }> {
      const zones = await outreachPrep.system.zonesInUse();
      return { zones, changes: await gateway.syncOutreachPrepSchedules(zones) };
    },
    /** The zone's clients to prepare. */
    outreachPrepClients: (input: { version: 1; zone: string }): Promise<string[]> => outreachPrep.system.clientsInZone(input.zone),

    /** One page of a client's open leads: zones, scores, washes, and the day's steps. */
    async prepareLeadPage(input: PrepPageInput): Promise<PrepPageResult> {
      const tenant = outreachPrep.forTenant(input.clientId);
      const ctx = await tenant.context();
      const rows = await tenant.page(input.afterId, PREP_PAGE_SIZE);
      const now = new Date(input.nowMs);
      const day = localDate(ctx.zone, now);
      const changes: PrepPageChanges = { zones: [], scores: [], washes: [], washedAt: now };
      const due = zeroCounts();
      const toWash = new Map<string, string[]>();
      for (const { lead, touchedSteps } of rows) {
        const touched = new Set(touchedSteps);
        // (c) the zone, where it is unknown or came from a weak source.
        let country = lead.country;
        let where = { timezone: lead.timezone, country: lead.country, state: lead.state };
        if (isWeakZone(lead.timezone, lead.timezoneSource)) {
          const z = resolveRecipientZone({
            city: lead.city,
            state: lead.state,
            country: lead.country,
            phoneE164: lead.phoneE164,
            clientDefaultZone: ctx.zone,
          });
          country = lead.country ?? z.location.country ?? null;
          const state = z.location.state ?? lead.state;
          where = { timezone: z.zone, country, state };
          if (z.zone !== lead.timezone || z.source !== lead.timezoneSource)
            changes.zones.push({ id: lead.id, timezone: z.zone, source: z.source, country, state });
        }
        // (b) the score from the lead's data as it is now; stored only when it differs.
        const icp = (ctx.icps[lead.campaignId] ?? {}) as Parameters<typeof icpFit>[1];
        const scoreInput: ScoreInput = {
          ...signalScoreInput(readAttributes(lead.attributes), now),
          hasPhone: Boolean(lead.phoneE164),
          hasLinkedinUrl: Boolean(lead.linkedinUrl),
          title: lead.title,
          ...icpFit({ industry: lead.industry, employeeCount: lead.employeeCount, country }, icp),
          bounced: Boolean(lead.hardBouncedAt),
          unsubscribed: Boolean(lead.optedOutAt),
        } as ScoreInput;
        const s = scoreLead(scoreInput, ctx.config);
        if (s.score !== lead.score || s.tier !== lead.tier || canonical(s.reasons) !== canonical(lead.scoreReasons)) {
          changes.scores.push({ id: lead.id, score: s.score, tier: s.tier, reasons: s.reasons });
        }
        const prep = { ...lead, ...where, tier: s.tier };
        // (a) a wash that expires before the next SMS or call.
        if (needsRewash(prep, touched, input.nowMs, ctx.config)) {
          toWash.set(lead.phoneE164!, [...(toWash.get(lead.phoneE164!) ?? []), lead.id]);
        }
        // (d) the steps on the client's day.
        const d = stepsDueOn(prep, touched, day, ctx.zone, ctx.config);
        for (const c of Object.keys(due) as (keyof ChannelCounts)[]) due[c] += d[c];
      }
      let washFailed = 0;
      if (toWash.size) {
        try {
          const results = await dncr.wash([...toWash.keys()], `outreach-prep:${input.clientId}:${day}:${input.afterId ?? 'first'}`);
          for (const [number, ids] of toWash) {
            const r = results.get(number);
            if (r) changes.washes.push(...ids.map((id) => ({ id, result: r })));
            else washFailed += ids.length;
          }
        } catch (err) {
          Context.current().log.warn('DNCR register did not answer; the numbers keep their wash (the step washes again or fails closed)', {
            error: String(err),
          });
          washFailed = [...toWash.values()].reduce((n, ids) => n + ids.length, 0);
        }
      }
      const applied = await tenant.apply(changes);
      return {
        nextAfterId: rows.length === PREP_PAGE_SIZE ? rows[rows.length - 1]!.lead.id : null,
        leads: rows.length,
        zonesRefreshed: applied.zones,
        rescored: applied.scores,
        washed: applied.washes,
        washFailed,
        due,
      };
    },

    /**
     * The client's capacity for its day per channel against the steps planned on it; an alert
     * (deduplicated per client and day) when any channel's plan exceeds its capacity.
     */
    async checkDayCapacity(input: {
      version: 1;
      clientId: string;
      nowMs: number;
      planned: ChannelCounts;
    }): Promise<{ over: { channel: string; planned: number; capacity: number }[]; capacity: ChannelCounts; alerted: boolean }> {
      const ctx = await outreachPrep.forTenant(input.clientId).context();
      const day = localDate(ctx.zone, input.nowMs);
      const [mailboxIds, numberIds, seatIds] = await Promise.all([
        allocations.system.heldBy(input.clientId, 'mailbox'),
        allocations.system.heldBy(input.clientId, 'phone_number'),
        allocations.system.heldBy(input.clientId, 'linkedin_seat'),
      ]);
      const mailboxes = await pool.inventory.system.mailboxesWithDomains(mailboxIds);
      const numbers = await pool.inventory.system.readyNumbers(numberIds);
      const capacity = dayCapacity(
        {
          mailboxColdLimits: mailboxes.map(
            (m) =>
              mailboxSendLimit(
                {
                  dailyLimit: m.dailyLimit,
                  heatScore: m.domain.heatScore,
                  health: m.domain.healthClass as never,
                  paused: m.status === 'paused' || m.domain.status === 'paused',
                },
                ctx.config,
              ).cold,
          ),
          phoneNumbers: numbers.length,
          seatDailyLimits: seatIds.map(() => ctx.config.linkedin.dailyCap),
        },
        clientColdCap(ctx.config),
        ctx.config,
      );
      const over = overCapacity(input.planned, capacity);
      if (!over.length) return { over, capacity, alerted: false };
      const { created } = await alerts.system.raise(
        {
          kind: OUTREACH_OVER_CAPACITY,
          severity: 'warning',
          dedupeKey: `${OUTREACH_OVER_CAPACITY}:${input.clientId}:${day}`,
          clientId: input.clientId,
          message: `Planned touches on ${day} exceed the day's capacity: ${over
            .map((o) => `${o.channel} ${o.planned} planned, ${o.capacity} possible`)
            .join('; ')}. The rest move to later days.`,
          data: { day, over, planned: input.planned, capacity },
        },
        new Date(input.nowMs),
      );
      return { over, capacity, alerted: created };
    },
  };
}
