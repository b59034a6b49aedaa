/**
 * A campaign's leads through onboarding (SYS-001, row-level security on): staged rows become
 * leads, leads get their zone, score and tier (ED-002, SYS-002) and their DNCR wash (SM-002).
 * Batches are ranges of source rows; every step is idempotent.
 */
import type { Db } from '../../db/client.js';
import { resolveClientConfig, type DomainConfig } from '../../domain/config.js';
import { settingsOf } from '../clients.js';
import { clientOverrides } from '../../domain/client-settings.js';
import { readLeadPhone } from '../../domain/phone.js';
import { LeadRowSchema, type LeadRow } from '../../domain/lead-row.js';
import { readAttributes, signalScoreInput, signalsFromRow } from '../../domain/lead-signals.js';
import { resolveRecipientZone } from '../../domain/timezone.js';
import { icpFit, scoreLead } from '../../domain/scoring.js';

export interface RowRange {
  campaignId: string;
  fromRow: number;
  toRow: number;
}

const inRange = (r: RowRange) => ({ campaignId: r.campaignId, sourceRow: { gte: r.fromRow, lte: r.toRow } });

export function createLeadOnboarding(db: Db, domainConfig: DomainConfig) {
  return {
    forTenant(clientId: string) {
      return {
        /**
         * Stores staged rows fromRow..toRow as leads, phones in E.164; `skipDuplicates` on (campaign,
         * source row) makes a retry insert nothing twice. Returns the campaign's lead count after it.
         */
        importRows: (r: RowRange, defaultCountry: string) =>
          db.asTenant(clientId, async (tx) => {
            const rows = await tx.leadImportRow.findMany({
              where: { campaignId: r.campaignId, rowNumber: { gte: r.fromRow, lte: r.toRow } },
              orderBy: { rowNumber: 'asc' },
            });
            let invalidPhones = 0;
            const leads = rows.map((staged) => {
              const row: LeadRow = LeadRowSchema.parse(staged.data);
              const phone = readLeadPhone(row, defaultCountry);
              if (phone && !phone.ok) invalidPhones += 1;
              const signals = signalsFromRow(row, staged.createdAt);
              return {
                clientId,
                campaignId: r.campaignId,
                sourceRow: staged.rowNumber,
                email: row.email?.toLowerCase() ?? null,
                firstName: row.first_name ?? null,
                lastName: row.last_name ?? null,
                title: row.title ?? null,
                company: row.company ?? null,
                companyDomain: row.company_domain ?? null,
                industry: row.industry ?? null,
                employeeCount: row.employee_count ?? null,
                city: row.city ?? null,
                state: row.state ?? null,
                country: row.country ?? null,
                phoneRaw: row.phone ?? null,
                phoneE164: phone?.ok ? phone.e164 : null,
                phoneCountry: phone?.ok ? (phone.country ?? null) : null,
                phoneIssue: phone && !phone.ok ? phone.reason : null,
                linkedinUrl: row.linkedin_url ?? null,
                attributes: signals ? { list: signals } : {},
              };
            });
            const { count } = await tx.lead.createMany({ data: leads, skipDuplicates: true });
            const importedTotal = await tx.lead.count({ where: { campaignId: r.campaignId } });
            return { rowsRead: rows.length, inserted: count, invalidPhones, importedTotal };
          }),

        /**
         * ED-002 and SYS-002: each lead's zone, then its score, tier and reasons (Dead leads are never
         * contacted), from its columns and the signals the list and enrichment gave, as of `now`.
         */
        enrichAndScore: (r: RowRange, now: Date) =>
          db.asTenant(clientId, async (tx) => {
            const client = await tx.client.findUniqueOrThrow({ where: { id: clientId } });
            const config = resolveClientConfig(clientOverrides(settingsOf(client), client) as never, domainConfig);
            const campaign = await tx.campaign.findUniqueOrThrow({ where: { id: r.campaignId } });
            const icp = campaign.icp as { industries?: string[]; countries?: string[]; employeeMin?: number; employeeMax?: number };
            const leads = await tx.lead.findMany({ where: inRange(r) });
            const byTier: Record<string, number> = {};
            const scored = leads.map((lead) => {
              const zone = resolveRecipientZone({
                city: lead.city,
                state: lead.state,
                country: lead.country,
                phoneE164: lead.phoneE164,
                clientDefaultZone: client.defaultTimezone,
              });
              const fit = icpFit(
                { industry: lead.industry, employeeCount: lead.employeeCount, country: lead.country ?? zone.location.country },
                icp,
              );
              const score = scoreLead(
                {
                  ...signalScoreInput(readAttributes(lead.attributes), now),
                  hasPhone: Boolean(lead.phoneE164),
                  hasLinkedinUrl: Boolean(lead.linkedinUrl),
                  title: lead.title,
                  ...fit,
                  bounced: Boolean(lead.hardBouncedAt),
                  unsubscribed: Boolean(lead.optedOutAt),
                },
                config,
              );
              byTier[score.tier] = (byTier[score.tier] ?? 0) + 1;
              return {
                id: lead.id,
                timezone: zone.zone,
                source: zone.source,
                country: lead.country ?? zone.location.country ?? null,
                // The region as a date-holidays code when it can be known (from the state, city or phone), else as written.
                state: zone.location.state ?? lead.state,
                score: score.score,
                tier: score.tier,
                reasons: JSON.stringify(score.reasons),
                status: score.tier === 'Dead' ? 'dead' : 'scored',
              };
            });
            // The whole batch in one statement (one row per lead from parallel arrays).
            const col = <K extends keyof (typeof scored)[number]>(k: K) => scored.map((r) => r[k]);
            if (scored.length)
              await tx.$executeRaw`
                UPDATE leads AS l
                   SET timezone = v.timezone, timezone_source = v.source, country = v.country, state = v.state,
                       score = v.score, tier = v.tier, score_reasons = v.reasons::jsonb,
                       status = v.status::"LeadStatus", updated_at = now()
                  FROM unnest(${col('id')}::uuid[], ${col('timezone')}::text[], ${col('source')}::text[],
                              ${col('country')}::text[], ${col('state')}::text[], ${col('score')}::int[],
                              ${col('tier')}::text[], ${col('reasons')}::text[], ${col('status')}::text[])
                       AS v(id, timezone, source, country, state, score, tier, reasons, status)
                 WHERE l.id = v.id`;
            return { enriched: leads.length, byTier };
          }),

        /** The batch's leads with a phone, and when each was last washed. */
        phones: (r: RowRange) =>
          db.asTenant(clientId, (tx) =>
            tx.lead.findMany({
              where: { ...inRange(r), phoneE164: { not: null } },
              select: { id: true, phoneE164: true, dncrWashedAt: true },
            }),
          ),

        /** Stores the register's answers (leads without one stay unwashed); returns how many were stored. */
        saveWashes: (results: { leadId: string; result: string }[], washedAt: Date) =>
          db.asTenant(clientId, async (tx) => {
            for (const w of results)
              await tx.lead.update({ where: { id: w.leadId }, data: { dncrResult: w.result, dncrWashedAt: washedAt } });
            return results.length;
          }),

        /**
         * The batch's leads that get a sequence, in source-row order: scored and not Dead, and not
         * already through a sequence (a retry of the start finds the ended ones so and leaves them).
         */
        async toStart(r: RowRange): Promise<string[]> {
          const leads = await db.asTenant(clientId, (tx) =>
            tx.lead.findMany({
              where: {
                ...inRange(r),
                tier: { not: 'Dead' },
                NOT: { tier: null },
                status: { in: ['imported', 'enriched', 'scored', 'in_sequence', 'bounced'] },
              },
              select: { id: true },
              orderBy: { sourceRow: 'asc' },
            }),
          );
          return leads.map((l) => l.id);
        },
      };
    },
  };
}
export type LeadOnboarding = ReturnType<typeof createLeadOnboarding>;
