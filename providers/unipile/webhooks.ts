/**
 * Unipile webhooks (PROVIDERS.md section 4, SYS-008): secret-header verification, zod schemas of
 * the bodies we subscribe to, and a stable event id for de-duplicating redeliveries.
 *
 * Unipile signs nothing: when the webhook is created we register a header (`headers:
 * [{key:'Unipile-Auth', value: <secret>}]`) and compare it here in constant time. Unipile retries
 * a delivery up to 5 times when we do not answer 200 within 30 s, so handlers must be idempotent:
 * `describeUnipileEvent` gives the key to record.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

// ---- Secret header ---------------------------------------------------------------------------

/** Node's IncomingHttpHeaders, a Fetch `Headers`, or a plain record (any key case). */
export type HeaderSource = Headers | Record<string, string | string[] | undefined> | { get(name: string): string | null };

function readHeader(headers: HeaderSource, name: string): string | string[] | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    const v = (headers as { get(name: string): string | null }).get(name);
    return v ?? undefined;
  }
  const record = headers as Record<string, string | string[] | undefined>;
  if (name in record) return record[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(record)) if (key.toLowerCase() === lower) return record[key];
  return undefined;
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * True only when the request carries exactly one `headerName` header equal to `secret`.
 * Compared as SHA-256 digests with `timingSafeEqual`, so neither the content nor the length of
 * the secret leaks through timing. A missing, repeated or empty header, or an empty configured
 * secret, is false (never accept by misconfiguration).
 */
export function verifyUnipileSecret(input: { headers: HeaderSource; secret: string; headerName?: string }): boolean {
  const { headers, secret, headerName = 'unipile-auth' } = input;
  if (typeof secret !== 'string' || secret === '') return false;
  const value = readHeader(headers, headerName);
  if (value === undefined) return false;
  if (Array.isArray(value) && value.length !== 1) return false;
  const got = Array.isArray(value) ? value[0]! : value;
  if (got === '') return false;
  return timingSafeEqual(digest(got), digest(secret));
}

// ---- Bodies ----------------------------------------------------------------------------------
// Loose objects: Unipile adds fields over time; we validate what we use and keep the rest.

/** `new_relation` (source `users`): an invitation was accepted. Can arrive ~8 h late. */
export const UnipileNewRelationSchema = z.looseObject({
  event: z.literal('new_relation'),
  account_id: z.string().min(1),
  account_type: z.string().optional(),
  webhook_name: z.string().optional(),
  user_full_name: z.string().nullish(),
  user_provider_id: z.string().min(1),
  user_public_identifier: z.string().nullish(),
  user_profile_url: z.string().nullish(),
  user_picture_url: z.string().nullish(),
});
export type UnipileNewRelation = z.infer<typeof UnipileNewRelationSchema>;

export const UNIPILE_MESSAGE_EVENTS = [
  'message_received',
  'message_read',
  'message_reaction',
  'message_edited',
  'message_deleted',
  'message_delivered',
] as const;

const AttendeeSchema = z.looseObject({
  attendee_id: z.string().nullish(),
  attendee_name: z.string().nullish(),
  attendee_provider_id: z.string().nullish(),
  attendee_profile_url: z.string().nullish(),
});

/**
 * Messaging events (source `messaging`). They also fire for messages the account owner sent from
 * another device: `is_sender` (when present) or `account_info.user_id === sender.attendee_provider_id`
 * tells them apart (see `describeUnipileEvent().fromSelf`).
 */
export const UnipileMessageEventSchema = z.looseObject({
  event: z.enum(UNIPILE_MESSAGE_EVENTS),
  account_id: z.string().min(1),
  account_type: z.string().optional(),
  account_info: z.looseObject({ type: z.string().optional(), feature: z.string().optional(), user_id: z.string().nullish() }).optional(),
  webhook_name: z.string().optional(),
  chat_id: z.string().min(1),
  message_id: z.string().min(1),
  timestamp: z.string().nullish(),
  message: z.string().nullish(),
  sender: AttendeeSchema.extend({ attendee_provider_id: z.string().min(1) }),
  attendees: z.array(AttendeeSchema).optional(),
  attachments: z.array(z.unknown()).nullish(),
  is_sender: z.boolean().optional(),
  provider_chat_id: z.string().nullish(),
  provider_message_id: z.string().nullish(),
  subject: z.string().nullish(),
  reaction: z.string().nullish(),
  reaction_sender: AttendeeSchema.nullish(),
});
export type UnipileMessageEvent = z.infer<typeof UnipileMessageEventSchema>;

/** Known `AccountStatus.message` values (docs/account-lifecycle); others are accepted too. */
export const UNIPILE_ACCOUNT_STATUS_MESSAGES = [
  'OK',
  'ERROR',
  'STOPPED',
  'CREDENTIALS',
  'CONNECTING',
  'DELETED',
  'CREATION_SUCCESS',
  'RECONNECTED',
  'SYNC_SUCCESS',
] as const;

