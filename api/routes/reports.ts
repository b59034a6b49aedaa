/**
 * The client's overview report (SYS-007): over a range of UTC days (default the last 30 ending
 * today, at most 366), optionally for one campaign: its leads by tier and status, touches sent per
 * channel per day (every day present), replies (leads that replied, auto-replies left out) and
 * positive ones (intent interested) per day, meetings booked, bounce and complaint rates of the
 * email sent. How each fact is counted: services/reports/overview.ts.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireClientId } from '../plugins/auth.js';
import { ErrorBody } from '../schemas.js';
import { notFound } from '../errors.js';
import { Day, reportRange } from '../day-range.js';
import type { AppDeps } from '../deps.js';

export const MAX_REPORT_DAYS = 366;

const count = z.number().int();
const share = z.number().min(0).max(1);
const PerChannel = z.object({ email: count, sms: count, voice: count, linkedin: count });

export const OverviewOut = z.object({
  from: z.string(),
  to: z.string(),
  leads: z.object({
    total: count,
    /** Hot, Warm, Cool, Cold, Dead and unscored (no tier yet), each present. */
    byTier: z.record(z.string(), count),
    /** Every lead status, each present. */
    byStatus: z.record(z.string(), count),
  }),
  touchesByDay: z.array(PerChannel.extend({ day: z.string() })),
  totals: z.object({
    sent: count,
    sentByChannel: PerChannel,
    /** Leads with a touch sent in the range. */
    contacted: count,
    /** Leads that replied in the range (human replies; auto-replies and out-of-offices left out). */
    replies: count,
    /** replies / contacted (at most 1; 0 when none was contacted). */
    replyRate: share,
    positiveReplies: count,
    meetings: count,
    bounces: count,
    bounceRate: share,
    complaints: count,
    complaintRate: share,
  }),
  repliesByDay: z.array(z.object({ day: z.string(), replies: count, positive: count })),
});

export const reportRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  const { reports } = deps.services;

  app.get(
    '/v1/reports/overview',
    {
      schema: {
        tags: ['reports'],
        summary: 'Leads, touches, replies, meetings, bounces and complaints over a range of UTC days',
        querystring: z.strictObject({
          from: Day.optional(),
          to: Day.optional(),
          campaignId: z.uuid({ message: 'must be a UUID' }).optional(),
        }),
        response: { 200: OverviewOut, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (req) => {
      const range = reportRange(req.query, Date.now(), MAX_REPORT_DAYS);
      const report = await reports.forTenant(requireClientId(req)).overview(range, req.query.campaignId);
      if (!report) throw notFound('campaign');
      return report;
    },
  );
};
