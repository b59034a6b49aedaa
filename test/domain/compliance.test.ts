/**
 * The compliance guard (decideTouch): the one decision before any touch. Expected values come from
 * DOMAIN.md as written (windows, holidays of the recipient's country and region, tier gating, DNCR
 * valid 30 days, consent, suppression, stop events), not from the function.
 */
import Holidays from 'date-holidays';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { decideTouch, type TouchFacts, type TouchKind } from '../../domain/compliance.js';
import { nextSendTimeMs } from '../../domain/windows.js';

const DAY = 86_400_000;
const SYDNEY = { zone: 'Australia/Sydney', location: { country: 'AU', state: 'NSW' } };
const MELBOURNE = { zone: 'Australia/Melbourne', location: { country: 'AU', state: 'VIC' } };
const NEW_YORK = { zone: 'America/New_York', location: { country: 'US', state: 'NY' } };

/** A Hot lead that may take every channel, washed yesterday, with consent. */
function facts(over: Partial<TouchFacts> & { at: string }): TouchFacts {
  const { at, ...rest } = over;
  const now = new Date(at);
  return {
    kind: 'email',
    tier: 'Hot',
    score: 90,
    email: 'ava@lead.example',
    phoneE164: '+61412345678',
    phoneType: 'MOBILE',
    linkedinUrl: 'https://www.linkedin.com/in/ava',
    linkedinSeatAvailable: true,
    dncr: { registered: false, washedAt: new Date(now.getTime() - DAY) },
    dncrResult: 'not_registered',
    smsConsentBasis: 'inferred_business',
    suppressed: { email: false, phone: false },
    checkWindow: true,
    now,
    ...SYDNEY,
    ...rest,
  };
}

