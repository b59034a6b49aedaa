/**
 * Finding the lead a provider event is about, and recording facts on it (system path: a webhook
 * does not know its tenant until the lead is found). Every write is idempotent: a timestamp is
 * set only when unset, a status only moves forward.
 */
import type { Db, SqlRead } from '../../db/client.js';
import type { Touches } from '../touches/index.js';

/** What the webhooks need to know about a lead they found. */
export interface LeadRef {
  id: string;
  clientId: string;
  email: string | null;
  phoneE164: string | null;
  sequenceWorkflowId: string | null;
  campaignId: string;
}

const leadSelect = { id: true, clientId: true, campaignId: true, email: true, phoneE164: true, sequenceWorkflowId: true } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A lead a message may be about, with the client holding the number or mailbox it reached (null: none). */
type Candidate = LeadRef & { holder: string | null };

/**
 * The leads in sequence with that number ($1), each with the client holding the number the message
 * reached ($2): one indexed query (leads.phone_e164, phone_numbers.e164). The most recently started
 * sequence first; at most 50.
 */
const BY_PHONE = `
  SELECT l.id::text AS id, l.client_id::text AS "clientId", l.campaign_id::text AS "campaignId", l.email, l.phone_e164 AS "phoneE164",
         l.sequence_workflow_id AS "sequenceWorkflowId",
         (SELECT a.client_id::text FROM phone_numbers n
            JOIN resource_allocations a ON a.resource_type = 'phone_number' AND a.resource_id = n.id AND a.released_at IS NULL
           WHERE n.e164 = $2 LIMIT 1) AS holder
    FROM leads l
   WHERE l.phone_e164 = $1 AND l.sequence_workflow_id IS NOT NULL
   ORDER BY l.sequence_started_at DESC NULLS LAST, l.created_at DESC
   LIMIT 50`;

/** The same by email address in any case ($1; index on lower(leads.email)) and the mailbox it reached ($2). */
const BY_EMAIL = `
  SELECT l.id::text AS id, l.client_id::text AS "clientId", l.campaign_id::text AS "campaignId", l.email, l.phone_e164 AS "phoneE164",
         l.sequence_workflow_id AS "sequenceWorkflowId",
         (SELECT a.client_id::text FROM mailboxes m
            JOIN resource_allocations a ON a.resource_type = 'mailbox' AND a.resource_id = m.id AND a.released_at IS NULL
           WHERE m.email = $2 LIMIT 1) AS holder
    FROM leads l
   WHERE lower(l.email) = lower($1) AND l.sequence_workflow_id IS NOT NULL
   ORDER BY l.sequence_started_at DESC NULLS LAST, l.created_at DESC
   LIMIT 50`;

/** The column of each fact (stamp). */
const FACT_COLUMN = {
  optedOutAt: 'opted_out_at',
  repliedAt: 'replied_at',
  hardBouncedAt: 'hard_bounced_at',
  meetingBookedAt: 'meeting_booked_at',
} as const;

export type LeadFact = keyof typeof FACT_COLUMN;

/**
 * The newest candidate, never another client's: the holder's when the message reached a number or
 * mailbox a client holds, else only when every candidate is one client's (ambiguous: none).
 */
function ofOneClient(candidates: Candidate[]): LeadRef | null {
  const holder = candidates[0]?.holder;
  const pool = holder ? candidates.filter((c) => c.clientId === holder) : candidates;
  if (!pool.length || new Set(pool.map((c) => c.clientId)).size > 1) return null;
  const { holder: _h, ...lead } = pool[0]!;
  return lead;
}

