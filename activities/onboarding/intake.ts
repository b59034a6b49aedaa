/**
 * Onboarding intake (SYS-001): leads sourced from a sourcing API and staged like a list, staged
 * rows imported as leads in batches, and the campaign's status. Idempotent: a retried batch
 * inserts nothing twice.
 */
import { Context } from '@temporalio/activity';
import { LeadRowSchema } from '../../domain/lead-row.js';
import { BadInput, NotFound } from '../../domain/failures.js';
import type { LeadSource, SourcedLead } from '../../providers/ports.js';
import type { Services } from '../../services/index.js';
import type { ImportLeadBatchInput, ImportLeadBatchResult, SetCampaignStatusInput } from './types.js';

export interface OnboardingDeps {
  services: Services;
  providers: { leadSource?: LeadSource };
}

export function createOnboardingActivities({ services, providers }: OnboardingDeps) {
  const { campaigns, leads } = services;
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
      if (!source) throw new BadInput('no lead source is configured (set APOLLO_API_KEY)');
      const campaign = campaigns.forTenant(input.clientId);
      const found = await campaign.get(input.campaignId);
      if (!found) throw new NotFound(`campaign ${input.campaignId} not found`);
      const icp = found.icp as {
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
          const rows = fresh.map(({ externalId: _id, ...row }) => LeadRowSchema.parse(row));
          await campaign.stageRows(input.campaignId, staged + 1, rows);
          staged += fresh.length;
        }
        cursor = page.nextCursor;
        Context.current().heartbeat({ staged, cursor });
      } while (cursor && staged < input.limit);
      await campaign.setLeadTotal(input.campaignId, staged);
      return { staged, skipped };
    },

    /** Inserts rows fromRow..toRow as leads (idempotent on campaign + source row). */
    importLeadBatch: (input: ImportLeadBatchInput): Promise<ImportLeadBatchResult> =>
      leads.onboarding.forTenant(input.clientId).importRows(input, input.defaultCountry),

    async setCampaignStatus(input: SetCampaignStatusInput): Promise<void> {
      await campaigns.forTenant(input.clientId).setStatus(input.campaignId, input.status, input.error);
    },
  };
}
