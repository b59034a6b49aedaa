/**
 * Lead events from provider webhooks and the unsubscribe page (SYS-008, SM-003, VO-002, LI-002,
 * RFC 8058): each records the fact on the lead in Postgres (the stop conditions the sequence's
 * activities re-check before every step), then signals the lead's workflow `lead:{leadId}` so it
 * reacts at once.
 *
 * - Every write is idempotent (a timestamp is set only when unset, suppressions are upserts), so
 *   a webhook whose dispatch failed half-way can be dispatched again safely.
 * - Signals carry the provider's event id; the workflow ignores an id it has already seen.
 * - A lead without a running workflow (never started, finished, or stopped) is not an error: the
 *   fact is recorded and its status updated here instead (the workflow would have done it).
 * - Suppressions are global (DOMAIN.md, cross-cutting protections): an opted-out or hard-bounced
 *   address or number is never contacted again by any client.
 *
 * System path throughout: a webhook does not know its tenant until the lead is found.
 */
import {
  SIGNAL_NAMES,
  WORKFLOW_TYPES,
  workflowIds,
  type ConversationInput,
  type CrmSyncInput,
  type CrmSyncRequest,
  type InboundMessage,
  type Bounced,
  type CallEnded,
  type LeadEventBase,
  type OptedOut,
  type ReplyReceived,
} from '../domain/processes.js';
import type { LeadLookup, LeadRef } from './leads/lookup.js';
import type { BookingEvent } from '../providers/booking/types.js';
import type { Conversations } from './conversations.js';
import type { LinkedIn } from './linkedin.js';
import type { Meetings } from './meetings.js';
import type { Suppression } from './suppression.js';
import type { Touches } from './touches/index.js';
import type { WorkflowGateway } from './workflow-gateway.js';

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

/** Where a reply came from: the provider and its id of the message (kept once per pair), and what threads it. */
export type ReplyMessage = Pick<InboundMessage, 'provider' | 'providerMessageId' | 'subject' | 'threadIds' | 'to' | 'auto'>;

export interface LinkedInAcceptedEvent extends LeadEventBase {
  /** The seat whose invitation was accepted (default: every invitation of the lead). */
  seatId?: string;
}

/** The lead an event is about: as a lookup found it (not read again), or its id. */
export type LeadTarget = string | LeadRef;

/** What became of an event: the workflow was signalled, it is not running, or there is no such lead. */
export type SignalResult = 'signalled' | 'no_workflow' | 'no_lead';

export interface LeadEventsDeps {
  leads: LeadLookup;
  suppression: Suppression;
  touches: Touches;
  linkedin: LinkedIn;
  gateway: WorkflowGateway;
  meetings: Meetings;
  conversations: Conversations;
}