export function createLeadLookup(db: Db, deps: { touches: Touches }) {
  const system = {
    async byId(leadId: string): Promise<LeadRef | null> {
      if (!UUID.test(leadId)) return null;
      return db.system.lead.findUnique({ where: { id: leadId }, select: leadSelect });
    },

    /** When the lead opted out (null: it has not); null when there is no such lead. */
    async optOutState(leadId: string): Promise<{ id: string; optedOutAt: Date | null } | null> {
      if (!UUID.test(leadId)) return null;
      return db.system.lead.findUnique({ where: { id: leadId }, select: { id: true, optedOutAt: true } });
    },

    /**
     * The lead a message from this number is about, never another client's: when the message came
     * to one of our numbers (`to`), only the leads of the client holding that number; otherwise
     * only when every lead with that number is one client's. The most recently started sequence.
     */
    async byPhone(e164: string, opts: { to?: string } = {}): Promise<LeadRef | null> {
      return db.systemSql.read(system.byPhoneRead(e164, opts));
    },

    /** byPhone as a read another statement can carry (a webhook's record-once). */
    byPhoneRead(e164: string, opts: { to?: string } = {}): SqlRead<LeadRef | null> {
      return { text: BY_PHONE, params: [e164, opts.to ?? null], read: (rows) => ofOneClient(rows as unknown as Candidate[]) };
    },

    /** Every lead with this number, in every client, oldest first. */
    async allWithPhone(e164: string): Promise<string[]> {
      const leads = await db.system.lead.findMany({ where: { phoneE164: e164 }, select: { id: true }, orderBy: { createdAt: 'asc' } });
      return leads.map((l) => l.id);
    },

    /** The lead an email concerns, by the Message-ID of one of our emails. */
    async byMessageId(...ids: (string | undefined | null)[]): Promise<LeadRef | null> {
      const leadId = await deps.touches.system.leadOfEmail(ids);
      return leadId ? system.byId(leadId) : null;
    },

    /**
     * The lead an email from this address is about, never another client's: when it arrived in one
     * of our mailboxes, only the leads of the client holding that mailbox; otherwise only when every
     * lead with that address is one client's. The most recently started sequence (case-insensitive).
     */
    async byEmail(email: string, opts: { mailbox?: string } = {}): Promise<LeadRef | null> {
      const address = email.trim();
      if (!address) return null;
      return ofOneClient(await db.systemSql.query<Candidate>(BY_EMAIL, [address, opts.mailbox ? opts.mailbox.trim().toLowerCase() : null]));
    },

    /** The lead a LinkedIn member is for, through the seat (Unipile account) that invited them. */
    async byLinkedIn(accountRef: string, providerId: string): Promise<(LeadRef & { seatId: string }) | null> {
      const seat = await db.system.linkedInSeat.findUnique({ where: { accountRef }, select: { id: true } });
      if (!seat) return null;
      const newest = { orderBy: { sentAt: 'desc' as const }, select: { leadId: true } };
      let inv = await db.system.linkedInInvitation.findFirst({ where: { seatId: seat.id, providerId }, ...newest });
      // An invitation whose profile lookup had not finished: the lead carries the provider id.
      inv ??= await db.system.linkedInInvitation.findFirst({
        where: { seatId: seat.id, lead: { linkedinProviderId: providerId } },
        ...newest,
      });
      if (!inv) return null;
      const lead = await system.byId(inv.leadId);
      return lead ? { ...lead, seatId: seat.id } : null;
    },

    /**
     * The lead of a call: `leadId` (and `clientId`, when present, must agree) from the metadata we
     * set when placing it; else the voice touch whose providerRef is the call id.
     */
    async byCall(metadata: Record<string, string>, callId?: string): Promise<LeadRef | null> {
      const fromMeta = metadata.leadId ? await system.byId(metadata.leadId) : null;
      if (fromMeta && (!metadata.clientId || metadata.clientId === fromMeta.clientId)) return fromMeta;
      if (!callId) return null;
      const leadId = await deps.touches.system.leadOfCall(callId);
      return leadId ? system.byId(leadId) : null;
    },

    /**
     * Sets the fact's time when it is unset; true when this call set it. A reply is the newest
     * reply's time instead, and a newer reply holds the sequence again (its reply hold, which an
     * out-of-office's return date may have set, is cleared until the conversation decides).
     */
    async stamp(leadId: string, fact: LeadFact, at: string): Promise<boolean> {
      const when = new Date(at);
      const column = FACT_COLUMN[fact];
      const value = Number.isNaN(when.getTime()) ? new Date() : when;
      if (fact === 'repliedAt') {
        const changed = await db.systemSql.execute(
          `UPDATE leads SET replied_at = $1, reply_hold_until = NULL, updated_at = now()
            WHERE id = $2::uuid AND (replied_at IS NULL OR replied_at < $1)`,
          [value, leadId],
        );
        return changed > 0;
      }
      const changed = await db.systemSql.execute(
        `UPDATE leads SET ${column} = $1, updated_at = now() WHERE id = $2::uuid AND ${column} IS NULL`,
        [value, leadId],
      );
      return changed > 0;
    },

    /**
     * What the conversation decided about the reply hold (SYS-003): until a time (an out-of-office's
     * return; the steps' re-check lets the sequence go on from then), or for good (null). Only for
     * the newest reply: a reply newer than `repliedAt` keeps its own hold.
     */
    async setReplyHold(leadId: string, repliedAt: Date, until: Date | null): Promise<void> {
      await db.systemSql.execute(
        `UPDATE leads SET reply_hold_until = $1, updated_at = now() WHERE id = $2::uuid AND (replied_at IS NULL OR replied_at <= $3)`,
        [until, leadId, repliedAt],
      );
    },

    /** The lead's status when no workflow is running to record it (an opt-out outranks a reply). */
    async settleStatus(leadId: string, status: 'opted_out' | 'replied' | 'meeting_booked'): Promise<void> {
      const keep: ('opted_out' | 'meeting_booked' | 'replied')[] =
        status === 'opted_out'
          ? ['opted_out']
          : status === 'meeting_booked'
            ? ['opted_out', 'meeting_booked']
            : ['opted_out', 'meeting_booked', 'replied'];
      await db.system.lead.updateMany({ where: { id: leadId, status: { notIn: keep } }, data: { status } });
    },

    /** The workflow ids of the client's sequences that are running (churn pauses, resumes or cancels them). */
    async runningSequences(clientId: string): Promise<string[]> {
      const leads = await db.system.lead.findMany({
        where: { clientId, sequenceWorkflowId: { not: null }, status: 'in_sequence' },
        select: { sequenceWorkflowId: true },
      });
      return leads.map((l) => l.sequenceWorkflowId!);
    },
  };
  return { system };
}
export type LeadLookup = ReturnType<typeof createLeadLookup>;
