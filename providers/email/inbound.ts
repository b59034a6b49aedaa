/**
 * The inbound-email webhook (SYS-008): sends, opens, clicks, replies, bounces and unsubscribes
 * reported by the sending platform, modelled on Salesforge's webhook events (PROVIDERS.md 5).
 *
 * ASSUMPTION, TO VERIFY against https://api.salesforge.ai/public/v2/swagger/doc.json before going
 * live: only the event type names come from (third-party) sources; the payload field names below
 * are our own guess of a flat JSON body. To tolerate the likely variations, the schema first
 * normalises the top-level keys: snake_case -> camelCase (`message_id` -> `messageId`,
 * `bounce_type` -> `bounceType`, `in_reply_to` -> `inReplyTo`, ...), `event` / `eventType` ->
 * `type`, `eventId` -> `id`, `email` -> `contactEmail`, an object `contact: { email }` ->
 * `contactEmail`, and an object `mailbox: { address | email }` -> `mailbox`. Unknown fields are kept.
 *
 *   {
 *     "id": "evt_01J...",                  // event id, unique per delivery (dedup key)  REQUIRED
 *     "type": "email_bounced",             // one of INBOUND_EMAIL_EVENT_TYPES           REQUIRED
 *     "timestamp": "2026-11-20T10:00:00Z", // ISO 8601 with offset, or epoch s / ms      REQUIRED
 *     "workspaceId": "wks_1", "sequenceId": "seq_1", "contactId": "ct_1",   // optional ids
 *     "contactEmail": "lead@example.com",  // the lead; else `from` (replies) or `to` (others)
 *     "mailbox": "anna@agency-mail.com",   // our sending mailbox
 *     "from": "...", "to": "...",          // addresses of the message concerned ("Name <a@b>" ok)
 *     "messageId": "<...>",                // Message-ID of the message concerned: ours for
 *                                          //   sent/opened/clicked/bounced, the reply's own for replies
 *     "inReplyTo": "<...>",                // replies: the Message-ID they answer (ours) -> the thread
 *     "references": ["<...>"],             // optional
 *     "subject": "...",
 *     "bounceType": "hard" | "soft",       // email_bounced (if absent: from bounceCode, else hard)
 *     "bounceCode": "5.1.1" | 550,         // email_bounced, optional
 *     "bounceReason": "...",               // email_bounced, optional
 *     "replyText": "...", "replyHtml": "...", // email_replied: replyText REQUIRED; optional on
 *                                          //   positive_reply / negative_reply
 *     "url": "https://...",                // link_clicked, optional
 *     "label": "Interested", "previousLabel": "..." // label_changed: label REQUIRED
 *   }
 *
 * Authentication: Salesforge has no confirmed signature scheme, so the webhook URL carries an
 * unguessable secret; verifyInboundEmailSecret accepts it as `?secret=` or as an
 * `x-webhook-secret` header and compares in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { normalizeMessageId } from './headers.js';

export const INBOUND_EMAIL_EVENT_TYPES = [
  'email_sent',
  'email_opened',
  'link_clicked',
  'email_replied',
  'email_bounced',
  'positive_reply',
  'negative_reply',
  'contact_unsubscribed',
  'label_changed',
  // Our name for a feedback-loop spam report (not in the third-party Salesforge list).
  'spam_complaint',
] as const;
export type InboundEmailEventType = (typeof INBOUND_EMAIL_EVENT_TYPES)[number];

/** Event types where the lead wrote to us (the lead is `from`). */
const REPLY_TYPES: ReadonlySet<InboundEmailEventType> = new Set(['email_replied', 'positive_reply', 'negative_reply']);

// ---- Field schemas ----------------------------------------------------------------------------

/** An address, also accepted as `Name <address>`; lower-cased. */
const Address = z.preprocess((v) => {
  if (typeof v !== 'string') return v;
  const m = /<([^<>]+)>\s*$/.exec(v);
  return (m ? m[1]! : v).trim().toLowerCase();
}, z.email());

/** A Message-ID with or without angle brackets; no whitespace. */
const MessageId = z
  .string()
  .trim()
  .min(3)
  .max(998)
  .regex(/^<?[^\s<>]+@[^\s<>]+>?$/, 'not a Message-ID (local@domain)');

