/**
 * Signed booking webhook deliveries as Cal.com and Calendly send them (SYS-004, SYS-008;
 * PROVIDERS.md 7), for unit tests of providers/booking and for end-to-end tests that POST them
 * to the app. Each builder returns the exact bytes and the headers (lower-case, as Node gives
 * them), signed here with node:crypto from the providers' documented formulas, not with the
 * adapter's own helpers, so the adapter is checked against the wire format:
 *
 *   const d = calcomDelivery({ secret, trigger: 'BOOKING_CREATED', uid, startTime, attendeeEmail, leadId });
 *   const d = calendlyDelivery({ signingKey, event: 'invitee.created', inviteeUri, email, utmContent, atMs });
 *   await app.inject({ method: 'POST', url, payload: d.rawBody, headers: d.headers });
 *
 * Shapes follow the sources:
 * - Cal.com (calcom/cal.com sendPayload.ts and the booking handlers): `{triggerEvent, createdAt,
 *   payload}`; booking triggers carry the CalendarEvent (organizer, attendees[0] the booker,
 *   responses as `{label, value}`, metadata with the booking URL's `metadata[...]` and the video
 *   link, rescheduleUid/rescheduleStartTime on a reschedule, cancellationReason/cancelledBy on a
 *   cancel). New bookings format times as `...Z` (dayjs utc), cancellations as `...+00:00`.
 *   A webhook without a secret sends `X-Cal-Signature-256: no-secret-provided`.
 * - Calendly (developer.calendly.com webhooks): `{created_at, created_by, event, payload}` with
 *   the Invitee (uri, scheduled_event, tracking, rescheduled/old_invitee/new_invitee,
 *   cancellation), microsecond timestamps, and `Calendly-Webhook-Signature: t=..,v1=..`.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';

export interface SignedDelivery {
  /** The exact bytes to POST (UTF-8 JSON). */
  rawBody: string;
  headers: Record<string, string>;
  /** The JSON value of rawBody, for assertions. */
  body: Record<string, unknown>;
}

const API = 'https://api.calendly.com';
const plus = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();
/** A stable short id derived from a seed, so a builder called twice gives the same bytes. */
const stableId = (seed: string, length = 16) => createHash('sha256').update(seed).digest('hex').slice(0, length);

// ---- Cal.com ---------------------------------------------------------------------------------

export const CALCOM_NO_SECRET_HEADER = 'no-secret-provided';

/** A Cal.com booking uid (Cal.com uses short random ids). */
export const calcomUid = () => randomUUID().replace(/-/g, '').slice(0, 22);

/** Signs any body (a string is sent as is) as Cal.com does: hex HMAC-SHA256 of the bytes. */
export function calcomSigned(secret: string | null, body: unknown): SignedDelivery {
  const rawBody = typeof body === 'string' ? body : JSON.stringify(body);
  const signature = secret ? createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex') : CALCOM_NO_SECRET_HEADER;
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(rawBody) as Record<string, unknown>;
  } catch {
    // a hostile body: rawBody is what matters
  }
  return { rawBody, headers: { 'content-type': 'application/json', 'x-cal-signature-256': signature }, body: parsed };
}

export interface CalcomDeliveryOptions {
  /** The webhook's secret; null or '' sends `no-secret-provided`, as Cal.com does. */
  secret: string | null;
  /** BOOKING_CREATED, BOOKING_RESCHEDULED, BOOKING_CANCELLED, BOOKING_REQUESTED, MEETING_ENDED, BOOKING_NO_SHOW_UPDATED, PING, ... */
  trigger: string;
  uid: string;
  /** ISO start; endTime defaults to 30 minutes later. */
  startTime: string;
  endTime?: string;
  attendeeEmail: string;
  attendeeName?: string;
  attendeeTimeZone?: string;
  organizerEmail?: string;
  organizerName?: string;
  /** Put into booking metadata as `leadId` (what `metadata[leadId]` on the booking URL becomes). */
  leadId?: string;
  /** On a reschedule: the uid of the booking it replaces (and its old times). */
  rescheduleUid?: string;
  rescheduleStartTime?: string;
  cancellationReason?: string;
  /** A seated event: the seat's reference uid. */
  attendeeSeatId?: string;
  /** When Cal.com sent it (default 2026-12-01T09:00:00.000Z). */
  createdAt?: string;
  /** Fields merged over the built payload (undefined removes one: JSON drops it), e.g. hostile variants. */
  payloadOverrides?: Record<string, unknown>;
}

