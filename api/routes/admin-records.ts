/**
 * Admin console: campaigns and leads across every client (SYS-006, SYS-007). Explicit system
 * path: admin key only. Lists are filtered and keyset-paginated (newest first; `nextCursor` back
 * as `cursor`); one lead comes with its touches, its sequence's progress (the workflow's query)
 * and its workflow's page in the Temporal Web UI.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { LEAD_TIERS } from '../../domain/config.js';
import { LEAD_STATUSES } from '../../services/reports/index.js';
import { ErrorBody, IdParams } from '../schemas.js';
import { notFound } from '../errors.js';
import { CursorParam, encodeCursor, LimitParam } from '../page-cursor.js';
import { leadSummaryOut, LeadSummaryOut, sequenceProgress, temporalUiUrl, TouchOut, touchOut, type LeadSummaryRow } from '../lead-views.js';
import type { AppDeps } from '../deps.js';

const Uuid = z.uuid({ message: 'must be a UUID' });
const CAMPAIGN_STATUSES = [
  'draft',
  'importing',
  'imported',
  'enriching',
  'scoring',
  'running',
  'paused',
  'stopped',
  'completed',
  'failed',
] as const;

const CampaignRow = z.object({
  id: z.string(),
  clientId: z.string(),
  clientName: z.string(),
  name: z.string(),
  status: z.string(),
  leadTotal: z.number(),
  createdAt: z.string(),
});

const LeadRow = LeadSummaryOut.extend({
  clientId: z.string(),
  clientName: z.string(),
  sequenceWorkflowId: z.string().nullable(),
});

const LeadDetail = LeadRow.extend({
  title: z.string().nullable(),
  phoneE164: z.string().nullable(),
  linkedinUrl: z.string().nullable(),
  score: z.number().nullable(),
  /** Why the lead scored so (SYS-002), as GET /v1/leads/:id shows it. */
  scoreReasons: z.unknown(),
  timezoneSource: z.string().nullable(),
  dncr: z.object({ result: z.string().nullable(), washedAt: z.string().nullable() }),
  hardBouncedAt: z.string().nullable(),
  meetingBookedAt: z.string().nullable(),
  sequenceStartedAt: z.string().nullable(),
  touches: z.array(TouchOut),
  /** The lead:{leadId} workflow; uiUrl null when no Temporal UI address is known (TEMPORAL_UI_URL). */
  workflow: z.object({ workflowId: z.string(), namespace: z.string(), uiUrl: z.string().nullable() }).nullable(),
  /** The workflow's progress query (as GET /v1/leads/:id); null without a workflow or an answer. */
  sequence: z.unknown().nullable(),
  /** The lead has a sequence but Temporal did not answer in time: ask again. */
  sequenceUnavailable: z.boolean(),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

type LeadWithNames = LeadSummaryRow & {
  clientId: string;
  sequenceWorkflowId: string | null;
  client: { name: string };
};

const leadRow = (l: LeadWithNames): z.infer<typeof LeadRow> => ({
  ...leadSummaryOut(l),
  clientId: l.clientId,
  clientName: l.client.name,
  sequenceWorkflowId: l.sequenceWorkflowId,
});

export const adminRecordRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  const records = deps.services.adminRecords.system;
  const { gateway } = deps.services;
  const admin = { auth: 'admin' as const };

  app.get(
    '/v1/admin/campaigns',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: 'Campaigns of every client, newest first (keyset pages: pass nextCursor back as cursor)',
        querystring: z.object({
          clientId: Uuid.optional(),
          status: z.enum(CAMPAIGN_STATUSES).optional(),
          limit: LimitParam,
          cursor: CursorParam,
        }),
        response: { 200: z.object({ campaigns: z.array(CampaignRow), nextCursor: z.string().nullable() }), 400: ErrorBody },
      },
    },
    async (req) => {
      const q = req.query;
      const page = await records.campaigns({
        limit: q.limit,
        ...(q.clientId ? { clientId: q.clientId } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(q.cursor ? { after: q.cursor } : {}),
      });
      return {
        campaigns: page.rows.map((c) => ({
          id: c.id,
          clientId: c.clientId,
          clientName: c.client.name,
          name: c.name,
          status: c.status,
          leadTotal: c.leadTotal,
          createdAt: c.createdAt.toISOString(),
        })),
        nextCursor: encodeCursor(page.next),
      };
    },
  );

  app.get(
    '/v1/admin/leads',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: 'Leads of every client, newest first, filtered (q: part of the address, name or company, any case)',
        querystring: z.object({
          clientId: Uuid.optional(),
          campaignId: Uuid.optional(),
          status: z.enum(LEAD_STATUSES).optional(),
          tier: z.enum(LEAD_TIERS).optional(),
          q: z.string().trim().max(200).optional(),
          limit: LimitParam,
          cursor: CursorParam,
        }),
        response: { 200: z.object({ leads: z.array(LeadRow), nextCursor: z.string().nullable() }), 400: ErrorBody },
      },
    },
    async (req) => {
      const q = req.query;
      const page = await records.leads({
        limit: q.limit,
        ...(q.clientId ? { clientId: q.clientId } : {}),
        ...(q.campaignId ? { campaignId: q.campaignId } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(q.tier ? { tier: q.tier } : {}),
        ...(q.q ? { q: q.q } : {}),
        ...(q.cursor ? { after: q.cursor } : {}),
      });
      return { leads: page.rows.map(leadRow), nextCursor: encodeCursor(page.next) };
    },
  );

  app.get(
    '/v1/admin/leads/:id',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: 'One lead of any client with its touches, its sequence progress and its workflow in the Temporal Web UI',
        params: IdParams,
        response: { 200: LeadDetail, 404: ErrorBody },
      },
    },
    async (req) => {
      const lead = await records.lead(req.params.id);
      if (!lead) throw notFound('lead');
      const workflowId = lead.sequenceWorkflowId;
      return {
        ...leadRow(lead),
        title: lead.title,
        phoneE164: lead.phoneE164,
        linkedinUrl: lead.linkedinUrl,
        score: lead.score,
        scoreReasons: lead.scoreReasons,
        timezoneSource: lead.timezoneSource,
        dncr: { result: lead.dncrResult, washedAt: iso(lead.dncrWashedAt) },
        hardBouncedAt: iso(lead.hardBouncedAt),
        meetingBookedAt: iso(lead.meetingBookedAt),
        sequenceStartedAt: iso(lead.sequenceStartedAt),
        touches: lead.touches.map(touchOut),
        workflow: workflowId
          ? { workflowId, namespace: gateway.namespace, uiUrl: temporalUiUrl(deps.config.temporal.uiUrl, gateway.namespace, workflowId) }
          : null,
        ...(await sequenceProgress(gateway, lead, req.log)),
      };
    },
  );
};
