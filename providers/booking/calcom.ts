/**
 * Cal.com webhooks (SYS-004, SYS-008; PROVIDERS.md 7, calcom/cal.com
 * packages/features/webhooks/lib/sendPayload.ts): signature, the zod schema of the body, and the
 * BookingEvent it means.
 *
 * Wire format (no custom payloadTemplate, which we never set): a JSON body
 * `{triggerEvent, createdAt, payload}` and `X-Cal-Signature-256` = hex(HMAC-SHA256(secret, body)),
 * or the literal `no-secret-provided` when the webhook has no secret (never accepted here).
 *
 * Payload facts used, as Cal.com's booking handlers build them:
 * - BOOKING_CREATED / BOOKING_RESCHEDULED: the CalendarEvent of the booking; `uid` is the new
 *   booking, and on a reschedule `rescheduleUid` names the booking it replaces (the confirmation
 *   path after payment or approval sends it as `rescheduleUid: booking.fromReschedule`).
 *   `metadata` merges the booking URL's `metadata[...]` parameters, hence `metadata.leadId`.
 * - BOOKING_CANCELLED: the cancelled booking's `uid` and `cancellationReason`.
 * - The booker is `attendees[0]`; further attendees are guests.
 * - Seated events send one BOOKING_CREATED per seat with the same `uid`, told apart by
 *   `attendeeSeatId`.
 * Other triggers (MEETING_ENDED, BOOKING_NO_SHOW_UPDATED, RECORDING_READY, PING, OOO_CREATED,
 * ...) carry other shapes: they are accepted as any object and normalised to kind 'other'.
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { compact, hexDigestEquals, singleHeader, text, toUtcIso, type BookingEvent, type BookingHeaders } from './types.js';

export const CALCOM_SIGNATURE_HEADER = 'x-cal-signature-256';
/** What Cal.com sends in the signature header when the webhook has no secret. */
export const CALCOM_NO_SECRET = 'no-secret-provided';

/** The triggers we act on: their payload must be a complete booking, or the delivery is refused. */
export const CALCOM_BOOKING_TRIGGERS = ['BOOKING_CREATED', 'BOOKING_RESCHEDULED', 'BOOKING_CANCELLED'] as const;
export type CalcomBookingTrigger = (typeof CALCOM_BOOKING_TRIGGERS)[number];

const isBookingTrigger = (t: string): t is CalcomBookingTrigger => (CALCOM_BOOKING_TRIGGERS as readonly string[]).includes(t);