const utcOffset = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).offset;
/** dayjs(date).format() on a UTC server, as Cal.com's cancellation handler sends times. */
const dayjsLocal = (iso: string) => `${new Date(iso).toISOString().slice(0, 19)}+00:00`;
/** dayjs(date).utc().format(), as new and rescheduled bookings send times. */
const dayjsUtc = (iso: string) => `${new Date(iso).toISOString().slice(0, 19)}Z`;

function calcomPayload(o: CalcomDeliveryOptions): Record<string, unknown> {
  const end = o.endTime ?? plus(o.startTime, 30);
  const cancelled = o.trigger === 'BOOKING_CANCELLED';
  const fmt = cancelled ? dayjsLocal : dayjsUtc;
  const name = o.attendeeName ?? 'Jane Lead';
  const zone = o.attendeeTimeZone ?? 'Australia/Sydney';
  const organizer = { email: o.organizerEmail ?? 'alex@client.example', name: o.organizerName ?? 'Alex Host' };
  const videoCallUrl = `https://app.cal.com/video/${o.uid}`;
  const bookingId = Number.parseInt(stableId(o.uid, 6), 16);
  if (o.trigger === 'BOOKING_NO_SHOW_UPDATED') {
    return {
      message: `${o.attendeeEmail} has been marked as no-show`,
      bookingUid: o.uid,
      bookingId,
      attendees: [{ email: o.attendeeEmail, noShow: true }],
    };
  }
  if (o.trigger === 'MEETING_ENDED' || o.trigger === 'MEETING_STARTED') {
    // Sent from the booking row, not a CalendarEvent.
    return {
      id: bookingId,
      uid: o.uid,
      title: `Intro call between ${organizer.name} and ${name}`,
      startTime: new Date(o.startTime).toISOString(),
      endTime: new Date(end).toISOString(),
      status: 'ACCEPTED',
      attendees: [{ id: bookingId + 1, email: o.attendeeEmail, name, timeZone: zone, locale: 'en', bookingId, noShow: false }],
      user: { ...organizer, timeZone: 'Australia/Sydney', username: 'alex' },
      metadata: { videoCallUrl },
    };
  }
  const payload: Record<string, unknown> = {
    type: 'intro-call',
    title: `Intro call between ${organizer.name} and ${name}`,
    description: '',
    additionalNotes: '',
    customInputs: {},
    startTime: fmt(o.startTime),
    endTime: fmt(end),
    organizer: {
      id: 7,
      ...organizer,
      username: 'alex',
      timeZone: 'Australia/Sydney',
      language: { locale: 'en' },
      timeFormat: 'h:mma',
      utcOffset: utcOffset(o.startTime, 'Australia/Sydney'),
    },
    responses: {
      name: { label: 'your_name', value: name },
      email: { label: 'email_address', value: o.attendeeEmail },
      location: { label: 'location', value: { optionValue: '', value: 'integrations:daily' } },
    },
    userFieldsResponses: {},
    attendees: [
      {
        email: o.attendeeEmail,
        name,
        firstName: '',
        lastName: '',
        timeZone: zone,
        language: { locale: 'en' },
        utcOffset: utcOffset(o.startTime, zone),
      },
    ],
    location: 'integrations:daily',
    destinationCalendar: null,
    hideCalendarNotes: false,
    requiresConfirmation: null,
    eventTypeId: 42,
    seatsShowAttendees: true,
    seatsPerTimeSlot: null,
    uid: o.uid,
    iCalUID: `${o.uid}@Cal.com`,
    videoCallData: { type: 'daily_video', id: o.uid, password: '', url: videoCallUrl },
    eventTitle: 'Intro call',
    eventDescription: null,
    price: 0,
    currency: 'usd',
    length: 30,
    bookingId,
    metadata: { videoCallUrl, ...(o.leadId !== undefined ? { leadId: o.leadId } : {}) },
    status: cancelled ? 'CANCELLED' : o.trigger === 'BOOKING_REQUESTED' ? 'PENDING' : 'ACCEPTED',
  };
  if (o.rescheduleUid) {
    payload.rescheduleId = bookingId - 1;
    payload.rescheduleUid = o.rescheduleUid;
    payload.rescheduleStartTime = dayjsUtc(o.rescheduleStartTime ?? plus(o.startTime, -24 * 60));
    payload.rescheduleEndTime = dayjsUtc(plus(o.rescheduleStartTime ?? plus(o.startTime, -24 * 60), 30));
    payload.rescheduledBy = o.attendeeEmail;
  }
  if (cancelled) {
    payload.cancellationReason = o.cancellationReason ?? null;
    payload.cancelledBy = o.attendeeEmail;
  }
  if (o.attendeeSeatId) payload.attendeeSeatId = o.attendeeSeatId;
  return payload;
}

