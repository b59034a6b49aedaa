/**
 * Onboarding activities (SYS-001): turn staged, validated rows into leads.
 * No business rules here beyond calling domain/ (phone normalisation).
 */
import type { Db } from '../db/client.js';
import { normalisePhone } from '../domain/phone.js';
import type { ImportLeadBatchInput, ImportLeadBatchResult, SetCampaignStatusInput } from '../workflows/contracts.js';
import { LeadRowSchema, type LeadRow } from '../domain/lead-row.js';

export interface OnboardingDeps {
  db: Db;
}

export function createOnboardingActivities({ db }: OnboardingDeps) {
  return {
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
