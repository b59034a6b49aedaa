import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  clientColdCap,
  clientDailyCapacity,
  domainAgeDays,
  healthDailyLimitCap,
  isReadyForColdSending,
  isWarmupRampComplete,
  mailboxSendLimit,
  parseDomainConfig,
  replyReserve,
  resolveClientConfig,
  warmupDailyLimit,
  warmupRampFinalDay,
  type DomainHealthClass,
} from '../../domain/index.js';

describe('warmup: ramp by domain age (ED-001)', () => {
  it.each([
    [0, 0],
    [1, 5],
    [3, 5],
    [4, 10],
    [7, 10],
    [8, 20],
    [14, 20],
    [15, 35],
    [21, 35],
    [22, 50],
    [365, 50],
  ])('ED-001: domain age day %i -> %i per mailbox per day', (age, limit) => {
    expect(warmupDailyLimit(age)).toBe(limit);
  });

  it('ED-001: the purchase day is day 1', () => {
    const bought = '2025-06-01T10:00:00Z';
    expect(domainAgeDays(bought, '2025-06-01T10:00:00Z')).toBe(1);
    expect(domainAgeDays(bought, '2025-06-02T09:59:59Z')).toBe(1);
    expect(domainAgeDays(bought, '2025-06-02T10:00:00Z')).toBe(2);
    expect(domainAgeDays(bought, '2025-05-31T00:00:00Z')).toBe(0);
  });

  it('ED-001/RP-006: ready for cold sending at heat score >= 85', () => {
    expect(isReadyForColdSending(84.9)).toBe(false);
    expect(isReadyForColdSending(85)).toBe(true);
    expect(isReadyForColdSending(null)).toBe(false);
  });

  it('ED-001: the ramp is complete from its last step (day 22), for any configured ramp', () => {
    expect(warmupRampFinalDay()).toBe(22);
    expect([1, 21, 22, 40].map((d) => isWarmupRampComplete(d))).toEqual([false, false, true, true]);
    const short = parseDomainConfig({
      email: {
        warmupRamp: [
          { fromDay: 1, limit: 3 },
          { fromDay: 5, limit: 9 },
        ],
      },
    });
    expect([4, 5].map((d) => isWarmupRampComplete(d, short))).toEqual([false, true]);
  });
});

