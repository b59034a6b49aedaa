/**
 * Onboarding after intake (SYS-001): enrichment (recipient zone, ED-002), DNCR batch wash of
 * Australian numbers (SM-002), ALS scoring and tier (SYS-002), and the start of each lead's
 * sequence. Each works on a range of source rows and is idempotent.
 */
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Db } from '../db/client.js';
import type { DncrRegister } from '../providers/ports.js';
import { resolveRecipientZone } from '../domain/timezone.js';
import { scoreLead, icpFit } from '../domain/scoring.js';
import { needsWash, dncrApplies } from '../domain/dncr.js';
import { defaultDomainConfig } from '../domain/config.js';
import { workflowIds, type LeadBatchInput, type LeadSequenceInput } from '../workflows/contracts.js';

export interface EnrichmentDeps {
  db: Db;
  providers: { dncr: DncrRegister };
  /** Task queue of lead sequences (the worker's own by default). */
  taskQueue?: string;
}

const rows = (i: LeadBatchInput) => ({ campaignId: i.campaignId, sourceRow: { gte: i.fromRow, lte: i.toRow } });

export function createEnrichmentActivities({ db, providers, taskQueue }: EnrichmentDeps) {
  return {
    /** ED-002 and SYS-002: the recipient's zone, then the score, tier and reasons. */
    async enrichAndScoreBatch(input: LeadBatchInput): Promise<{ enriched: number; byTier: Record<string, number> }> {
      return db.asTenant(input.clientId, async (tx) => {
        const client = await tx.client.findUniqueOrThrow({ where: { id: input.clientId } });
        const campaign = await tx.campaign.findUniqueOrThrow({ where: { id: input.campaignId } });
        const icp = campaign.icp as { industries?: string[]; countries?: string[]; employeeMin?: number; employeeMax?: number };
        const leads = await tx.lead.findMany({ where: rows(input) });
        const byTier: Record<string, number> = {};
        for (const lead of leads) {
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
          const score = scoreLead({
            emailVerified: Boolean(lead.email),
            hasPhone: Boolean(lead.phoneE164),
            hasLinkedinUrl: Boolean(lead.linkedinUrl),
            title: lead.title,
            ...fit,
            bounced: Boolean(lead.hardBouncedAt),
            unsubscribed: Boolean(lead.optedOutAt),
          });
          byTier[score.tier] = (byTier[score.tier] ?? 0) + 1;
          await tx.lead.update({
            where: { id: lead.id },
            data: {
              timezone: zone.zone,
              timezoneSource: zone.source,
              country: lead.country ?? zone.location.country,
              state: lead.state ?? zone.location.state,
              score: score.score,
              tier: score.tier,
              scoreReasons: score.reasons as object,
              status: score.tier === 'Dead' ? 'dead' : 'scored',
            },
          });
        }
        return { enriched: leads.length, byTier };
      });
    },

    /** SM-002: washes the batch's Australian numbers that have no fresh wash. Fails closed: an unanswered wash leaves them unwashed. */
    async washBatch(input: LeadBatchInput): Promise<{ washed: number; failed: number }> {
      const now = Date.now();
      const leads = await db.asTenant(input.clientId, (tx) =>
        tx.lead.findMany({
          where: { ...rows(input), phoneE164: { not: null } },
          select: { id: true, phoneE164: true, dncrWashedAt: true },
        }),
      );
      const due = leads.filter((l) => dncrApplies(l.phoneE164, 'voice', defaultDomainConfig) && needsWash(l.dncrWashedAt, now));
      if (!due.length) return { washed: 0, failed: 0 };
      let results: Map<string, string>;
      try {
        results = await providers.dncr.wash(
          [...new Set(due.map((l) => l.phoneE164!))],
          `${input.campaignId}:${input.fromRow}-${input.toRow}`,
        );
      } catch (err) {
        Context.current().log.warn('DNCR register did not answer; numbers stay unwashed (no call or SMS until washed)', {
          error: String(err),
        });
        return { washed: 0, failed: due.length };
      }
      let washed = 0;
      await db.asTenant(input.clientId, async (tx) => {
        for (const l of due) {
          const result = results.get(l.phoneE164!);
          if (!result) continue;
          await tx.lead.update({ where: { id: l.id }, data: { dncrResult: result, dncrWashedAt: new Date(now) } });
          washed += 1;
        }
      });
      return { washed, failed: due.length - washed };
    },

    /** Starts lead:{leadId} for every lead of the batch that is not Dead; a started one is never started twice. */
    async startSequencesBatch(input: LeadBatchInput): Promise<{ started: number }> {
      const leads = await db.asTenant(input.clientId, (tx) =>
        tx.lead.findMany({ where: { ...rows(input), tier: { not: 'Dead' }, NOT: { tier: null } }, select: { id: true } }),
      );
      const client = Context.current().client;
      const queue = taskQueue ?? Context.current().info.taskQueue;
      let started = 0;
      for (const lead of leads) {
        const args: [LeadSequenceInput] = [{ version: 1, clientId: input.clientId, campaignId: input.campaignId, leadId: lead.id }];
        try {
          await client.workflow.start('leadSequenceWorkflow', {
            taskQueue: queue,
            workflowId: workflowIds.lead(lead.id),
            args,
            memo: { clientId: input.clientId, campaignId: input.campaignId },
          });
          started += 1;
        } catch (err) {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
          started += 1; // started by an earlier attempt of this activity
        }
        Context.current().heartbeat(lead.id);
      }
      return { started };
    },
  };
}