export function createLeadEvents({ leads, suppression, touches, linkedin, gateway, meetings, conversations }: LeadEventsDeps) {
  const lookup = leads.system;
  const suppress = suppression.system.add;
  const find = (target: LeadTarget): Promise<LeadRef | null> =>
    typeof target === 'string' ? lookup.byId(target) : Promise.resolve(target);

  /** Signals `lead:{leadId}`; a workflow that does not exist or has closed is not an error. */
  async function signal<T>(leadId: string, name: string, arg: T): Promise<SignalResult> {
    return (await gateway.signal(workflowIds.lead(leadId), name, arg)) === 'signalled' ? 'signalled' : 'no_workflow';
  }

  const events = {
    /** Adds an address or number to the global suppression list (idempotent; the first reason stands). */
    suppress,

    /**
     * The lead opted out (SMS STOP, unsubscribe link, email unsubscribe): every channel stops.
     * Sets optedOutAt, suppresses the lead's email and phone globally, signals optedOut.
     */
    async optOut(target: LeadTarget, e: OptOutEvent): Promise<SignalResult> {
      const lead = await find(target);
      if (!lead) return 'no_lead';
      await lookup.stamp(lead.id, 'optedOutAt', e.at);
      await suppress('email', lead.email, `opted_out:${e.channel}`, e.source);
      await suppress('phone', lead.phoneE164, `opted_out:${e.channel}`, e.source);
      const payload: OptedOut = { eventId: e.eventId, at: e.at, channel: e.channel, reason: e.reason };
      const r = await signal(lead.id, SIGNAL_NAMES.optedOut, payload);
      if (r === 'no_workflow') await lookup.settleStatus(lead.id, 'opted_out');
      return r;
    },

    /**
     * An opt-out word from a number (SM-003): every lead with that number, in every client, opts
     * out of every channel, and the number is suppressed globally even when no lead has it.
     */
    async optOutPhone(e164: string, e: OptOutEvent): Promise<string[]> {
      await suppress('phone', e164, `opted_out:${e.channel}`, e.source);
      const ids = await lookup.allWithPhone(e164);
      for (const id of ids) await events.optOut(id, e);
      return ids;
    },

    /**
     * The lead replied (any channel): the fact on the lead (every step re-checks it before sending:
     * nothing goes out after a reply whatever happens next) and the message to the lead's
     * conversation (`conversation:{leadId}`, started with it when none runs), which holds the
     * sequence at once (it relays replyReceived), reads the intent, decides the sequence's fate and
     * answers (SYS-003). Both at once, one Temporal call; the webhook is answered when both are done
     * (a failure answers 500 and the redelivery does them again: each is idempotent).
     */
    async replied(target: LeadTarget, e: ReplyReceived, m: ReplyMessage): Promise<SignalResult> {
      const lead = await find(target);
      if (!lead) return 'no_lead';
      const message: InboundMessage = { ...m, eventId: e.eventId, channel: e.channel, text: e.text ?? '', at: e.at };
      await Promise.all([
        lookup.stamp(lead.id, 'repliedAt', e.at),
        gateway.signalWithStart(
          WORKFLOW_TYPES.conversation,
          workflowIds.conversation(lead.id),
          [{ version: 1, clientId: lead.clientId, leadId: lead.id, campaignId: lead.campaignId } satisfies ConversationInput],
          SIGNAL_NAMES.inboundMessage,
          message,
        ),
      ]);
      return 'signalled';
    },

    /** A reply's lead had no sequence running to hold (ended, never started): its status says it replied. */
    settleReplied: (leadId: string) => lookup.settleStatus(leadId, 'replied'),

    /**
     * An email bounced. Hard: hardBouncedAt, the address suppressed globally, the touch marked
     * failed; the workflow skips the remaining email steps. Soft: recorded on the touch only.
     */
    async bounced(target: LeadTarget | null, e: BounceEvent): Promise<SignalResult> {
      const lead = target ? await find(target) : null;
      if (e.hard) await suppress('email', e.address ?? lead?.email, 'hard_bounce', e.source);
      if (e.messageId) await touches.system.annotateEmails(e.messageId, { bounce: { hard: e.hard, at: e.at, eventId: e.eventId } }, e.hard);
      if (!lead) return 'no_lead';
      if (e.hard) await lookup.stamp(lead.id, 'hardBouncedAt', e.at);
      const payload: Bounced = { eventId: e.eventId, at: e.at, hard: e.hard };
      return signal(lead.id, SIGNAL_NAMES.bounced, payload);
    },

    /**
     * A spam complaint (feedback loop): the touch is marked (it counts in its domain's 30-day
     * complaint rate, RP-009 / ED-004), the address suppressed, and the lead opted out of every
     * channel.
     */
    async complained(target: LeadTarget | null, e: ComplaintEvent): Promise<SignalResult> {
      const lead = target ? await find(target) : null;
      await suppress('email', e.address ?? lead?.email, 'complaint', e.source);
      if (e.messageId) await touches.system.annotateEmails(e.messageId, { complaint: { at: e.at, eventId: e.eventId } });
      if (!lead) return 'no_lead';
      return events.optOut(lead, {
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
    async callEnded(target: LeadTarget, e: CallEnded): Promise<SignalResult> {
      const lead = await find(target);
      if (!lead) return 'no_lead';
      const r = await signal(lead.id, SIGNAL_NAMES.callEnded, e);
      if (r === 'no_workflow') await touches.system.keepCallReport(lead.id, e);
      return r;
    },

    /** The lead accepted a LinkedIn invitation (LI-002): invitation state, then the signal. */
    async linkedinAccepted(target: LeadTarget, e: LinkedInAcceptedEvent): Promise<SignalResult> {
      const lead = await find(target);
      if (!lead) return 'no_lead';
      const at = new Date(e.at);
      await linkedin.system.markAccepted(lead.id, Number.isNaN(at.getTime()) ? new Date() : at, e.seatId);
      const payload: LeadEventBase = { eventId: e.eventId, at: e.at };
      return signal(lead.id, SIGNAL_NAMES.linkedinAccepted, payload);
    },

    /**
     * A booking changed (SYS-004): the meeting kept and the deal's stage settled; a booking (or a
     * reschedule) stops the sequence (meetingBooked) and marks the conversation booked; every
     * change is pushed to the client's CRM by `crm-sync:{leadId}` (started with the request).
     */
    async booking(target: LeadTarget, b: BookingEvent): Promise<SignalResult> {
      const lead = await find(target);
      if (!lead) return 'no_lead';
      await meetings.system.record(lead.id, b);
      let r: SignalResult = 'signalled';
      if (b.kind === 'booked' || b.kind === 'rescheduled') {
        await lookup.stamp(lead.id, 'meetingBookedAt', b.occurredAt);
        r = await signal(lead.id, SIGNAL_NAMES.meetingBooked, { eventId: b.eventId, at: b.occurredAt } satisfies LeadEventBase);
        if (r === 'no_workflow') await lookup.settleStatus(lead.id, 'meeting_booked');
        await conversations.system.setState(lead.id, 'booked');
      }
      await gateway.signalWithStart(
        WORKFLOW_TYPES.crmSync,
        workflowIds.crmSync(lead.id),
        [{ version: 1, clientId: lead.clientId, leadId: lead.id } satisfies CrmSyncInput],
        SIGNAL_NAMES.crmSync,
        { reason: `${b.provider}:${b.type}` } satisfies CrmSyncRequest,
      );
      return r;
    },

    /** The lead a booking is about: the booking it replaces or cancels, when we keep it. */
    leadOfBooking: meetings.system.leadOfBooking,

    /** An SMS delivery report (Twilio status callback) onto its touch; false when no touch has that SID. */
    smsStatus: touches.system.smsDelivery,

    // ---- lookups -----------------------------------------------------------------------------
    leadById: lookup.byId,
    leadByPhoneRead: lookup.byPhoneRead,
    leadByMessageId: lookup.byMessageId,
    leadByEmail: lookup.byEmail,
    leadByLinkedIn: lookup.byLinkedIn,
    leadFromCallMetadata: lookup.byCall,
  };
  return { system: events };
}

/** The system-path lead events (what the webhooks are given). */
export type LeadEvents = ReturnType<typeof createLeadEvents>['system'];
