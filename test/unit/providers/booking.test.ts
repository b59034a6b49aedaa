/**
 * Booking webhooks (SYS-004 meetings, SYS-008 webhooks; PROVIDERS.md 7): Cal.com and Calendly
 * signatures, the zod schemas of their real payloads, and the BookingEvent they normalise to.
 * Deliveries come from test/fakes/booking-payloads.ts, signed there with node:crypto from the
 * providers' formulas; expected values are the wire values the deliveries were built from.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bookingLinkForLead } from '../../../domain/message-templates.js';
import {
  CalcomWebhookSchema,
  calcomBookingEvent,
  signCalcomBody,
  verifyCalcomSignature,
  type CalcomWebhook,
} from '../../../providers/booking/calcom.js';
import {
  CALENDLY_SIGNATURE_TOLERANCE_MS,
  CalendlyWebhookSchema,
  calendlyBookingEvent,
  signCalendlyBody,
  verifyCalendlySignature,
  type CalendlyWebhook,
} from '../../../providers/booking/calendly.js';
import type { BookingEvent } from '../../../providers/booking/types.js';
import {
  calcomDelivery,
  calcomSigned,
  calendlyDelivery,
  calendlyInviteeUri,
  calendlySigned,
  type SignedDelivery,
} from '../../fakes/booking-payloads.js';

const CAL_SECRET = 'calcom-webhook-secret-0123456789abcdef';
const CALENDLY_KEY = 'calendly-signing-key-0123456789abcdefgh';
const NOW_MS = Date.parse('2026-12-01T09:00:00.000Z');
const START = '2026-12-03T01:00:00.000Z';

const calcom = (over: Partial<Parameters<typeof calcomDelivery>[0]> = {}) =>
  calcomDelivery({
    secret: CAL_SECRET,
    trigger: 'BOOKING_CREATED',
    uid: 'bk_new_1',
    startTime: START,
    attendeeEmail: 'jane@lead.example',
    ...over,
  });

const EV = 'https://api.calendly.com/scheduled_events/ev-1';
const INV = `${EV}/invitees/inv-1`;
const calendly = (over: Partial<Parameters<typeof calendlyDelivery>[0]> = {}) =>
  calendlyDelivery({
    signingKey: CALENDLY_KEY,
    event: 'invitee.created',
    inviteeUri: INV,
    email: 'jane@lead.example',
    atMs: NOW_MS,
    ...over,
  });

function parseCalcom(d: SignedDelivery): CalcomWebhook {
  const r = CalcomWebhookSchema.safeParse(JSON.parse(d.rawBody));
  if (!r.success) throw new Error(`expected a valid Cal.com body: ${r.error.message}`);
  return r.data;
}
function parseCalendly(d: SignedDelivery): CalendlyWebhook {
  const r = CalendlyWebhookSchema.safeParse(JSON.parse(d.rawBody));
  if (!r.success) throw new Error(`expected a valid Calendly body: ${r.error.message}`);
  return r.data;
}
const calcomEvent = (d: SignedDelivery): BookingEvent => calcomBookingEvent(parseCalcom(d));
const calendlyEvent = (d: SignedDelivery): BookingEvent => calendlyBookingEvent(parseCalendly(d));
/** Issue paths of a failed parse, as the webhook registry reports them. */
const issuePaths = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  (r.error?.issues ?? []).map((i) => i.path.map(String).join('.'));

// ---- Signatures ------------------------------------------------------------------------------