/** A signed Cal.com delivery of `trigger` about booking `uid`. */
export function calcomDelivery(o: CalcomDeliveryOptions): SignedDelivery {
  let payload: Record<string, unknown> =
    o.trigger === 'PING'
      ? { type: 'Test', title: 'Test trigger event', startTime: dayjsUtc(o.startTime), endTime: dayjsUtc(plus(o.startTime, 30)) }
      : calcomPayload(o);
  if (o.payloadOverrides) payload = { ...payload, ...o.payloadOverrides };
  return calcomSigned(o.secret, { triggerEvent: o.trigger, createdAt: o.createdAt ?? '2026-12-01T09:00:00.000Z', payload });
}

// ---- Calendly --------------------------------------------------------------------------------

/** Calendly's timestamps: ISO with microseconds. */
const calendlyTime = (ms: number) => new Date(ms).toISOString().replace(/Z$/, '000Z');

/** A Calendly invitee URI (`.../scheduled_events/<event>/invitees/<invitee>`). */
export const calendlyInviteeUri = (eventUuid: string = randomUUID(), inviteeUuid: string = randomUUID()) =>
  `${API}/scheduled_events/${eventUuid}/invitees/${inviteeUuid}`;

/** Signs any body (a string is sent as is) as Calendly does: v1 = hex HMAC-SHA256 of `t.body`. */
export function calendlySigned(signingKey: string, body: unknown, atMs: number): SignedDelivery {
  const rawBody = typeof body === 'string' ? body : JSON.stringify(body);
  const t = Math.floor(atMs / 1000);
  const v1 = createHmac('sha256', signingKey).update(`${t}.${rawBody}`, 'utf8').digest('hex');
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(rawBody) as Record<string, unknown>;
  } catch {
    // a hostile body: rawBody is what matters
  }
  return { rawBody, headers: { 'content-type': 'application/json', 'calendly-webhook-signature': `t=${t},v1=${v1}` }, body: parsed };
}

export interface CalendlyDeliveryOptions {
  signingKey: string;
  /** invitee.created, invitee.canceled, invitee_no_show.created, ... */
  event: string;
  inviteeUri: string;
  email: string;
  name?: string;
  timezone?: string;
  /** tracking.utm_content: what `utm_content` on the booking link becomes. */
  utmContent?: string;
  /** invitee.canceled of a reschedule: true, with `newInvitee`. */
  rescheduled?: boolean;
  newInvitee?: string;
  /** invitee.created of a reschedule: the invitee it replaces. */
  oldInvitee?: string;
  cancelReason?: string;
  canceledBy?: string;
  /** ISO; default 2026-12-03T01:00:00Z, 30 minutes long. */
  startTime?: string;
  endTime?: string;
  hostEmail?: string;
  /** When Calendly signed and sent it (epoch ms). */
  atMs: number;
  /** Fields merged over the built payload (undefined removes one: JSON drops it), e.g. hostile variants. */
  payloadOverrides?: Record<string, unknown>;
}

