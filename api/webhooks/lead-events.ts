/**
 * Lead events from provider webhooks and the unsubscribe page (SYS-008, SM-003, VO-002, LI-002,
 * RFC 8058): each function records the fact on the lead in Postgres (the stop conditions the
 * sequence's activities re-check before every step), then signals the lead's workflow
 * `lead:{leadId}` so it reacts at once.
 *
 * - Every write is idempotent (a timestamp is set only when unset, suppressions are upserts), so
 *   a webhook whose dispatch failed half-way can be dispatched again safely.
 * - Signals carry the provider's event id; the workflow ignores an id it has already seen.
 * - A lead without a running workflow (never started, finished, or stopped) is not an error: the
 *   fact is recorded and its status updated here instead (the workflow would have done it).
 * - Suppressions are global (DOMAIN.md, cross-cutting protections): an opted-out or hard-bounced
 *   address or number is never contacted again by any client.
 *
 * Lookups run on the system path: a webhook does not know its tenant until the lead is found.
 */
import type { Client, SignalDefinition } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Db } from '../../db/client.js';
import type { Prisma as PrismaNs } from '../../generated/prisma/client.js';
import {
  bouncedSignal,
  callEndedSignal,
  linkedinAcceptedSignal,
  optedOutSignal,
  replyReceivedSignal,
  workflowIds,
  type Bounced,
  type CallEnded,
  type ChannelName,
  type LeadEventBase,
  type OptedOut,
  type ReplyReceived,
} from '../../workflows/contracts.js';

export interface LeadEventsDeps {
  db: Db;
  temporal: { client: Client };
}

/** What the webhooks need to know about a lead they found. */
export interface LeadRef {
  id: string;
  clientId: string;
  email: string | null;
  phoneE164: string | null;
  sequenceWorkflowId: string | null;
}

export interface OptOutEvent extends OptedOut {
  /** Where the opt-out came from (e.g. `twilio`, `unsubscribe_link`), kept on the suppressions. */
  source?: string;
}

export interface BounceEvent extends Bounced {
  /** The address that bounced (default: the lead's email). */
  address?: string;
  /** Message-ID of the email that bounced: its touch is marked. */
  messageId?: string;
  source?: string;
}

export interface ComplaintEvent extends LeadEventBase {
  /** The address that complained (default: the lead's email). */
  address?: string;
  /** Message-ID of the email reported as spam: its touch is marked (domain complaint rate, RP-009). */
  messageId?: string;
  source?: string;
}

export interface LinkedInAcceptedEvent extends LeadEventBase {
  /** The seat whose invitation was accepted (default: every invitation of the lead). */
  seatId?: string;
}

/** What became of an event: the workflow was signalled, it is not running, or there is no such lead. */
export type SignalResult = 'signalled' | 'no_workflow' | 'no_lead';

const leadSelect = { id: true, clientId: true, email: true, phoneE164: true, sequenceWorkflowId: true } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Message-IDs as stored on touches (`<local@domain>`), with and without angle brackets. */
function messageIdForms(ids: (string | undefined | null)[]): string[] {
  const out = new Set<string>();
  for (const raw of ids) {
    const v = raw?.trim().replace(/^<|>$/g, '');
    if (!v) continue;
    out.add(`<${v}>`);
    out.add(v);
  }
  return [...out];
}

