/**
 * The data of the daily outreach preparation (SDK-002): the zones the clients use (one Schedule
 * each), a zone's clients, and per client (row-level security on) keyset pages of its leads that
 * may still be contacted, with the steps already made, and one transaction per page that stores
 * what the page changed (zones re-derived, ED-002; scores re-computed, SYS-002; washes, SM-002).
 * The day's resources of a client for its capacity (system path: allocations are pool-wide).
 */
import type { Db } from '../db/client.js';
import { resolveClientConfig, type DomainConfig } from '../domain/config.js';
import { clientOverrides } from '../domain/client-settings.js';
import { settingsOf } from './clients.js';

/** Clients whose leads are prepared: those not paused or churned (their sequences do not send). */
const PREPARED_CLIENT_STATUSES = ['onboarding', 'active'] as const;
/** Leads that may still be contacted: before or in their sequence. */
const OPEN_LEAD_STATUSES = ['enriched', 'scored', 'in_sequence'] as const;

export interface PrepLeadRow {
  id: string;
  campaignId: string;
  email: string | null;
  title: string | null;
  industry: string | null;
  employeeCount: number | null;
  city: string | null;
  state: string | null;
  country: string | null;
  phoneE164: string | null;
  linkedinUrl: string | null;
  timezone: string | null;
  timezoneSource: string | null;
  score: number | null;
  tier: string | null;
  scoreReasons: unknown;
  dncrWashedAt: Date | null;
  hardBouncedAt: Date | null;
  optedOutAt: Date | null;
  sequenceStartedAt: Date | null;
  attributes: unknown;
}

export interface PrepPageChanges {
  zones: { id: string; timezone: string; source: string; country: string | null; state: string | null }[];
  scores: { id: string; score: number; tier: string; reasons: unknown }[];
  washes: { id: string; result: string }[];
  washedAt: Date;
}

export function createOutreachPrep(db: Db, domainConfig: DomainConfig) {
  return {
    system: {
      /** The zones of the clients that are prepared (their default zone), sorted. */
      async zonesInUse(): Promise<string[]> {
        const rows = await db.system.client.findMany({
          where: { status: { in: [...PREPARED_CLIENT_STATUSES] } },
          distinct: ['defaultTimezone'],
          select: { defaultTimezone: true },
        });
        return rows.map((r) => r.defaultTimezone).sort();
      },
      /** The prepared clients of a zone, by id. */
      async clientsInZone(zone: string): Promise<string[]> {
        const rows = await db.system.client.findMany({
          where: { status: { in: [...PREPARED_CLIENT_STATUSES] }, defaultTimezone: zone },
          select: { id: true },
          orderBy: { id: 'asc' },
        });
        return rows.map((r) => r.id);
      },
    },
    forTenant(clientId: string) {
      return {
        /** The client's zone, its resolved rules and its campaigns' ICPs (for scoring). */
        context: () =>
          db.asTenant(clientId, async (tx) => {
            const client = await tx.client.findUniqueOrThrow({ where: { id: clientId } });
            const config = resolveClientConfig(clientOverrides(settingsOf(client), client) as never, domainConfig);
            const campaigns = await tx.campaign.findMany({ select: { id: true, icp: true } });
            return {
              zone: client.defaultTimezone,
              config,
              icps: Object.fromEntries(campaigns.map((c) => [c.id, c.icp])) as Record<string, unknown>,
            };
          }),

        /** One keyset page of the open leads after `afterId`, with the steps each already has a touch for. */
        page: (afterId: string | null, limit: number) =>
          db.asTenant(clientId, async (tx) => {
            const leads: PrepLeadRow[] = await tx.lead.findMany({
              where: { status: { in: [...OPEN_LEAD_STATUSES] }, ...(afterId ? { id: { gt: afterId } } : {}) },
              orderBy: { id: 'asc' },
              take: limit,
              select: {
                id: true,
                campaignId: true,
                email: true,
                title: true,
                industry: true,
                employeeCount: true,
                city: true,
                state: true,
                country: true,
                phoneE164: true,
                linkedinUrl: true,
                timezone: true,
                timezoneSource: true,
                score: true,
                tier: true,
                scoreReasons: true,
                dncrWashedAt: true,
                hardBouncedAt: true,
                optedOutAt: true,
                sequenceStartedAt: true,
                attributes: true,
              },
            });
            const touched = leads.length
              ? await tx.touch.findMany({
                  where: { leadId: { in: leads.map((l) => l.id) } },
                  distinct: ['leadId', 'step'],
                  select: { leadId: true, step: true },
                })
              : [];
            const steps = new Map<string, number[]>();
            for (const t of touched) steps.set(t.leadId, [...(steps.get(t.leadId) ?? []), t.step]);
            return leads.map((lead) => ({ lead, touchedSteps: steps.get(lead.id) ?? [] }));
          }),

        /** Stores a page's changes in one transaction; returns how many rows each kind changed. */
        apply: (c: PrepPageChanges) =>
          db.asTenant(clientId, async (tx) => {
            for (const z of c.zones)
              await tx.lead.update({
                where: { id: z.id },
                data: { timezone: z.timezone, timezoneSource: z.source, country: z.country, state: z.state },
              });
            for (const s of c.scores)
              await tx.lead.update({ where: { id: s.id }, data: { score: s.score, tier: s.tier, scoreReasons: s.reasons as object } });
            for (const w of c.washes)
              await tx.lead.update({ where: { id: w.id }, data: { dncrResult: w.result, dncrWashedAt: c.washedAt } });
            return { zones: c.zones.length, scores: c.scores.length, washes: c.washes.length };
          }),
      };
    },
  };
}
export type OutreachPrep = ReturnType<typeof createOutreachPrep>;
