/**
 * What the client's lead view (routes/leads.ts, SYS-007) and the admin console's (routes/admin-
 * records.ts, SYS-006) show alike: a touch with its evidence, the lead:{leadId} workflow's
 * progress from its query, and the link to that workflow in the Temporal Web UI.
 */
import { z } from 'zod';
import type { FastifyBaseLogger } from 'fastify';
import { leadProgressQuery, type LeadProgress } from '../workflows/contracts.js';
import type { WorkflowGateway } from '../services/workflow-gateway.js';

export const TouchOut = z.object({
  step: z.number(),
  channel: z.string(),
  status: z.string(),
  plannedAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  provider: z.string().nullable(),
  providerRef: z.string().nullable(),
  evidence: z.unknown(),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function touchOut(t: {
  step: number;
  channel: string;
  status: string;
  plannedAt: Date | null;
  sentAt: Date | null;
  provider: string | null;
  providerRef: string | null;
  evidence: unknown;
}): z.infer<typeof TouchOut> {
  return {
    step: t.step,
    channel: t.channel,
    status: t.status,
    plannedAt: iso(t.plannedAt),
    sentAt: iso(t.sentAt),
    provider: t.provider,
    providerRef: t.providerRef,
    evidence: t.evidence,
  };
}

/**
 * The sequence's progress (steps done, skipped with reasons, next with its time) from the lead's
 * workflow; null when it has none. When Temporal does not answer within 3 seconds (a busy worker
 * replaying the workflow, a server away), the lead is shown without it rather than not at all,
 * and `sequenceUnavailable` tells the page to ask again.
 */
export async function sequenceProgress(
  gateway: WorkflowGateway,
  lead: { id: string; sequenceWorkflowId: string | null },
  log: FastifyBaseLogger,
): Promise<{ sequence: LeadProgress | null; sequenceUnavailable: boolean }> {
  if (!lead.sequenceWorkflowId) return { sequence: null, sequenceUnavailable: false };
  try {
    return { sequence: await gateway.query(lead.sequenceWorkflowId, leadProgressQuery, Date.now() + 3000), sequenceUnavailable: false };
  } catch (err) {
    log.debug({ err, leadId: lead.id }, 'sequence query failed');
    return { sequence: null, sequenceUnavailable: true };
  }
}

/**
 * A workflow's page in the Temporal Web UI: `<ui>/namespaces/<namespace>/workflows/<workflow id>`
 * (its latest run), each part URL-encoded; null when no UI address is configured (TEMPORAL_UI_URL).
 */
export function temporalUiUrl(uiBase: string | undefined, namespace: string, workflowId: string): string | null {
  if (!uiBase) return null;
  return `${uiBase.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

/** The fields every list of leads answers (the client's search, the admin's list across clients). */
export const LeadSummaryOut = z.object({
  id: z.string(),
  campaignId: z.string(),
  campaignName: z.string(),
  email: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  company: z.string().nullable(),
  tier: z.string().nullable(),
  status: z.string(),
  timezone: z.string().nullable(),
  repliedAt: z.string().nullable(),
  optedOutAt: z.string().nullable(),
  createdAt: z.string(),
});

/** The lead columns (and its campaign's name) a lead summary is made from. */
export type LeadSummaryRow = {
  id: string;
  campaignId: string;
  campaign: { name: string };
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  tier: string | null;
  status: string;
  timezone: string | null;
  repliedAt: Date | null;
  optedOutAt: Date | null;
  createdAt: Date;
};

export const leadSummaryOut = (l: LeadSummaryRow): z.infer<typeof LeadSummaryOut> => ({
  id: l.id,
  campaignId: l.campaignId,
  campaignName: l.campaign.name,
  email: l.email,
  firstName: l.firstName,
  lastName: l.lastName,
  company: l.company,
  tier: l.tier,
  status: l.status,
  timezone: l.timezone,
  repliedAt: iso(l.repliedAt),
  optedOutAt: iso(l.optedOutAt),
  createdAt: l.createdAt.toISOString(),
});
