import { describe, expect, it } from 'vitest';
import { dncrApplies, dncrDecision, isWashFresh, needsWash, washExpiresAt, type DncrStatus } from '../../domain/index.js';

const NOW = '2025-06-30T12:00:00Z';

describe('dncr: wash freshness (SM-002)', () => {
  it.each([
    ['2025-06-30T11:00:00Z', true, 'an hour old'],
    ['2025-05-31T12:00:01Z', true, '1 second under 30 days'],
    ['2025-05-31T12:00:00Z', false, 'exactly 30 days: expired'],
    ['2025-05-01T00:00:00Z', false, 'two months old'],
    ['2025-06-30T12:04:00Z', true, '4 minutes in the future (clock skew)'],
    ['2025-07-01T00:00:00Z', false, 'half a day in the future: not trusted'],
    [null, false, 'never washed'],
  ])('SM-002: a wash at %s is fresh: %s (%s)', (washedAt, fresh, _why) => {
    expect(isWashFresh(washedAt, NOW)).toBe(fresh);
    expect(needsWash(washedAt, NOW)).toBe(!fresh);
  });

  it('SM-002: a wash expires 30 days after it was done', () => {
    expect(washExpiresAt('2025-06-01T00:00:00Z').toISOString()).toBe('2025-07-01T00:00:00.000Z');
  });
});

describe('dncr: decision before a call or SMS, fail closed (SM-001)', () => {
  it.each([
    [{ registered: false, washedAt: '2025-06-20T00:00:00Z' }, true, 'clear'],
    [{ registered: true, washedAt: '2025-06-20T00:00:00Z' }, false, 'registered'],
    [{ registered: false, washedAt: '2025-04-20T00:00:00Z' }, false, 'wash_stale'],
    [{ registered: null, washedAt: null }, false, 'not_washed'],
    [{}, false, 'not_washed'],
    [{ registered: false, washedAt: '2025-04-20T00:00:00Z', registerAvailable: false }, false, 'register_unavailable'],
    [{ washedAt: null, registerAvailable: false }, false, 'register_unavailable'],
    [{ registered: false, washedAt: '2025-06-20T00:00:00Z', registerAvailable: false }, true, 'clear'], // the fresh wash is still valid
    [{ registered: null, washedAt: '2025-06-20T00:00:00Z' }, false, 'unknown_result'],
  ] as [DncrStatus, boolean, string][])('SM-001: %j -> allowed %s (%s)', (status, allowed, reason) => {
    const d = dncrDecision(status, NOW);
    expect(d.allowed).toBe(allowed);
    expect(d.reason).toBe(reason);
    if (allowed) expect(d.validUntil?.toISOString()).toBe('2025-07-20T00:00:00.000Z');
  });

  it.each([
    ['+61412345678', 'voice', true],
    ['+61412345678', 'sms', true],
    ['+61412345678', 'email', false],
    ['+61298765432', 'voice', true],
    ['+447911123456', 'voice', false],
    ['+12125550100', 'sms', false],
    ['garbage', 'voice', true], // cannot tell the country: covered (fail closed)
    [null, 'voice', false],
  ] as [string | null, 'voice' | 'sms' | 'email', boolean][])('SM-001: the register applies to %s on %s: %s', (phone, channel, applies) => {
    expect(dncrApplies(phone, channel)).toBe(applies);
  });
});
