import Holidays from 'date-holidays';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  defaultDomainConfig,
  isInsideWindow,
  localDate,
  localDayBounds,
  locationForZone,
  nextSendTime,
  parseDomainConfig,
  startOfNextLocalDay,
  windowIntervalsOn,
  type WindowName,
} from '../../domain/index.js';

const NSW = { country: 'AU', state: 'NSW' };
const SA = { country: 'AU', state: 'SA' };
const WA = { country: 'AU', state: 'WA' };
const NY = { country: 'US', state: 'NY' };
const ENG = { country: 'GB', state: 'ENG' };

/** Local wall-clock rendering of an instant, for readable expectations. */
const local = (d: Date, zone: string) => DateTime.fromJSDate(d, { zone }).toFormat('ccc yyyy-MM-dd HH:mm:ss');

describe('windows: email (ED-003)', () => {
  it.each([
    // now (UTC), zone, location, expected local time
    ['2025-06-02T21:00:00Z', 'Australia/Sydney', NSW, 'Tue 2025-06-03 09:00:00', 'before the window opens: the opening'],
    ['2025-06-03T00:30:00Z', 'Australia/Sydney', NSW, 'Tue 2025-06-03 10:30:00', 'inside the window: now'],
    ['2025-06-03T01:00:00Z', 'Australia/Sydney', NSW, 'Wed 2025-06-04 09:00:00', '11:00 is closed (end exclusive): next day'],
    [
      '2025-06-06T02:00:00Z',
      'Australia/Sydney',
      NSW,
      'Tue 2025-06-10 09:00:00',
      "Friday after the window: Monday is the King's Birthday, so Tuesday",
    ],
    ['2025-06-06T02:00:00Z', 'Australia/Perth', WA, 'Fri 2025-06-06 10:00:00', 'Perth is two hours behind: still inside'],
    ['2025-04-17T23:30:00Z', 'Australia/Sydney', NSW, 'Tue 2025-04-22 09:00:00', 'Good Friday and Easter Monday skipped'],
    ['2025-12-24T02:00:00Z', 'Australia/Adelaide', SA, 'Mon 2025-12-29 09:00:00', 'SA Christmas, Proclamation Day, weekend skipped'],
    ['2025-05-02T20:00:00Z', 'Europe/London', ENG, 'Tue 2025-05-06 09:00:00', 'Early May bank holiday (Mon) skipped'],
    ['2025-07-03T16:00:00Z', 'America/New_York', NY, 'Mon 2025-07-07 09:00:00', 'Independence Day Friday skipped'],
  ])('ED-003: email at %s in %s -> %s (%s)', (now, zone, location, expected) => {
    const t = nextSendTime({ channel: 'email', zone, location, now });
    expect(local(t, zone)).toBe(expected);
  });

  it('ED-003: with a seed the email goes out at a seeded random minute inside 09:00-11:00 on the next weekday', () => {
    const zone = 'Australia/Sydney';
    const a = nextSendTime({ channel: 'email', zone, location: NSW, now: '2025-06-02T21:00:00Z', seed: 'lead-1:step-1' });
    const b = nextSendTime({ channel: 'email', zone, location: NSW, now: '2025-06-02T21:00:00Z', seed: 'lead-1:step-1' });
    expect(a.getTime()).toBe(b.getTime()); // replays agree
    const dt = DateTime.fromJSDate(a, { zone });
    expect(dt.toISODate()).toBe('2025-06-03');
    expect(dt.hour * 60 + dt.minute).toBeGreaterThanOrEqual(9 * 60);
    expect(dt.hour * 60 + dt.minute).toBeLessThan(11 * 60);
    expect(dt.second).toBe(0);
    // different seeds spread over the window
    const minutes = new Set(
      Array.from(
        { length: 50 },
        (_, i) =>
          DateTime.fromJSDate(nextSendTime({ channel: 'email', zone, location: NSW, now: '2025-06-02T21:00:00Z', seed: `lead-${i}` }), {
            zone,
          }).minute,
      ),
    );
    expect(minutes.size).toBeGreaterThan(10);
  });

  it('ED-003: a seeded email asked for inside the window picks a minute in what is left of it', () => {
    const zone = 'Australia/Sydney';
    const now = DateTime.fromISO('2025-06-03T10:50:30', { zone });
    for (let i = 0; i < 30; i++) {
      const t = nextSendTime({ channel: 'email', zone, location: NSW, now: now.toJSDate(), seed: `s${i}` });
      expect(t.getTime()).toBeGreaterThanOrEqual(now.toMillis());
      expect(local(t, zone) < 'Tue 2025-06-03 11:00:00').toBe(true);
    }
    // At 10:59:30 no whole minute is left: next day.
    const late = DateTime.fromISO('2025-06-03T10:59:30', { zone }).toJSDate();
    expect(local(nextSendTime({ channel: 'email', zone, location: NSW, now: late, seed: 'x' }), zone).startsWith('Wed 2025-06-04')).toBe(
      true,
    );
  });
});

