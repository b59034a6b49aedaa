/**
 * Answers (SYS-003, ED-005, SM-003): the content engine writes one for the reply, on the channel
 * the lead used (a call's reply by email, else SMS), checked before it goes (services/content.ts);
 * a person's own answer goes as written. Never to a person who opted out or is suppressed.
 *
 * Sent once: the outbound message is kept by its key before the provider call and marked
 * `sending`; a retried activity that finds it `sending` does not send again (the first attempt
 * may have reached the provider) and records it failed with `outcome_unknown_after_crash`.
 * Answers are not cold outreach: they take no cold-email or SMS cap and answer the person's own
 * message, so the once-a-day outreach rule does not hold them back.
 */
import { createHmac } from 'node:crypto';
import type { ChannelName } from '../../domain/processes.js';
import type { ReplyIntent } from '../../domain/reply-intent.js';
import { normalizeMessageId, replySubject } from '../../providers/email/headers.js';
import { ProviderError } from '../../providers/ports.js';
import type { MessageView } from '../../services/conversations.js';
import type { LeadContext } from '../../services/leads/sequence.js';
import { refusedBeforeActing } from '../../services/touches/ledger.js';
import { unsubscribeUrl } from '../../services/unsubscribe-links.js';
import { fullName } from '../lead-sequence/touch-draft.js';
import { factsOf } from '../lead-sequence/content.js';
import type { AnswerInput, ConversationDeps, ManualInput, SendOutcome } from './types.js';

type Delivery = { providerRef: string; meta: Record<string, unknown> };
/** A send made ready (sender, recipient, thread found): only the provider call is left. */
type Ready = { send: () => Promise<Delivery> };
type Refusal = { refused: string };

