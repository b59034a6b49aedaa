/**
 * A message from a lead: kept on its conversation, its intent read (domain/reply-intent.ts), and
 * the intent's action applied (DOMAIN.md "Replies"): the lead suppressed, a person alerted, the
 * reply hold set on the lead row; the workflow then tells the sequence and sends the answer when due.
 * Every write is idempotent: a retried activity, or a redelivered message, decides the same again.
 */
import { DateTime } from 'luxon';
import { actionForIntent, answerSendTime, classifyReply, REPLY_INTENTS, type ReplyIntent } from '../../domain/reply-intent.js';
import { BadInput, NotFound } from '../../domain/failures.js';
import { readReferral } from '../../domain/referral.js';
import { metricLabel, repliesTotal } from '../../lib/metrics.js';
import type { MessageView } from '../../services/conversations.js';
import type { LeadContext } from '../../services/leads/sequence.js';
import type { ConversationDeps, ReceiveInput, ReclassifyInput, ReplyDecision } from './types.js';

/** An out-of-office without a readable return date holds the sequence this long. */
const OOO_DEFAULT_DAYS = 7;

const isIntent = (x: string): x is ReplyIntent => (REPLY_INTENTS as readonly string[]).includes(x);

export function createReceive({ services }: ConversationDeps) {
  const { conversations, suppression, alerts } = services;
  const lookup = services.leads.lookup.system;

  /** The out-of-office's return: the start of that day in the lead's zone, or a week after the message. */
  function returnAt(ctx: LeadContext, receivedAt: Date, returnDate?: string): Date {
    if (returnDate) {
      const d = DateTime.fromISO(returnDate, { zone: ctx.zone }).startOf('day');
      if (d.isValid && d.toMillis() > receivedAt.getTime()) return d.toJSDate();
    }
    return DateTime.fromJSDate(receivedAt, { zone: ctx.zone }).plus({ days: OOO_DEFAULT_DAYS }).startOf('day').toJSDate();
  }

  /** Applies the intent's action for this message; the same call again does nothing new. */
  async function apply(
    ctx: LeadContext,
    message: MessageView,
    intent: ReplyIntent,
    o: { returnDate?: string; by: string; nowMs?: number },
  ): Promise<ReplyDecision> {
    const { lead, client } = ctx;
    const action = actionForIntent(intent);
    const source = `conversation:${message.id}`;
    if (action.suppress) {
      await suppression.system.add('email', lead.email, `reply:${intent}`, source);
      await suppression.system.add('phone', lead.phoneE164, `reply:${intent}`, source);
    }
    // "Stop" in any words is an opt-out of every channel (SM-003), whatever channel it came on.
    if (intent === 'unsubscribe') await lookup.stamp(lead.id, 'optedOutAt', message.at.toISOString());
    // A referral names a person to write to instead: their lead, in this campaign (once per reply).
    let referral: ReplyDecision['referral'];
    if (action.createLead) {
      const named = readReferral(message.text, {
        leadEmail: lead.email,
        leadPhone: lead.phoneE164,
        leadCompanyDomain: lead.companyDomain,
        defaultCountry: ctx.location.country,
        ourDomains: await ourDomains(client.id),
      });
      if (named) {
        const made = await services.leads.referrals.system.addReferredLead(lead.id, message.id, named);
        if (made.created) referral = { leadId: made.leadId, campaignId: made.campaignId, sourceRow: made.sourceRow };
      }
    }
    const human = action.alertHuman || (action.createLead && !referral);
    if (human) {
      const what =
        intent === 'angry'
          ? 'an angry reply'
          : action.createLead
            ? 'a referral whose person could not be read (add them by hand)'
            : 'a reply the rules cannot place';
      await alerts.system.raise({
        kind: 'reply_needs_human',
        severity: intent === 'angry' ? 'critical' : 'warning',
        dedupeKey: `reply:${message.id}:${intent}`,
        clientId: client.id,
        message: `${client.name}: ${what} from lead ${lead.id} on ${message.channel}; see its conversation`,
        data: { leadId: lead.id, messageId: message.id, intent, by: o.by },
      });
    }
    let sequence: ReplyDecision['sequence'];
    if (action.sequence === 'stop') sequence = { decision: 'stop', reason: intent };
    else if (action.sequence === 'pause_until_return') {
      const until = returnAt(ctx, message.at, o.returnDate);
      await lookup.setReplyHold(lead.id, message.at, until);
      sequence = { decision: 'hold_until', untilMs: until.getTime(), reason: intent };
    } else sequence = { decision: 'hold', reason: intent };
    if (sequence.decision !== 'hold_until') await lookup.setReplyHold(lead.id, message.at, null);

    const answerAtMs = action.answer
      ? answerSendTime({
          receivedAt: Math.max(message.at.getTime(), o.nowMs ?? 0),
          seed: message.id,
          zone: ctx.zone,
          location: ctx.location,
          config: ctx.config,
        }).getTime()
      : undefined;
    const state = action.answer ? 'answering' : human ? 'needs_human' : action.sequence === 'stop' ? 'closed' : 'open';
    await conversations.system.setState(lead.id, state);
    return {
      messageId: message.id,
      duplicate: false,
      intent,
      sequence,
      ...(answerAtMs !== undefined ? { answerAtMs } : {}),
      human,
      ...(referral ? { referral } : {}),
    };
  }

  /** The domains of the client's mailboxes: an address there is ours, never a referral. */
  async function ourDomains(clientId: string): Promise<string[]> {
    const held = await services.allocations.system.heldBy(clientId, 'mailbox');
    const boxes = await services.pool.inventory.system.mailboxesWithDomains(held);
    return [...new Set(boxes.map((m) => m.email.split('@')[1]!.toLowerCase()))];
  }

  async function context(clientId: string, leadId: string): Promise<LeadContext> {
    return services.leads.sequence.forTenant(clientId).context(leadId);
  }

  return {
    /** Keeps the message, reads its intent and applies its action. */
    async receiveInbound(input: ReceiveInput): Promise<ReplyDecision> {
      const ctx = await context(input.clientId, input.leadId);
      const m = input.message;
      const c = classifyReply(m.text, { now: m.at, zone: ctx.zone, config: ctx.config });
      const at = new Date(m.at);
      const touchId = await services.touches.system.answeredTouch(
        ctx.lead.id,
        m.channel,
        Number.isNaN(at.getTime()) ? new Date() : at,
        m.threadIds,
      );
      const { message, duplicate } = await conversations.system.recordInbound(
        { id: ctx.lead.id, clientId: ctx.client.id, campaignId: ctx.lead.campaignId },
        m,
        {
          kind: m.auto || c.intent === 'out_of_office' ? 'auto_reply' : 'reply',
          intent: c.intent,
          confidence: c.confidence,
          touchId,
          meta: { matched: c.matched, alsoMatched: c.alsoMatched, ...(c.returnDate ? { returnDate: c.returnDate } : {}) },
        },
      );
      const intent = message.intent && isIntent(message.intent) ? message.intent : c.intent;
      // replies_total{intent,channel} (SYS-009): once per message (a redelivery or a retry finds it recorded).
      if (!duplicate) repliesTotal.inc({ intent, channel: metricLabel(m.channel) });
      // An auto-reply that is not an out-of-office (an autoresponder's "we got your message") is kept
      // and changes nothing: the sequence goes on, nobody is alerted, nothing answers it.
      if (m.auto && intent !== 'out_of_office') {
        await lookup.setReplyHold(ctx.lead.id, message.at, message.at);
        return { messageId: message.id, duplicate, intent, sequence: { decision: 'release', reason: 'auto_reply' }, human: false };
      }
      const returnDate = typeof message.meta.returnDate === 'string' ? message.meta.returnDate : c.returnDate;
      const decided = await apply(ctx, message, intent, {
        ...(returnDate ? { returnDate } : {}),
        by: 'rules',
        ...(input.nowMs ? { nowMs: input.nowMs } : {}),
      });
      return { ...decided, duplicate };
    },

    /** The lead had no sequence to hold (it ended, or never started): its status says it replied. */
    async settleReplied(input: { version: 1; leadId: string }): Promise<void> {
      await services.leadEvents.system.settleReplied(input.leadId);
    },

    /** A person says what a reply means: its intent is corrected and the new intent's action applied. */
    async reclassify(input: ReclassifyInput): Promise<ReplyDecision> {
      if (!isIntent(input.intent)) throw new BadInput(`unknown intent ${input.intent}`);
      const ctx = await context(input.clientId, input.leadId);
      const message = await conversations.system.message(input.messageId);
      if (!message || message.leadId !== ctx.lead.id || message.direction !== 'inbound') throw new NotFound(`message ${input.messageId}`);
      await conversations.system.setIntent(message.id, input.intent, 1, { ...message.meta, reclassifiedBy: input.by, was: message.intent });
      const returnDate = typeof message.meta.returnDate === 'string' ? message.meta.returnDate : undefined;
      return apply(ctx, message, input.intent, {
        ...(returnDate ? { returnDate } : {}),
        by: input.by,
        ...(input.nowMs ? { nowMs: input.nowMs } : {}),
      });
    },
  };
}
