/**
 * Lead search across the client's campaigns (SYS-007): filter by campaign, tier (`unscored`: none
 * yet), status, zone (exact IANA name), channel (the lead has a touch sent on it) and `q` (a piece
 * of the email, first or last name or company, any case); newest first, `limit` at a time, the
 * next page from `nextCursor` (opaque; null on the last page). `GET /v1/leads/:id` (leads.ts)
 * gives one lead in full.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { LEAD_STATUSES, REPORT_CHANNELS, REPORT_TIERS } from '../../services/reports/index.js';
import { requireClientId } from '../plugins/auth.js';
import { ErrorBody, IanaTimezone } from '../schemas.js';
import { CursorParam, encodeCursor, LimitParam } from '../page-cursor.js';
import { leadSummaryOut, LeadSummaryOut } from '../lead-views.js';
import { notFound } from '../errors.js';
import type { AppDeps } from '../deps.js';

const FoundLeadOut = LeadSummaryOut.extend({
  title: z.string().nullable(),
  score: z.number().nullable(),
  phoneE164: z.string().nullable(),
});

export const leadSearchRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  const { reports } = deps.services;

  app.get(
    '/v1/leads',
    {
      schema: {
        tags: ['leads'],
        summary: "Search the client's leads across campaigns, newest first",
        querystring: z.strictObject({
          campaignId: z.uuid({ message: 'must be a UUID' }).optional(),
          tier: z.enum(REPORT_TIERS).optional(),
          status: z.enum(LEAD_STATUSES).optional(),
          timezone: z.string().max(100).pipe(IanaTimezone).optional(),
          channel: z.enum(REPORT_CHANNELS).optional(),
          q: z.string().trim().min(1).max(200).optional(),
          limit: LimitParam,
          cursor: CursorParam,
        }),
        response: { 200: z.object({ leads: z.array(FoundLeadOut), nextCursor: z.string().nullable() }), 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (req) => {
      const { cursor, ...q } = req.query;
      const page = await reports.forTenant(requireClientId(req)).searchLeads({ ...q, ...(cursor ? { after: cursor } : {}) });
      if (!page) throw notFound('campaign');
      return {
        leads: page.leads.map((l) => ({ ...leadSummaryOut(l), title: l.title, score: l.score, phoneE164: l.phoneE164 })),
        nextCursor: encodeCursor(page.next),
      };
    },
  );
};
