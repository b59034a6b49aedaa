/**
 * The sending platform's email events (Salesforge-style; SYS-008) at POST /webhooks/email.
 * Payload and secret: providers/email/inbound.ts (the field names there are an assumption to
 * verify against Salesforge's Swagger before going live).
 *
 * Authentication: no signature scheme is known, so the webhook URL carries an unguessable
 * secret, accepted as `?secret=` or an `x-webhook-secret` header. The secret comes from
 * `inboundEmailWebhookSecret(config)`; with none configured every request is 401.
 *
 * - email_replied, positive_reply, negative_reply -> a reply (channel 'email'): the sequence stops.
 * - email_bounced -> bounced (hard per bounceType / bounceCode; hard: hardBouncedAt, the address
 *   suppressed, the remaining email steps skipped).
 * - contact_unsubscribed -> opt-out (channel 'email'), the address suppressed even when no lead
 *   is found.
 * - spam_complaint -> the touch marked (domain complaint rate), the address suppressed, opt-out.
 * - email_sent, email_opened, link_clicked, label_changed: recorded only.
 * The lead is found through our Message-ID (In-Reply-To / References / Message-ID of the event),
 * else by the contact's address among leads with a sequence.
 */
import type { AppConfig } from '../../../config/index.js';
import { normalizeMessageId } from '../../../providers/email/headers.js';
import {
  InboundEmailEventSchema,
  describeInboundEmailEvent,
  verifyInboundEmailSecret,
  type InboundEmailEvent,
} from '../../../providers/email/inbound.js';
import type { WebhookProvider } from '../registry.js';
import type { ProviderWebhookOptions } from './twilio.js';
import type { LeadRef } from '../../../services/leads/lookup.js';

export const INBOUND_EMAIL_PATH = '/webhooks/email';

/** The inbound-email webhook secret (INBOUND_EMAIL_WEBHOOK_SECRET). */
export function inboundEmailWebhookSecret(config: Readonly<AppConfig>): string | undefined {
  return config.providers.forge.inboundEmailWebhookSecret;
}

export interface InboundEmailWebhookOptions extends ProviderWebhookOptions {
  /** Overrides inboundEmailWebhookSecret(config). */
  secret?: string;
}

const REPLY_TYPES = new Set(['email_replied', 'positive_reply', 'negative_reply']);
const ACTED_ON = new Set([...REPLY_TYPES, 'email_bounced', 'contact_unsubscribed', 'spam_complaint']);

export function inboundEmailWebhook({
  config,
  events,
  secret = inboundEmailWebhookSecret(config),
}: InboundEmailWebhookOptions): WebhookProvider<InboundEmailEvent, LeadRef | null> {
  return {
    provider: 'email',
    path: INBOUND_EMAIL_PATH,
    // An empty or missing secret never verifies (fail closed).
    verify: (req) => verifyInboundEmailSecret({ headers: req.headers, query: req.url, secret }),
    schema: InboundEmailEventSchema,
    describe: (payload) => ({ eventId: payload.id, type: payload.type, payload }),
    // The lead the message is about (by its thread, then its address), found while it is recorded.
    async prepare({ payload: e }) {
      const s = describeInboundEmailEvent(e);
      if (!ACTED_ON.has(s.type)) return null;
      const threadIds = [s.inReplyTo, ...(e.references ?? []).map(normalizeMessageId), s.messageId];
      return (await events.leadByMessageId(...threadIds)) ?? (await events.leadByEmail(s.email, s.mailbox ? { mailbox: s.mailbox } : {}));
    },
    async dispatch(event, lead) {
      const e = event.payload;
      const s = describeInboundEmailEvent(e);
      if (!ACTED_ON.has(s.type)) return; // recorded only
      const source = `email:${s.eventId}`;

      if (REPLY_TYPES.has(s.type)) {
        if (!lead) return;
        const text = 'replyText' in e && typeof e.replyText === 'string' ? e.replyText : undefined;
        const threadIds = [s.inReplyTo, ...(e.references ?? []).map(normalizeMessageId)].filter((x): x is string => Boolean(x));
        await events.replied(
          lead,
          { eventId: event.eventId, at: s.occurredAt, channel: 'email', ...(text !== undefined ? { text } : {}) },
          {
            provider: 'email',
            // The reply's own Message-ID is what an answer threads to; without one, the event's id keeps it once.
            providerMessageId: s.messageId ?? `event:${s.eventId}`,
            ...(typeof e.subject === 'string' ? { subject: e.subject } : {}),
            ...(threadIds.length ? { threadIds } : {}),
            ...(s.mailbox ? { to: s.mailbox } : {}),
          },
        );
        return;
      }
      if (s.type === 'email_bounced') {
        await events.bounced(lead, {
          eventId: event.eventId,
          at: s.occurredAt,
          hard: s.bounce === 'hard',
          address: s.email,
          ...(s.messageId ? { messageId: s.messageId } : {}),
          source,
        });
        return;
      }
      if (s.type === 'spam_complaint') {
        await events.complained(lead, {
          eventId: event.eventId,
          at: s.occurredAt,
          address: s.email,
          ...(s.messageId ? { messageId: s.messageId } : {}),
          source,
        });
        return;
      }
      // contact_unsubscribed
      await events.suppress('email', s.email, 'opted_out:email', source);
      if (lead)
        await events.optOut(lead, { eventId: event.eventId, at: s.occurredAt, channel: 'email', reason: 'email_unsubscribe', source });
    },
  };
}