/** hex(HMAC-SHA256(secret, rawBody)), or `no-secret-provided` for an empty secret, as Cal.com signs. */
export function signCalcomBody(secret: string, rawBody: Buffer | string): string {
  if (!secret) return CALCOM_NO_SECRET;
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/**
 * True when `x-cal-signature-256` is the HMAC of these exact bytes under `secret`. Constant-time;
 * an empty or `no-secret-provided` secret or header, a missing or repeated header never verifies.
 */
export function verifyCalcomSignature(input: { rawBody: Buffer | string; headers: BookingHeaders; secret: string | undefined }): boolean {
  const { rawBody, headers, secret } = input;
  if (!secret || secret === CALCOM_NO_SECRET) return false;
  const presented = singleHeader(headers, CALCOM_SIGNATURE_HEADER)?.trim();
  if (!presented || presented === CALCOM_NO_SECRET) return false;
  return hexDigestEquals(presented, signCalcomBody(secret, rawBody));
}

// ---- Schemas ---------------------------------------------------------------------------------
// Loose objects: Cal.com adds fields over time; we check what we use and keep the rest.

/** Cal.com's dayjs `.format()`: `2026-12-01T10:00:00Z` or with an offset. */
const dateTime = z.iso.datetime({ offset: true });

const CalcomPersonSchema = z.looseObject({
  email: z.string(),
  name: z.string().nullish(),
  timeZone: z.string().nullish(),
  /** `{locale}` once serialised (the translate function is dropped by JSON). */
  language: z.unknown().optional(),
  utcOffset: z.number().nullish(),
});

/** The payload of a booking trigger (a CalendarEvent plus the booking's webhook fields). */
export const CalcomBookingPayloadSchema = z.looseObject({
  uid: z.string().min(1),
  type: z.string().nullish(),
  title: z.string().nullish(),
  description: z.string().nullish(),
  additionalNotes: z.string().nullish(),
  startTime: dateTime,
  endTime: dateTime,
  organizer: CalcomPersonSchema.extend({ id: z.number().nullish(), username: z.string().nullish() }).optional(),
  attendees: z.array(CalcomPersonSchema),
  responses: z.record(z.string(), z.unknown()).nullish(),
  userFieldsResponses: z.record(z.string(), z.unknown()).nullish(),
  location: z.string().nullish(),
  bookingId: z.number().nullish(),
  status: z.string().nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  rescheduleUid: z.string().nullish(),
  fromReschedule: z.string().nullish(),
  cancellationReason: z.string().nullish(),
  attendeeSeatId: z.string().nullish(),
});
export type CalcomBookingPayload = z.infer<typeof CalcomBookingPayloadSchema>;

/**
 * A Cal.com delivery. Any trigger is accepted with any object payload; the booking triggers we
 * act on must carry a complete booking, and their issues are reported under `payload.<field>`.
 */
export const CalcomWebhookSchema = z
  .looseObject({
    triggerEvent: z.string().min(1),
    createdAt: dateTime,
    payload: z.looseObject({}),
  })
  .superRefine((body, ctx) => {
    if (!isBookingTrigger(body.triggerEvent)) return;
    const booking = CalcomBookingPayloadSchema.safeParse(body.payload);
    if (booking.success) return;
    for (const issue of booking.error.issues) {
      ctx.addIssue({ code: 'custom', path: ['payload', ...issue.path], message: `${body.triggerEvent}: ${issue.message}` });
    }
  });
export type CalcomWebhook = z.infer<typeof CalcomWebhookSchema>;

// ---- Normalisation ---------------------------------------------------------------------------

function kindOf(trigger: string, previousUid: string | undefined): BookingEvent['kind'] {
  // A confirmed (approved or paid) reschedule arrives as BOOKING_CREATED naming the old booking.
  if (trigger === 'BOOKING_RESCHEDULED' || (trigger === 'BOOKING_CREATED' && previousUid)) return 'rescheduled';
  if (trigger === 'BOOKING_CREATED') return 'booked';
  if (trigger === 'BOOKING_CANCELLED') return 'cancelled';
  return 'other';
}

/** Cal.com's location is an app id (`integrations:daily`) when the join link is in metadata. */
function locationOf(p: CalcomBookingPayload): string | undefined {
  const location = text(p.location);
  const videoUrl = text(p.metadata?.videoCallUrl);
  return location?.startsWith('integrations:') && videoUrl ? videoUrl : (location ?? videoUrl);
}

/** The BookingEvent a parsed Cal.com delivery means. Never throws on a CalcomWebhookSchema result. */
export function calcomBookingEvent(parsed: CalcomWebhook): BookingEvent {
  const trigger = parsed.triggerEvent;
  const occurredAt = toUtcIso(parsed.createdAt);
  const booking = CalcomBookingPayloadSchema.safeParse(parsed.payload);
  if (!booking.success) {
    // Not a booking shape (no-show, recording, out of office, ping): recorded, never acted on.
    const uid = text(parsed.payload.uid) ?? text(parsed.payload.bookingUid) ?? '';
    return {
      provider: 'calcom',
      eventId: `${trigger}:${uid}:${parsed.createdAt}`,
      kind: 'other',
      type: trigger,
      bookingUid: uid,
      attendee: {},
      occurredAt,
    };
  }
  const p = booking.data;
  const previousBookingUid = text(p.rescheduleUid) ?? text(p.fromReschedule);
  const kind = kindOf(trigger, previousBookingUid);
  const seat = text(p.attendeeSeatId);
  // A booking is created, rescheduled into or cancelled once (per seat), so the trigger and uid
  // name the change; other triggers can repeat for one booking (no-show set and unset), so their
  // send time is part of the key (Cal.com keeps it on a retried delivery).
  const eventId = kind === 'other' ? `${trigger}:${p.uid}:${parsed.createdAt}` : [trigger, p.uid, seat].filter(Boolean).join(':');
  const booker = p.attendees[0];
  return compact<BookingEvent>({
    provider: 'calcom',
    eventId,
    kind,
    type: trigger,
    bookingUid: p.uid,
    previousBookingUid: kind === 'rescheduled' ? previousBookingUid : undefined,
    startsAt: toUtcIso(p.startTime),
    endsAt: toUtcIso(p.endTime),
    title: text(p.title),
    attendee: compact({ email: text(booker?.email), name: text(booker?.name), timeZone: text(booker?.timeZone) }),
    organizerEmail: text(p.organizer?.email),
    leadToken: text(p.metadata?.leadId),
    location: locationOf(p),
    cancellationReason: kind === 'cancelled' ? text(p.cancellationReason) : undefined,
    occurredAt,
  });
}
