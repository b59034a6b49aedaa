import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  acceptRate,
  acceptRateCut,
  canReserve,
  connectionDeadlines,
  connectionStateAt,
  postAcceptMessageAt,
  seatAgeDays,
  seatLimits,
} from '../../domain/index.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const T0 = Date.parse('2025-06-01T00:00:00Z');

describe('linkedin: seat limits (LI-004, LI-006)', () => {
  it.each([
    [1, 5],
    [3, 5],
    [4, 10],
    [7, 10],
    [8, 15],
    [10, 15],
    [11, 20],
    [14, 20],
    [15, 20],
    [60, 20],
  ])('LI-004: a new seat on day %i may send %i a day (ramp 5/10/15/20 over two weeks)', (day, daily) => {
    const now = T0 + (day - 1) * DAY + 3 * HOUR;
    expect(seatAgeDays(T0, now)).toBe(day);
    const l = seatLimits({ startedAt: T0 }, now);
    expect(l.daily).toBe(daily);
    expect(l.weekly).toBe(80);
    expect(l.hourly).toBe(8);
  });

  it.each([
    [0.5, 0, 20, 80],
    [0.3, 0, 20, 80],
    [0.29, 0.25, 15, 60],
    [0.2, 0.25, 15, 60],
    [0.19, 0.5, 10, 40],
    [0, 0.5, 10, 40],
    [null, 0, 20, 80],
  ])('LI-006: accept rate %s cuts the limits by %s -> %i a day, %i a week', (rate, cut, daily, weekly) => {
    expect(acceptRateCut(rate)).toBe(cut);
    const l = seatLimits({ startedAt: T0, acceptRate: rate }, T0 + 30 * DAY);
    expect([l.daily, l.weekly]).toEqual([daily, weekly]);
  });

  it('LI-006: a restricted or checkpointed seat is paused', () => {
    expect(seatLimits({ startedAt: T0, status: 'restricted' }, T0 + 30 * DAY)).toMatchObject({ daily: 0, weekly: 0, paused: true });
    expect(seatLimits({ startedAt: T0, status: 'checkpoint' }, T0 + 30 * DAY).paused).toBe(true);
  });

  it('LI-006: the 7-day accept rate counts requests sent in the last 7 days', () => {
    const now = T0 + 10 * DAY;
    const reqs = [
      { sentAt: now - 1 * DAY, acceptedAt: now - 0.5 * DAY },
      { sentAt: now - 2 * DAY, acceptedAt: null },
      { sentAt: now - 3 * DAY },
      { sentAt: now - 6 * DAY, acceptedAt: now - 5 * DAY },
      { sentAt: now - 8 * DAY, acceptedAt: now - 7.5 * DAY }, // outside the window
    ];
    expect(acceptRate(reqs, now)).toEqual({ sent: 4, accepted: 2, rate: 0.5 });
    expect(acceptRate([], now).rate).toBeNull();
  });
});