describe('windows: voice (VO-005) and SMS', () => {
  it.each([
    ['2025-06-03T01:59:00Z', 'Australia/Sydney', 'voice', 'Tue 2025-06-03 11:59:00'],
    ['2025-06-03T02:00:00Z', 'Australia/Sydney', 'voice', 'Tue 2025-06-03 13:00:00'], // lunch 12:00-13:00 skipped
    ['2025-06-03T02:30:00Z', 'Australia/Sydney', 'voice', 'Tue 2025-06-03 13:00:00'],
    ['2025-06-03T07:00:00Z', 'Australia/Sydney', 'voice', 'Wed 2025-06-04 09:00:00'], // 17:00 closed
    ['2025-06-03T02:30:00Z', 'Australia/Sydney', 'sms', 'Tue 2025-06-03 12:30:00'], // SMS has no lunch break
    ['2025-06-03T06:59:59Z', 'Australia/Sydney', 'sms', 'Tue 2025-06-03 16:59:59'],
    ['2025-06-07T01:00:00Z', 'Australia/Sydney', 'sms', 'Tue 2025-06-10 09:00:00'], // Saturday -> Monday holiday -> Tuesday
  ])('VO-005: %s in %s on %s -> %s', (now, zone, channel, expected) => {
    expect(local(nextSendTime({ channel: channel as WindowName, zone, location: NSW, now }), zone)).toBe(expected);
  });

  it('VO-005: the voice window of a day is 09:00-12:00 and 13:00-17:00 local', () => {
    const iv = windowIntervalsOn({ channel: 'voice', zone: 'Europe/London', location: ENG, date: '2025-03-31' });
    expect(iv.map((i) => [local(i.start, 'Europe/London'), local(i.end, 'Europe/London')])).toEqual([
      ['Mon 2025-03-31 09:00:00', 'Mon 2025-03-31 12:00:00'],
      ['Mon 2025-03-31 13:00:00', 'Mon 2025-03-31 17:00:00'],
    ]);
    expect(windowIntervalsOn({ channel: 'voice', zone: 'Europe/London', location: ENG, date: '2025-12-25' })).toEqual([]);
    expect(windowIntervalsOn({ channel: 'voice', zone: 'Europe/London', location: ENG, date: '2025-03-29' })).toEqual([]);
  });
});

describe('windows: LinkedIn (seat zone, Monday-Saturday, 8 an hour)', () => {
  it('LI-004: LinkedIn is open 08:00-18:00 on Saturday but never on Sunday', () => {
    const zone = 'Australia/Sydney';
    expect(local(nextSendTime({ channel: 'linkedin', zone, location: NSW, now: '2025-06-06T21:00:00Z' }), zone)).toBe(
      'Sat 2025-06-07 08:00:00',
    );
    expect(local(nextSendTime({ channel: 'linkedin', zone, location: NSW, now: '2025-06-07T08:00:00Z' }), zone)).toBe(
      'Tue 2025-06-10 08:00:00',
    );
  });

  it('LI-004: at most 8 actions in any hour: the 9th waits until the oldest leaves the hour', () => {
    const zone = 'Australia/Sydney';
    const base = DateTime.fromISO('2025-06-03T10:00', { zone }).toMillis();
    const recent = Array.from({ length: 8 }, (_, i) => base + i * 5 * 60_000); // 10:00 .. 10:35
    const t = nextSendTime({ channel: 'linkedin', zone, location: NSW, now: base + 40 * 60_000, recentActions: recent });
    expect(local(t, zone)).toBe('Tue 2025-06-03 11:00:00');
    const seven = recent.slice(1);
    expect(nextSendTime({ channel: 'linkedin', zone, location: NSW, now: base + 40 * 60_000, recentActions: seven }).getTime()).toBe(
      base + 40 * 60_000,
    );
    // Late in the day the wait crosses the window's end: next open day.
    const late = DateTime.fromISO('2025-06-03T17:10', { zone }).toMillis();
    const r2 = Array.from({ length: 8 }, (_, i) => late + i * 60_000);
    expect(local(nextSendTime({ channel: 'linkedin', zone, location: NSW, now: late + 10 * 60_000, recentActions: r2 }), zone)).toBe(
      'Wed 2025-06-04 08:00:00',
    );
  });
});

