/**
 * Meetings, deals and the CRM connection (SYS-004). A client connects its CRM (HubSpot: a private
 * app token, optionally its pipeline and stage ids); the token is kept on the system path and never
 * shown back (only its last four characters). Meetings and deals are read under row-level security.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireClientId } from '../plugins/auth.js';
import { ErrorBody } from '../schemas.js';
import { notFound } from '../errors.js';
import type { AppDeps } from '../deps.js';

const StageId = z.string().trim().min(1).max(100);
const CrmIn = z.strictObject({
  provider: z.literal('hubspot'),
  /** A HubSpot private app token (scopes: crm.objects.contacts/companies/deals.write, meetings). */
  accessToken: z.string().trim().min(20).max(500),
  pipeline: z.string().trim().min(1).max(100).optional(),
  stages: z.strictObject({ meeting_booked: StageId, meeting_cancelled: StageId, meeting_held: StageId }).partial().optional(),
});
const CrmOut = z.object({
  provider: z.string(),
  tokenEnding: z.string(),
  pipeline: z.string().nullable(),
  stages: z.record(z.string(), z.string()),
  updatedAt: z.string(),
});
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const dealRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  const { meetings } = deps.services;
  const tags = ['deals'];
  const crmOut = (c: { provider: string; accessToken: string; pipeline: string | null; stages: unknown; updatedAt: Date }) => ({
    provider: c.provider,
    tokenEnding: c.accessToken.slice(-4),
    pipeline: c.pipeline,
    stages: (c.stages ?? {}) as Record<string, string>,
    updatedAt: c.updatedAt.toISOString(),
  });

  app.put(
    '/v1/crm',
    {
      schema: {
        tags,
        summary: "Connect the client's CRM (HubSpot): deals and meetings are pushed to it",
        body: CrmIn,
        response: { 200: CrmOut },
      },
    },
    async (req) => crmOut(await meetings.crm.set(requireClientId(req), req.body)),
  );
  app.get(
    '/v1/crm',
    {
      schema: {
        tags,
        summary: "The client's CRM connection (the token's last four characters only)",
        response: { 200: CrmOut, 404: ErrorBody },
      },
    },
    async (req) => {
      const c = await meetings.crm.get(requireClientId(req));
      if (!c) throw notFound('crm connection');
      return crmOut(c);
    },
  );
  app.delete(
    '/v1/crm',
    {
      schema: {
        tags,
        summary: 'Disconnect the CRM (nothing is pushed until connected again)',
        response: { 204: z.null(), 404: ErrorBody },
      },
    },
    async (req, reply) => {
      if (!(await meetings.crm.remove(requireClientId(req)))) throw notFound('crm connection');
      return reply.status(204).send(null);
    },
  );

  const Limit = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100) });
  app.get(
    '/v1/meetings',
    {
      schema: {
        tags,
        summary: 'Meetings booked by leads (Cal.com, Calendly), newest first',
        querystring: Limit,
        response: {
          200: z.object({
            meetings: z.array(
              z.object({
                id: z.string(),
                leadId: z.string(),
                provider: z.string(),
                bookingUid: z.string(),
                status: z.string(),
                title: z.string().nullable(),
                startsAt: z.string().nullable(),
                endsAt: z.string().nullable(),
                replacesUid: z.string().nullable(),
                crmMeetingId: z.string().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => ({
      meetings: (await meetings.forTenant(requireClientId(req)).meetings(req.query.limit)).map((m) => ({
        id: m.id,
        leadId: m.leadId,
        provider: m.provider,
        bookingUid: m.bookingUid,
        status: m.status,
        title: m.title,
        startsAt: iso(m.startsAt),
        endsAt: iso(m.endsAt),
        replacesUid: m.replacesUid,
        crmMeetingId: m.crmMeetingId,
      })),
    }),
  );
  app.get(
    '/v1/deals',
    {
      schema: {
        tags,
        summary: 'Deals (one per lead with a meeting), with their stage and CRM ids',
        querystring: Limit,
        response: {
          200: z.object({
            deals: z.array(
              z.object({
                id: z.string(),
                leadId: z.string(),
                campaignId: z.string(),
                name: z.string(),
                stage: z.string(),
                crm: z.object({
                  provider: z.string().nullable(),
                  contactId: z.string().nullable(),
                  companyId: z.string().nullable(),
                  dealId: z.string().nullable(),
                  syncedAt: z.string().nullable(),
                  error: z.string().nullable(),
                }),
              }),
            ),
          }),
        },
      },
    },
    async (req) => ({
      deals: (await meetings.forTenant(requireClientId(req)).deals(req.query.limit)).map((d) => ({
        id: d.id,
        leadId: d.leadId,
        campaignId: d.campaignId,
        name: d.name,
        stage: d.stage,
        crm: {
          provider: d.crmProvider,
          contactId: d.crmContactId,
          companyId: d.crmCompanyId,
          dealId: d.crmDealId,
          syncedAt: iso(d.crmSyncedAt),
          error: d.crmError,
        },
      })),
    }),
  );
};
