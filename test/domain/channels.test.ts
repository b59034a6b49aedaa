import { describe, expect, it } from 'vitest';
import { allowedChannels, allowedChannelsForScore, isChannelAllowed, type LeadTier } from '../../domain/index.js';

describe('channels: gating (AD-004, LI-005)', () => {
  it.each([
    ['Hot', ['email', 'sms', 'linkedin', 'voice']],
    ['Warm', ['email', 'sms', 'linkedin', 'voice']],
    ['Cool', ['email', 'linkedin']],
    ['Cold', ['email']],
    ['Dead', []],
  ] as [LeadTier, string[]][])('AD-004: %s may use %j', (tier, channels) => {
    expect([...allowedChannels(tier)].sort()).toEqual([...channels].sort());
  });

  it.each([
    ['Cool', true],
    ['Warm', true],
    ['Hot', true],
    ['Cold', false],
    ['Dead', false],
  ] as [LeadTier, boolean][])('LI-005: LinkedIn for %s is %s', (tier, allowed) => {
    expect(isChannelAllowed(tier, 'linkedin')).toBe(allowed);
  });

  it('AD-004: gating by score goes through the tier', () => {
    expect(allowedChannelsForScore(40)).toEqual(['email', 'linkedin']);
    expect(allowedChannelsForScore(10)).toEqual([]);
  });
});
