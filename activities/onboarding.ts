/**
 * Onboarding activities (SYS-001): turn staged, validated rows into leads.
 * No business rules here beyond calling domain/ (phone normalisation).
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Db } from '../db/client.js';
import type { LeadSource, SourcedLead } from '../providers/ports.js';
import { normalisePhone } from '../domain/phone.js';
import type { ImportLeadBatchInput, ImportLeadBatchResult, SetCampaignStatusInput } from '../workflows/contracts.js';
import { LeadRowSchema, type LeadRow } from '../domain/lead-row.js';

export interface OnboardingDeps {
  db: Db;
  providers: { leadSource?: LeadSource };
}

export function createOnboardingActivities({ db, providers }: OnboardingDeps) {
  return {
    /**
     * SYS-001 sourcing: pages the sourcing API with the campaign's ICP and stages each usable
     * person as a lead row (rows numbered in order; a retry re-stages the same rows, inserting
     * nothing twice). Heartbeats its page cursor so a retry resumes where it stopped.
     */
    async sourceLeads(input: {
      version: 1;
      clientId: string;
      campaignId: string;
      limit: number;
    }): Promise<{ staged: number; skipped: number }> {
      const source = providers.leadSource;
      if (!source) throw ApplicationFailure.nonRetryable('no lead source is configured (set APOLLO_API_KEY)', 'NoLeadSource');
      const campaign = await db.asTenant(input.clientId, (tx) => tx.campaign.findUniqueOrThrow({ where: { id: input.campaignId } }));
      const icp = campaign.icp as {
        titles?: string[];
        industries?: string[];
        countries?: string[];
        employeeMin?: number;
        employeeMax?: number;
        keywords?: string[];
      };
      const query = {
        titles: icp.titles ?? [],
        industries: icp.industries ?? [],
        countries: icp.countries ?? [],
        employeeMin: icp.employeeMin,
        employeeMax: icp.employeeMax,
        keywords: icp.keywords ?? [],
      };
      const seen = new Set<string>();
      let staged = 0;
      let skipped = 0;
      let cursor: string | undefined;
      do {
        const page = (await source.search(query, { cursor, pageSize: Math.min(100, input.limit) })) as {
          leads: SourcedLead[];
          nextCursor?: string;
          skipped?: number;
        };
        skipped += page.skipped ?? 0;
        const fresh = page.leads.filter((l) => !seen.has(l.externalId)).slice(0, input.limit - staged);
        for (const l of fresh) seen.add(l.externalId);
        if (fresh.length) {
          await db.asTenant(input.clientId, (tx) =>
            tx.leadImportRow.createMany({
              data: fresh.map((l, i) => {
                const { externalId: _id, ...row } = l;
                return {
                  campaignId: input.campaignId,
                  clientId: input.clientId,
                  rowNumber: staged + i + 1,
                  data: LeadRowSchema.parse(row),
                };
              }),
              skipDuplicates: true,
            }),
          );
          staged += fresh.length;
        }
        cursor = page.nextCursor;
        Context.current().heartbeat({ staged, cursor });
      } while (cursor && staged < input.limit);
      await db.asTenant(input.clientId, (tx) => tx.campaign.update({ where: { id: input.campaignId }, data: { leadTotal: staged } }));
      return { staged, skipped };
    },

    /** Inserts rows fromRow..toRow as leads; `skipDuplicates` on (campaign_id, source_row) makes it idempotent. */
    async importLeadBatch(input: ImportLeadBatchInput): Promise<ImportLeadBatchResult> {
      return db.asTenant(input.clientId, async (tx) => {
        const rows = await tx.leadImportRow.findMany({
          where: { campaignId: input.campaignId, rowNumber: { gte: input.fromRow, lte: input.toRow } },
          orderBy: { rowNumber: 'asc' },
        });
        let invalidPhones = 0;
        const leads = rows.map((r) => {
          const row: LeadRow = LeadRowSchema.parse(r.data);
          const phone = row.phone ? normalisePhone(row.phone, row.country ?? input.defaultCountry) : undefined;
          if (phone && !phone.ok) invalidPhones += 1;
          return {
            clientId: input.clientId,
            campaignId: input.campaignId,
            sourceRow: r.rowNumber,
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
          };
        });
        const { count } = await tx.lead.createMany({ data: leads, skipDuplicates: true });
        const importedTotal = await tx.lead.count({ where: { campaignId: input.campaignId } });
        return { rowsRead: rows.length, inserted: count, invalidPhones, importedTotal };
      });
    },

    async setCampaignStatus(input: SetCampaignStatusInput): Promise<void> {
      await db.asTenant(input.clientId, (tx) =>
        tx.campaign.update({ where: { id: input.campaignId }, data: { status: input.status, error: input.error ?? null } }),
      );
    },
  };
}
