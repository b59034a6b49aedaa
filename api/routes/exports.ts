/**
 * CSV exports of the client's leads and touches (SYS-007), optionally of one campaign (touches
 * also within a range of UTC days, on the day each went out, or was made when it never did):
 * streamed as they are read, a page at a time from the database, as `text/csv; charset=utf-8`
 * attachments with a header row (RFC 4180, formula injection neutralised: api/csv.ts).
 */
import { Readable } from 'node:stream';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply } from 'fastify';
import type { LeadExportRow, TouchExportRow } from '../../services/reports/index.js';
import { requireClientId } from '../plugins/auth.js';
import { ErrorBody } from '../schemas.js';
import { notFound } from '../errors.js';
import { attachment, csvRow, type CsvValue } from '../csv.js';
import { checkOrder, Day } from '../day-range.js';
import type { AppDeps } from '../deps.js';

export const LEAD_COLUMNS = [
  'id',
  'campaign',
  'email',
  'first_name',
  'last_name',
  'title',
  'company',
  'phone',
  'timezone',
  'tier',
  'score',
  'status',
  'replied_at',
  'opted_out_at',
] as const;
export const TOUCH_COLUMNS = [
  'lead_id',
  'email',
  'step',
  'channel',
  'status',
  'planned_at',
  'sent_at',
  'provider',
  'provider_ref',
] as const;

const leadCells = (l: LeadExportRow): CsvValue[] => [
  l.id,
  l.campaign.name,
  l.email,
  l.firstName,
  l.lastName,
  l.title,
  l.company,
  l.phoneE164 ?? l.phoneRaw,
  l.timezone,
  l.tier,
  l.score,
  l.status,
  l.repliedAt,
  l.optedOutAt,
];
const touchCells = (t: TouchExportRow): CsvValue[] => [
  t.lead_id,
  t.email,
  t.step,
  t.channel,
  t.status,
  t.planned_at,
  t.sent_at,
  t.provider,
  t.provider_ref,
];

/** The header, then each page's rows as one chunk: read from the database as the client takes them. */
async function* csvChunks<T>(header: readonly string[], pages: AsyncIterable<T[]>, cells: (row: T) => CsvValue[]) {
  yield csvRow(header);
  for await (const page of pages) yield page.map((r) => csvRow(cells(r))).join('');
}

function sendCsv(reply: FastifyReply, filename: string, chunks: AsyncIterable<string>) {
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', attachment(filename))
    .header('cache-control', 'no-store')
    .send(Readable.from(chunks));
}

const today = () => new Date().toISOString().slice(0, 10);
const CampaignId = z.uuid({ message: 'must be a UUID' }).optional();
const csvResponse = { 400: ErrorBody, 404: ErrorBody };

export const exportRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  const { reports } = deps.services;
  const tags = ['exports'];

  app.get(
    '/v1/exports/leads.csv',
    {
      schema: {
        tags,
        summary: "The client's leads (or one campaign's) as CSV, by campaign and list row",
        querystring: z.strictObject({ campaignId: CampaignId }),
        produces: ['text/csv'],
        response: csvResponse,
      },
    },
    async (req, reply) => {
      const { campaignId } = req.query;
      const pages = await reports.forTenant(requireClientId(req)).exports.leads(campaignId ? { campaignId } : {});
      if (!pages) throw notFound('campaign');
      return sendCsv(reply, `leads-${campaignId ?? 'all'}-${today()}.csv`, csvChunks(LEAD_COLUMNS, pages, leadCells));
    },
  );

  app.get(
    '/v1/exports/touches.csv',
    {
      schema: {
        tags,
        summary: "The client's touches (or one campaign's) as CSV, in the order they went out, optionally within UTC days",
        querystring: z.strictObject({ campaignId: CampaignId, from: Day.optional(), to: Day.optional() }),
        produces: ['text/csv'],
        response: csvResponse,
      },
    },
    async (req, reply) => {
      const { campaignId, from, to } = req.query;
      checkOrder(from, to);
      const pages = await reports.forTenant(requireClientId(req)).exports.touches({
        ...(campaignId ? { campaignId } : {}),
        range: { ...(from ? { from } : {}), ...(to ? { to } : {}) },
      });
      if (!pages) throw notFound('campaign');
      return sendCsv(reply, `touches-${campaignId ?? 'all'}-${today()}.csv`, csvChunks(TOUCH_COLUMNS, pages, touchCells));
    },
  );
};