describe('linkedin: reservations (LI-004)', () => {
  const limits = { daily: 20, weekly: 80, hourly: 8 };

  it('LI-004: the 21st request of a day is refused until the next day', () => {
    const day = Array.from({ length: 20 }, (_, i) => T0 + i * 10 * 60_000);
    const r = canReserve(day, T0 + 5 * HOUR, limits);
    expect(r).toEqual({ ok: false, reason: 'daily_cap', retryAt: new Date(T0 + DAY) });
    expect(canReserve(day.slice(1), T0 + 5 * HOUR, limits)).toEqual({ ok: true });
  });

  it('LI-004: the daily cap follows the seat-local calendar day', () => {
    const zone = 'Australia/Sydney';
    const start = DateTime.fromISO('2025-06-02T08:00', { zone }).toMillis();
    const day = Array.from({ length: 20 }, (_, i) => start + i * 20 * 60_000);
    const nextLocalMorning = DateTime.fromISO('2025-06-03T08:00', { zone }).toMillis();
    expect(canReserve(day, start + 10 * HOUR, { ...limits, zone }).ok).toBe(false);
    expect(canReserve(day, nextLocalMorning, { ...limits, zone }).ok).toBe(true);
  });

  it('LI-004: at most 80 in any rolling 7 days', () => {
    // 20 a day on 4 days = 80
    const hist = [0, 1, 2, 3].flatMap((d) => Array.from({ length: 20 }, (_, i) => T0 + d * DAY + 8 * HOUR + i * 10 * 60_000));
    const r = canReserve(hist, T0 + 5 * DAY + 9 * HOUR, limits);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe('weekly_cap');
      expect(r.retryAt?.toISOString()).toBe(new Date(hist[0]! + 7 * DAY).toISOString());
    }
    expect(canReserve(hist, hist[0]! + 7 * DAY, limits).ok).toBe(true);
  });

  it('LI-004: pacing: at most 8 in any hour', () => {
    const hist = Array.from({ length: 8 }, (_, i) => T0 + 9 * HOUR + i * 60_000);
    expect(canReserve(hist, T0 + 9 * HOUR + 30 * 60_000, limits)).toMatchObject({ ok: false, reason: 'hourly_cap' });
    expect(canReserve(hist, T0 + 10 * HOUR, limits).ok).toBe(true);
  });

  it('LI-004: a paused seat reserves nothing', () => {
    expect(canReserve([], T0, { ...limits, paused: true })).toEqual({ ok: false, reason: 'paused' });
  });

  it('LI-004: caps are never exceeded by any sequence of reservations (any order, any zone)', () => {
    const W = 7 * DAY;
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 21 * DAY }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 80 }),
        fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
        fc.constantFrom(undefined, 'Australia/Sydney', 'Australia/Adelaide', 'Australia/Perth', 'America/New_York', 'Europe/London'),
        fc.boolean(),
        (offsets, daily, weekly, hourly, zone, sorted) => {
          const attempts = offsets.map((o) => Date.parse('2025-03-20T00:00:00Z') + o); // spans DST changes
          if (sorted) attempts.sort((a, b) => a - b);
          const accepted: number[] = [];
          const lim = { daily, weekly, hourly, zone };
          for (const t of attempts) if (canReserve(accepted, t, lim).ok) accepted.push(t);
          expect(accepted.length).toBeGreaterThan(0);
          // daily: per local calendar day
          const perDay = new Map<string, number>();
          for (const t of accepted) {
            const key = zone ? DateTime.fromMillis(t, { zone }).toISODate()! : new Date(t).toISOString().slice(0, 10);
            perDay.set(key, (perDay.get(key) ?? 0) + 1);
          }
          for (const n of perDay.values()) expect(n).toBeLessThanOrEqual(daily);
          // rolling windows: the busiest window ends at an event
          for (const e of accepted) {
            expect(accepted.filter((x) => x > e - W && x <= e).length).toBeLessThanOrEqual(weekly);
            if (hourly !== undefined) expect(accepted.filter((x) => x > e - HOUR && x <= e).length).toBeLessThanOrEqual(hourly);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('LI-004: with seat limits from the ramp, a new seat never exceeds its ramp', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 14 * DAY - 1 }), { maxLength: 400 }), (offsets) => {
        const attempts = offsets.map((o) => T0 + o).sort((a, b) => a - b);
        const accepted: number[] = [];
        for (const t of attempts) {
          const l = seatLimits({ startedAt: T0 }, t);
          if (canReserve(accepted, t, { daily: l.daily, weekly: l.weekly, hourly: l.hourly }).ok) accepted.push(t);
        }
        for (const t of accepted) {
          const sameDay = accepted.filter((x) => Math.floor((x - T0) / DAY) === Math.floor((t - T0) / DAY)).length;
          expect(sameDay).toBeLessThanOrEqual(seatLimits({ startedAt: T0 }, t).daily);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('linkedin: connection states (LI-002, LI-003)', () => {
  const sent = '2025-06-01T10:00:00Z';
  it.each([
    [null, '2025-06-02T10:00:00Z', 'pending'],
    [null, '2025-06-15T09:59:59Z', 'pending'],
    [null, '2025-06-15T10:00:00Z', 'ignored'], // 14 days without answer
    [null, '2025-07-01T09:59:59Z', 'ignored'],
    [null, '2025-07-01T10:00:00Z', 'withdrawn'], // 30 days
    ['2025-06-03T10:00:00Z', '2025-06-04T10:00:00Z', 'accepted'],
    ['2025-06-03T10:00:00Z', '2025-06-02T10:00:00Z', 'pending'], // not accepted yet at that time
    ['2025-06-20T10:00:00Z', '2025-06-25T10:00:00Z', 'accepted'], // accepted after being counted ignored
    ['2025-07-02T10:00:00Z', '2025-07-03T10:00:00Z', 'withdrawn'], // too late: withdrawn first
  ])('LI-002: accepted at %s, at %s -> %s', (acceptedAt, now, state) => {
    expect(connectionStateAt(sent, acceptedAt, now)).toBe(state);
  });

  it('LI-002: deadlines are 14 and 30 days after sending', () => {
    const d = connectionDeadlines(sent);
    expect(d.ignoredAt.toISOString()).toBe('2025-06-15T10:00:00.000Z');
    expect(d.withdrawAt.toISOString()).toBe('2025-07-01T10:00:00.000Z');
  });

  it('LI-003: the post-accept message is due 2 days after acceptance', () => {
    expect(postAcceptMessageAt('2025-06-03T10:15:00Z').toISOString()).toBe('2025-06-05T10:15:00.000Z');
  });
});
