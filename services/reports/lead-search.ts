/**
 * Lead search across the client's campaigns (SYS-007), under row-level security: by campaign,
 * tier (or none yet), status, zone, a channel the lead was contacted on, and a case-insensitive
 * piece of its address, names or company; newest first, a page at a time by keyset (created time,
 * then id), so a page costs the same however deep it is.
 */
import type { Db } from '../../db/client.js';
import type { LeadStatus, Prisma } from '../../generated/prisma/client.js';
import type { ReportChannel } from './overview.js';

export interface LeadSearch {
  campaignId?: string;
  /** A tier (Hot, Warm, Cool, Cold, Dead) or `unscored` (no tier yet). */
  tier?: string;
  status?: string;
  /** The lead's IANA zone, exactly. */
  timezone?: string;
  /** The lead has a touch sent on this channel. */
  channel?: ReportChannel;
  /** A piece of the email, first name, last name or company, any case. */
  q?: string;
  limit: number;
  /** Where the previous page ended. */
  after?: LeadKey;
}

/** A lead's place in the order (newest first). */
export interface LeadKey {
  createdAt: Date;
  id: string;
}

const SELECT = {
  id: true,
  campaignId: true,
  campaign: { select: { name: true } },
  email: true,
  firstName: true,
  lastName: true,
  company: true,
  title: true,
  tier: true,
  score: true,
  status: true,
  timezone: true,
  phoneE164: true,
  repliedAt: true,
  optedOutAt: true,
  createdAt: true,
} as const;

export type FoundLead = Prisma.LeadGetPayload<{ select: typeof SELECT }>;

/** The leads of a search's page, and where the next page starts (null: none). Null when `campaignId` is not the client's. */
export async function searchLeads(db: Db, clientId: string, s: LeadSearch): Promise<{ leads: FoundLead[]; next: LeadKey | null } | null> {
  const and: Prisma.LeadWhereInput[] = [{ clientId }];
  if (s.campaignId) and.push({ campaignId: s.campaignId });
  if (s.tier) and.push({ tier: s.tier === 'unscored' ? null : s.tier });
  if (s.status) and.push({ status: s.status as LeadStatus });
  if (s.timezone) and.push({ timezone: s.timezone });
  if (s.channel) and.push({ touches: { some: { channel: s.channel, sentAt: { not: null } } } });
  if (s.q) {
    // Prisma's `contains` is ILIKE '%q%' without escaping: % and _ of the query would be wildcards.
    const contains = { contains: s.q.replace(/[\\%_]/g, '\\$&'), mode: 'insensitive' as const };
    and.push({ OR: [{ email: contains }, { firstName: contains }, { lastName: contains }, { company: contains }] });
  }
  if (s.after) {
    const { createdAt, id } = s.after;
    and.push({ OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }] });
  }
  return db.asTenant(clientId, async (tx) => {
    if (s.campaignId && !(await tx.campaign.findUnique({ where: { id: s.campaignId }, select: { id: true } }))) return null;
    const rows = await tx.lead.findMany({
      where: { AND: and },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: s.limit + 1,
      select: SELECT,
    });
    const leads = rows.slice(0, s.limit);
    const last = leads[leads.length - 1];
    return { leads, next: rows.length > s.limit && last ? { createdAt: last.createdAt, id: last.id } : null };
  });
}