const Timestamp = z
  .union([z.iso.datetime({ offset: true }), z.number().int().positive()])
  .transform((v) => new Date(typeof v === 'number' ? (v < 1e12 ? v * 1000 : v) : v).toISOString());

const base = {
  id: z.string().trim().min(1).max(255),
  timestamp: Timestamp,
  workspaceId: z.string().optional(),
  sequenceId: z.string().optional(),
  contactId: z.string().optional(),
  contactEmail: Address.optional(),
  mailbox: Address.optional(),
  from: Address.optional(),
  to: Address.optional(),
  messageId: MessageId.optional(),
  inReplyTo: MessageId.optional(),
  references: z.union([z.array(MessageId), MessageId.transform((s) => [s])]).optional(),
  subject: z.string().optional(),
};

const BounceType = z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), z.enum(['hard', 'soft']));

const SimpleEvent = z.looseObject({
  ...base,
  type: z.enum(['email_sent', 'email_opened', 'contact_unsubscribed', 'spam_complaint']),
});
const LinkClicked = z.looseObject({ ...base, type: z.literal('link_clicked'), url: z.string().optional() });
const Replied = z.looseObject({
  ...base,
  type: z.literal('email_replied'),
  replyText: z.string(),
  replyHtml: z.string().optional(),
});
const LabelledReply = z.looseObject({
  ...base,
  type: z.enum(['positive_reply', 'negative_reply']),
  replyText: z.string().optional(),
  replyHtml: z.string().optional(),
});
const Bounced = z.looseObject({
  ...base,
  type: z.literal('email_bounced'),
  bounceType: BounceType.optional(),
  bounceCode: z.union([z.string(), z.number()]).optional(),
  bounceReason: z.string().optional(),
});
const LabelChanged = z.looseObject({
  ...base,
  type: z.literal('label_changed'),
  label: z.string().min(1),
  previousLabel: z.string().optional(),
});

const KEY_ALIASES: Record<string, string> = { event: 'type', eventType: 'type', eventId: 'id', email: 'contactEmail' };

/** Top-level key normalisation (see the file comment). Pure; never throws. */
function normaliseKeys(input: unknown): unknown {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return input;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) out[key] = value;
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    const camel = key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    if (camel !== key && !(camel in out)) out[camel] = value;
  }
  for (const [alias, target] of Object.entries(KEY_ALIASES)) {
    if (alias in out && !(target in out)) out[target] = out[alias];
  }
  const contact = out.contact;
  if (!('contactEmail' in out) && contact && typeof contact === 'object' && 'email' in contact) {
    out.contactEmail = (contact as { email: unknown }).email;
  }
  const mailbox = out.mailbox;
  if (mailbox && typeof mailbox === 'object') {
    const m = mailbox as { address?: unknown; email?: unknown };
    out.mailbox = m.address ?? m.email;
  }
  return out;
}

export const InboundEmailEventSchema = z.preprocess(
  normaliseKeys,
  z.discriminatedUnion('type', [SimpleEvent, LinkClicked, Replied, LabelledReply, Bounced, LabelChanged]).superRefine((e, ctx) => {
    if (!leadAddress(e)) {
      ctx.addIssue({
        code: 'custom',
        path: [REPLY_TYPES.has(e.type) ? 'from' : 'to'],
        message: `no lead address: set contactEmail, or ${REPLY_TYPES.has(e.type) ? 'from (a reply comes from the lead)' : 'to'}`,
      });
    }
  }),
);

export type InboundEmailEvent = z.output<typeof InboundEmailEventSchema>;

function leadAddress(e: { type: InboundEmailEventType; contactEmail?: string; from?: string; to?: string }): string | undefined {
  return e.contactEmail ?? (REPLY_TYPES.has(e.type) ? e.from : e.to);
}

// ---- Describe -----------------------------------------------------------------------------------