function calendlyInvitee(o: CalendlyDeliveryOptions): Record<string, unknown> {
  const canceled = o.event === 'invitee.canceled';
  const eventUri = o.inviteeUri.replace(/\/invitees\/[^/]+$/, '');
  const inviteeUuid = o.inviteeUri.split('/').pop() ?? '';
  const start = o.startTime ?? '2026-12-03T01:00:00.000Z';
  const end = o.endTime ?? plus(start, 30);
  // Booked a day before the webhook; a cancel is timed at the webhook.
  const bookedAt = calendlyTime(o.atMs - 86_400_000);
  const at = calendlyTime(o.atMs);
  const name = o.name ?? 'Jane Lead';
  return {
    cancel_url: `https://calendly.com/cancellations/${inviteeUuid}`,
    created_at: bookedAt,
    email: o.email,
    event: eventUri,
    first_name: null,
    last_name: null,
    name,
    new_invitee: o.newInvitee ?? null,
    old_invitee: o.oldInvitee ?? null,
    no_show: null,
    payment: null,
    questions_and_answers: [{ answer: 'Outbound', position: 0, question: 'How did you hear about us?' }],
    reconfirmation: null,
    reschedule_url: `https://calendly.com/reschedulings/${inviteeUuid}`,
    rescheduled: o.rescheduled ?? false,
    routing_form_submission: null,
    scheduled_event: {
      created_at: bookedAt,
      end_time: calendlyTime(Date.parse(end)),
      event_guests: [],
      event_memberships: [
        { user: `${API}/users/${stableId('host')}`, user_email: o.hostEmail ?? 'alex@client.example', user_name: 'Alex Host' },
      ],
      event_type: `${API}/event_types/${stableId('type')}`,
      invitees_counter: { active: canceled ? 0 : 1, limit: 1, total: 1 },
      location: { join_url: `https://zoom.us/j/${Number.parseInt(stableId(eventUri, 8), 16)}`, status: 'pushed', type: 'zoom' },
      meeting_notes_html: null,
      meeting_notes_plain: null,
      name: '30 Minute Meeting',
      start_time: calendlyTime(Date.parse(start)),
      status: canceled ? 'canceled' : 'active',
      updated_at: canceled ? at : bookedAt,
      uri: eventUri,
      ...(canceled
        ? { cancellation: { canceled_by: o.canceledBy ?? name, reason: o.cancelReason ?? null, canceler_type: 'invitee', created_at: at } }
        : {}),
    },
    scheduling_method: null,
    status: canceled ? 'canceled' : 'active',
    text_reminder_number: null,
    timezone: o.timezone ?? 'Australia/Sydney',
    tracking: {
      utm_campaign: null,
      utm_source: null,
      utm_medium: null,
      utm_content: o.utmContent ?? null,
      utm_term: null,
      salesforce_uuid: null,
    },
    updated_at: canceled ? at : bookedAt,
    uri: o.inviteeUri,
    ...(canceled
      ? { cancellation: { canceled_by: o.canceledBy ?? name, reason: o.cancelReason ?? null, canceler_type: 'invitee', created_at: at } }
      : {}),
  };
}

/** A signed Calendly delivery of `event` about `inviteeUri`, signed at `atMs`. */
export function calendlyDelivery(o: CalendlyDeliveryOptions): SignedDelivery {
  let payload: Record<string, unknown> = o.event.startsWith('invitee_no_show.')
    ? { created_at: calendlyTime(o.atMs), invitee: o.inviteeUri, uri: `${API}/invitee_no_shows/${stableId(o.inviteeUri)}` }
    : calendlyInvitee(o);
  if (o.payloadOverrides) payload = { ...payload, ...o.payloadOverrides };
  const body = { created_at: calendlyTime(o.atMs), created_by: `${API}/users/${stableId('host')}`, event: o.event, payload };
  return calendlySigned(o.signingKey, body, o.atMs);
}