/** `account_status`: `{ AccountStatus: { account_id, account_type, message } }`. */
export const UnipileAccountStatusSchema = z.looseObject({
  AccountStatus: z.looseObject({
    account_id: z.string().min(1),
    account_type: z.string().optional(),
    message: z.string().min(1),
    timestamp: z.string().nullish(),
  }),
  timestamp: z.string().nullish(),
});
export type UnipileAccountStatus = z.infer<typeof UnipileAccountStatusSchema>;

export const UnipileWebhookSchema = z.union([UnipileNewRelationSchema, UnipileMessageEventSchema, UnipileAccountStatusSchema]);
export type UnipileWebhook = z.infer<typeof UnipileWebhookSchema>;

// ---- Event identity --------------------------------------------------------------------------

export interface UnipileEventDescription {
  /** Stable across redeliveries of the same event; record it (unique) before acting. */
  eventId: string;
  type: 'new_relation' | (typeof UNIPILE_MESSAGE_EVENTS)[number] | 'account_status';
  accountId: string;
  /** The LinkedIn member concerned: the new relation, or the message sender. */
  providerId?: string;
  chatId?: string;
  messageId?: string;
  /** Messaging: the account owner sent it (another device); do not treat it as a reply. */
  fromSelf?: boolean;
  /** account_status: the status message (OK, CREDENTIALS, ...). */
  status?: string;
  /**
   * account_status only: the payload has no event id and usually no timestamp, so the eventId is
   * the state itself (see describeUnipileEvent). Apply it as a state transition.
   */
  stateEvent?: boolean;
}

/**
 * The identity of a parsed webhook body. Ids are built only from fields a redelivery repeats
 * unchanged (Unipile resends the same body), never from receive time:
 *
 * - `new_relation:{account_id}:{user_provider_id}`: a seat and a member connect once; a duplicate
 *   acceptance notice is the same fact.
 * - `message:{account_id}:{message_id}` for message_received: Unipile's message id is unique; the
 *   account id is added because a group message seen by two of our seats is two events. Other
 *   messaging events on the same message are distinct facts, so they get their own prefix:
 *   `{event}:{account_id}:{message_id}` plus `:{reactor}:{reaction}` for reactions and
 *   `:{timestamp}` when present (a message can be edited or read more than once).
 * - `account_status:{account_id}:{message}[:{timestamp}]`: the payload carries no id and (today) no
 *   timestamp, so a redelivery and a genuine repeat of the same status (OK -> CREDENTIALS -> OK ->
 *   CREDENTIALS) cannot be told apart. Adding the receive time would defeat de-duplication, so we
 *   keep the state as the id and flag it `stateEvent`: consumers apply it as "set the seat's status"
 *   (idempotent; a duplicate is a no-op because the seat already has that status) rather than
 *   dropping it forever once seen. The timestamp is appended when Unipile sends one.
 */
export function describeUnipileEvent(body: UnipileWebhook): UnipileEventDescription {
  if ('AccountStatus' in body && body.AccountStatus) {
    const a = body as UnipileAccountStatus;
    const s = a.AccountStatus;
    const ts = s.timestamp ?? a.timestamp ?? undefined;
    return {
      eventId: `account_status:${s.account_id}:${s.message}${ts ? `:${ts}` : ''}`,
      type: 'account_status',
      accountId: s.account_id,
      status: s.message,
      stateEvent: true,
    };
  }
  const b = body as UnipileNewRelation | UnipileMessageEvent;
  if (b.event === 'new_relation') {
    return {
      eventId: `new_relation:${b.account_id}:${b.user_provider_id}`,
      type: 'new_relation',
      accountId: b.account_id,
      providerId: b.user_provider_id,
    };
  }
  const m = b as UnipileMessageEvent;
  const ownerId = m.account_info?.user_id ?? undefined;
  const fromSelf = m.is_sender === true || (ownerId !== undefined && ownerId === m.sender.attendee_provider_id);
  let eventId: string;
  if (m.event === 'message_received') eventId = `message:${m.account_id}:${m.message_id}`;
  else if (m.event === 'message_reaction')
    eventId = `message_reaction:${m.account_id}:${m.message_id}:${m.reaction_sender?.attendee_provider_id ?? ''}:${m.reaction ?? ''}`;
  else eventId = `${m.event}:${m.account_id}:${m.message_id}${m.timestamp ? `:${m.timestamp}` : ''}`;
  return {
    eventId,
    type: m.event,
    accountId: m.account_id,
    providerId: m.sender.attendee_provider_id,
    chatId: m.chat_id,
    messageId: m.message_id,
    fromSelf,
  };
}

/** Parses and describes in one go; `{ ok: false }` for bodies that match none of the schemas. */
export function parseUnipileWebhook(
  body: unknown,
): { ok: true; event: UnipileWebhook; description: UnipileEventDescription } | { ok: false; error: z.ZodError } {
  const r = UnipileWebhookSchema.safeParse(body);
  if (!r.success) return { ok: false, error: r.error };
  return { ok: true, event: r.data, description: describeUnipileEvent(r.data) };
}