export function createAnswers({ services, providers, settings, content }: ConversationDeps) {
  const { conversations, suppression, touches, allocations, alerts, linkedin } = services;
  const { inventory } = services.pool;

  /** The channel an answer goes on: the lead's own, or for a call email, else SMS. */
  function channelFor(ctx: LeadContext, used: ChannelName): ChannelName | null {
    if (used === 'email') return ctx.lead.email ? 'email' : null;
    if (used === 'sms') return ctx.lead.phoneE164 ? 'sms' : null;
    if (used === 'linkedin') return 'linkedin';
    return ctx.lead.email ? 'email' : ctx.lead.phoneE164 ? 'sms' : null;
  }

  async function prepareEmail(
    ctx: LeadContext,
    key: string,
    inbound: MessageView | null,
    draft: { subject?: string | null; text: string },
  ): Promise<Ready | Refusal> {
    const { lead, client } = ctx;
    const held = await allocations.system.heldBy(client.id, 'mailbox');
    const first = await touches.forTenant(client.id).firstSentEmail(lead.id, 2_147_483_647);
    const firstEv = (first?.evidence ?? {}) as { mailboxId?: string; subject?: string };
    const mailboxes = await inventory.system.mailboxesWithDomains(held);
    const to = typeof inbound?.meta.to === 'string' ? inbound.meta.to.toLowerCase() : undefined;
    const mailbox = mailboxes.find((m) => m.email === to) ?? mailboxes.find((m) => m.id === firstEv.mailboxId) ?? mailboxes[0];
    if (!mailbox) return { refused: 'no_mailbox' };
    if (!providers.email.canSendFrom(mailbox.smtp)) return { refused: 'mailbox_without_smtp_credentials' };
    const parent =
      inbound?.channel === 'email' && inbound.providerMessageId.includes('@')
        ? normalizeMessageId(inbound.providerMessageId)
        : first?.providerRef;
    const earlier = Array.isArray(inbound?.meta.threadIds) ? (inbound.meta.threadIds as string[]).map(normalizeMessageId) : [];
    const references = [...new Set([...(first?.providerRef ? [first.providerRef] : []), ...earlier, ...(parent ? [parent] : [])])];
    const subject = replySubject(draft.subject || inbound?.subject || firstEv.subject || 'Your message');
    const messageId = `<${createHmac('sha256', 'answer').update(key).digest('hex').slice(0, 24)}.agencyos@${mailbox.email.split('@')[1]!}>`;
    const unsubscribe = unsubscribeUrl(settings.publicBaseUrl, settings.unsubscribeSecret, lead.id);
    const send = async () => {
      const sent = await providers.email.send({
        smtp: mailbox.smtp,
        from: { address: mailbox.email, name: mailbox.senderName ?? ctx.settings.senderName ?? client.name },
        to: { address: lead.email!, name: fullName(lead) },
        subject,
        text: `${draft.text}\n\nUnsubscribe: ${unsubscribe}`,
        messageId,
        ...(parent ? { inReplyTo: parent, references } : {}),
        headers: { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      });
      return {
        providerRef: sent.messageId,
        meta: { mailboxId: mailbox.id, from: mailbox.email, subject, inReplyTo: parent ?? null, response: sent.response },
      };
    };
    return { send };
  }

  async function prepareSms(ctx: LeadContext, inbound: MessageView | null, text: string): Promise<Ready | Refusal> {
    const numbers = await inventory.system.readyNumbers(await allocations.system.heldBy(ctx.client.id, 'phone_number'));
    const to = typeof inbound?.meta.to === 'string' ? inbound.meta.to : undefined;
    const from = numbers.find((n) => n.e164 === to) ?? numbers[0];
    if (!from) return { refused: 'no_sending_number' };
    return {
      send: async () => {
        const sent = await providers.sms.send({
          from: from.e164,
          to: ctx.lead.phoneE164!,
          body: text,
          statusCallback: `${settings.publicBaseUrl}/webhooks/twilio/status`,
        });
        return { providerRef: sent.sid, meta: { from: from.e164, numberId: from.id, numSegments: sent.numSegments } };
      },
    };
  }

  async function prepareLinkedIn(ctx: LeadContext, text: string): Promise<Ready | Refusal> {
    const conn = await linkedin.system.connectionOf(ctx.lead.id);
    if (!conn) return { refused: 'no_linkedin_connection' };
    return {
      send: async () => {
        const sent = await providers.linkedin.sendMessage({ accountId: conn.accountRef, attendeeProviderId: conn.providerId, text });
        return { providerRef: sent.messageId, meta: { chatId: sent.chatId, accountRef: conn.accountRef } };
      },
    };
  }

  /** Sends a kept outbound message once (see the file's comment). */
  async function deliver(ctx: LeadContext, out: MessageView, inbound: MessageView | null, nowMs: number): Promise<SendOutcome> {
    if (out.status === 'sent') return { status: 'sent', messageId: out.id, channel: out.channel };
    if (out.status === 'skipped' || out.status === 'failed')
      return { status: out.status, reason: out.reason ?? out.status, messageId: out.id };
    if (out.status === 'sending') {
      await conversations.system.markOutbound(out.id, 'failed', { reason: 'outcome_unknown_after_crash' });
      await alertUnanswered(ctx, out, 'outcome_unknown_after_crash: it may or may not have reached the lead');
      return { status: 'failed', reason: 'outcome_unknown_after_crash', messageId: out.id };
    }
    const stopped = await stopReason(ctx, out.channel);
    if (stopped) {
      await conversations.system.markOutbound(out.id, 'skipped', { reason: stopped });
      return { status: 'skipped', reason: stopped, messageId: out.id };
    }
    const ready =
      out.channel === 'email'
        ? await prepareEmail(ctx, out.providerMessageId, inbound, out)
        : out.channel === 'sms'
          ? await prepareSms(ctx, inbound, out.text)
          : await prepareLinkedIn(ctx, out.text);
    if ('refused' in ready) {
      await conversations.system.markOutbound(out.id, 'skipped', { reason: ready.refused });
      await alertUnanswered(ctx, out, ready.refused);
      return { status: 'skipped', reason: ready.refused, messageId: out.id };
    }
    // `sending` across the provider call: a retry that finds it so never calls again.
    await conversations.system.markOutbound(out.id, 'sending');
    let d: Delivery;
    try {
      d = await ready.send();
    } catch (err) {
      if (err instanceof ProviderError && !err.retryable) {
        // The provider refused it for good (a number it will not text, a bad address): recorded, a person told.
        const reason = `provider_refused: ${err.message}`.slice(0, 500);
        await conversations.system.markOutbound(out.id, 'failed', { reason });
        await alertUnanswered(ctx, out, reason);
        return { status: 'failed', reason, messageId: out.id };
      }
      // A refusal after which the provider certainly did nothing (429, an SMTP 4xx): ready again, the
      // retry sends. Anything else (a 5xx, a timeout, a reset) may come after the provider acted: it
      // stays `sending`, and the retry records the outcome unknown instead of sending twice.
      if (refusedBeforeActing(err)) await conversations.system.markOutbound(out.id, 'scheduled');
      throw err;
    }
    await conversations.system.markOutbound(out.id, 'sent', {
      at: new Date(nowMs),
      meta: { ...out.meta, providerRef: d.providerRef, ...d.meta },
    });
    return { status: 'sent', messageId: out.id, channel: out.channel };
  }

  /** Why nobody may write to this person now (opted out, suppressed), or null. */
  async function stopReason(ctx: LeadContext, channel: ChannelName): Promise<string | null> {
    const fresh = await services.leads.lookup.system.optOutState(ctx.lead.id);
    if (fresh?.optedOutAt) return 'opted_out';
    // The address an email goes to, the number an SMS goes to; LinkedIn reaches the person: either.
    const s = await suppression.system.check(ctx.lead.email, ctx.lead.phoneE164);
    const suppressed = channel === 'email' ? s.email : channel === 'sms' ? s.phone : s.email || s.phone;
    return suppressed ? 'suppressed' : null;
  }

  async function alertUnanswered(ctx: LeadContext, out: MessageView, reason: string) {
    await alerts.system.raise({
      kind: 'reply_not_answered',
      severity: 'warning',
      dedupeKey: `answer:${out.id}`,
      clientId: ctx.client.id,
      message: `${ctx.client.name}: the answer to lead ${ctx.lead.id} was not sent (${reason}); answer it by hand`,
      data: { leadId: ctx.lead.id, messageId: out.id, reason },
    });
  }

  const context = (clientId: string, leadId: string) => services.leads.sequence.forTenant(clientId).context(leadId);

  return {
    /** The engine's answer to an inbound message, when it is still the lead's newest. */
    async sendAnswer(input: AnswerInput): Promise<SendOutcome> {
      const ctx = await context(input.clientId, input.leadId);
      const inbound = await conversations.system.message(input.messageId);
      if (!inbound || inbound.leadId !== ctx.lead.id) return { status: 'skipped', reason: 'no_such_message' };
      const key = `answer:${inbound.id}`;
      const kept = await conversations.system.outboundByKey(key);
      if (kept) return deliver(ctx, kept, inbound, input.nowMs ?? Date.now());
      const thread = await conversations.system.thread(ctx.lead.id);
      const newest = await conversations.system.lastInbound(ctx.lead.id);
      if (newest && newest.id !== inbound.id) return { status: 'skipped', reason: 'newer_message' };
      const channel = channelFor(ctx, inbound.channel);
      if (!channel) return { status: 'skipped', reason: 'no_channel' };
      const composed = await content.compose({
        purpose: 'answer',
        channel,
        intent: (inbound.intent ?? 'other') as ReplyIntent,
        // SMS carries no link (SM-004): the booking link is offered by email and LinkedIn.
        facts: factsOf(ctx, { withBookingLink: channel !== 'sms' }),
        conversation: thread.map((m) => ({
          direction: m.direction,
          channel: m.channel,
          text: m.text,
          at: m.at.toISOString(),
          ...(m.subject ? { subject: m.subject } : {}),
        })),
      });
      const base = {
        clientId: ctx.client.id,
        leadId: ctx.lead.id,
        channel,
        kind: 'answer' as const,
        key,
        at: new Date(input.nowMs ?? Date.now()),
      };
      if (composed.status === 'skipped') {
        const out = await conversations.system.outbound({ ...base, writtenBy: 'content', text: '' });
        await conversations.system.markOutbound(out.id, 'skipped', { reason: composed.reason, meta: { failures: composed.failures } });
        await alertUnanswered(ctx, out, composed.reason);
        return { status: 'skipped', reason: composed.reason, messageId: out.id };
      }
      const out = await conversations.system.outbound({
        ...base,
        writtenBy: composed.engine,
        text: composed.draft.text,
        subject: composed.draft.subject ?? null,
        meta: { answers: inbound.id, intent: inbound.intent, notes: composed.notes },
      });
      return deliver(ctx, out, inbound, input.nowMs ?? Date.now());
    },

    /** A person's answer from the inbox, sent now on the channel asked for (else the lead's last one). */
    async sendManual(input: ManualInput): Promise<SendOutcome> {
      const ctx = await context(input.clientId, input.leadId);
      const inbound = await conversations.system.lastInbound(ctx.lead.id);
      const channel = input.reply.channel ?? channelFor(ctx, inbound?.channel ?? 'email');
      if (!channel || channel === 'voice') return { status: 'skipped', reason: 'no_channel' };
      const out = await conversations.system.outbound({
        clientId: ctx.client.id,
        leadId: ctx.lead.id,
        channel,
        kind: 'manual',
        key: `manual:${input.reply.requestId}`,
        writtenBy: 'manual',
        text: input.reply.text,
        subject: input.reply.subject ?? null,
        at: new Date(input.nowMs ?? Date.now()),
        meta: { by: input.reply.by },
      });
      return deliver(ctx, out, inbound, input.nowMs ?? Date.now());
    },
  };
}
