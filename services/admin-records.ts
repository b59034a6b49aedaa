/**
 * Campaigns and leads across every client, for the admin console (SYS-006, SYS-007; system path,
 * admin only): filtered lists in keyset pages (newest first, by created time then id, so a page
 * never repeats or skips a row whatever is added meanwhile), and one lead with its touches.
 */
import type { Db } from '../db/client.js';
import type { CampaignStatus, LeadStatus, Prisma } from '../generated/prisma/client.js';

/** Where a page starts: after this row of the order (created time descending, then id descending). */
export interface PageAfter {
  createdAt: Date;
  id: string;
}

export interface CampaignFilter {
  clientId?: string;
  status?: CampaignStatus;
  limit: number;
  after?: PageAfter;
}

export interface LeadFilter {
  clientId?: string;
  campaignId?: string;
  status?: LeadStatus;
  tier?: string;
  /** A case-insensitive part of the address, first or last name, or company. */
  q?: string;
  limit: number;
  after?: PageAfter;
}

/** A page of rows and where the next starts (null: this was the last). */
export interface Page<T> {
  rows: T[];
  next: PageAfter | null;
}

/** Rows strictly after `after` in (createdAt desc, id desc) order. */
function afterClause(after: PageAfter | undefined) {
  if (!after) return {};
  return { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] };
}

function page<T extends { createdAt: Date; id: string }>(rows: T[], limit: number): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return { rows: kept, next: more && last ? { createdAt: last.createdAt, id: last.id } : null };
}

const ORDER = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];
const NAMES = { client: { select: { name: true } }, campaign: { select: { name: true } } } as const;

export function createAdminRecords(db: Db) {
  const s = db.system;
  return {
    system: {
      /** Campaigns of every client (or of one), newest first, with their client's name. */
      async campaigns(f: CampaignFilter) {
        const where: Prisma.CampaignWhereInput = {
          ...(f.clientId ? { clientId: f.clientId } : {}),
          ...(f.status ? { status: f.status } : {}),
          ...afterClause(f.after),
        };
        const rows = await s.campaign.findMany({
          where,
          orderBy: ORDER,
          take: f.limit + 1,
          select: {
            id: true,
            clientId: true,
            name: true,
            status: true,
            leadTotal: true,
            createdAt: true,
            client: { select: { name: true } },
          },
        });
        return page(rows, f.limit);
      },

      /** Leads of every client (or of one, or of one campaign), newest first, with their client's and campaign's names. */
      async leads(f: LeadFilter) {
        // Prisma passes `contains` into ILIKE as it is: its wildcards (% _) and escape (\) are taken literally here.
        const q = f.q ? { contains: f.q.replace(/[\\%_]/g, '\\$&'), mode: 'insensitive' as const } : undefined;
        const where: Prisma.LeadWhereInput = {
          ...(f.clientId ? { clientId: f.clientId } : {}),
          ...(f.campaignId ? { campaignId: f.campaignId } : {}),
          ...(f.status ? { status: f.status } : {}),
          ...(f.tier ? { tier: f.tier } : {}),
          ...(q ? { AND: [{ OR: [{ email: q }, { firstName: q }, { lastName: q }, { company: q }] }] } : {}),
          ...afterClause(f.after),
        };
        const rows = await s.lead.findMany({ where, orderBy: ORDER, take: f.limit + 1, include: NAMES });
        return page(rows, f.limit);
      },

      /** One lead of any client with its touches (in step order) and its client's and campaign's names; null when none. */
      lead: (id: string) =>
        s.lead.findUnique({
          where: { id },
          include: { ...NAMES, touches: { orderBy: [{ step: 'asc' }, { createdAt: 'asc' }] } },
        }),
    },
  };
}
export type AdminRecords = ReturnType<typeof createAdminRecords>;