describe('windows: daylight saving (ED-003, VO-005)', () => {
  it.each([
    // Saturday evening before the change -> Monday 09:00 at the new offset
    ['America/New_York', NY, '2025-03-08T23:00:00Z', '2025-03-10T13:00:00.000Z'], // EDT starts 9 Mar: 09:00 = 13:00Z
    ['America/New_York', NY, '2025-11-01T23:00:00Z', '2025-11-03T14:00:00.000Z'], // EST from 2 Nov: 09:00 = 14:00Z
    ['Europe/London', ENG, '2025-03-29T12:00:00Z', '2025-03-31T08:00:00.000Z'], // BST from 30 Mar
    ['Europe/London', ENG, '2025-10-25T12:00:00Z', '2025-10-27T09:00:00.000Z'], // GMT from 26 Oct
    ['Australia/Sydney', NSW, '2025-04-05T03:00:00Z', '2025-04-06T23:00:00.000Z'], // AEST from 6 Apr: Mon 7 Apr 09:00 = 23:00Z Sun
    ['Australia/Sydney', NSW, '2025-10-04T03:00:00Z', '2025-10-06T22:00:00.000Z'], // AEDT from 5 Oct, Mon 6 Oct is Labour Day: Tue 7 Oct 09:00 = 22:00Z Mon
    ['Australia/Adelaide', SA, '2025-10-04T03:00:00Z', '2025-10-06T22:30:00.000Z'], // ACDT from 5 Oct; Mon 6 Oct Labour Day in SA: Tue 09:00 = 22:30Z
    ['Australia/Adelaide', SA, '2025-04-05T03:00:00Z', '2025-04-06T23:30:00.000Z'], // ACST from 6 Apr
    ['Australia/Perth', WA, '2025-10-04T03:00:00Z', '2025-10-06T01:00:00.000Z'], // no DST in Perth
  ])('ED-003: SMS in %s after the DST change -> %s', (zone, location, now, expected) => {
    expect(nextSendTime({ channel: 'sms', zone, location, now }).toISOString()).toBe(expected);
  });

  it('VO-005: a 23-hour and a 25-hour day have correct bounds', () => {
    const spring = localDayBounds('Australia/Sydney', '2025-10-05T05:00:00Z');
    expect(spring.end.getTime() - spring.start.getTime()).toBe(23 * 3_600_000);
    const autumn = localDayBounds('Europe/London', '2025-10-26T12:00:00Z');
    expect(autumn.end.getTime() - autumn.start.getTime()).toBe(25 * 3_600_000);
    expect(startOfNextLocalDay('America/New_York', '2025-03-09T12:00:00Z').toISOString()).toBe('2025-03-10T04:00:00.000Z');
    expect(localDate('Australia/Sydney', '2025-10-04T14:30:00Z')).toBe('2025-10-05');
  });

  it('ED-003: a window that opens inside a DST gap opens when the clock resumes', () => {
    // A system configuration whose SMS window opens at 02:30 on Sundays: on 5 Oct 2025 Sydney jumps 02:00 -> 03:00.
    const config = parseDomainConfig({ windows: { sms: { start: '02:30', end: '04:00', weekdays: [7], skipHolidays: false } } });
    const t = nextSendTime({ channel: 'sms', zone: 'Australia/Sydney', location: NSW, now: '2025-10-04T12:00:00Z', config });
    expect(local(t, 'Australia/Sydney')).toBe('Sun 2025-10-05 03:30:00');
    expect(isInsideWindow({ channel: 'sms', zone: 'Australia/Sydney', location: NSW, at: t, config })).toBe(true);
  });
});

