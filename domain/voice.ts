/**
 * Voice call outcomes and retries (VO-002, VO-004, VO-006): answered done; voicemail done (leave
 * the message or hang up, per client); busy retried after 2 hours at most twice; no answer
 * retried the next business day once; failed recorded, no retry. Retries land inside the voice
 * window (VO-005) and never on a public holiday.
 */
import { defaultDomainConfig, type DomainConfig, type VoicemailBehaviour } from './config.js';
import type { Location } from './holidays.js';
import { MINUTE_MS, toMillis, type InstantInput } from './instant.js';
import { nextSendTime, startOfNextLocalDay } from './windows.js';

export const VOICE_OUTCOMES = ['answered', 'voicemail', 'busy', 'no_answer', 'failed'] as const;
export type VoiceOutcome = (typeof VOICE_OUTCOMES)[number];

export type VoiceRetryDecision =
  | {
      retry: false;
      /** true when the touch counts as delivered (answered, voicemail); false when it ended without reaching the lead. */
      done: boolean;
      reason: 'answered' | 'voicemail' | 'failed' | 'busy_retries_exhausted' | 'no_answer_retries_exhausted';
    }
  | {
      retry: true;
      /** The earliest instant of the retry, inside the voice window. */
      notBefore: Date;
      reason: 'busy' | 'no_answer';
    };

/**
 * What to do after a call ended with `outcome`. `attemptsSoFar` counts the calls made for this
 * step including the one that just ended (1 after the first call); retries used = attempts - 1,
 * so busy allows attempts 2 and 3, no answer allows attempt 2 (VO-002, VO-004, VO-006).
 */
export function voiceRetryDecision(
  outcome: VoiceOutcome,
  attemptsSoFar: number,
  endedAt: InstantInput,
  zone: string,
  location: Location | null | undefined,
  config: DomainConfig = defaultDomainConfig,
): VoiceRetryDecision {
  const retriesUsed = Math.max(0, Math.floor(attemptsSoFar) - 1);
  switch (outcome) {
    case 'answered':
      return { retry: false, done: true, reason: 'answered' };
    case 'voicemail':
      return { retry: false, done: true, reason: 'voicemail' };
    case 'failed':
      return { retry: false, done: false, reason: 'failed' };
    case 'busy': {
      if (retriesUsed >= config.voice.busyMaxRetries) return { retry: false, done: false, reason: 'busy_retries_exhausted' };
      const earliest = toMillis(endedAt) + config.voice.busyRetryAfterMinutes * MINUTE_MS;
      return { retry: true, reason: 'busy', notBefore: nextSendTime({ channel: 'voice', zone, location, now: earliest, config }) };
    }
    case 'no_answer': {
      if (retriesUsed >= config.voice.noAnswerMaxRetries) return { retry: false, done: false, reason: 'no_answer_retries_exhausted' };
      const nextDay = startOfNextLocalDay(zone, endedAt);
      return { retry: true, reason: 'no_answer', notBefore: nextSendTime({ channel: 'voice', zone, location, now: nextDay, config }) };
    }
    default: {
      const never: never = outcome;
      throw new RangeError(`unknown voice outcome: ${String(never)}`);
    }
  }
}

/** On voicemail: leave the client's configured message or hang up (VO-004). */
export function voicemailAction(config: DomainConfig = defaultDomainConfig): VoicemailBehaviour {
  return config.voice.voicemail;
}