describe('compliance guard: one decision per touch (ED-002 ED-003 VO-005 SM-001 SM-002 AD-004 SYS-003)', () => {
  it.each<[string, Partial<TouchFacts> & { at: string }, unknown]>([
    // stops, in order: opted out beats everything
    ['opted out stops', { at: '2027-03-09T00:00:00Z', optedOut: true, replied: true }, { action: 'stop', reason: 'opted_out' }],
    ['a reply stops', { at: '2027-03-09T00:00:00Z', replied: true }, { action: 'stop', reason: 'replied' }],
    ['a booked meeting stops', { at: '2027-03-09T00:00:00Z', meetingBooked: true }, { action: 'stop', reason: 'meeting_booked' }],
    [
      'the person in another running sequence stops',
      { at: '2027-03-09T00:00:00Z', personInOtherSequence: true },
      { action: 'stop', reason: 'person_in_another_sequence' },
    ],
    // skips
    [
      'a suppressed address skips email',
      { at: '2027-03-09T00:00:00Z', suppressed: { email: true, phone: false } },
      { action: 'skip', reason: 'suppressed' },
    ],
    [
      'a suppressed number skips a call',
      { at: '2027-03-09T00:00:00Z', kind: 'voice', suppressed: { email: false, phone: true } },
      { action: 'skip', reason: 'suppressed' },
    ],
    [
      'a suppressed number does not stop an email',
      { at: '2027-03-08T23:30:00Z', suppressed: { email: false, phone: true } },
      { action: 'send' },
    ],
    [
      'a Cold lead gets no call',
      { at: '2027-03-09T00:00:00Z', kind: 'voice', tier: 'Cold' },
      { action: 'skip', reason: 'tier_not_allowed' },
    ],
    [
      'a Cold lead gets no LinkedIn message',
      { at: '2027-03-09T00:00:00Z', kind: 'linkedin_message', tier: 'Cold' },
      { action: 'skip', reason: 'tier_not_allowed' },
    ],
    ['a Cool lead gets no SMS', { at: '2027-03-09T00:00:00Z', kind: 'sms', tier: 'Cool' }, { action: 'skip', reason: 'tier_not_allowed' }],
    [
      'a registered number gets no call',
      { at: '2027-03-09T00:00:00Z', kind: 'voice', dncr: { registered: true, washedAt: new Date('2027-03-08T00:00:00Z') } },
      { action: 'skip', reason: 'dncr_registered' },
    ],
    [
      'a wash older than 30 days does not count',
      { at: '2027-03-09T00:00:00Z', kind: 'sms', dncr: { registered: false, washedAt: new Date('2027-02-06T23:00:00Z') } },
      { action: 'skip', reason: 'dncr_unwashed' },
    ],
    [
      'no consent basis: no SMS',
      { at: '2027-03-09T00:00:00Z', kind: 'sms', smsConsentBasis: null },
      { action: 'skip', reason: 'no_sms_consent' },
    ],
    ['a hard bounce skips email', { at: '2027-03-09T00:00:00Z', hardBounced: true }, { action: 'skip', reason: 'hard_bounced' }],
    [
      'an address the verifier found undeliverable gets no email',
      { at: '2027-03-09T00:00:00Z', emailUndeliverable: true },
      { action: 'skip', reason: 'email_undeliverable' },
    ],
    [
      'an undeliverable address does not stop a call',
      { at: '2027-03-09T00:00:00Z', kind: 'voice', emailUndeliverable: true },
      { action: 'send' },
    ],
    // windows: Tue 2027-03-09 11:00 Sydney (AEDT +11) is 00:00Z; the email window is 09:00-11:00, end exclusive
    ['email at 10:59 Sydney is sent', { at: '2027-03-08T23:59:00Z' }, { action: 'send' }],
    ['email at 11:00 Sydney waits', { at: '2027-03-09T00:00:00Z' }, { action: 'reschedule', reason: 'outside_window' }],
    ['a call at 11:00 Sydney is sent', { at: '2027-03-09T00:00:00Z', kind: 'voice' }, { action: 'send' }],
    [
      'a call at 12:30 Sydney waits for 13:00',
      { at: '2027-03-09T01:30:00Z', kind: 'voice' },
      { action: 'reschedule', notBeforeMs: Date.parse('2027-03-09T02:00:00Z') },
    ],
    // holidays of the recipient's region: Mon 2027-03-08 is Labour Day in Victoria, not in New South Wales
    [
      'Labour Day (VIC) closes Melbourne',
      { at: '2027-03-07T23:00:00Z', ...MELBOURNE },
      { action: 'reschedule', notBeforeMs: Date.parse('2027-03-08T22:00:00Z') },
    ],
    ['the same Monday is open in Sydney', { at: '2027-03-07T23:00:00Z' }, { action: 'send' }],
    // New York: Mon 2027-01-18 is Martin Luther King Jr. Day
    [
      'a US federal holiday closes New York',
      { at: '2027-01-18T15:00:00Z', kind: 'voice', ...NEW_YORK, phoneE164: '+12125550100', dncr: null },
      { action: 'reschedule', notBeforeMs: Date.parse('2027-01-19T14:00:00Z') },
    ],
    // the plan's re-check does not judge the window (the time was chosen inside one)
    ['no window check at planning', { at: '2027-03-09T00:00:00Z', checkWindow: false }, { action: 'send' }],
    // LinkedIn's window is the seat's, but the recipient's holidays close it: Labour Day (VIC) until Melbourne's Tuesday 00:00
    [
      'a LinkedIn message on a holiday of the recipient waits for their next day',
      { at: '2027-03-08T01:00:00Z', kind: 'linkedin_message', ...MELBOURNE },
      { action: 'reschedule', notBeforeMs: Date.parse('2027-03-08T13:00:00Z') },
    ],
    // LinkedIn's window is the seat's, judged when its time is chosen
    [
      'a LinkedIn message at night is the seat window, not the lead',
      { at: '2027-03-09T12:00:00Z', kind: 'linkedin_message' },
      { action: 'send' },
    ],
  ])('%s', (_name, over, expected) => {
    expect(decideTouch(facts(over))).toMatchObject(expected as object);
  });

  it('a sent touch carries its evidence: window and where, tier, score, wash, consent', () => {
    const d = decideTouch(facts({ at: '2027-03-08T23:30:00Z', kind: 'sms' }));
    expect(d).toEqual({
      action: 'send',
      evidence: {
        window: { channel: 'sms', zone: 'Australia/Sydney', country: 'AU', region: 'NSW', checkedAt: '2027-03-08T23:30:00.000Z' },
        tier: 'Hot',
        score: 90,
        dncrResult: 'not_registered',
        dncrWashedAt: '2027-03-07T23:30:00.000Z',
        consentBasis: 'inferred_business',
      },
    });
  });

  const hd = new Map<string, Holidays>();
  const isPublicHoliday = (country: string, state: string, local: DateTime) => {
    const key = `${country}/${state}`;
    if (!hd.has(key)) hd.set(key, new Holidays(country, state));
    const found = hd.get(key)!.isHoliday(local.set({ hour: 12, minute: 0, second: 0, millisecond: 0 }).toJSDate());
    return Array.isArray(found) && found.some((h) => h.type === 'public');
  };
  const WINDOWS: Record<string, { start: number; end: number; breaks?: [number, number] }> = {
    email: { start: 9, end: 11 },
    email_followup: { start: 9, end: 11 },
    voice: { start: 9, end: 17, breaks: [12, 13] },
    sms: { start: 9, end: 17 },
  };
  const places = [
    SYDNEY,
    MELBOURNE,
    NEW_YORK,
    { zone: 'Australia/Perth', location: { country: 'AU', state: 'WA' } },
    { zone: 'Europe/London', location: { country: 'GB', state: 'SCT' } },
  ];
  const kinds: TouchKind[] = ['email', 'email_followup', 'voice', 'sms'];

  it('property: a touch is sent only inside the recipient-local window, Monday to Friday, on no public holiday of their region; otherwise it waits until a moment that is', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2028-12-31T00:00:00Z') }),
        fc.constantFrom(...places),
        fc.constantFrom(...kinds),
        (ms, place, kind) => {
          const f = facts({ at: new Date(ms).toISOString(), kind, ...place, phoneE164: null, dncr: null });
          const check = (at: number) => {
            const local = DateTime.fromMillis(at, { zone: place.zone });
            const w = WINDOWS[kind]!;
            const hour = local.hour + local.minute / 60;
            const open =
              local.weekday <= 5 &&
              hour >= w.start &&
              hour < w.end &&
              !(w.breaks && hour >= w.breaks[0] && hour < w.breaks[1]) &&
              !isPublicHoliday(place.location.country, place.location.state, local);
            return open;
          };
          const phoneless = kind === 'voice' || kind === 'sms';
          const d = decideTouch(
            phoneless ? { ...f, phoneE164: '+61412345678', dncr: { registered: false, washedAt: new Date(ms - DAY) } } : f,
          );
          if (d.action === 'send') expect(check(ms)).toBe(true);
          else {
            expect(d).toMatchObject({ action: 'reschedule' });
            expect(check(ms)).toBe(false);
            const later = (d as { notBeforeMs: number }).notBeforeMs;
            expect(later).toBeGreaterThan(ms);
            expect(check(later)).toBe(true);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('property: opted out, a reply, a booked meeting or another running sequence always stop, whatever else is true', () => {
    fc.assert(
      fc.property(
        fc.record({ optedOut: fc.boolean(), replied: fc.boolean(), meetingBooked: fc.boolean(), personInOtherSequence: fc.boolean() }),
        fc.constantFrom<TouchKind>('email', 'voice', 'sms', 'linkedin_connect', 'linkedin_message', 'email_followup'),
        fc.constantFrom('Hot', 'Warm', 'Cool', 'Cold'),
        fc.boolean(),
        (stops, kind, tier, suppressed) => {
          const d = decideTouch(
            facts({
              at: '2027-03-09T00:00:00Z',
              kind,
              tier: tier as TouchFacts['tier'],
              ...stops,
              suppressed: { email: suppressed, phone: suppressed },
            }),
          );
          const any = stops.optedOut || stops.replied || stops.meetingBooked || stops.personInOtherSequence;
          expect(d.action === 'stop').toBe(any);
          if (stops.optedOut) expect(d).toEqual({ action: 'stop', reason: 'opted_out' });
        },
      ),
    );
  });

  it('property: a suppressed contact point or a tier without the channel is never sent to', () => {
    const allowed: Record<string, string[]> = {
      Hot: ['email', 'voice', 'linkedin', 'sms'],
      Warm: ['email', 'voice', 'linkedin', 'sms'],
      Cool: ['email', 'linkedin'],
      Cold: ['email'],
    };
    const channel = (k: TouchKind) => (k.startsWith('email') ? 'email' : k.startsWith('linkedin') ? 'linkedin' : k);
    fc.assert(
      fc.property(
        fc.constantFrom<TouchKind>('email', 'voice', 'sms', 'linkedin_connect', 'linkedin_message', 'email_followup'),
        fc.constantFrom('Hot', 'Warm', 'Cool', 'Cold'),
        fc.boolean(),
        fc.boolean(),
        (kind, tier, email, phone) => {
          const d = decideTouch(
            facts({ at: '2027-03-08T23:30:00Z', kind, tier: tier as TouchFacts['tier'], suppressed: { email, phone } }),
          );
          const ch = channel(kind);
          const blocked = !allowed[tier]!.includes(ch) || (ch === 'email' && email) || ((ch === 'sms' || ch === 'voice') && phone);
          expect(d.action === 'send').toBe(!blocked);
        },
      ),
    );
  });

  it("property: a LinkedIn action is never timed on a public holiday of the recipient's region, whatever the seat's zone", () => {
    const recipients = [
      MELBOURNE,
      SYDNEY,
      NEW_YORK,
      { zone: 'Europe/London', location: { country: 'GB', state: 'SCT' } },
      { zone: 'Pacific/Auckland', location: { country: 'NZ', state: 'AUK' } },
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2028-12-31T00:00:00Z') }),
        fc.constantFrom('Australia/Sydney', 'Europe/London', 'America/Los_Angeles', 'Asia/Singapore'),
        fc.constantFrom(...recipients),
        (ms, seatZone, r) => {
          const at = nextSendTimeMs({ channel: 'linkedin', zone: seatZone, now: ms, recipient: { zone: r.zone, location: r.location } });
          expect(at).toBeGreaterThanOrEqual(ms);
          expect(isPublicHoliday(r.location.country, r.location.state, DateTime.fromMillis(at, { zone: r.zone }))).toBe(false);
          const seatLocal = DateTime.fromMillis(at, { zone: seatZone });
          expect(seatLocal.hour).toBeGreaterThanOrEqual(8);
          expect(seatLocal.hour).toBeLessThan(18);
          expect(seatLocal.weekday).toBeLessThanOrEqual(6);
        },
      ),
      { numRuns: 300 },
    );
  });
});