describe('windows: inputs', () => {
  it('ED-003: accepts Date, ISO string and epoch ms for now; rejects bad zones and instants', () => {
    const iso = '2025-06-02T21:00:00Z';
    const a = nextSendTime({ channel: 'sms', zone: 'Australia/Sydney', location: NSW, now: iso });
    expect(nextSendTime({ channel: 'sms', zone: 'Australia/Sydney', location: NSW, now: new Date(iso) })).toEqual(a);
    expect(nextSendTime({ channel: 'sms', zone: 'Australia/Sydney', location: NSW, now: Date.parse(iso) })).toEqual(a);
    expect(() => nextSendTime({ channel: 'sms', zone: 'Mars/Olympus', location: NSW, now: iso })).toThrow(/time zone/);
    expect(() => nextSendTime({ channel: 'sms', zone: 'Australia/Sydney', location: NSW, now: 'not a date' })).toThrow(/invalid instant/);
  });

  it('ED-003: state names and codes give the same holidays; an unknown state falls back to national holidays', () => {
    const now = '2025-03-09T22:00:00Z'; // Mon 10 Mar 09:00 Adelaide = Adelaide Cup Day (SA only)
    const bySa = nextSendTime({
      channel: 'sms',
      zone: 'Australia/Adelaide',
      location: { country: 'Australia', state: 'South Australia' },
      now,
    });
    expect(nextSendTime({ channel: 'sms', zone: 'Australia/Adelaide', location: SA, now })).toEqual(bySa);
    expect(local(bySa, 'Australia/Adelaide')).toBe('Tue 2025-03-11 09:00:00');
    const national = nextSendTime({ channel: 'sms', zone: 'Australia/Adelaide', location: { country: 'AU', state: 'Nowhere' }, now });
    expect(local(national, 'Australia/Adelaide')).toBe('Mon 2025-03-10 09:00:00');
  });

  it("ED-003: without a location, the holidays of the zone's country and state apply", () => {
    expect(locationForZone('Australia/Adelaide')).toEqual({ country: 'AU', state: 'SA' });
    expect(locationForZone('America/New_York')).toEqual({ country: 'US', state: 'NY' });
    // One zone for the whole country: the zone's city says nothing of the region.
    expect(locationForZone('Pacific/Auckland')).toEqual({ country: 'NZ', state: null });
    expect(locationForZone('Europe/London')).toEqual({ country: 'GB', state: null });
    // Christmas Eve 2025 (Wed) after hours in Sydney -> Christmas, Boxing Day, weekend -> Mon 29 Dec
    expect(local(nextSendTime({ channel: 'email', zone: 'Australia/Sydney', now: '2025-12-24T07:00:00Z' }), 'Australia/Sydney')).toBe(
      'Mon 2025-12-29 09:00:00',
    );
    // Adelaide Cup Day without a location
    expect(local(nextSendTime({ channel: 'sms', zone: 'Australia/Adelaide', now: '2025-03-09T22:00:00Z' }), 'Australia/Adelaide')).toBe(
      'Tue 2025-03-11 09:00:00',
    );
  });

  it('ED-003: an ISO time without an offset is read as UTC, whatever the machine zone', () => {
    const a = nextSendTime({ channel: 'sms', zone: 'Australia/Sydney', location: NSW, now: '2025-06-02T21:00:00' });
    expect(a.toISOString()).toBe('2025-06-02T23:00:00.000Z');
  });

  it('ED-003: the window hours are configuration, not literals', () => {
    expect(defaultDomainConfig.windows.email).toMatchObject({ start: '09:00', end: '11:00', weekdays: [1, 2, 3, 4, 5] });
    const config = parseDomainConfig({ windows: { email: { start: '08:00', end: '08:30' } } });
    const t = nextSendTime({ channel: 'email', zone: 'Australia/Sydney', location: NSW, now: '2025-06-02T21:00:00Z', config });
    expect(local(t, 'Australia/Sydney')).toBe('Tue 2025-06-03 08:00:00');
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const ZONES = [
  { zone: 'Australia/Sydney', location: NSW },
  { zone: 'Australia/Adelaide', location: SA },
  { zone: 'Australia/Perth', location: WA },
  { zone: 'America/New_York', location: NY },
  { zone: 'Europe/London', location: ENG },
] as const;

/** DST transition days (and the Monday after) of the zones above, 2024-2027. */
const DST_DAYS = [
  '2024-04-07',
  '2024-10-06',
  '2025-04-06',
  '2025-10-05',
  '2026-04-05',
  '2026-10-04',
  '2027-04-04',
  '2027-10-03', // Sydney, Adelaide
  '2024-03-10',
  '2024-11-03',
  '2025-03-09',
  '2025-11-02',
  '2026-03-08',
  '2026-11-01',
  '2027-03-14',
  '2027-11-07', // New York
  '2024-03-31',
  '2024-10-27',
  '2025-03-30',
  '2025-10-26',
  '2026-03-29',
  '2026-10-25',
  '2027-03-28',
  '2027-10-31', // London
];

const holidayTypes = defaultDomainConfig.windows.holidayTypes as readonly string[];
const hdCache = new Map<string, Set<string>>();
/** Independent holiday check straight from date-holidays. */
function isPublicHoliday(location: { country: string; state: string }, isoDate: string): boolean {
  const key = `${location.country}-${location.state}-${isoDate.slice(0, 4)}`;
  let set = hdCache.get(key);
  if (!set) {
    const hd = new Holidays(location.country, location.state);
    set = new Set(
      hd
        .getHolidays(Number(isoDate.slice(0, 4)))
        .filter((h) => holidayTypes.includes(h.type))
        .map((h) => h.date.slice(0, 10)),
    );
    hdCache.set(key, set);
  }
  return set.has(isoDate);
}

const EXPECTED: Record<'email' | 'voice' | 'sms' | 'linkedin', { days: number[]; open: [number, number][] }> = {
  email: { days: [1, 2, 3, 4, 5], open: [[540, 660]] },
  voice: {
    days: [1, 2, 3, 4, 5],
    open: [
      [540, 720],
      [780, 1020],
    ],
  },
  sms: { days: [1, 2, 3, 4, 5], open: [[540, 1020]] },
  linkedin: { days: [1, 2, 3, 4, 5, 6], open: [[480, 1080]] },
};

const nowArb = fc.oneof(
  fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2027, 11, 31) }),
  fc
    .tuple(fc.constantFrom(...DST_DAYS), fc.integer({ min: -36 * 3_600_000, max: 60 * 3_600_000 }))
    .map(([day, offset]) => Date.parse(`${day}T00:00:00Z`) + offset),
);

describe('windows: properties', () => {
  it('ED-003/VO-005: a computed send time is always inside its window, at or after now, and never on a public holiday (any zone, any now, DST days included)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.constantFrom('email', 'voice', 'sms', 'linkedin' as const),
        nowArb,
        fc.option(fc.string({ maxLength: 12 }), { nil: undefined }),
        ({ zone, location }, channel, now, seed) => {
          const t = nextSendTime({ channel, zone, location, now, seed });
          expect(t.getTime()).toBeGreaterThanOrEqual(now);
          const dt = DateTime.fromJSDate(t, { zone });
          const minute = dt.hour * 60 + dt.minute + dt.second / 60 + dt.millisecond / 60000;
          const rule = EXPECTED[channel];
          expect(rule.days).toContain(dt.weekday);
          expect(rule.open.some(([a, b]) => minute >= a && minute < b)).toBe(true);
          expect(isPublicHoliday(location, dt.toISODate()!)).toBe(false);
          expect(isInsideWindow({ channel, zone, location, at: t })).toBe(true);
          if (channel === 'email' && seed !== undefined) expect(dt.second + dt.millisecond).toBe(0);
          // Earliest: without a random minute, the instant just before is closed (or before now).
          if (seed === undefined || channel !== 'email') {
            if (t.getTime() > now) expect(isInsideWindow({ channel, zone, location, at: t.getTime() - 1 })).toBe(false);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('ED-003: when now is inside the window, the earliest send time is now', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.constantFrom('voice', 'sms', 'linkedin' as const),
        nowArb,
        ({ zone, location }, channel, now) => {
          if (isInsideWindow({ channel, zone, location, at: now })) {
            expect(nextSendTime({ channel, zone, location, now }).getTime()).toBe(now);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