describe('warmup: the limit a mailbox sends under (ED-001, ED-004, ED-006)', () => {
  // DOMAIN.md: min(the row's ramp limit, 50 per mailbox, 35 in Warning / 0 when Critical), 10% kept for replies, cold only from heat 85.
  it.each([
    [
      'day 2 of the ramp (5), ready early',
      { dailyLimit: 5, heatScore: 90 },
      { total: 5, replyReserve: 1, cold: 4, coldReady: true, basis: 'ramp' },
    ],
    [
      'day 5 (10), not ready yet',
      { dailyLimit: 10, heatScore: 40 },
      { total: 10, replyReserve: 1, cold: 0, coldReady: false, basis: 'ramp' },
    ],
    [
      'day 16 (35), ready: the ramp, not 50',
      { dailyLimit: 35, heatScore: 86 },
      { total: 35, replyReserve: 4, cold: 31, coldReady: true, basis: 'ramp' },
    ],
    ['day 22+ (50)', { dailyLimit: 50, heatScore: 90 }, { total: 50, replyReserve: 5, cold: 45, coldReady: true, basis: 'ramp' }],
    [
      'a row above the cap',
      { dailyLimit: 80, heatScore: 90 },
      { total: 50, replyReserve: 5, cold: 45, coldReady: true, basis: 'mailbox_cap' },
    ],
    [
      'Warning caps 50 at 35',
      { dailyLimit: 50, heatScore: 90, health: 'warning' },
      { total: 35, replyReserve: 4, cold: 31, coldReady: true, basis: 'health_warning' },
    ],
    [
      'Warning leaves a lower ramp',
      { dailyLimit: 20, heatScore: 90, health: 'warning' },
      { total: 20, replyReserve: 2, cold: 18, coldReady: true, basis: 'ramp' },
    ],
    [
      'Warning at the ramp (a tie)',
      { dailyLimit: 35, heatScore: 90, health: 'warning' },
      { total: 35, replyReserve: 4, cold: 31, coldReady: true, basis: 'ramp' },
    ],
    [
      'Critical pauses',
      { dailyLimit: 50, heatScore: 90, health: 'critical' },
      { total: 0, replyReserve: 0, cold: 0, coldReady: false, basis: 'health_critical' },
    ],
    [
      'an operator pause',
      { dailyLimit: 50, heatScore: 90, paused: true },
      { total: 0, replyReserve: 0, cold: 0, coldReady: false, basis: 'paused' },
    ],
    ['heat exactly 85', { dailyLimit: 20, heatScore: 85 }, { total: 20, replyReserve: 2, cold: 18, coldReady: true, basis: 'ramp' }],
    ['heat 84', { dailyLimit: 20, heatScore: 84 }, { total: 20, replyReserve: 2, cold: 0, coldReady: false, basis: 'ramp' }],
    ['no heat score yet', { dailyLimit: 20, heatScore: null }, { total: 20, replyReserve: 2, cold: 0, coldReady: false, basis: 'ramp' }],
    ['a row of 0', { dailyLimit: 0, heatScore: 90 }, { total: 0, replyReserve: 0, cold: 0, coldReady: true, basis: 'ramp' }],
    ['a broken row (negative)', { dailyLimit: -4, heatScore: 90 }, { total: 0, replyReserve: 0, cold: 0, coldReady: true, basis: 'ramp' }],
  ] as const)('ED-001 ED-004: %s', (_name, input, expected) => {
    expect(mailboxSendLimit(input)).toEqual(expected);
  });

  it('ED-004: the health classes cap a mailbox at nothing, 35 and 0', () => {
    expect((['good', 'warning', 'critical'] as const).map((c) => healthDailyLimitCap(c))).toEqual([null, 35, 0]);
  });

  it('ED-001 ED-004 ED-006: property: the total is min(row, per-mailbox cap, health cap), 0 when paused or Critical; 10% kept; cold only from heat 85', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -5, max: 300 }),
        fc.constantFrom<DomainHealthClass>('good', 'warning', 'critical'),
        fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
        fc.boolean(),
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 0, max: 50 }),
        (row, health, heatScore, paused, perMailbox, warning, reservePct) => {
          const config = parseDomainConfig({
            email: { warmedMailboxDailyLimit: perMailbox, replyReservePercent: reservePct },
            domainHealth: { warningDailyLimit: warning },
          });
          const l = mailboxSendLimit({ dailyLimit: row, health, heatScore, paused }, config);
          // The rule as written, independently of the function.
          const expectedTotal =
            paused || health === 'critical' ? 0 : Math.min(Math.max(0, row), perMailbox, health === 'warning' ? warning : Infinity);
          const expectedReserve = expectedTotal === 0 ? 0 : Math.ceil((expectedTotal * reservePct) / 100 - 1e-9);
          const ready = !paused && health !== 'critical' && heatScore !== null && heatScore >= 85;
          expect(l.total).toBe(expectedTotal);
          expect(l.replyReserve).toBe(expectedReserve);
          expect(l.cold).toBe(ready ? expectedTotal - expectedReserve : 0);
          expect(l.coldReady).toBe(ready);
          expect(l.cold).toBeLessThanOrEqual(Math.max(0, row));
          // A higher row never lowers the limit.
          expect(mailboxSendLimit({ dailyLimit: row + 1, health, heatScore, paused }, config).total).toBeGreaterThanOrEqual(l.total);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('ED-001: 10% of a day is kept for replies; 200 per client per day', () => {
    expect([0, 5, 10, 35, 50, 200].map((n) => replyReserve(n))).toEqual([0, 1, 1, 4, 5, 20]);
    expect(clientDailyCapacity([50, 50, 50, 50, 50, 50])).toEqual({ capacity: 200, replyReserve: 20, cold: 180 });
    expect(clientDailyCapacity([10, 10])).toEqual({ capacity: 20, replyReserve: 2, cold: 18 });
    expect(clientColdCap()).toBe(180);
    expect(clientColdCap(resolveClientConfig({ email: { clientDailyCap: 100 } }))).toBe(90);
  });
});
