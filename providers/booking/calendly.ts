/**
 * Calendly webhooks (SYS-004, SYS-008; PROVIDERS.md 7, developer.calendly.com webhooks):
 * signature, the zod schema of the body, and the BookingEvent it means.
 *
 * Wire format: a JSON body `{event, created_at, created_by, payload}` and
 * `Calendly-Webhook-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(signing_key, t + '.' + body)>`.
 * A delivery signed more than `toleranceMs` (default 3 minutes) before our clock is a replay;
 * one signed as far ahead is refused too, so a captured or pre-signed delivery cannot wait.
 *
 * invitee.created / invitee.canceled carry the Invitee: `uri` (.../scheduled_events/<ev>/invitees/<id>),
 * `scheduled_event` (times, name, location, hosts), `tracking.utm_content` (the lead id the
 * booking link carried), `cancellation` on a cancel. A reschedule is two deliveries, in no
 * guaranteed order: invitee.canceled of the old invitee with `rescheduled: true` and
 * `new_invitee`, and invitee.created of the new one with `old_invitee`.
 *
 * The choice for the cancel half: kind 'other'. The created half alone carries the whole change
 * (new times, new invitee, the invitee it replaces), so it is the 'rescheduled' event; were the
 * cancel half 'cancelled', a consumer would close the deal the reschedule keeps, and were it
 * 'rescheduled' too, one change would arrive twice, once without the new time.
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { compact, hexDigestEquals, singleHeader, text, toUtcIso, type BookingEvent, type BookingHeaders } from './types.js';

export const CALENDLY_SIGNATURE_HEADER = 'calendly-webhook-signature';
/** How old (or how far ahead of our clock) a signature may be. */
export const CALENDLY_SIGNATURE_TOLERANCE_MS = 3 * 60_000;

/** The events we act on: their payload must be a complete Invitee, or the delivery is refused. */
export const CALENDLY_INVITEE_EVENTS = ['invitee.created', 'invitee.canceled'] as const;
export type CalendlyInviteeEvent = (typeof CALENDLY_INVITEE_EVENTS)[number];

const isInviteeEvent = (e: string): e is CalendlyInviteeEvent => (CALENDLY_INVITEE_EVENTS as readonly string[]).includes(e);

const hmacHex = (signingKey: string, t: string, rawBody: Buffer | string) =>
  createHmac('sha256', signingKey).update(`${t}.`).update(rawBody).digest('hex');

/** The Calendly-Webhook-Signature value Calendly would send for this body at `atMs` (tests, fakes). */
export function signCalendlyBody(signingKey: string, rawBody: Buffer | string, atMs: number): string {
  const t = String(Math.floor(atMs / 1000));
  return `t=${t},v1=${hmacHex(signingKey, t, rawBody)}`;
}

/** `t` and the `v1` signatures of the header; undefined when `t` is missing, repeated or not digits. */
function parseSignatureHeader(header: string): { t: string; v1: string[] } | undefined {
  const ts: string[] = [];
  const v1: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') ts.push(value);
    else if (key === 'v1') v1.push(value);
  }
  const [t] = ts;
  return ts.length === 1 && t !== undefined && /^\d{1,12}$/.test(t) ? { t, v1 } : undefined;
}

/**
 * True when the Calendly-Webhook-Signature header signs these exact bytes with `signingKey` at a
 * time within `toleranceMs` of `nowMs` either way. Constant-time compare; an empty key, a
 * missing, repeated or malformed header never verifies.
 */
export function verifyCalendlySignature(input: {
  rawBody: Buffer | string;
  headers: BookingHeaders;
  signingKey: string | undefined;
  /** Our clock, epoch milliseconds. */
  nowMs: number;
  toleranceMs?: number;
}): boolean {
  const { rawBody, headers, signingKey, nowMs, toleranceMs = CALENDLY_SIGNATURE_TOLERANCE_MS } = input;
  if (!signingKey) return false;
  const header = singleHeader(headers, CALENDLY_SIGNATURE_HEADER);
  const parsed = header ? parseSignatureHeader(header) : undefined;
  if (!parsed || parsed.v1.length === 0) return false;
  if (Math.abs(nowMs - Number(parsed.t) * 1000) > toleranceMs) return false;
  const expected = hmacHex(signingKey, parsed.t, rawBody);
  // Every candidate is compared (no early exit), as when a key is being rotated.
  return parsed.v1.map((v) => hexDigestEquals(v, expected)).some(Boolean);
}

// ---- Schemas ---------------------------------------------------------------------------------
// Loose objects: Calendly adds fields over time; we check what we use and keep the rest.

/** Calendly times: `2026-12-01T10:00:00.000000Z`. */
const dateTime = z.iso.datetime({ offset: true });

