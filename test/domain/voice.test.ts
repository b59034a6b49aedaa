import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  businessDaysLater,
  defaultDomainConfig,
  countCallOutcomes,
  isInsideWindow,
  parseDomainConfig,
  resolveClientConfig,
  voicemailAction,
  voiceRetryDecision,
  type VoiceOutcome,
} from '../../domain/index.js';

const zone = 'Australia/Sydney';
const NSW = { country: 'AU', state: 'NSW' };
const at = (localIso: string) => DateTime.fromISO(localIso, { zone }).toJSDate();
const local = (d: Date) => DateTime.fromJSDate(d, { zone }).toFormat('ccc yyyy-MM-dd HH:mm');

/** The decision after the last of `calls` (the step's calls so far, in order) ended. */
const after = (calls: VoiceOutcome[], ended = at('2025-06-03T10:00'), config = defaultDomainConfig) =>
  voiceRetryDecision(calls.at(-1)!, countCallOutcomes(calls), ended, zone, NSW, config);

describe('voice: outcomes and retries (VO-002, VO-004, VO-006)', () => {
  it.each([
    [['answered'], { retry: false, done: true, reason: 'answered' }],
    [['voicemail'], { retry: false, done: true, reason: 'voicemail' }],
    [['failed'], { retry: false, done: false, reason: 'failed' }],
    [['busy', 'busy', 'busy'], { retry: false, done: false, reason: 'busy_retries_exhausted' }],
    [['no_answer', 'no_answer'], { retry: false, done: false, reason: 'no_answer_retries_exhausted' }],
  ] as [VoiceOutcome[], object][])('VO-002: calls %j -> %j', (calls, expected) => {
    expect(after(calls)).toEqual(expected);
  });

  it.each([
    // busy: +2 hours, moved into the voice window
    ['busy', '2025-06-03T10:00', 'Tue 2025-06-03 13:00'], // 12:00 is the lunch break -> 13:00
    ['busy', '2025-06-03T09:30', 'Tue 2025-06-03 11:30'],
    ['busy', '2025-06-03T15:30', 'Wed 2025-06-04 09:00'], // 17:30 is closed
    ['busy', '2025-06-06T16:00', 'Tue 2025-06-10 09:00'], // Friday -> weekend -> King's Birthday Monday
    // no answer: the next business day, once
    ['no_answer', '2025-06-03T10:00', 'Wed 2025-06-04 09:00'],
    ['no_answer', '2025-06-05T16:59', 'Fri 2025-06-06 09:00'],
    ['no_answer', '2025-06-06T10:00', 'Tue 2025-06-10 09:00'],
    ['no_answer', '2025-12-24T11:00', 'Mon 2025-12-29 09:00'], // Christmas, Boxing Day, weekend
    ['no_answer', '2027-03-25T14:00', 'Tue 2027-03-30 09:00'], // Good Friday, weekend, Easter Monday
  ] as [VoiceOutcome, string, string][])('VO-006: %s ending %s retries at %s', (outcome, ended, expected) => {
    const d = after([outcome], at(ended));
    expect(d.retry).toBe(true);
    if (d.retry) {
      expect(d.reason).toBe(outcome);
      expect(local(d.notBefore)).toBe(expected);
    }
  });

  it.each([
    // The step's calls in order; the decision after the last one. Busy and no answer are counted apart.
    [['busy'], 'busy'],
    [['busy', 'busy'], 'busy'],
    [['busy', 'busy', 'busy'], 'busy_retries_exhausted'],
    [['no_answer'], 'no_answer'],
    [['no_answer', 'no_answer'], 'no_answer_retries_exhausted'],
    [['busy', 'no_answer'], 'no_answer'], // a busy retry does not use up the no-answer retry
    [['no_answer', 'busy'], 'busy'],
    [['busy', 'no_answer', 'busy'], 'busy'],
    [['busy', 'no_answer', 'busy', 'busy'], 'busy_retries_exhausted'],
    [['busy', 'busy', 'no_answer'], 'no_answer'],
    [['busy', 'busy', 'no_answer', 'busy'], 'busy_retries_exhausted'],
    [['no_answer', 'busy', 'busy', 'no_answer'], 'no_answer_retries_exhausted'],
  ] as [VoiceOutcome[], string][])('VO-006: after calls %j the decision is %s', (calls, reason) => {
    expect(after(calls).reason).toBe(reason);
  });

  it('VO-006: each maximum and the no-answer delay come from the configuration', () => {
    const config = parseDomainConfig({ voice: { busyMaxRetries: 0, noAnswerMaxRetries: 2, noAnswerRetryAfterBusinessDays: 2 } });
    expect(after(['busy'], undefined, config).reason).toBe('busy_retries_exhausted');
    expect(after(['no_answer', 'no_answer'], undefined, config).reason).toBe('no_answer');
    expect(after(['no_answer', 'no_answer', 'no_answer'], undefined, config).reason).toBe('no_answer_retries_exhausted');
    // Friday 6 June 2025: two business days later is Wednesday (Monday 9 is the King's Birthday in NSW).
    const d = after(['no_answer'], at('2025-06-06T10:00'), config);
    expect(d.retry && local(d.notBefore)).toBe('Wed 2025-06-11 09:00');
  });

  it('VO-006: a step never makes more calls than 1 + the busy maximum + the no-answer maximum, and every retry is inside the window', () => {
    const outcome = fc.constantFrom<VoiceOutcome>('busy', 'no_answer');
    fc.assert(
      fc.property(
        fc.array(outcome, { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 0, max: 60 * 24 * 30 }),
        (outcomes, busyMaxRetries, noAnswerMaxRetries, minute) => {
          const config = parseDomainConfig({ voice: { busyMaxRetries, noAnswerMaxRetries } });
          let ended = DateTime.fromISO('2025-06-02T09:00', { zone }).plus({ minutes: minute }).toJSDate();
          const calls: VoiceOutcome[] = [];
          const retried = { busy: 0, no_answer: 0 } as Record<string, number>;
          for (const o of outcomes) {
            calls.push(o);
            const d = voiceRetryDecision(o, countCallOutcomes(calls), ended, zone, NSW, config);
            if (!d.retry) {
              // It stops exactly when this outcome has had all its retries.
              expect(retried[o]).toBe(o === 'busy' ? busyMaxRetries : noAnswerMaxRetries);
              break;
            }
            retried[o]! += 1;
            expect(d.notBefore.getTime()).toBeGreaterThan(ended.getTime());
            expect(isInsideWindow({ channel: 'voice', zone, location: NSW, at: d.notBefore })).toBe(true);
            ended = new Date(d.notBefore.getTime() + 60_000);
          }
          expect(retried.busy).toBeLessThanOrEqual(busyMaxRetries);
          expect(retried.no_answer).toBeLessThanOrEqual(noAnswerMaxRetries);
          expect(calls.length).toBeLessThanOrEqual(1 + busyMaxRetries + noAnswerMaxRetries);
        },
      ),
    );
  });

  it('VO-006: the ledger outcomes are counted per outcome; anything else is left out', () => {
    expect(countCallOutcomes(['busy', 'no_answer', 'busy', 'in_progress', 'answered', ''])).toEqual({ busy: 2, no_answer: 1, answered: 1 });
    expect(countCallOutcomes([])).toEqual({});
  });

  it('VO-006: business days skip weekends and the holidays of the recipient state', () => {
    // Thursday 25 March 2027 in Sydney: Good Friday, the weekend and Easter Monday are closed.
    expect(local(businessDaysLater(at('2027-03-25T14:00'), 1, zone, NSW))).toBe('Tue 2027-03-30 09:00');
    expect(local(businessDaysLater(at('2027-03-25T14:00'), 2, zone, NSW))).toBe('Wed 2027-03-31 09:00');
    // Canberra Day (second Monday of March) closes Monday 8 March 2027 in the ACT, not in NSW.
    expect(local(businessDaysLater(at('2027-03-05T10:00'), 1, zone, NSW))).toBe('Mon 2027-03-08 09:00');
    expect(local(businessDaysLater(at('2027-03-05T10:00'), 1, 'Australia/Sydney', { country: 'AU', state: 'ACT' }))).toBe(
      'Tue 2027-03-09 09:00',
    );
  });

  it('VO-004: voicemail leaves the message or hangs up per client setting, and counts as done', () => {
    expect(voicemailAction()).toBe('leave_message');
    expect(voicemailAction(resolveClientConfig({ voice: { voicemail: 'hang_up' } }))).toBe('hang_up');
  });
});
