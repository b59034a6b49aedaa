/**
 * Leads (SYS-007): a lead with its score, zone, DNCR state, touches and its sequence plan (the
 * lead:{leadId} workflow's progress: steps done, skipped with reasons, next with its time).
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireClientId } from '../plugins/auth.js';
import { describePhoneIssue } from '../../domain/phone.js';
import { mergedSignals, readAttributes, type EmailEnrichment, type PersonEnrichment } from '../../domain/lead-signals.js';
import { ErrorBody, IdParams, MAX_INT32 } from '../schemas.js';
import { notFound } from '../errors.js';
import { sequenceProgress, TouchOut, touchOut } from '../lead-views.js';
import type { AppDeps } from '../deps.js';

const PhoneIssue = z.object({ code: z.string(), message: z.string() }).nullable();

const Enrichment = z
  .object({ provider: z.string(), at: z.string(), outcome: z.string(), reason: z.string().optional(), status: z.string().optional() })
  .nullable();

const LeadOut = z.object({
  id: z.string(),
  campaignId: z.string(),
  email: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  title: z.string().nullable(),
  company: z.string().nullable(),
  phoneE164: z.string().nullable(),
  /** The number as given, its E.164 form, and why it could not be read (no call or SMS then). */
  phone: z.object({ given: z.string().nullable(), e164: z.string().nullable(), issue: PhoneIssue }),
  linkedinUrl: z.string().nullable(),
  /** The score's facts beyond the columns (SYS-002), merged from the list and enrichment. */
  signals: z.object({
    emailVerified: z.boolean().optional(),
    personalEmail: z.string().optional(),
    roleStartedOn: z.string().optional(),
    companyHiring: z.boolean().optional(),
    fundedOn: z.string().optional(),
    competitor: z.boolean().optional(),
  }),
  /** What each enrichment step answered for this lead, or why it gave nothing. */
  enrichment: z.object({ person: Enrichment, email: Enrichment }),
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
  /** The lead has a sequence but Temporal did not answer in time: ask again. */
  sequenceUnavailable: z.boolean(),
  touches: z.array(TouchOut),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** SYS-001: why the lead's number could not be read, for the client (null when it was, or none was given). */
function phoneIssue(l: { phoneIssue: string | null; phoneRaw: string | null; country: string | null }) {
  if (!l.phoneIssue) return null;
  const reason = l.phoneIssue as Parameters<typeof describePhoneIssue>[0];
  return { code: l.phoneIssue, message: `"${l.phoneRaw ?? ''}" ${describePhoneIssue(reason, l.country)}` };
}

function step(s: PersonEnrichment | EmailEnrichment | undefined) {
  if (!s) return null;
  return {
    provider: s.provider,
    at: s.at,
    outcome: s.outcome,
    ...(s.reason ? { reason: s.reason } : {}),
    ...('status' in s && s.status ? { status: s.status } : {}),
  };
}

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
      const attrs = readAttributes(lead.attributes);
      const progress = await sequenceProgress(gateway, lead, req.log);
      return {
        id: lead.id,
        campaignId: lead.campaignId,
        email: lead.email,
        firstName: lead.firstName,
        lastName: lead.lastName,
        title: lead.title,
        company: lead.company,
        phoneE164: lead.phoneE164,
        phone: { given: lead.phoneRaw, e164: lead.phoneE164, issue: phoneIssue(lead) },
        linkedinUrl: lead.linkedinUrl,
        signals: mergedSignals(attrs),
        enrichment: { person: step(attrs.person), email: step(attrs.email) },
        timezone: lead.timezone,
        timezoneSource: lead.timezoneSource,
        score: lead.score,
        tier: lead.tier,
        scoreReasons: lead.scoreReasons,
        dncr: { result: lead.dncrResult, washedAt: iso(lead.dncrWashedAt) },
        status: lead.status,
        optedOutAt: iso(lead.optedOutAt),
        repliedAt: iso(lead.repliedAt),
        ...progress,
        touches: lead.touches.map(touchOut),
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
          afterRow: z.coerce.number().int().min(0).max(MAX_INT32).default(0),
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
                phoneE164: z.string().nullable(),
                phoneIssue: PhoneIssue,
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
          phoneE164: l.phoneE164,
          phoneIssue: phoneIssue(l),
          status: l.status,
        })),
        nextAfterRow: result.length === req.query.limit ? result[result.length - 1]!.sourceRow : null,
      };
    },
  );
};