export const CalendlyScheduledEventSchema = z.looseObject({
  uri: z.string().min(1),
  name: z.string().nullish(),
  status: z.string().nullish(),
  start_time: dateTime,
  end_time: dateTime,
  event_type: z.string().nullish(),
  location: z.looseObject({ type: z.string().nullish(), location: z.string().nullish(), join_url: z.string().nullish() }).nullish(),
  event_memberships: z
    .array(z.looseObject({ user: z.string().nullish(), user_email: z.string().nullish(), user_name: z.string().nullish() }))
    .nullish(),
});

/** The Invitee of invitee.created / invitee.canceled. */
export const CalendlyInviteePayloadSchema = z.looseObject({
  uri: z.string().min(1),
  email: z.string(),
  name: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  status: z.string().nullish(),
  timezone: z.string().nullish(),
  event: z.string().nullish(),
  scheduled_event: CalendlyScheduledEventSchema,
  questions_and_answers: z.array(z.looseObject({ question: z.string().nullish(), answer: z.string().nullish() })).nullish(),
  tracking: z
    .looseObject({
      utm_campaign: z.string().nullish(),
      utm_source: z.string().nullish(),
      utm_medium: z.string().nullish(),
      utm_content: z.string().nullish(),
      utm_term: z.string().nullish(),
      salesforce_uuid: z.string().nullish(),
    })
    .nullish(),
  rescheduled: z.boolean().nullish(),
  old_invitee: z.string().nullish(),
  new_invitee: z.string().nullish(),
  cancellation: z
    .looseObject({ canceled_by: z.string().nullish(), reason: z.string().nullish(), canceler_type: z.string().nullish() })
    .nullish(),
  cancel_url: z.string().nullish(),
  reschedule_url: z.string().nullish(),
  created_at: dateTime.nullish(),
});
export type CalendlyInviteePayload = z.infer<typeof CalendlyInviteePayloadSchema>;

/**
 * A Calendly delivery. Any event is accepted with any object payload (no-shows, routing forms);
 * the invitee events we act on must carry a complete Invitee, with issues under `payload.<field>`.
 */
export const CalendlyWebhookSchema = z
  .looseObject({
    event: z.string().min(1),
    created_at: dateTime,
    created_by: z.string().nullish(),
    payload: z.looseObject({}),
  })
  .superRefine((body, ctx) => {
    if (!isInviteeEvent(body.event)) return;
    const invitee = CalendlyInviteePayloadSchema.safeParse(body.payload);
    if (invitee.success) return;
    for (const issue of invitee.error.issues) {
      ctx.addIssue({ code: 'custom', path: ['payload', ...issue.path], message: `${body.event}: ${issue.message}` });
    }
  });
export type CalendlyWebhook = z.infer<typeof CalendlyWebhookSchema>;

// ---- Normalisation ---------------------------------------------------------------------------

function kindOf(event: string, p: CalendlyInviteePayload): BookingEvent['kind'] {
  if (event === 'invitee.created') return text(p.old_invitee) ? 'rescheduled' : 'booked';
  if (event === 'invitee.canceled') return p.rescheduled ? 'other' : 'cancelled';
  return 'other';
}

/** The BookingEvent a parsed Calendly delivery means. Never throws on a CalendlyWebhookSchema result. */
export function calendlyBookingEvent(parsed: CalendlyWebhook): BookingEvent {
  const occurredAt = toUtcIso(parsed.created_at);
  const invitee = isInviteeEvent(parsed.event) ? CalendlyInviteePayloadSchema.safeParse(parsed.payload) : undefined;
  if (!invitee?.success) {
    // No-show marks, routing forms, ...: `invitee` names the invitee when there is one; these can
    // repeat for one invitee (no-show set, unset, set), so the webhook's time is part of the key.
    const uri = text(parsed.payload.uri) ?? '';
    return {
      provider: 'calendly',
      eventId: `${parsed.event}:${uri}:${parsed.created_at}`,
      kind: 'other',
      type: parsed.event,
      bookingUid: text(parsed.payload.invitee) ?? uri,
      attendee: {},
      occurredAt,
    };
  }
  const p = invitee.data;
  const kind = kindOf(parsed.event, p);
  const ev = p.scheduled_event;
  const where = ev.location;
  return compact<BookingEvent>({
    provider: 'calendly',
    // An invitee is created once and canceled once (a reschedule makes a new invitee), and a
    // redelivery carries the same body: the event and the invitee URI name the change.
    eventId: `${parsed.event}:${p.uri}`,
    kind,
    type: parsed.event,
    bookingUid: p.uri,
    previousBookingUid: kind === 'rescheduled' ? text(p.old_invitee) : undefined,
    startsAt: toUtcIso(ev.start_time),
    endsAt: toUtcIso(ev.end_time),
    title: text(ev.name),
    attendee: compact({ email: text(p.email), name: text(p.name), timeZone: text(p.timezone) }),
    organizerEmail: text(ev.event_memberships?.[0]?.user_email),
    leadToken: text(p.tracking?.utm_content),
    location: text(where?.join_url) ?? text(where?.location) ?? text(where?.type),
    cancellationReason: parsed.event === 'invitee.canceled' ? text(p.cancellation?.reason) : undefined,
    occurredAt,
  });
}
