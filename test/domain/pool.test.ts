import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocateForTier,
  allocationOrder,
  bufferStatus,
  parseDomainConfig,
  purchasePlan,
  tierChange,
  tierForStripePrice,
  tierResources,
  type BillingTier,
  type PoolResource,
} from '../../domain/index.js';

describe('pool: tier resources (SYS-005, RP-001)', () => {
  it.each([
    ['Ignition', { domains: 3, mailboxes: 6, phoneNumbers: 1, linkedinSeats: 4 }],
    ['Velocity', { domains: 5, mailboxes: 10, phoneNumbers: 2, linkedinSeats: 7 }],
    ['Dominance', { domains: 9, mailboxes: 18, phoneNumbers: 3, linkedinSeats: 14 }],
  ] as [BillingTier, object][])('SYS-005: %s gets %j', (tier, res) => {
    expect(tierResources(tier)).toEqual(res);
  });

  it('SYS-005: a Stripe price maps to a tier through configuration', () => {
    const config = parseDomainConfig({ pool: { stripePriceTiers: { price_123: 'Velocity' } } });
    expect(tierForStripePrice('price_123', config)).toBe('Velocity');
    expect(tierForStripePrice('price_x', config)).toBeNull();
  });

  it('RP-001: upgrades apply at once, downgrades at the end of the period', () => {
    const now = '2025-06-10T00:00:00Z';
    const end = '2025-07-01T00:00:00Z';
    expect(tierChange('Ignition', 'Velocity', now, end)).toEqual({
      direction: 'upgrade',
      effectiveAt: new Date(now),
      delta: { domains: 2, mailboxes: 4, phoneNumbers: 1, linkedinSeats: 3 },
    });
    expect(tierChange('Dominance', 'Ignition', now, end)).toMatchObject({
      direction: 'downgrade',
      effectiveAt: new Date(end),
      delta: { domains: -6 },
    });
    expect(tierChange('Velocity', 'Velocity', now, end).direction).toBe('same');
  });
});

describe('pool: buffer, alerts and shortfall (RP-003, RP-004)', () => {
  it.each([
    // ready, allocated, pending -> level, shortfall
    [10, 20, 0, 'ok', 0], // 50%
    [8, 20, 0, 'ok', 0], // exactly 40% is not under 40%
    [7, 20, 0, 'warning', 1], // 35%: buy 1 to reach 8/20
    [4, 20, 0, 'warning', 4], // exactly 20% is not under 20%
    [3, 20, 0, 'critical', 5], // 15%
    [0, 20, 0, 'critical', 8],
    [3, 20, 3, 'critical', 2], // 3 already on their way
    [3, 20, 9, 'critical', 0],
    [5, 15, 0, 'warning', 1], // ceil(40% of 15) = 6 exactly, not 7
    [0, 0, 0, 'ok', 0], // nothing allocated
    [0, 1, 0, 'critical', 1],
  ])('RP-003: ready %i, allocated %i, pending %i -> %s, buy %i', (ready, allocated, pending, level, shortfall) => {
    const s = bufferStatus({ readyUnallocated: ready, allocated, pending });
    expect(s.level).toBe(level);
    expect(s.shortfall).toBe(shortfall);
  });

  it('RP-004: the shortfall always brings the buffer back to at least 40%, and is the smallest such purchase', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 0, max: 50 }),
        (ready, allocated, pending) => {
          const s = bufferStatus({ readyUnallocated: ready, allocated, pending });
          if (s.level === 'ok') return;
          expect((ready + pending + s.shortfall) * 100).toBeGreaterThanOrEqual(40 * allocated);
          if (s.shortfall > 0) expect((ready + pending + s.shortfall - 1) * 100).toBeLessThan(40 * allocated);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('RP-004/RP-005: domains are bought for the mailbox shortfall too (2 mailboxes each)', () => {
    const plan = purchasePlan({
      domains: { readyUnallocated: 5, allocated: 10 }, // ok
      mailboxes: { readyUnallocated: 2, allocated: 20 }, // short 6 -> 3 domains
      phoneNumbers: { readyUnallocated: 0, allocated: 5 }, // short 2
      linkedinSeats: { readyUnallocated: 10, allocated: 10 },
    });
    expect(plan).toEqual({
      domains: 3,
      mailboxes: 6,
      phoneNumbers: 2,
      linkedinSeats: 0,
      levels: { domains: 'ok', mailboxes: 'critical', phoneNumbers: 'critical', linkedinSeats: 'ok' },
    });
  });
});

describe('pool: allocation order (RP-001, SYS-005)', () => {
  const r = (id: string, warmed: boolean, reputation: number, load: number, createdAt: string, domainId?: string): PoolResource => ({
    id,
    warmed,
    reputation,
    load,
    createdAt,
    ...(domainId ? { domainId } : {}),
  });

  it('RP-001: warmed first, then better reputation, then less loaded, then oldest', () => {
    const list = [
      r('cold-best', false, 99, 0, '2024-01-01'),
      r('warm-low-rep', true, 50, 0, '2024-01-01'),
      r('warm-hi-rep-loaded', true, 90, 3, '2024-01-01'),
      r('warm-hi-rep-idle-new', true, 90, 0, '2025-01-01'),
      r('warm-hi-rep-idle-old', true, 90, 0, '2024-06-01'),
    ];
    expect(allocationOrder(list).map((x) => x.id)).toEqual([
      'warm-hi-rep-idle-old',
      'warm-hi-rep-idle-new',
      'warm-hi-rep-loaded',
      'warm-low-rep',
      'cold-best',
    ]);
  });

  it("SYS-005: a tier's allocation takes the best resources and reports what is missing; mailboxes follow their domains", () => {
    const domains = ['d1', 'd2', 'd3', 'd4'].map((id, i) => r(id, i !== 0, 80 - i, 0, '2024-01-01'));
    const mailboxes = domains.flatMap((d) => [
      r(`${d.id}-m1`, true, 80, 0, '2024-01-01', d.id),
      r(`${d.id}-m2`, true, 80, 0, '2024-01-01', d.id),
    ]);
    const res = allocateForTier('Ignition', { domains, mailboxes, phoneNumbers: [], linkedinSeats: [r('s1', true, 1, 0, '2024-01-01')] });
    expect(res.picked.domains).toEqual(['d2', 'd3', 'd4']);
    expect(res.picked.mailboxes.sort()).toEqual(['d2-m1', 'd2-m2', 'd3-m1', 'd3-m2', 'd4-m1', 'd4-m2']);
    expect(res.missing).toEqual({ domains: 0, mailboxes: 0, phoneNumbers: 1, linkedinSeats: 3 });
  });
});
