/**
 * What the client's CSV exports read (SYS-007): its leads and its touches, page by page by keyset,
 * each page in a short tenant transaction of its own (row-level security on), so an export of any
 * size holds neither a long transaction nor every row in memory.
 * - leads: by campaign, then list row (the unique (campaign, source row) key);
 * - touches: by the time the touch went out (sent_at, or for one that never did, when it was
 *   made), then id; the optional day range applies to that same time.
 */
import type { Db } from '../../db/client.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { DayRange } from './overview.js';

export interface LeadExportRow {
  id: string;
  campaignId: string;
  sourceRow: number;
  campaign: { name: string };
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  title: string | null;
  company: string | null;
  phoneE164: string | null;
  phoneRaw: string | null;
  timezone: string | null;
  tier: string | null;
  score: number | null;
  status: string;
  repliedAt: Date | null;
  optedOutAt: Date | null;
}

export interface TouchExportRow {
  id: string;
  lead_id: string;
  email: string | null;
  step: number;
  channel: string;
  status: string;
  planned_at: Date | null;
  sent_at: Date | null;
  provider: string | null;
  provider_ref: string | null;
  at: Date;
}

export const EXPORT_PAGE_SIZE = 500;

const DAY_MS = 86_400_000;

export function createExports(db: Db, clientId: string) {
  /** False when `campaignId` is given and is not one of the client's campaigns. */
  const campaignVisible = async (campaignId?: string) =>
    !campaignId ||
    Boolean(await db.asTenant(clientId, (tx) => tx.campaign.findUnique({ where: { id: campaignId }, select: { id: true } })));

  return {
    /** The client's (or the campaign's) leads, a page at a time; null when the campaign is not the client's. */
    async leads(o: { campaignId?: string; pageSize?: number } = {}): Promise<AsyncIterable<LeadExportRow[]> | null> {
      if (!(await campaignVisible(o.campaignId))) return null;
      const take = o.pageSize ?? EXPORT_PAGE_SIZE;
      return (async function* pages() {
        let after: { campaignId: string; sourceRow: number } | undefined;
        for (;;) {
          const page: LeadExportRow[] = await db.asTenant(clientId, (tx) =>
            tx.lead.findMany({
              where: {
                clientId,
                ...(o.campaignId ? { campaignId: o.campaignId } : {}),
                ...(after
                  ? { OR: [{ campaignId: { gt: after.campaignId } }, { campaignId: after.campaignId, sourceRow: { gt: after.sourceRow } }] }
                  : {}),
              },
              orderBy: [{ campaignId: 'asc' }, { sourceRow: 'asc' }],
              take,
              select: {
                id: true,
                campaignId: true,
                sourceRow: true,
                campaign: { select: { name: true } },
                email: true,
                firstName: true,
                lastName: true,
                title: true,
                company: true,
                phoneE164: true,
                phoneRaw: true,
                timezone: true,
                tier: true,
                score: true,
                status: true,
                repliedAt: true,
                optedOutAt: true,
              },
            }),
          );
          if (page.length) yield page;
          if (page.length < take) return;
          const last = page[page.length - 1]!;
          after = { campaignId: last.campaignId, sourceRow: last.sourceRow };
        }
      })();
    },

    /** The client's (or the campaign's) touches, a page at a time, optionally within a day range; null when the campaign is not the client's. */
    async touches(
      o: { campaignId?: string; range?: Partial<DayRange>; pageSize?: number } = {},
    ): Promise<AsyncIterable<TouchExportRow[]> | null> {
      if (!(await campaignVisible(o.campaignId))) return null;
      const take = o.pageSize ?? EXPORT_PAGE_SIZE;
      const since = o.range?.from ? new Date(`${o.range.from}T00:00:00.000Z`) : null;
      const until = o.range?.to ? new Date(new Date(`${o.range.to}T00:00:00.000Z`).getTime() + DAY_MS) : null;
      return (async function* pages() {
        let after: { at: Date; id: string } | null = null;
        for (;;) {
          const where: Prisma.Sql[] = [
            Prisma.sql`t.client_id = ${clientId}::uuid`,
            ...(o.campaignId ? [Prisma.sql`t.campaign_id = ${o.campaignId}::uuid`] : []),
            ...(since ? [Prisma.sql`COALESCE(t.sent_at, t.created_at) >= ${since}`] : []),
            ...(until ? [Prisma.sql`COALESCE(t.sent_at, t.created_at) < ${until}`] : []),
            ...(after ? [Prisma.sql`(COALESCE(t.sent_at, t.created_at), t.id) > (${after.at}::timestamptz, ${after.id}::uuid)`] : []),
          ];
          const page: TouchExportRow[] = await db.asTenant(
            clientId,
            (tx) =>
              tx.$queryRaw<TouchExportRow[]>`
              SELECT t.id::text AS id, t.lead_id::text AS lead_id, l.email, t.step, t.channel::text AS channel,
                     t.status::text AS status, t.planned_at, t.sent_at, t.provider, t.provider_ref,
                     COALESCE(t.sent_at, t.created_at) AS at
                FROM touches t JOIN leads l ON l.id = t.lead_id
               WHERE ${Prisma.join(where, ' AND ')}
               ORDER BY COALESCE(t.sent_at, t.created_at), t.id
               LIMIT ${take}`,
          );
          if (page.length) yield page;
          if (page.length < take) return;
          const last = page[page.length - 1]!;
          after = { at: last.at, id: last.id };
        }
      })();
    },
  };
}