describe('Cal.com signature (SYS-008)', () => {
  const verify = (d: SignedDelivery, secret: string | undefined = CAL_SECRET, rawBody: string | Buffer = d.rawBody) =>
    verifyCalcomSignature({ rawBody, headers: d.headers, secret });

  it('SYS-008: signCalcomBody is hex HMAC-SHA256 of the body (RFC 4231 test case 2)', () => {
    expect(signCalcomBody('Jefe', 'what do ya want for nothing?')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    expect(signCalcomBody('', 'anything')).toBe('no-secret-provided');
  });

  it('SYS-008: a delivery signed with the secret verifies, as a string or as raw bytes', () => {
    const d = calcom({ attendeeName: 'Zoë Łukasz 北京' });
    expect(verify(d)).toBe(true);
    expect(verify(d, CAL_SECRET, Buffer.from(d.rawBody, 'utf8'))).toBe(true);
    expect(
      verifyCalcomSignature({
        rawBody: d.rawBody,
        headers: { 'X-Cal-Signature-256': d.headers['x-cal-signature-256'] },
        secret: CAL_SECRET,
      }),
    ).toBe(true);
  });

  it('SYS-008: a wrong secret, a body changed by one byte, a missing or repeated header do not verify', () => {
    const d = calcom();
    expect(verify(d, 'another-secret-0123456789abcdefghijkl')).toBe(false);
    const flipped = Buffer.from(d.rawBody);
    flipped.writeUInt8(flipped.readUInt8(flipped.length - 2) ^ 1, flipped.length - 2);
    expect(verify(d, CAL_SECRET, flipped)).toBe(false);
    expect(verify(d, CAL_SECRET, `${d.rawBody} `)).toBe(false);
    expect(verifyCalcomSignature({ rawBody: d.rawBody, headers: { 'content-type': 'application/json' }, secret: CAL_SECRET })).toBe(false);
    const sig = d.headers['x-cal-signature-256']!;
    expect(verifyCalcomSignature({ rawBody: d.rawBody, headers: { 'x-cal-signature-256': [sig, sig] }, secret: CAL_SECRET })).toBe(false);
    expect(verifyCalcomSignature({ rawBody: d.rawBody, headers: { 'x-cal-signature-256': sig.slice(0, 63) }, secret: CAL_SECRET })).toBe(
      false,
    );
    expect(verifyCalcomSignature({ rawBody: d.rawBody, headers: { 'x-cal-signature-256': 'zz'.repeat(32) }, secret: CAL_SECRET })).toBe(
      false,
    );
  });

  it('SYS-008: no-secret-provided never verifies (webhook without secret, or that literal configured as ours)', () => {
    const unsigned = calcomDelivery({
      secret: null,
      trigger: 'BOOKING_CREATED',
      uid: 'bk_1',
      startTime: START,
      attendeeEmail: 'a@b.example',
    });
    expect(unsigned.headers['x-cal-signature-256']).toBe('no-secret-provided');
    expect(verify(unsigned)).toBe(false);
    expect(verify(unsigned, 'no-secret-provided')).toBe(false);
    const signedWithLiteral = calcomSigned('no-secret-provided', unsigned.body);
    expect(verify(signedWithLiteral, 'no-secret-provided')).toBe(false);
    expect(verify(calcom(), '')).toBe(false);
    expect(verifyCalcomSignature({ rawBody: calcom().rawBody, headers: calcom().headers, secret: undefined })).toBe(false);
  });
});

describe('Calendly signature (SYS-008)', () => {
  const verify = (d: SignedDelivery, nowMs = NOW_MS, signingKey: string | undefined = CALENDLY_KEY, rawBody: string | Buffer = d.rawBody) =>
    verifyCalendlySignature({ rawBody, headers: d.headers, signingKey, nowMs });
  const withHeader = (d: SignedDelivery, value: string | string[]) =>
    ({ ...d, headers: { ...d.headers, 'calendly-webhook-signature': value } }) as SignedDelivery;

  it('SYS-008: signCalendlyBody is t=<unix s>,v1=hex HMAC-SHA256(key, t + "." + body)', () => {
    const body = '{"event":"invitee.created"}';
    const t = Math.floor(NOW_MS / 1000);
    const v1 = createHmac('sha256', 'key').update(`${t}.${body}`).digest('hex');
    expect(signCalendlyBody('key', body, NOW_MS + 999)).toBe(`t=${t},v1=${v1}`);
  });

  it('SYS-008: the default tolerance is 3 minutes', () => {
    expect(CALENDLY_SIGNATURE_TOLERANCE_MS).toBe(180_000);
  });

  it.each([
    [0, true],
    [-180, true],
    [180, true],
    [-181, false],
    [181, false],
    [-3600, false],
    [86_400 * 365, false],
  ])('SYS-008: signed %i s from now: accepted %s (stale and future timestamps refused)', (offsetS, ok) => {
    expect(verify(calendly({ atMs: NOW_MS + offsetS * 1000 }))).toBe(ok);
  });

  it('SYS-008: a custom tolerance applies both ways', () => {
    const d = calendly({ atMs: NOW_MS - 30_000 });
    expect(
      verifyCalendlySignature({ rawBody: d.rawBody, headers: d.headers, signingKey: CALENDLY_KEY, nowMs: NOW_MS, toleranceMs: 10_000 }),
    ).toBe(false);
    expect(
      verifyCalendlySignature({
        rawBody: d.rawBody,
        headers: d.headers,
        signingKey: CALENDLY_KEY,
        nowMs: NOW_MS - 60_000,
        toleranceMs: 10_000,
      }),
    ).toBe(false);
    expect(
      verifyCalendlySignature({ rawBody: d.rawBody, headers: d.headers, signingKey: CALENDLY_KEY, nowMs: NOW_MS, toleranceMs: 60_000 }),
    ).toBe(true);
  });

  it('SYS-008: a wrong key, a body changed by one byte, a missing header or an empty key do not verify', () => {
    const d = calendly();
    expect(verify(d)).toBe(true);
    expect(verify(d, NOW_MS, CALENDLY_KEY, Buffer.from(d.rawBody, 'utf8'))).toBe(true);
    expect(verify(d, NOW_MS, 'another-key-0123456789abcdefghijklmnop')).toBe(false);
    expect(verify(d, NOW_MS, CALENDLY_KEY, d.rawBody.replace('jane@lead.example', 'jane@lead.examplf'))).toBe(false);
    expect(verify({ ...d, headers: { 'content-type': 'application/json' } })).toBe(false);
    expect(verify(d, NOW_MS, '')).toBe(false);
    expect(verifyCalendlySignature({ rawBody: d.rawBody, headers: d.headers, signingKey: undefined, nowMs: NOW_MS })).toBe(false);
  });

  it('SYS-008: the signature covers the timestamp: a fresh t with the old v1 does not verify', () => {
    const d = calendly({ atMs: NOW_MS - 600_000 });
    const v1 = d.headers['calendly-webhook-signature']!.split('v1=')[1];
    expect(verify(withHeader(d, `t=${Math.floor(NOW_MS / 1000)},v1=${v1}`))).toBe(false);
  });

  it('SYS-008: malformed headers are refused; a second v1 (key rotation) is accepted when one matches', () => {
    const d = calendly();
    const header = d.headers['calendly-webhook-signature']!;
    const [tPart, v1Part] = header.split(',') as [string, string];
    expect(verify(withHeader(d, v1Part))).toBe(false);
    expect(verify(withHeader(d, tPart))).toBe(false);
    expect(verify(withHeader(d, `${tPart},${tPart},${v1Part}`))).toBe(false);
    expect(verify(withHeader(d, `t=now,${v1Part}`))).toBe(false);
    expect(verify(withHeader(d, [header, header]))).toBe(false);
    expect(verify(withHeader(d, `${tPart},v1=${'0'.repeat(64)},${v1Part}`))).toBe(true);
    expect(verify(withHeader(d, ` ${tPart} , ${v1Part} `))).toBe(true);
  });
});

// ---- Cal.com parsing and normalisation -------------------------------------------------------

describe('Cal.com payloads (SYS-004)', () => {
  it('SYS-004: BOOKING_CREATED normalises to a booked event with the lead token from metadata.leadId', () => {
    const d = calcom({
      leadId: 'lead-42',
      attendeeName: 'Jane Lead',
      organizerEmail: 'alex@client.example',
      createdAt: '2026-12-01T08:59:58.123Z',
    });
    const parsed = parseCalcom(d);
    expect(parsed.payload.videoCallData).toEqual({
      type: 'daily_video',
      id: 'bk_new_1',
      password: '',
      url: 'https://app.cal.com/video/bk_new_1',
    });
    expect(calcomBookingEvent(parsed)).toEqual({
      provider: 'calcom',
      eventId: 'BOOKING_CREATED:bk_new_1',
      kind: 'booked',
      type: 'BOOKING_CREATED',
      bookingUid: 'bk_new_1',
      startsAt: '2026-12-03T01:00:00.000Z',
      endsAt: '2026-12-03T01:30:00.000Z',
      title: 'Intro call between Alex Host and Jane Lead',
      attendee: { email: 'jane@lead.example', name: 'Jane Lead', timeZone: 'Australia/Sydney' },
      organizerEmail: 'alex@client.example',
      leadToken: 'lead-42',
      location: 'https://app.cal.com/video/bk_new_1',
      occurredAt: '2026-12-01T08:59:58.123Z',
    } satisfies BookingEvent);
  });

  it('SYS-004: the lead id bookingLinkForLead puts on a Cal.com link comes back as the lead token', () => {
    const link = new URL(bookingLinkForLead('https://cal.com/acme/intro-call', 'lead-7f3a'));
    // Cal.com copies each metadata[key] query parameter into the booking's metadata.
    const leadId = link.searchParams.get('metadata[leadId]') ?? undefined;
    expect(calcomEvent(calcom({ leadId })).leadToken).toBe('lead-7f3a');
    expect(calcomEvent(calcom()).leadToken).toBeUndefined();
    expect(calcomEvent(calcom({ leadId: '   ' })).leadToken).toBeUndefined();
  });

  it('SYS-004: BOOKING_RESCHEDULED links the new booking (uid) to the one it replaces (rescheduleUid)', () => {
    const booked = calcomEvent(calcom({ uid: 'bk_old', leadId: 'lead-42' }));
    const moved = calcomEvent(
      calcom({ trigger: 'BOOKING_RESCHEDULED', uid: 'bk_new_2', rescheduleUid: 'bk_old', startTime: '2026-12-04T03:00:00.000Z' }),
    );
    expect(moved).toMatchObject({
      kind: 'rescheduled',
      eventId: 'BOOKING_RESCHEDULED:bk_new_2',
      bookingUid: 'bk_new_2',
      previousBookingUid: 'bk_old',
      startsAt: '2026-12-04T03:00:00.000Z',
      endsAt: '2026-12-04T03:30:00.000Z',
    });
    expect(moved.eventId).not.toBe(booked.eventId);
    expect(booked.previousBookingUid).toBeUndefined();
  });

  it('SYS-004: a reschedule confirmed later arrives as BOOKING_CREATED naming the old booking: rescheduled, not a second booking', () => {
    const e = calcomEvent(calcom({ uid: 'bk_new_3', rescheduleUid: 'bk_old' }));
    expect(e).toMatchObject({ kind: 'rescheduled', bookingUid: 'bk_new_3', previousBookingUid: 'bk_old' });
    const fromBookingRow = calcomEvent(calcom({ uid: 'bk_new_4', payloadOverrides: { fromReschedule: 'bk_old_2' } }));
    expect(fromBookingRow).toMatchObject({ kind: 'rescheduled', previousBookingUid: 'bk_old_2' });
  });

  it('SYS-004: BOOKING_CANCELLED gives the cancelled booking and its reason; +00:00 times read as UTC', () => {
    const d = calcom({ trigger: 'BOOKING_CANCELLED', uid: 'bk_old', cancellationReason: 'Found another vendor' });
    expect(parseCalcom(d).payload.startTime).toBe('2026-12-03T01:00:00+00:00');
    expect(calcomEvent(d)).toMatchObject({
      kind: 'cancelled',
      eventId: 'BOOKING_CANCELLED:bk_old',
      bookingUid: 'bk_old',
      cancellationReason: 'Found another vendor',
      startsAt: '2026-12-03T01:00:00.000Z',
    });
    expect(calcomEvent(calcom({ trigger: 'BOOKING_CANCELLED', uid: 'bk_old' })).cancellationReason).toBeUndefined();
    const sydney = calcom({ payloadOverrides: { startTime: '2026-12-03T12:00:00+11:00', endTime: '2026-12-03T12:30:00+11:00' } });
    expect(calcomEvent(sydney)).toMatchObject({ startsAt: '2026-12-03T01:00:00.000Z', endsAt: '2026-12-03T01:30:00.000Z' });
  });

  it('SYS-004: the dedup key is stable across deliveries of one change and differs between changes', () => {
    const first = calcomEvent(calcom({ createdAt: '2026-12-01T09:00:00.000Z' }));
    const again = calcomEvent(calcom({ createdAt: '2026-12-01T09:00:05.000Z' }));
    expect(again.eventId).toBe(first.eventId);
    const cancel = calcomEvent(calcom({ trigger: 'BOOKING_CANCELLED' }));
    expect(cancel.eventId).not.toBe(first.eventId);
    // Seated events: one BOOKING_CREATED per seat, same booking uid.
    const seatA = calcomEvent(calcom({ uid: 'bk_seated', attendeeSeatId: 'seat-a' }));
    const seatB = calcomEvent(calcom({ uid: 'bk_seated', attendeeSeatId: 'seat-b', attendeeEmail: 'b@lead.example' }));
    expect(seatA.eventId).not.toBe(seatB.eventId);
    expect(seatA.bookingUid).toBe(seatB.bookingUid);
  });

  it.each([
    ['BOOKING_REQUESTED', 'bk_req'],
    ['MEETING_ENDED', 'bk_new_1'],
    ['MEETING_STARTED', 'bk_new_1'],
    ['BOOKING_NO_SHOW_UPDATED', 'bk_new_1'],
  ])('SYS-004: %s parses and normalises to kind other', (trigger, uid) => {
    const e = calcomEvent(calcom({ trigger, uid }));
    expect(e).toMatchObject({ provider: 'calcom', kind: 'other', type: trigger, bookingUid: uid, occurredAt: '2026-12-01T09:00:00.000Z' });
  });

  it('SYS-004: the PING test delivery and an out-of-office entry parse as other with no booking', () => {
    expect(calcomEvent(calcom({ trigger: 'PING' }))).toMatchObject({ kind: 'other', type: 'PING', bookingUid: '' });
    const ooo = calcomSigned(CAL_SECRET, {
      triggerEvent: 'OOO_CREATED',
      createdAt: '2026-12-01T09:00:00.000Z',
      payload: { oooEntry: { id: 1, start: '2026-12-20T00:00:00.000Z', end: '2027-01-05T00:00:00.000Z', uuid: 'ooo-1' } },
    });
    expect(calcomEvent(ooo)).toMatchObject({ kind: 'other', type: 'OOO_CREATED', bookingUid: '', attendee: {} });
  });

  it('SYS-004: repeated no-show updates of one booking are distinct events', () => {
    const set = calcomEvent(calcom({ trigger: 'BOOKING_NO_SHOW_UPDATED', createdAt: '2026-12-03T02:00:00.000Z' }));
    const unset = calcomEvent(calcom({ trigger: 'BOOKING_NO_SHOW_UPDATED', createdAt: '2026-12-03T02:05:00.000Z' }));
    expect(set.eventId).not.toBe(unset.eventId);
  });
});

describe('Cal.com hostile input (SYS-008)', () => {
  const parse = (body: unknown) => CalcomWebhookSchema.safeParse(body);

  it('SYS-008: a booking trigger without its booking fields is a zod failure naming the field', () => {
    const missingUid = parse(calcom({ payloadOverrides: { uid: undefined } }).body);
    expect(missingUid.success).toBe(false);
    expect(issuePaths(missingUid)).toEqual(['payload.uid']);
    expect(issuePaths(parse(calcom({ trigger: 'BOOKING_CANCELLED', payloadOverrides: { startTime: 'tomorrow' } }).body))).toEqual([
      'payload.startTime',
    ]);
    expect(issuePaths(parse(calcom({ trigger: 'BOOKING_RESCHEDULED', payloadOverrides: { attendees: 'jane' } }).body))).toEqual([
      'payload.attendees',
    ]);
    expect(issuePaths(parse(calcom({ payloadOverrides: { attendees: [{ name: 'no email' }] } }).body))).toEqual([
      'payload.attendees.0.email',
    ]);
    expect(missingUid.error?.issues[0]?.message).toMatch(/^BOOKING_CREATED: /);
  });

  it('SYS-008: a body that is not a Cal.com envelope fails in zod, never throws', () => {
    for (const body of [
      null,
      42,
      'text',
      [],
      {},
      { triggerEvent: 'BOOKING_CREATED' },
      { triggerEvent: '', createdAt: '2026-12-01T09:00:00Z', payload: {} },
    ]) {
      expect(() => parse(body)).not.toThrow();
      expect(parse(body).success).toBe(false);
    }
    expect(issuePaths(parse({ triggerEvent: 'BOOKING_CREATED', createdAt: 'yesterday', payload: null }))).toEqual(['createdAt', 'payload']);
  });

  it('SYS-008: any JSON value either fails in zod or normalises without throwing', () => {
    const trigger = fc.constantFrom('BOOKING_CREATED', 'BOOKING_RESCHEDULED', 'BOOKING_CANCELLED', 'MEETING_ENDED', 'X');
    const payload = fc.oneof(
      fc.jsonValue(),
      fc.record({ uid: fc.jsonValue(), startTime: fc.jsonValue(), attendees: fc.jsonValue(), metadata: fc.jsonValue() }),
    );
    fc.assert(
      fc.property(trigger, payload, (t, p) => {
        const r = parse({ triggerEvent: t, createdAt: '2026-12-01T09:00:00Z', payload: p });
        if (r.success) expect(typeof calcomBookingEvent(r.data).eventId).toBe('string');
      }),
    );
  });
});

// ---- Calendly parsing and normalisation ------------------------------------------------------

describe('Calendly payloads (SYS-004)', () => {
  it('SYS-004: invitee.created normalises to a booked event with the lead token from tracking.utm_content', () => {
    const d = calendly({ utmContent: 'lead-42', name: 'Jane Lead', timezone: 'Australia/Sydney', hostEmail: 'alex@client.example' });
    const parsed = parseCalendly(d);
    expect(parsed.payload.questions_and_answers).toEqual([{ answer: 'Outbound', position: 0, question: 'How did you hear about us?' }]);
    expect(calendlyBookingEvent(parsed)).toEqual({
      provider: 'calendly',
      eventId: `invitee.created:${INV}`,
      kind: 'booked',
      type: 'invitee.created',
      bookingUid: INV,
      startsAt: '2026-12-03T01:00:00.000Z',
      endsAt: '2026-12-03T01:30:00.000Z',
      title: '30 Minute Meeting',
      attendee: { email: 'jane@lead.example', name: 'Jane Lead', timeZone: 'Australia/Sydney' },
      organizerEmail: 'alex@client.example',
      leadToken: 'lead-42',
      location: (parsed.payload.scheduled_event as { location: { join_url: string } }).location.join_url,
      occurredAt: '2026-12-01T09:00:00.000Z',
    } satisfies BookingEvent);
  });

  it('SYS-004: the lead id bookingLinkForLead puts on a Calendly link comes back as the lead token', () => {
    const link = new URL(bookingLinkForLead('https://calendly.com/acme/intro', 'lead-7f3a'));
    const utmContent = link.searchParams.get('utm_content') ?? undefined;
    expect(calendlyEvent(calendly({ utmContent })).leadToken).toBe('lead-7f3a');
    expect(calendlyEvent(calendly()).leadToken).toBeUndefined();
  });

  it('SYS-004: a reschedule: the cancel half (rescheduled: true) is other; the created half (old_invitee) links old and new', () => {
    const NEW = calendlyInviteeUri('ev-2', 'inv-2');
    const cancelHalf = calendlyEvent(
      calendly({ event: 'invitee.canceled', rescheduled: true, newInvitee: NEW, cancelReason: 'Rescheduled' }),
    );
    expect(cancelHalf).toMatchObject({ kind: 'other', type: 'invitee.canceled', bookingUid: INV, eventId: `invitee.canceled:${INV}` });
    const createdHalf = calendlyEvent(
      calendly({
        inviteeUri: NEW,
        oldInvitee: INV,
        utmContent: 'lead-42',
        startTime: '2026-12-04T03:00:00.000Z',
        endTime: '2026-12-04T03:45:00.000Z',
      }),
    );
    expect(createdHalf).toMatchObject({
      kind: 'rescheduled',
      type: 'invitee.created',
      bookingUid: NEW,
      previousBookingUid: INV,
      startsAt: '2026-12-04T03:00:00.000Z',
      endsAt: '2026-12-04T03:45:00.000Z',
      leadToken: 'lead-42',
      eventId: `invitee.created:${NEW}`,
    });
  });

  it('SYS-004: invitee.canceled without a reschedule is cancelled, with the reason', () => {
    const e = calendlyEvent(calendly({ event: 'invitee.canceled', cancelReason: 'No longer needed', atMs: NOW_MS + 3_600_000 }));
    expect(e).toMatchObject({
      kind: 'cancelled',
      bookingUid: INV,
      cancellationReason: 'No longer needed',
      eventId: `invitee.canceled:${INV}`,
      occurredAt: '2026-12-01T10:00:00.000Z',
    });
    expect(calendlyEvent(calendly({ event: 'invitee.canceled' })).cancellationReason).toBeUndefined();
  });

  it('SYS-004: a redelivery (same body, signed later) has the same dedup key; created and canceled differ', () => {
    const d = calendly();
    const redelivered = calendlySigned(CALENDLY_KEY, d.rawBody, NOW_MS + 60_000);
    expect(
      verifyCalendlySignature({
        rawBody: redelivered.rawBody,
        headers: redelivered.headers,
        signingKey: CALENDLY_KEY,
        nowMs: NOW_MS + 60_000,
      }),
    ).toBe(true);
    expect(calendlyEvent(redelivered).eventId).toBe(calendlyEvent(d).eventId);
    expect(calendlyEvent(calendly({ event: 'invitee.canceled' })).eventId).not.toBe(calendlyEvent(d).eventId);
  });

  it('SYS-004: invitee_no_show.created and unknown events parse as other, about the invitee', () => {
    const e = calendlyEvent(calendly({ event: 'invitee_no_show.created' }));
    expect(e).toMatchObject({ provider: 'calendly', kind: 'other', type: 'invitee_no_show.created', bookingUid: INV, attendee: {} });
    const form = calendlySigned(
      CALENDLY_KEY,
      {
        event: 'routing_form_submission.created',
        created_at: '2026-12-01T09:00:00.000000Z',
        payload: { uri: 'https://api.calendly.com/routing_form_submissions/x' },
      },
      NOW_MS,
    );
    expect(calendlyEvent(form)).toMatchObject({ kind: 'other', bookingUid: 'https://api.calendly.com/routing_form_submissions/x' });
  });
});

describe('Calendly hostile input (SYS-008)', () => {
  const parse = (body: unknown) => CalendlyWebhookSchema.safeParse(body);

  it('SYS-008: an invitee event without its invitee fields is a zod failure naming the field', () => {
    expect(issuePaths(parse(calendly({ payloadOverrides: { scheduled_event: undefined } }).body))).toEqual(['payload.scheduled_event']);
    expect(issuePaths(parse(calendly({ event: 'invitee.canceled', payloadOverrides: { uri: undefined, email: 7 } }).body))).toEqual([
      'payload.uri',
      'payload.email',
    ]);
    const badTime = calendly({
      payloadOverrides: { scheduled_event: { uri: EV, start_time: 'soon', end_time: '2026-12-03T01:30:00.000000Z' } },
    });
    expect(issuePaths(parse(badTime.body))).toEqual(['payload.scheduled_event.start_time']);
    expect(issuePaths(parse(calendly({ payloadOverrides: { tracking: 'lead-42' } }).body))).toEqual(['payload.tracking']);
  });

  it('SYS-008: a body that is not a Calendly envelope fails in zod, never throws', () => {
    for (const body of [
      null,
      42,
      'text',
      [],
      {},
      { event: 'invitee.created', created_at: '2026-12-01T09:00:00Z' },
      { event: 'invitee.created', payload: {} },
    ]) {
      expect(() => parse(body)).not.toThrow();
      expect(parse(body).success).toBe(false);
    }
  });

  it('SYS-008: any JSON value either fails in zod or normalises without throwing', () => {
    const event = fc.constantFrom('invitee.created', 'invitee.canceled', 'invitee_no_show.created', 'x');
    const payload = fc.oneof(
      fc.jsonValue(),
      fc.record({ uri: fc.jsonValue(), invitee: fc.jsonValue(), scheduled_event: fc.jsonValue(), email: fc.jsonValue() }),
    );
    fc.assert(
      fc.property(event, payload, (e, p) => {
        const r = parse({ event: e, created_at: '2026-12-01T09:00:00.000000Z', payload: p });
        if (r.success) expect(typeof calendlyBookingEvent(r.data).eventId).toBe('string');
      }),
    );
  });
});