export interface InboundEmailEventSummary {
  eventId: string;
  type: InboundEmailEventType;
  /** ISO 8601 UTC. */
  occurredAt: string;
  /** `<...>` form. Ours for sent/opened/clicked/bounced; the reply's own for replies. */
  messageId?: string;
  /** `<...>` form; for replies, our Message-ID they answer: finds the lead's thread. */
  inReplyTo?: string;
  /** The lead's address, lower-cased. */
  email: string;
  /** Our sending mailbox, when given. */
  mailbox?: string;
  /** Set on email_bounced only. */
  bounce?: 'hard' | 'soft';
}

/**
 * What the dispatcher needs from a parsed event. For a bounce without `bounceType`, the
 * `bounceCode` decides (4.x.x / 4xx soft, 5.x.x / 5xx hard); without either it counts as hard,
 * the cautious reading for domain health (DOMAIN.md: a hard bounce stops the email steps).
 */
export function describeInboundEmailEvent(e: InboundEmailEvent): InboundEmailEventSummary {
  const email = leadAddress(e);
  if (!email) throw new TypeError('describeInboundEmailEvent: event has no lead address (parse it with InboundEmailEventSchema first)');
  const summary: InboundEmailEventSummary = { eventId: e.id, type: e.type, occurredAt: e.timestamp, email };
  if (e.messageId) summary.messageId = normalizeMessageId(e.messageId);
  if (e.inReplyTo) summary.inReplyTo = normalizeMessageId(e.inReplyTo);
  if (e.mailbox) summary.mailbox = e.mailbox;
  if (e.type === 'email_bounced') summary.bounce = e.bounceType ?? bounceFromCode(e.bounceCode) ?? 'hard';
  return summary;
}

function bounceFromCode(code: string | number | undefined): 'hard' | 'soft' | undefined {
  const first = code === undefined ? '' : String(code).trim().charAt(0);
  return first === '4' ? 'soft' : first === '5' ? 'hard' : undefined;
}

// ---- Secret ---------------------------------------------------------------------------------------

export const INBOUND_EMAIL_SECRET_HEADER = 'x-webhook-secret';
export const INBOUND_EMAIL_SECRET_QUERY = 'secret';

export type HeaderBag = Record<string, string | string[] | undefined> | Headers;
/** A parsed query object, URLSearchParams, a full or relative URL (`/webhooks/email?secret=...`) or a query string. */
export type QueryInput = Record<string, unknown> | URLSearchParams | string | null | undefined;

/**
 * True when the request carries the configured secret, in the `x-webhook-secret` header or in the
 * `?secret=` query parameter (compared in constant time). An empty configured secret never
 * verifies (fail closed).
 */
export function verifyInboundEmailSecret(input: { headers?: HeaderBag; query?: QueryInput; secret: string | undefined }): boolean {
  const secret = input.secret ?? '';
  if (!secret) return false;
  const candidates = [headerValue(input.headers, INBOUND_EMAIL_SECRET_HEADER), queryValue(input.query, INBOUND_EMAIL_SECRET_QUERY)];
  let ok = false;
  // Check both (no early exit), so timing does not tell which place was tried.
  for (const c of candidates) if (c !== undefined && constantTimeEqual(c, secret)) ok = true;
  return ok;
}

function constantTimeEqual(a: string, b: string): boolean {
  // Hash first: timingSafeEqual needs equal lengths, and digests do not leak the secret's length.
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}

function first(v: unknown): string | undefined {
  const x = Array.isArray(v) ? v[0] : v;
  return typeof x === 'string' ? x : undefined;
}

function headerValue(headers: HeaderBag | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof Headers !== 'undefined' && headers instanceof Headers) return headers.get(name) ?? undefined;
  const bag = headers as Record<string, string | string[] | undefined>;
  for (const [k, v] of Object.entries(bag)) if (k.toLowerCase() === name) return first(v);
  return undefined;
}

function queryValue(query: QueryInput, name: string): string | undefined {
  if (query === null || query === undefined) return undefined;
  if (query instanceof URLSearchParams) return query.get(name) ?? undefined;
  if (typeof query === 'string') {
    const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(query) || query.startsWith('/') || query.includes('?');
    try {
      const params = isUrl ? new URL(query, 'http://localhost').searchParams : new URLSearchParams(query);
      return params.get(name) ?? undefined;
    } catch {
      return undefined;
    }
  }
  return first(query[name]);
}
