import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { resolveClientConfig, voicemailAction, voiceRetryDecision, type VoiceOutcome } from '../../domain/index.js';

const zone = 'Australia/Sydney';
const NSW = { country: 'AU', state: 'NSW' };
const at = (localIso: string) => DateTime.fromISO(localIso, { zone }).toJSDate();
const local = (d: Date) => DateTime.fromJSDate(d, { zone }).toFormat('ccc yyyy-MM-dd HH:mm');

describe('voice: outcomes and retries (VO-002, VO-004, VO-006)', () => {
  it.each([
    ['answered', 1, { retry: false, done: true, reason: 'answered' }],
    ['voicemail', 1, { retry: false, done: true, reason: 'voicemail' }],
    ['failed', 1, { retry: false, done: false, reason: 'failed' }],
    ['busy', 3, { retry: false, done: false, reason: 'busy_retries_exhausted' }],
    ['no_answer', 2, { retry: false, done: false, reason: 'no_answer_retries_exhausted' }],
  ] as [VoiceOutcome, number, object][])('VO-002: %s after attempt %i -> %j', (outcome, attempts, expected) => {
    expect(voiceRetryDecision(outcome, attempts, at('2025-06-03T10:00'), zone, NSW)).toEqual(expected);
  });

  it.each([
    // busy: +2 hours, moved into the voice window
    ['busy', 1, '2025-06-03T10:00', 'Tue 2025-06-03 13:00'], // 12:00 is the lunch break -> 13:00
    ['busy', 2, '2025-06-03T09:30', 'Tue 2025-06-03 11:30'],
    ['busy', 1, '2025-06-03T15:30', 'Wed 2025-06-04 09:00'], // 17:30 is closed
    ['busy', 1, '2025-06-06T16:00', 'Tue 2025-06-10 09:00'], // Friday -> weekend -> King's Birthday Monday
    // no answer: the next business day, once
    ['no_answer', 1, '2025-06-03T10:00', 'Wed 2025-06-04 09:00'],
    ['no_answer', 1, '2025-06-05T16:59', 'Fri 2025-06-06 09:00'],
    ['no_answer', 1, '2025-06-06T10:00', 'Tue 2025-06-10 09:00'],
    ['no_answer', 1, '2025-12-24T11:00', 'Mon 2025-12-29 09:00'], // Christmas, Boxing Day, weekend
  ] as [VoiceOutcome, number, string, string][])(
    'VO-006: %s after attempt %i ending %s retries at %s',
    (outcome, attempts, ended, expected) => {
      const d = voiceRetryDecision(outcome, attempts, at(ended), zone, NSW);
      expect(d.retry).toBe(true);
      if (d.retry) {
        expect(d.reason).toBe(outcome);
        expect(local(d.notBefore)).toBe(expected);
      }
    },
  );

  it('VO-006: busy is retried at most twice (three attempts), no answer once (two attempts)', () => {
    const ended = at('2025-06-03T09:00');
    expect(voiceRetryDecision('busy', 1, ended, zone, NSW).retry).toBe(true);
    expect(voiceRetryDecision('busy', 2, ended, zone, NSW).retry).toBe(true);
    expect(voiceRetryDecision('busy', 3, ended, zone, NSW).retry).toBe(false);
    expect(voiceRetryDecision('no_answer', 1, ended, zone, NSW).retry).toBe(true);
    expect(voiceRetryDecision('no_answer', 2, ended, zone, NSW).retry).toBe(false);
  });

  it('VO-004: voicemail leaves the message or hangs up per client setting, and counts as done', () => {
    expect(voicemailAction()).toBe('leave_message');
    expect(voicemailAction(resolveClientConfig({ voice: { voicemail: 'hang_up' } }))).toBe('hang_up');
  });
});
