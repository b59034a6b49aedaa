import { describe, expect, it } from 'vitest';
import {
  clientColdCap,
  clientDailyCapacity,
  domainAgeDays,
  isReadyForColdSending,
  mailboxDailyLimit,
  replyReserve,
  resolveClientConfig,
  warmupDailyLimit,
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
});

describe('warmup: mailbox daily limit (ED-001, ED-004)', () => {
  it.each([
    [
      { domainAgeDays: 5, heatScore: 40 },
      { total: 10, replyReserve: 1, cold: 0, coldReady: false, basis: 'warmup_ramp' },
    ],
    [
      { domainAgeDays: 18, heatScore: 86 },
      { total: 50, replyReserve: 5, cold: 45, coldReady: true, basis: 'warmed' },
    ],
    [
      { domainAgeDays: 30, heatScore: 90, health: 'warning' },
      { total: 35, replyReserve: 4, cold: 31, coldReady: true, basis: 'health_warning' },
    ],
    [
      { domainAgeDays: 30, heatScore: 90, health: 'critical' },
      { total: 0, replyReserve: 0, cold: 0, coldReady: false, basis: 'health_critical' },
    ],
    [
      { domainAgeDays: 30, heatScore: 90, paused: true },
      { total: 0, replyReserve: 0, cold: 0, coldReady: false, basis: 'paused' },
    ],
    [
      { domainAgeDays: 2, heatScore: 10, health: 'warning' },
      { total: 5, replyReserve: 1, cold: 0, coldReady: false, basis: 'warmup_ramp' },
    ],
  ] as const)('ED-001: %j -> %j', (input, expected) => {
    expect(mailboxDailyLimit(input)).toEqual(expected);
  });

  it('ED-001: 10% of a day is kept for replies; 200 per client per day', () => {
    expect([0, 5, 10, 35, 50, 200].map((n) => replyReserve(n))).toEqual([0, 1, 1, 4, 5, 20]);
    expect(clientDailyCapacity([50, 50, 50, 50, 50, 50])).toEqual({ capacity: 200, replyReserve: 20, cold: 180 });
    expect(clientDailyCapacity([10, 10])).toEqual({ capacity: 20, replyReserve: 2, cold: 18 });
    expect(clientColdCap()).toBe(180);
    expect(clientColdCap(resolveClientConfig({ email: { clientDailyCap: 100 } }))).toBe(90);
  });
});
