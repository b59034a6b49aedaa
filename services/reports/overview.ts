/**
 * The client's overview report (SYS-007): its leads by tier and status, what was sent per channel
 * and UTC day, replies, meetings, bounces and complaints over a range of UTC days. Every figure is
 * counted by the database (GROUP BY under the client's row-level security), never by loading rows.
 *
 * Where each fact lives:
 * - a touch was sent when it has `sent_at` (set only by the ledger's recordSent; a hard bounce or
 *   an undelivered SMS later marks the row failed, but it went out and counts as sent);
 * - a bounce or a complaint is recorded on the email's touch (`outcome.bounce`, hard or soft, and
 *   `outcome.complaint`: services/touches/reports.ts annotateEmails), counted on the day it was sent;
 * - a reply is an inbound message of kind `reply` (the human replies: auto-replies and
 *   out-of-offices are kind `auto_reply`), counted once per lead; a positive reply is one whose
 *   (possibly corrected) intent is `interested` (interest or a meeting request, domain/reply-intent.ts);
 * - a meeting is a booking row still `booked` (a rescheduled booking's old row is `rescheduled`,
 *   a cancelled one `cancelled`), on the day it was booked.
 */
import type { Db } from '../../db/client.js';
import {
  Prisma,
  LeadStatus as LeadStatusEnum,
  Channel as ChannelEnum,
  type LeadStatus,
  type Channel,
} from '../../generated/prisma/client.js';
import { LEAD_TIERS } from '../../domain/config.js';

export const REPORT_CHANNELS = Object.values(ChannelEnum) as [Channel, ...Channel[]];
export const LEAD_STATUSES = Object.values(LeadStatusEnum) as [LeadStatus, ...LeadStatus[]];
/** The tiers a lead can have (SYS-002), and `unscored` for a lead without one yet. */
export const REPORT_TIERS = [...LEAD_TIERS, 'unscored'] as const;
export type ReportChannel = (typeof REPORT_CHANNELS)[number];
type PerChannel = Record<ReportChannel, number>;

/** A range of whole UTC days, both ends included, as YYYY-MM-DD. */
export interface DayRange {
  from: string;
  to: string;
}

export interface Overview {
  from: string;
  to: string;
  leads: { total: number; byTier: Record<string, number>; byStatus: Record<string, number> };
  touchesByDay: ({ day: string } & PerChannel)[];
  totals: {
    sent: number;
    sentByChannel: PerChannel;
    /** Leads with at least one touch sent in the range (the reply rate's denominator). */
    contacted: number;
    replies: number;
    replyRate: number;
    positiveReplies: number;
    meetings: number;
    bounces: number;
    bounceRate: number;
    complaints: number;
    complaintRate: number;
  };
  repliesByDay: { day: string; replies: number; positive: number }[];
}

const DAY_MS = 86_400_000;
const startOf = (day: string) => new Date(`${day}T00:00:00.000Z`);
/** Every day of the range, in order. */
export function daysOf(r: DayRange): string[] {
  const out: string[] = [];
  for (let t = startOf(r.from).getTime(); t <= startOf(r.to).getTime(); t += DAY_MS) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}
const zeroChannels = (): PerChannel => Object.fromEntries(REPORT_CHANNELS.map((c) => [c, 0])) as PerChannel;
const rate = (n: number, of: number) => (of > 0 ? Math.min(1, n / of) : 0);

type TouchRow = { day: string | null; channel: ReportChannel | null; sent: number; contacted: number; bounced: number; complaints: number };
type ReplyRow = { day: string | null; replies: number; positive: number };

