/**
 * Channel gating by lead tier (AD-004, LI-005). Checked when a sequence is generated and again
 * before each step, because a tier can change in between.
 */
import { CHANNELS, defaultDomainConfig, type Channel, type DomainConfig, type LeadTier } from './config.js';
import { tierForScore } from './scoring.js';

/** Channels a tier may use: Hot/Warm all four, Cool email + LinkedIn, Cold email, Dead none (AD-004, LI-005). */
export function allowedChannels(tier: LeadTier, config: DomainConfig = defaultDomainConfig): readonly Channel[] {
  return config.channelGating[tier];
}

/** Whether `tier` may be contacted on `channel` (AD-004, LI-005). */
export function isChannelAllowed(tier: LeadTier, channel: Channel, config: DomainConfig = defaultDomainConfig): boolean {
  return config.channelGating[tier].includes(channel);
}

/** Channels allowed for an ALS score (tier first, then gating) (AD-004, SYS-002). */
export function allowedChannelsForScore(score: number, config: DomainConfig = defaultDomainConfig): readonly Channel[] {
  return allowedChannels(tierForScore(score, config), config);
}

/** Type guard for channel names (AD-004). */
export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && (CHANNELS as readonly string[]).includes(value);
}
