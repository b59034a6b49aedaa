/**
 * Voice call outcomes and retries (VO-002, VO-004, VO-006): answered done; voicemail done (leave
 * the message or hang up, per client); busy retried after 2 hours at most twice; no answer
 * retried the next business day once; failed recorded, no retry. Busy and no-answer retries are
 * counted apart, each against its own maximum. Retries land inside the voice window (VO-005) and
 * never on a public holiday.
 */
import { defaultDomainConfig, type DomainConfig, type VoicemailBehaviour } from './config.js';
import type { Location } from './holidays.js';
import { MINUTE_MS, toMillis, type InstantInput } from './instant.js';
import { nextSendTime, startOfNextLocalDay } from './windows.js';

export const VOICE_OUTCOMES = ['answered', 'voicemail', 'busy', 'no_answer', 'failed'] as const;
export type VoiceOutcome = (typeof VOICE_OUTCOMES)[number];

/** How many of a step's calls ended with each outcome, the call that just ended included. */
export type CallOutcomeCounts = Partial<Record<VoiceOutcome, number>>;

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

/** Counts the outcomes of a step's calls (as recorded on their touches); anything not a voice outcome is left out. */
export function countCallOutcomes(outcomes: readonly string[]): CallOutcomeCounts {
  const counts: CallOutcomeCounts = {};
  for (const o of outcomes)
    if ((VOICE_OUTCOMES as readonly string[]).includes(o)) counts[o as VoiceOutcome] = (counts[o as VoiceOutcome] ?? 0) + 1;
  return counts;
}

/**
 * The opening of the voice window `businessDays` business days after the local day of `from`
 * (a business day: a weekday on which the window opens, so no weekend and no public holiday of
 * the recipient's location).
 */
export function businessDaysLater(
  from: InstantInput,
  businessDays: number,
  zone: string,
  location: Location | null | undefined,
  config: DomainConfig = defaultDomainConfig,
): Date {
  let at = new Date(toMillis(from));
  for (let i = 0; i < Math.max(1, Math.floor(businessDays)); i++) {
    at = nextSendTime({ channel: 'voice', zone, location, now: startOfNextLocalDay(zone, at), config });
  }
  return at;
}

/**
 * What to do after a call ended with `outcome`. `counts` says how many of this step's calls
 * ended with each outcome, the one that just ended included: every earlier call with the same
 * outcome was retried, so busy allows a retry while at most 2 busy calls came before (3 busy
 * calls in all), no answer while none did (2 in all), whatever other outcomes came between
 * (VO-002, VO-004, VO-006).
 */
export function voiceRetryDecision(
  outcome: VoiceOutcome,
  counts: CallOutcomeCounts,
  endedAt: InstantInput,
  zone: string,
  location: Location | null | undefined,
  config: DomainConfig = defaultDomainConfig,
): VoiceRetryDecision {
  // The call that just ended is one of them, whatever the caller counted.
  const retriesUsed = (o: VoiceOutcome) => Math.max(1, Math.floor(counts[o] ?? 0)) - 1;
  switch (outcome) {
    case 'answered':
      return { retry: false, done: true, reason: 'answered' };
    case 'voicemail':
      return { retry: false, done: true, reason: 'voicemail' };
    case 'failed':
      return { retry: false, done: false, reason: 'failed' };
    case 'busy': {
      if (retriesUsed('busy') >= config.voice.busyMaxRetries) return { retry: false, done: false, reason: 'busy_retries_exhausted' };
      const earliest = toMillis(endedAt) + config.voice.busyRetryAfterMinutes * MINUTE_MS;
      return { retry: true, reason: 'busy', notBefore: nextSendTime({ channel: 'voice', zone, location, now: earliest, config }) };
    }
    case 'no_answer': {
      if (retriesUsed('no_answer') >= config.voice.noAnswerMaxRetries)
        return { retry: false, done: false, reason: 'no_answer_retries_exhausted' };
      const notBefore = businessDaysLater(endedAt, config.voice.noAnswerRetryAfterBusinessDays, zone, location, config);
      return { retry: true, reason: 'no_answer', notBefore };
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