/** The overview over one tenant transaction; null when `campaignId` is not one of the client's campaigns. */
export async function overview(db: Db, clientId: string, range: DayRange, campaignId?: string): Promise<Overview | null> {
  const since = startOf(range.from);
  const until = new Date(startOf(range.to).getTime() + DAY_MS);
  return db.asTenant(clientId, async (tx) => {
    if (campaignId && !(await tx.campaign.findUnique({ where: { id: campaignId }, select: { id: true } }))) return null;
    const inCampaign = (alias: string) =>
      campaignId ? Prisma.sql`AND ${Prisma.raw(alias)}.campaign_id = ${campaignId}::uuid` : Prisma.empty;

    const leadGroups = await tx.lead.groupBy({
      by: ['tier', 'status'],
      where: { clientId, ...(campaignId ? { campaignId } : {}) },
      _count: { _all: true },
    });

    // Per (day, channel), and the whole range (the empty grouping set: distinct leads contacted).
    const touchRows = await tx.$queryRaw<TouchRow[]>`
      SELECT to_char(t.sent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, t.channel::text AS channel,
             count(*)::int AS sent,
             count(DISTINCT t.lead_id)::int AS contacted,
             count(*) FILTER (WHERE t.channel = 'email' AND t.outcome ? 'bounce')::int AS bounced,
             count(*) FILTER (WHERE t.channel = 'email' AND t.outcome ? 'complaint')::int AS complaints
        FROM touches t
       WHERE t.client_id = ${clientId}::uuid AND t.sent_at >= ${since} AND t.sent_at < ${until} ${inCampaign('t')}
       GROUP BY GROUPING SETS ((to_char(t.sent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), t.channel), ())`;

    const replyRows = await tx.$queryRaw<ReplyRow[]>`
      SELECT to_char(m.at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
             count(DISTINCT m.lead_id)::int AS replies,
             count(DISTINCT m.lead_id) FILTER (WHERE m.intent = 'interested')::int AS positive
        FROM messages m JOIN leads l ON l.id = m.lead_id
       WHERE m.client_id = ${clientId}::uuid AND m.direction = 'inbound' AND m.kind = 'reply'
         AND m.at >= ${since} AND m.at < ${until} ${inCampaign('l')}
       GROUP BY GROUPING SETS ((to_char(m.at AT TIME ZONE 'UTC', 'YYYY-MM-DD')), ())`;

    const [meetingRow] = await tx.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n
        FROM meetings mt JOIN leads l ON l.id = mt.lead_id
       WHERE mt.client_id = ${clientId}::uuid AND mt.status = 'booked'
         AND mt.created_at >= ${since} AND mt.created_at < ${until} ${inCampaign('l')}`;

    return assemble(range, leadGroups, touchRows, replyRows, meetingRow?.n ?? 0);
  });
}

function assemble(
  range: DayRange,
  leadGroups: { tier: string | null; status: string; _count: { _all: number } }[],
  touchRows: TouchRow[],
  replyRows: ReplyRow[],
  meetings: number,
): Overview {
  const byTier: Record<string, number> = Object.fromEntries(REPORT_TIERS.map((t) => [t, 0]));
  const byStatus: Record<string, number> = Object.fromEntries(LEAD_STATUSES.map((s) => [s, 0]));
  let total = 0;
  for (const g of leadGroups) {
    const n = g._count._all;
    total += n;
    const tier = g.tier ?? 'unscored';
    byTier[tier] = (byTier[tier] ?? 0) + n;
    byStatus[g.status] = (byStatus[g.status] ?? 0) + n;
  }

  const days = daysOf(range);
  const perDay = new Map(days.map((d) => [d, { day: d, ...zeroChannels() }]));
  const sentByChannel = zeroChannels();
  let sent = 0;
  let contacted = 0;
  let bounces = 0;
  let complaints = 0;
  for (const r of touchRows) {
    if (r.day === null) {
      contacted = r.contacted; // the whole range
      continue;
    }
    const ch = r.channel!;
    const row = perDay.get(r.day);
    if (row) row[ch] += r.sent;
    sentByChannel[ch] += r.sent;
    sent += r.sent;
    bounces += r.bounced;
    complaints += r.complaints;
  }

  const repliesPerDay = new Map(days.map((d) => [d, { day: d, replies: 0, positive: 0 }]));
  let replies = 0;
  let positiveReplies = 0;
  for (const r of replyRows) {
    if (r.day === null) {
      replies = r.replies;
      positiveReplies = r.positive;
    } else {
      const row = repliesPerDay.get(r.day);
      if (row) Object.assign(row, { replies: r.replies, positive: r.positive });
    }
  }

  return {
    from: range.from,
    to: range.to,
    leads: { total, byTier, byStatus },
    touchesByDay: [...perDay.values()],
    totals: {
      sent,
      sentByChannel,
      contacted,
      replies,
      replyRate: rate(replies, contacted),
      positiveReplies,
      meetings,
      bounces,
      bounceRate: rate(bounces, sentByChannel.email),
      complaints,
      complaintRate: rate(complaints, sentByChannel.email),
    },
    repliesByDay: [...repliesPerDay.values()],
  };
}
