/**
 * Leads (SYS-007): a lead with its score, zone, DNCR state, touches and its sequence plan (the
 * lead:{leadId} workflow's progress: steps done, skipped with reasons, next with its time).
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { leadProgressQuery, type LeadProgress } from '../../workflows/contracts.js';
import { requireClientId } from '../plugins/auth.js';
import { ErrorBody, IdParams } from '../schemas.js';
import { notFound } from '../errors.js';
import type { AppDeps } from '../deps.js';

const TouchOut = z.object({
  step: z.number(),
  channel: z.string(),
  status: z.string(),
  plannedAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  provider: z.string().nullable(),
  providerRef: z.string().nullable(),
  evidence: z.unknown(),
});

const LeadOut = z.object({
  id: z.string(),
  campaignId: z.string(),
  email: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  title: z.string().nullable(),
  company: z.string().nullable(),
  phoneE164: z.string().nullable(),
  linkedinUrl: z.string().nullable(),
  timezone: z.string().nullable(),
  timezoneSource: z.string().nullable(),
  score: z.number().nullable(),
  tier: z.string().nullable(),
  scoreReasons: z.unknown(),
  dncr: z.object({ result: z.string().nullable(), washedAt: z.string().nullable() }),
  status: z.string(),
  optedOutAt: z.string().nullable(),
  repliedAt: z.string().nullable(),
  sequence: z.unknown().nullable(),
  touches: z.array(TouchOut),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const leadRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  const { leads, campaigns, gateway } = deps.services;

  app.get(
    '/v1/leads/:id',
    {
      schema: {
        tags: ['leads'],
        summary: 'A lead with its score, touches and sequence plan',
        params: IdParams,
        response: { 200: LeadOut, 404: ErrorBody },
      },
    },
    async (req) => {
      const clientId = requireClientId(req);
      const lead = await leads.sequence.forTenant(clientId).withTouches(req.params.id);
      if (!lead) throw notFound('lead');
      let sequence: LeadProgress | null = null;
      if (lead.sequenceWorkflowId) {
        try {
          sequence = await gateway.query(lead.sequenceWorkflowId, leadProgressQuery, Date.now() + 3000);
        } catch (err) {
          req.log.debug({ err, leadId: lead.id }, 'sequence query failed');
        }
      }
      return {
        id: lead.id,
        campaignId: lead.campaignId,
        email: lead.email,
        firstName: lead.firstName,
        lastName: lead.lastName,
        title: lead.title,
        company: lead.company,
        phoneE164: lead.phoneE164,
        linkedinUrl: lead.linkedinUrl,
        timezone: lead.timezone,
        timezoneSource: lead.timezoneSource,
        score: lead.score,
        tier: lead.tier,
        scoreReasons: lead.scoreReasons,
        dncr: { result: lead.dncrResult, washedAt: iso(lead.dncrWashedAt) },
        status: lead.status,
        optedOutAt: iso(lead.optedOutAt),
        repliedAt: iso(lead.repliedAt),
        sequence,
        touches: lead.touches.map((t) => ({
          step: t.step,
          channel: t.channel,
          status: t.status,
          plannedAt: iso(t.plannedAt),
          sentAt: iso(t.sentAt),
          provider: t.provider,
          providerRef: t.providerRef,
          evidence: t.evidence,
        })),
      };
    },
  );

  app.get(
    '/v1/campaigns/:id/leads',
    {
      schema: {
        tags: ['leads'],
        summary: "A campaign's leads, in list order",
        params: IdParams,
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(500).default(100),
          afterRow: z.coerce.number().int().min(0).default(0),
        }),
        response: {
          200: z.object({
            leads: z.array(
              z.object({
                id: z.string(),
                sourceRow: z.number(),
                email: z.string().nullable(),
                tier: z.string().nullable(),
                score: z.number().nullable(),
                timezone: z.string().nullable(),
                status: z.string(),
              }),
            ),
            nextAfterRow: z.number().nullable(),
          }),
          404: ErrorBody,
        },
      },
    },
    async (req) => {
      const clientId = requireClientId(req);
      const result = await campaigns.forTenant(clientId).leadsPage(req.params.id, req.query.afterRow, req.query.limit);
      if (!result) throw notFound('campaign');
      return {
        leads: result.map((l) => ({
          id: l.id,
          sourceRow: l.sourceRow,
          email: l.email,
          tier: l.tier,
          score: l.score,
          timezone: l.timezone,
          status: l.status,
        })),
        nextAfterRow: result.length === req.query.limit ? result[result.length - 1]!.sourceRow : null,
      };
    },
  );
};
