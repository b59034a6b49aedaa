import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defaultDomainConfig, parseDomainConfig, warmupVolume } from '../../domain/index.js';

describe('warmup volume for Warmforge from the configured ramp (RP-006, ED-001)', () => {
  // DOMAIN.md's ramp 5/10/20/35/50 from days 1/4/8/15/22, Warmforge's most 20 a day (PROVIDERS.md 5):
  // start = the ramp today, top = 20 (reached by the ramp on day 8), increase = ceil((top - start) / days to day 8).
  it.each([
    [1, { minEmailsPerDay: 5, maxEmailsPerDay: 20, emailRampUp: 3, replyRatePercent: 30 }], // 15 / 7 days
    [3, { minEmailsPerDay: 5, maxEmailsPerDay: 20, emailRampUp: 3, replyRatePercent: 30 }], // 15 / 5
    [4, { minEmailsPerDay: 10, maxEmailsPerDay: 20, emailRampUp: 3, replyRatePercent: 30 }], // 10 / 4
    [5, { minEmailsPerDay: 10, maxEmailsPerDay: 20, emailRampUp: 4, replyRatePercent: 30 }], // 10 / 3
    [7, { minEmailsPerDay: 10, maxEmailsPerDay: 20, emailRampUp: 10, replyRatePercent: 30 }], // 10 / 1
    [8, { minEmailsPerDay: 20, maxEmailsPerDay: 20, emailRampUp: 0, replyRatePercent: 30 }],
    [30, { minEmailsPerDay: 20, maxEmailsPerDay: 20, emailRampUp: 0, replyRatePercent: 30 }],
    [0, { minEmailsPerDay: 5, maxEmailsPerDay: 20, emailRampUp: 3, replyRatePercent: 30 }], // before the purchase: day 1
  ])('RP-006 ED-001: DOMAIN.md ramp, domain day %i -> %j', (day, expected) => {
    expect(warmupVolume(day, defaultDomainConfig)).toEqual(expected);
  });

  it('RP-006 ED-001: another configured ramp, top and reply rate give other settings', () => {
    const other = parseDomainConfig({
      email: {
        warmupRamp: [
          { fromDay: 1, limit: 2 },
          { fromDay: 3, limit: 6 },
          { fromDay: 6, limit: 12 },
        ],
        warmup: { replyRatePercent: 40 },
      },
    });
    expect(warmupVolume(1, other)).toEqual({ minEmailsPerDay: 2, maxEmailsPerDay: 12, emailRampUp: 2, replyRatePercent: 40 }); // 10 / 5
    expect(warmupVolume(3, other)).toEqual({ minEmailsPerDay: 6, maxEmailsPerDay: 12, emailRampUp: 2, replyRatePercent: 40 }); // 6 / 3
    const lowTop = parseDomainConfig({ email: { warmup: { maxEmailsPerDay: 8 } } });
    // 5 on day 1; the ramp passes 8 on day 4 (10, capped at 8): 3 / 3 days.
    expect(warmupVolume(1, lowTop)).toEqual({ minEmailsPerDay: 5, maxEmailsPerDay: 8, emailRampUp: 1, replyRatePercent: 30 });
    const fromZero = parseDomainConfig({
      email: {
        warmupRamp: [
          { fromDay: 1, limit: 0 },
          { fromDay: 2, limit: 10 },
        ],
      },
    });
    // Warmforge sends at least 1 a day.
    expect(warmupVolume(1, fromZero)).toEqual({ minEmailsPerDay: 1, maxEmailsPerDay: 10, emailRampUp: 9, replyRatePercent: 30 });
  });

  it('RP-006: the warmup settings refuse values outside Warmforge ranges', () => {
    expect(() => parseDomainConfig({ email: { warmup: { maxEmailsPerDay: 21 } } })).toThrow();
    expect(() => parseDomainConfig({ email: { warmup: { replyRatePercent: 51 } } })).toThrow();
    expect(defaultDomainConfig.email.warmup).toEqual({ maxEmailsPerDay: 20, replyRatePercent: 30 });
  });

  const rampArb = fc
    .array(fc.record({ gap: fc.integer({ min: 1, max: 10 }), limit: fc.integer({ min: 0, max: 100 }) }), { minLength: 1, maxLength: 6 })
    .map((steps) => {
      let day = 1;
      return steps.map((s, i) => {
        if (i > 0) day += s.gap;
        return { fromDay: day, limit: s.limit };
      });
    });

  it('RP-006 ED-001: property: in Warmforge ranges, starting at the ramp today, reaching the top no later than the ramp with the smallest such increase', () => {
    fc.assert(
      fc.property(
        rampArb,
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 1, max: 70 }),
        (ramp, most, replyRatePercent, day) => {
          const config = parseDomainConfig({ email: { warmupRamp: ramp, warmup: { maxEmailsPerDay: most, replyRatePercent } } });
          const v = warmupVolume(day, config);
          // The ramp on a day, capped to what Warmforge sends (at least 1), from the steps as written.
          const onDay = (d: number) => Math.max(1, Math.min(most, [...ramp].reverse().find((s) => s.fromDay <= d)!.limit));
          expect(v.replyRatePercent).toBe(replyRatePercent);
          expect(v.minEmailsPerDay).toBe(onDay(day));
          expect(v.minEmailsPerDay).toBeGreaterThanOrEqual(1);
          expect(v.maxEmailsPerDay).toBeLessThanOrEqual(most);
          expect(v.maxEmailsPerDay).toBeGreaterThanOrEqual(v.minEmailsPerDay);
          expect(v.emailRampUp).toBeGreaterThanOrEqual(0);
          expect(v.emailRampUp).toBeLessThanOrEqual(Math.max(0, v.maxEmailsPerDay - v.minEmailsPerDay));
          // The top is the most the ramp reaches from today on.
          const lastDay = ramp[ramp.length - 1]!.fromDay;
          const days = Array.from({ length: Math.max(0, lastDay - day) + 1 }, (_, i) => day + i);
          expect(v.maxEmailsPerDay).toBe(Math.max(...days.map(onDay)));
          if (v.maxEmailsPerDay > v.minEmailsPerDay) {
            // The day the ramp first gets to the top: the linear volume is there too, and one less a day would not be.
            const reach = days.find((d) => onDay(d) >= v.maxEmailsPerDay)!;
            expect(v.minEmailsPerDay + v.emailRampUp * (reach - day)).toBeGreaterThanOrEqual(v.maxEmailsPerDay);
            expect(v.minEmailsPerDay + (v.emailRampUp - 1) * (reach - day)).toBeLessThan(v.maxEmailsPerDay);
          } else {
            expect(v.emailRampUp).toBe(0);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
