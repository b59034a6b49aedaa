/**
 * The daily outreach preparation's rules (SDK-002, SM-002): when a number is washed again, which
 * steps fall on the client's day, the day's capacity per channel and what exceeds it. Numbers from
 * DOMAIN.md: a wash is valid 30 days; the default sequence (email 0, voice 3, LinkedIn 5, email 8,
 * SMS 12); 50 per warmed mailbox, 100 SMS and 50 calls per number per day, 20 LinkedIn requests a
 * seat a day; voice and SMS for Warm and Hot only.
 */
import { describe, expect, it } from 'vitest';
import { defaultDomainConfig as config } from '../../domain/config.js';
import { dayCapacity, needsRewash, nextPhoneContactAt, overCapacity, stepsDueOn, type PrepLead } from '../../domain/outreach-prep.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-07T19:00:00Z'); // Tuesday 06:00 in Sydney
const lead = (o: Partial<PrepLead> = {}): PrepLead => ({
  tier: 'Warm',
  email: 'a@b.example',
  phoneE164: '+61412345678',
  linkedinUrl: 'https://www.linkedin.com/in/x',
  sequenceStartedAt: new Date(NOW - DAY),
  dncrWashedAt: new Date(NOW - 10 * DAY),
  ...o,
});

describe('daily outreach preparation rules (SDK-002)', () => {
  it('SDK-002 SM-002: the next call or SMS is the first one not made, from the start plus its day', () => {
    expect(nextPhoneContactAt(lead(), new Set(), NOW, config)).toBe(NOW + 2 * DAY); // voice on day 3
    expect(nextPhoneContactAt(lead(), new Set([2]), NOW, config)).toBe(NOW + 11 * DAY); // SMS on day 12
    expect(nextPhoneContactAt(lead({ tier: 'Cool' }), new Set(), NOW, config)).toBeUndefined(); // no voice or SMS for Cool
    expect(nextPhoneContactAt(lead({ phoneE164: null }), new Set(), NOW, config)).toBeUndefined();
    expect(nextPhoneContactAt(lead({ sequenceStartedAt: null }), new Set(), NOW, config)).toBe(NOW + 3 * DAY);
  });

  it('SDK-002 SM-002: washed again when the wash expires before the end of the next call or SMS day; left alone when it lasts', () => {
    // Call in 2 days (its day ends in 3): a wash 28 days old expires in 2 days -> again; 27 days old expires in 3 -> kept.
    expect(needsRewash(lead({ dncrWashedAt: new Date(NOW - 28 * DAY) }), new Set(), NOW, config)).toBe(true);
    expect(needsRewash(lead({ dncrWashedAt: new Date(NOW - 27 * DAY) }), new Set(), NOW, config)).toBe(false);
    expect(needsRewash(lead({ dncrWashedAt: null }), new Set(), NOW, config)).toBe(true);
    // Nothing left to call or text: never washed again.
    expect(needsRewash(lead({ dncrWashedAt: new Date(NOW - 40 * DAY) }), new Set([2, 5]), NOW, config)).toBe(false);
    // A contact beyond what a wash made now would cover (the call on day 31) is left to a later morning.
    expect(needsRewash(lead({ dncrWashedAt: null, sequenceStartedAt: new Date(NOW + 28 * DAY) }), new Set(), NOW, config)).toBe(false);
  });

  it('SDK-002: the steps on the client day, those made left out', () => {
    const startedToday = lead({ sequenceStartedAt: new Date(NOW) });
    expect(stepsDueOn(startedToday, new Set(), '2026-12-08', 'Australia/Sydney', config)).toEqual({
      email: 1,
      sms: 0,
      voice: 0,
      linkedin: 0,
    });
    expect(stepsDueOn(startedToday, new Set([1]), '2026-12-08', 'Australia/Sydney', config).email).toBe(0);
    const threeDaysAgo = lead({ sequenceStartedAt: new Date(NOW - 3 * DAY) });
    expect(stepsDueOn(threeDaysAgo, new Set([1]), '2026-12-08', 'Australia/Sydney', config)).toEqual({
      email: 0,
      sms: 0,
      voice: 1,
      linkedin: 0,
    });
    expect(stepsDueOn(lead({ sequenceStartedAt: null }), new Set(), '2026-12-08', 'Australia/Sydney', config).email).toBe(0);
  });

  it('SDK-002 ED-003: a step whose day is a weekend or a public holiday of the lead counts on the next open day, once; one whose day was open does not count later', () => {
    const at = (iso: string) => new Date(iso);
    const sydney = { timezone: 'Australia/Sydney', country: 'AU', state: 'NSW' };
    const on = (l: PrepLead, day: string, touched: number[] = []) => stepsDueOn(l, new Set(touched), day, 'Australia/Sydney', config);
    // Day 0 (email) on Saturday 12 Dec 2026 in Sydney: not that day, nor Sunday; Monday 14 Dec.
    const saturday = lead({ ...sydney, sequenceStartedAt: at('2026-12-12T10:00:00+11:00') });
    expect(on(saturday, '2026-12-12').email).toBe(0);
    expect(on(saturday, '2026-12-13').email).toBe(0);
    expect(on(saturday, '2026-12-14')).toEqual({ email: 1, sms: 0, voice: 0, linkedin: 0 });
    // Day 0 on Friday 11 Dec: sent that day, so Monday does not count it again (touched or not yet recorded).
    const friday = lead({ ...sydney, sequenceStartedAt: at('2026-12-11T10:00:00+11:00') });
    expect(on(friday, '2026-12-11').email).toBe(1);
    expect(on(friday, '2026-12-14').email).toBe(0);
    // Australia Day (Tuesday 26 Jan 2027, national): the day-3 call of a sequence started Saturday 23 Jan goes Wednesday 27.
    const beforeAustraliaDay = lead({ ...sydney, sequenceStartedAt: at('2027-01-23T10:00:00+11:00') });
    expect(on(beforeAustraliaDay, '2027-01-26', [1]).voice).toBe(0);
    expect(on(beforeAustraliaDay, '2027-01-27', [1]).voice).toBe(1);
    // Western Australia Day (Monday 7 Jun 2027) is Perth's only: a Perth lead's email waits for Tuesday, a Sydney lead's does not.
    const monday = at('2027-06-07T12:00:00+10:00');
    const perth = lead({ timezone: 'Australia/Perth', country: 'AU', state: 'WA', sequenceStartedAt: monday });
    expect(on(perth, '2027-06-07').email).toBe(0);
    expect(on(perth, '2027-06-08').email).toBe(1);
    expect(on(lead({ ...sydney, sequenceStartedAt: at('2027-06-07T08:00:00+10:00') }), '2027-06-07').email).toBe(1);
  });

  it('SDK-002 ED-001: the day capacity per channel and the channels whose plan exceeds it', () => {
    const cap = dayCapacity({ mailboxColdLimits: [45, 45, 45, 45, 45], phoneNumbers: 2, seatDailyLimits: [20, 20] }, 180, config);
    expect(cap).toEqual({ email: 180, sms: 200, voice: 100, linkedin: 40 }); // 225 by mailboxes, 180 by the client cap
    expect(overCapacity({ email: 181, sms: 200, voice: 101, linkedin: 0 }, cap)).toEqual([
      { channel: 'email', planned: 181, capacity: 180 },
      { channel: 'voice', planned: 101, capacity: 100 },
    ]);
    expect(overCapacity({ email: 180, sms: 0, voice: 0, linkedin: 40 }, cap)).toEqual([]);
  });
});
