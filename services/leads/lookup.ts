/**
 * Finding the lead a provider event is about, and recording facts on it (system path: a webhook
 * does not know its tenant until the lead is found). Every write is idempotent: a timestamp is
 * set only when unset, a status only moves forward.
 */
import type { Db } from '../../db/client.js';
import type { Allocations } from '../allocations.js';
import type { Touches } from '../touches/index.js';

/** What the webhooks need to know about a lead they found. */
export interface LeadRef {
  id: string;
  clientId: string;
  email: string | null;
  phoneE164: string | null;
  sequenceWorkflowId: string | null;
}

const leadSelect = { id: true, clientId: true, email: true, phoneE164: true, sequenceWorkflowId: true } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const newestSequenceFirst = [{ sequenceStartedAt: { sort: 'desc', nulls: 'last' } }, { createdAt: 'desc' }] as const;

export type LeadFact = 'optedOutAt' | 'repliedAt' | 'hardBouncedAt';

export function createLeadLookup(db: Db, deps: { allocations: Allocations; touches: Touches }) {
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
     * The lead a message from this number is about: the most recently started sequence with that
     * phone; when `to` (our number) is allocated to a client, that client's leads come first.
     */
    async byPhone(e164: string, opts: { to?: string } = {}): Promise<LeadRef | null> {
      const candidates = await db.system.lead.findMany({
        where: { phoneE164: e164, sequenceWorkflowId: { not: null } },
        select: { ...leadSelect, sequenceStartedAt: true },
        orderBy: [...newestSequenceFirst],
        take: 50,
      });
      if (!candidates.length) return null;
      let preferred: typeof candidates = [];
      if (opts.to) {
        const number = await db.system.phoneNumber.findUnique({ where: { e164: opts.to }, select: { id: true } });
        if (number) {
          const holder = (await deps.allocations.system.holders('phone_number', [number.id])).get(number.id);
          preferred = candidates.filter((c) => c.clientId === holder);
        }
      }
      const { sequenceStartedAt: _s, ...lead } = (preferred[0] ?? candidates[0])!;
      return lead;
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

    /** The most recently started sequence's lead with this email address (case-insensitive). */
    async byEmail(email: string): Promise<LeadRef | null> {
      const address = email.trim();
      if (!address) return null;
      return db.system.lead.findFirst({
        where: { email: { equals: address, mode: 'insensitive' }, sequenceWorkflowId: { not: null } },
        select: leadSelect,
        orderBy: [...newestSequenceFirst],
      });
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

    /** Sets the fact's time when it is unset; true when this call set it. */
    async stamp(leadId: string, fact: LeadFact, at: string): Promise<boolean> {
      const when = new Date(at);
      const r = await db.system.lead.updateMany({
        where: { id: leadId, [fact]: null },
        data: { [fact]: Number.isNaN(when.getTime()) ? new Date() : when },
      });
      return r.count > 0;
    },

    /** The lead's status when no workflow is running to record it (an opt-out outranks a reply). */
    async settleStatus(leadId: string, status: 'opted_out' | 'replied'): Promise<void> {
      const keep: ('opted_out' | 'meeting_booked' | 'replied')[] =
        status === 'opted_out' ? ['opted_out'] : ['opted_out', 'meeting_booked', 'replied'];
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
