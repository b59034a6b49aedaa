/**
 * Campaigns of one client (row-level security on): created with their validated lead rows staged
 * in the same transaction, listed, read with onboarding figures from the database, and moved
 * through onboarding's statuses. Rows from a lead source are staged the same way. A client pauses,
 * resumes or stops a campaign (SYS-007: domain/campaign-control.ts decides), and its lead
 * sequences are paged by source row for the campaign-control workflow.
 */
import type { Db, TenantTx } from '../db/client.js';
import type { Campaign, CampaignStatus } from '../generated/prisma/client.js';
import { workflowIds, type CampaignAction } from '../domain/processes.js';
import { decideCampaignControl, type ControlDecision } from '../domain/campaign-control.js';
import type { LeadRow } from '../domain/lead-row.js';

const STAGE_CHUNK = 1000;

/** Statuses a client set, which onboarding's own steps never overwrite. */
const CLIENT_SET: CampaignStatus[] = ['paused', 'stopped'];

export interface NewCampaign {
  name: string;
  icp: object;
}

export function createCampaigns(db: Db) {
  return {
    forTenant(clientId: string) {
      const tenant = <T>(fn: (tx: TenantTx) => Promise<T>) => db.asTenant(clientId, fn);
      return {
        /**
         * The campaign, its rows staged (numbered from 1) and its onboarding workflow id, in one
         * transaction; with the client's default country (for numbers without a prefix).
         */
        create: (c: NewCampaign, rows: LeadRow[]) =>
          db.asTenant(clientId, async (tx) => {
            const client = await tx.client.findUniqueOrThrow({ where: { id: clientId }, select: { defaultCountry: true } });
            const created = await tx.campaign.create({
              data: { clientId, name: c.name, icp: c.icp, status: 'draft', leadTotal: rows.length },
            });
            for (let i = 0; i < rows.length; i += STAGE_CHUNK) {
              await tx.leadImportRow.createMany({
                data: rows.slice(i, i + STAGE_CHUNK).map((data, j) => ({ campaignId: created.id, clientId, rowNumber: i + j + 1, data })),
              });
            }
            const campaign = await tx.campaign.update({
              where: { id: created.id },
              data: { workflowId: workflowIds.onboarding(created.id) },
            });
            return { campaign, defaultCountry: client.defaultCountry };
          }),

        /** Removes a campaign whose onboarding could not be started (nothing half-done stays). */
        async remove(campaignId: string): Promise<void> {
          await db.asTenant(clientId, (tx) => tx.campaign.delete({ where: { id: campaignId } }));
        },

        get: (campaignId: string): Promise<Campaign | null> =>
          db.asTenant(clientId, async (tx) => {
            const c = await tx.campaign.findUnique({ where: { id: campaignId } });
            return c;
          }),

        list: (limit: number) =>
          db.asTenant(clientId, async (tx) => await tx.campaign.findMany({ orderBy: { createdAt: 'desc' }, take: limit })),

        /** The campaign with its onboarding figures as the database knows them; null when not this client's. */
        withCounts: (campaignId: string) =>
          db.asTenant(clientId, async (tx) => {
            const found = await tx.campaign.findUnique({ where: { id: campaignId } });
            if (!found) return null;
            const campaign = found;
            const where = { campaignId: campaign.id };
            const [imported, invalidPhones, enriched, washed, started, tiers] = await Promise.all([
              tx.lead.count({ where }),
              tx.lead.count({ where: { ...where, phoneIssue: { not: null } } }),
              tx.lead.count({ where: { ...where, timezone: { not: null } } }),
              tx.lead.count({ where: { ...where, dncrWashedAt: { not: null } } }),
              tx.lead.count({ where: { ...where, sequenceWorkflowId: { not: null } } }),
              tx.lead.groupBy({ by: ['tier'], where: { ...where, tier: { not: null } }, _count: { _all: true } }),
            ]);
            const scoredByTier = Object.fromEntries(tiers.map((t) => [t.tier!, t._count._all]));
            return { campaign, counts: { imported, invalidPhones, enriched, washed, sequencesStarted: started, scoredByTier } };
          }),

        /** A page of the campaign's leads in list order; null when the campaign is not this client's. */
        leadsPage: (campaignId: string, afterRow: number, limit: number) =>
          db.asTenant(clientId, async (tx) => {
            const campaign = await tx.campaign.findUnique({ where: { id: campaignId }, select: { id: true } });
            if (!campaign) return null;
            return tx.lead.findMany({ where: { campaignId, sourceRow: { gt: afterRow } }, orderBy: { sourceRow: 'asc' }, take: limit });
          }),

        /** Stages rows numbered from `firstRow` (a retry re-stages the same numbers: nothing twice). */
        async stageRows(campaignId: string, firstRow: number, rows: LeadRow[]): Promise<void> {
          await tenant((tx) =>
            tx.leadImportRow.createMany({
              data: rows.map((data, i) => ({ campaignId, clientId, rowNumber: firstRow + i, data })),
              skipDuplicates: true,
            }),
          );
        },

        async setLeadTotal(campaignId: string, leadTotal: number): Promise<void> {
          await tenant((tx) => tx.campaign.update({ where: { id: campaignId }, data: { leadTotal } }));
        },

        /** Onboarding's status; never over a client's pause or stop (SYS-007): those stay until the client changes them. */
        async setStatus(campaignId: string, status: CampaignStatus, error?: string): Promise<void> {
          await tenant((tx) =>
            tx.campaign.updateMany({ where: { id: campaignId, status: { notIn: CLIENT_SET } }, data: { status, error: error ?? null } }),
          );
        },

        /**
         * SYS-007: a client's pause, resume or stop, decided on the campaign's row (locked, so two
         * requests are decided one after the other) and written when allowed; null when the campaign
         * is not this client's.
         */
        control: (campaignId: string, action: CampaignAction): Promise<ControlDecision | null> =>
          db.asTenant(clientId, async (tx) => {
            const [row] = await tx.$queryRaw<{ status: CampaignStatus }[]>`
              SELECT status::text AS status FROM campaigns WHERE id = ${campaignId}::uuid FOR UPDATE`;
            if (!row) return null;
            const client = await tx.client.findUniqueOrThrow({ where: { id: clientId }, select: { status: true } });
            const decision = decideCampaignControl(row.status, action, client.status);
            if (decision.ok) await tx.campaign.update({ where: { id: campaignId }, data: { status: decision.status } });
            return decision;
          }),

        /**
         * A keyset page of the campaign's lead sequences (their workflow ids) after `afterRow`, in
         * source-row order (the (campaign, source row) unique index): how campaign-control reaches
         * every lead, 10,000 or more, a page at a time. `lastRow`: the cursor of the next page.
         */
        sequencePage: (campaignId: string, afterRow: number, limit: number) =>
          db.asTenant(clientId, async (tx) => {
            const rows = await tx.lead.findMany({
              where: { campaignId, sourceRow: { gt: afterRow }, sequenceWorkflowId: { not: null } },
              orderBy: { sourceRow: 'asc' },
              take: limit,
              select: { sourceRow: true, sequenceWorkflowId: true },
            });
            return { workflowIds: rows.map((r) => r.sequenceWorkflowId!), lastRow: rows.at(-1)?.sourceRow ?? afterRow };
          }),
      };
    },
  };
}
export type Campaigns = ReturnType<typeof createCampaigns>;