export function createLeadEvents({ db, temporal }: LeadEventsDeps) {
  /** Signals `lead:{leadId}`; a workflow that does not exist or has closed is not an error. */
  async function signal<T>(leadId: string, def: SignalDefinition<[T]>, arg: T): Promise<SignalResult> {
    try {
      await temporal.client.workflow.getHandle(workflowIds.lead(leadId)).signal(def, arg);
      return 'signalled';
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return 'no_workflow';
      throw err;
    }
  }

  async function suppress(kind: 'email' | 'phone', value: string | null | undefined, reason: string, source?: string) {
    const v = kind === 'email' ? value?.trim().toLowerCase() : value?.trim();
    if (!v) return;
    // INSERT ... ON CONFLICT DO NOTHING: concurrent deliveries cannot collide; the first reason stands.
    await db.system.suppression.createMany({ data: [{ kind, value: v, reason, source: source ?? null }], skipDuplicates: true });
  }

  async function findLead(leadId: string): Promise<LeadRef | null> {
    if (!UUID.test(leadId)) return null;
    return db.system.lead.findUnique({ where: { id: leadId }, select: leadSelect });
  }

  /** Sets `field` to `at` when it is unset; true when this call set it. */
  async function stamp(leadId: string, field: 'optedOutAt' | 'repliedAt' | 'hardBouncedAt', at: string): Promise<boolean> {
    const when = new Date(at);
    const r = await db.system.lead.updateMany({
      where: { id: leadId, [field]: null },
      data: { [field]: Number.isNaN(when.getTime()) ? new Date() : when },
    });
    return r.count > 0;
  }

  /** The lead's status when no workflow is running to record it (finishLeadSequence does otherwise). */
  async function settleStatus(leadId: string, status: 'opted_out' | 'replied') {
    const keep: ('opted_out' | 'meeting_booked' | 'replied')[] =
      status === 'opted_out' ? ['opted_out'] : ['opted_out', 'meeting_booked', 'replied'];
    await db.system.lead.updateMany({ where: { id: leadId, status: { notIn: keep } }, data: { status } });
  }

  const events = {
    // ---- facts -------------------------------------------------------------------------------

    /** Adds an address or number to the global suppression list (idempotent; the first reason stands). */
    suppress,

    /**
     * The lead opted out (SMS STOP, unsubscribe link, email unsubscribe): every channel stops.
     * Sets optedOutAt, suppresses the lead's email and phone globally, signals optedOut.
     */
    async optOut(leadId: string, e: OptOutEvent): Promise<SignalResult> {
      const lead = await findLead(leadId);
      if (!lead) return 'no_lead';
      await stamp(lead.id, 'optedOutAt', e.at);
      await suppress('email', lead.email, `opted_out:${e.channel}`, e.source);
      await suppress('phone', lead.phoneE164, `opted_out:${e.channel}`, e.source);
      const payload: OptedOut = { eventId: e.eventId, at: e.at, channel: e.channel, reason: e.reason };
      const r = await signal(lead.id, optedOutSignal, payload);
      if (r === 'no_workflow') await settleStatus(lead.id, 'opted_out');
      return r;
    },

    /**
     * An opt-out word from a number (SM-003): every lead with that number, in every client, opts
     * out of every channel, and the number is suppressed globally even when no lead has it.
     */
    async optOutPhone(e164: string, e: OptOutEvent): Promise<string[]> {
      await suppress('phone', e164, `opted_out:${e.channel}`, e.source);
      const leads = await db.system.lead.findMany({ where: { phoneE164: e164 }, select: { id: true }, orderBy: { createdAt: 'asc' } });
      for (const lead of leads) await events.optOut(lead.id, e);
      return leads.map((l) => l.id);
    },

    /** The lead replied (any channel): the sequence stops (DOMAIN.md); reply handling comes next. */
    async replied(leadId: string, e: ReplyReceived): Promise<SignalResult> {
      const lead = await findLead(leadId);
      if (!lead) return 'no_lead';
      await stamp(lead.id, 'repliedAt', e.at);
      const payload: ReplyReceived = {
        eventId: e.eventId,
        at: e.at,
        channel: e.channel,
        ...(e.text !== undefined ? { text: e.text } : {}),
      };
      const r = await signal(lead.id, replyReceivedSignal, payload);
      if (r === 'no_workflow') await settleStatus(lead.id, 'replied');
      return r;
    },

    /**
     * An email bounced. Hard: hardBouncedAt, the address suppressed globally, the touch marked
     * failed; the workflow skips the remaining email steps. Soft: recorded on the touch only.
     */
    async bounced(leadId: string | null, e: BounceEvent): Promise<SignalResult> {
      const lead = leadId ? await findLead(leadId) : null;
      const address = e.address ?? lead?.email;
      if (e.hard) await suppress('email', address, 'hard_bounce', e.source);
      if (e.messageId) {
        const forms = messageIdForms([e.messageId]);
        const touches = await db.system.touch.findMany({
          where: { providerRef: { in: forms }, channel: 'email' },
          select: { id: true, outcome: true },
        });
        for (const t of touches) {
          const outcome = {
            ...((t.outcome as Record<string, unknown> | null) ?? {}),
            bounce: { hard: e.hard, at: e.at, eventId: e.eventId },
          };
          await db.system.touch.update({
            where: { id: t.id },
            data: { ...(e.hard ? { status: 'failed' as const } : {}), outcome: outcome as PrismaNs.InputJsonValue },
          });
        }
      }
      if (!lead) return 'no_lead';
      if (e.hard) await stamp(lead.id, 'hardBouncedAt', e.at);
      const payload: Bounced = { eventId: e.eventId, at: e.at, hard: e.hard };
      return signal(lead.id, bouncedSignal, payload);
    },

    /**
     * A spam complaint (feedback loop): the touch is marked (it counts in its domain's 30-day
     * complaint rate, RP-009 / ED-004), the address suppressed, and the lead opted out of every
     * channel.
     */
    async complained(leadId: string | null, e: ComplaintEvent): Promise<SignalResult> {
      const lead = leadId ? await findLead(leadId) : null;
      await suppress('email', e.address ?? lead?.email, 'complaint', e.source);
      if (e.messageId) {
        const touches = await db.system.touch.findMany({
          where: { providerRef: { in: messageIdForms([e.messageId]) }, channel: 'email' },
          select: { id: true, outcome: true },
        });
        for (const t of touches) {
          const outcome = { ...((t.outcome as Record<string, unknown> | null) ?? {}), complaint: { at: e.at, eventId: e.eventId } };
          await db.system.touch.update({ where: { id: t.id }, data: { outcome: outcome as PrismaNs.InputJsonValue } });
        }
      }
      if (!lead) return 'no_lead';
      return events.optOut(lead.id, {
        eventId: e.eventId,
        at: e.at,
        channel: 'email',
        reason: 'spam_complaint',
        ...(e.source ? { source: e.source } : {}),
      });
    },

    /**
     * A call ended (VO-002): the workflow records the outcome and decides about a retry. When no
     * workflow is running, the report is kept on the call's touch so it is not lost.
     */
    async callEnded(leadId: string, e: CallEnded): Promise<SignalResult> {
      const lead = await findLead(leadId);
      if (!lead) return 'no_lead';
      const r = await signal(lead.id, callEndedSignal, e);
      if (r === 'no_workflow') {
        const touch = await db.system.touch.findFirst({ where: { leadId: lead.id, channel: 'voice', providerRef: e.callId } });
        const outcome = (touch?.outcome as Record<string, unknown> | null) ?? {};
        if (touch && !outcome.call) {
          await db.system.touch.update({
            where: { id: touch.id },
            data: {
              status: e.outcome === 'failed' ? 'failed' : 'delivered',
              outcome: {
                ...outcome,
                phase: 'done',
                call: { ...e, transcript: undefined },
                transcript: e.transcript ?? null,
              } as PrismaNs.InputJsonValue,
            },
          });
        }
      }
      return r;
    },

    /** The lead accepted a LinkedIn invitation (LI-002): invitation state, then the signal. */
    async linkedinAccepted(leadId: string, e: LinkedInAcceptedEvent): Promise<SignalResult> {
      const lead = await findLead(leadId);
      if (!lead) return 'no_lead';
      const at = new Date(e.at);
      await db.system.linkedInInvitation.updateMany({
        where: { leadId: lead.id, ...(e.seatId ? { seatId: e.seatId } : {}), state: { not: 'accepted' } },
        data: { state: 'accepted', acceptedAt: Number.isNaN(at.getTime()) ? new Date() : at },
      });
      const payload: LeadEventBase = { eventId: e.eventId, at: e.at };
      return signal(lead.id, linkedinAcceptedSignal, payload);
    },

    /**
     * An SMS delivery report (Twilio status callback): the touch whose providerRef is the message
     * SID gets `outcome.delivery`, and status delivered/failed once the state is final. A late
     * non-final status never overwrites a final one. Returns false when no touch has that SID.
     */
    async smsStatus(
      messageSid: string,
      status: { state: 'pending' | 'delivered' | 'failed'; status: string; errorCode?: string; at: string; eventId: string },
    ): Promise<boolean> {
      const touch = await db.system.touch.findFirst({ where: { providerRef: messageSid, channel: 'sms' } });
      if (!touch) return false;
      const outcome = (touch.outcome as Record<string, unknown> | null) ?? {};
      const prev = outcome.delivery as { state?: string } | undefined;
      if (status.state === 'pending' && (prev?.state === 'delivered' || prev?.state === 'failed')) return true;
      const delivery = {
        state: status.state,
        status: status.status,
        at: status.at,
        eventId: status.eventId,
        ...(status.errorCode ? { errorCode: status.errorCode } : {}),
      };
      await db.system.touch.update({
        where: { id: touch.id },
        data: {
          ...(status.state !== 'pending' ? { status: status.state } : {}),
          outcome: { ...outcome, delivery } as PrismaNs.InputJsonValue,
        },
      });
      return true;
    },

    // ---- lookups -----------------------------------------------------------------------------

    /**
     * The lead a message from this number is about: the most recently started sequence with that
     * phone; when `to` (our number) is allocated to a client, that client's leads come first.
     */
    async leadByPhone(e164: string, opts: { to?: string } = {}): Promise<LeadRef | null> {
      const candidates = await db.system.lead.findMany({
        where: { phoneE164: e164, sequenceWorkflowId: { not: null } },
        select: { ...leadSelect, sequenceStartedAt: true },
        orderBy: [{ sequenceStartedAt: { sort: 'desc', nulls: 'last' } }, { createdAt: 'desc' }],
        take: 50,
      });
      if (!candidates.length) return null;
      let preferred: typeof candidates = [];
      if (opts.to) {
        const number = await db.system.phoneNumber.findUnique({ where: { e164: opts.to }, select: { id: true } });
        if (number) {
          const holders = await db.system.resourceAllocation.findMany({
            where: { resourceType: 'phone_number', resourceId: number.id, releasedAt: null },
            select: { clientId: true },
          });
          const clients = new Set(holders.map((h) => h.clientId));
          preferred = candidates.filter((c) => clients.has(c.clientId));
        }
      }
      const { sequenceStartedAt: _s, ...lead } = (preferred[0] ?? candidates[0])!;
      return lead;
    },

    /** The lead an email concerns, by the Message-ID of one of our emails (Touch.providerRef). */
    async leadByMessageId(...ids: (string | undefined | null)[]): Promise<LeadRef | null> {
      const forms = messageIdForms(ids);
      if (!forms.length) return null;
      const touch = await db.system.touch.findFirst({
        where: { providerRef: { in: forms }, channel: 'email' },
        orderBy: { createdAt: 'desc' },
        select: { leadId: true },
      });
      return touch ? findLead(touch.leadId) : null;
    },

    /** The most recently started sequence's lead with this email address (case-insensitive). */
    async leadByEmail(email: string): Promise<LeadRef | null> {
      const address = email.trim();
      if (!address) return null;
      return db.system.lead.findFirst({
        where: { email: { equals: address, mode: 'insensitive' }, sequenceWorkflowId: { not: null } },
        select: leadSelect,
        orderBy: [{ sequenceStartedAt: { sort: 'desc', nulls: 'last' } }, { createdAt: 'desc' }],
      });
    },

    /** The lead a LinkedIn member is for, through the seat (Unipile account) that invited them. */
    async leadByLinkedIn(accountRef: string, providerId: string): Promise<(LeadRef & { seatId: string }) | null> {
      const seat = await db.system.linkedInSeat.findUnique({ where: { accountRef }, select: { id: true } });
      if (!seat) return null;
      let inv = await db.system.linkedInInvitation.findFirst({
        where: { seatId: seat.id, providerId },
        orderBy: { sentAt: 'desc' },
        select: { leadId: true },
      });
      // An invitation whose profile lookup had not finished: the lead carries the provider id.
      inv ??= await db.system.linkedInInvitation.findFirst({
        where: { seatId: seat.id, lead: { linkedinProviderId: providerId } },
        orderBy: { sentAt: 'desc' },
        select: { leadId: true },
      });
      if (!inv) return null;
      const lead = await findLead(inv.leadId);
      return lead ? { ...lead, seatId: seat.id } : null;
    },

    /**
     * The lead of a Vapi call: `leadId` (and `clientId`, when present, must agree) from the
     * metadata we set when placing it; else the voice touch whose providerRef is the call id.
     */
    async leadFromCallMetadata(metadata: Record<string, string>, callId?: string): Promise<LeadRef | null> {
      const fromMeta = metadata.leadId ? await findLead(metadata.leadId) : null;
      if (fromMeta && (!metadata.clientId || metadata.clientId === fromMeta.clientId)) return fromMeta;
      if (!callId) return null;
      const touch = await db.system.touch.findFirst({ where: { providerRef: callId, channel: 'voice' }, select: { leadId: true } });
      return touch ? findLead(touch.leadId) : null;
    },
  };
  return events;
}

export type LeadEvents = ReturnType<typeof createLeadEvents>;
export type { ChannelName };
