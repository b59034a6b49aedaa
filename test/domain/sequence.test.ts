import { describe, expect, it } from 'vitest';
import { followUpSubject, generateSequence, recheckStep, sequenceStopReason, stepSkipReason, type LeadFacts } from '../../domain/index.js';

const NOW = '2025-06-02T00:00:00Z';
const AU_MOBILE = '+61412345678';
const AU_LANDLINE = '+61298765432';

/** A lead that can take every step. */
const full: LeadFacts = {
  tier: 'Hot',
  email: 'jo@acme.com.au',
  phoneE164: AU_MOBILE,
  linkedinUrl: 'https://www.linkedin.com/in/jo',
  linkedinSeatAvailable: true,
  dncr: { registered: false, washedAt: '2025-05-20T00:00:00Z' },
  smsConsentBasis: 'inferred_business',
  now: NOW,
};

describe('sequence: the default five steps (AD-001, AD-002)', () => {
  it('AD-001: day 0 email, day 3 voice, day 5 LinkedIn, day 8 threaded follow-up, day 12 SMS', () => {
    const { tier, steps } = generateSequence(full);
    expect(tier).toBe('Hot');
    expect(steps).toEqual([
      { step: 1, day: 0, channel: 'email', kind: 'email', status: 'planned' },
      { step: 2, day: 3, channel: 'voice', kind: 'voice', status: 'planned' },
      { step: 3, day: 5, channel: 'linkedin', kind: 'linkedin_connect', status: 'planned' },
      { step: 4, day: 8, channel: 'email', kind: 'email_followup', status: 'planned', threadedReplyToStep: 1 },
      { step: 5, day: 12, channel: 'sms', kind: 'sms', status: 'planned' },
    ]);
  });

  it('AD-001: the follow-up subject is a threaded reply to the first', () => {
    expect(followUpSubject('Quick question')).toBe('Re: Quick question');
    expect(followUpSubject('Re: Quick question')).toBe('Re: Quick question');
  });

  it('AD-001: the tier can come from the score', () => {
    const { tier, steps } = generateSequence({ ...full, tier: undefined, score: 40 });
    expect(tier).toBe('Cool');
    expect(steps.map((s) => s.status)).toEqual(['planned', 'skipped', 'planned', 'planned', 'skipped']);
  });
});

describe('sequence: skip reasons (AD-003, AD-004)', () => {
  const reasons = (facts: LeadFacts) => generateSequence(facts).steps.map((s) => s.skipReason ?? null);

  it.each([
    ['Cool tier: no voice, no SMS (AD-004)', { tier: 'Cool' }, [null, 'tier_not_allowed', null, null, 'tier_not_allowed']],
    ['Cold tier: email only (LI-005)', { tier: 'Cold' }, [null, 'tier_not_allowed', 'tier_not_allowed', null, 'tier_not_allowed']],
    ['Dead tier: never contacted', { tier: 'Dead' }, Array(5).fill('tier_not_allowed')],
    ['no phone', { phoneE164: null }, [null, 'no_phone', null, null, 'no_phone']],
    ['no LinkedIn URL', { linkedinUrl: null }, [null, null, 'no_linkedin_url', null, null]],
    ['no seat', { linkedinSeatAvailable: false }, [null, null, 'no_seat', null, null]],
    [
      'on the DNCR (SM-001)',
      { dncr: { registered: true, washedAt: '2025-05-20T00:00:00Z' } },
      [null, 'dncr_registered', null, null, 'dncr_registered'],
    ],
    ['never washed (SM-002)', { dncr: null }, [null, 'dncr_unwashed', null, null, 'dncr_unwashed']],
    [
      'wash older than 30 days',
      { dncr: { registered: false, washedAt: '2025-04-01T00:00:00Z' } },
      [null, 'dncr_unwashed', null, null, 'dncr_unwashed'],
    ],
    [
      'register unavailable and no fresh wash: fail closed',
      { dncr: { registered: null, washedAt: null, registerAvailable: false } },
      [null, 'dncr_unavailable', null, null, 'dncr_unavailable'],
    ],
    ['no SMS consent basis', { smsConsentBasis: null }, [null, null, null, null, 'no_sms_consent']],
    ['landline cannot take SMS', { phoneE164: AU_LANDLINE }, [null, null, null, null, 'not_mobile']],
    ['no email', { email: null }, ['no_email', null, null, 'no_email', null]],
    ['hard bounce skips the email steps', { hardBounced: true }, ['hard_bounced', null, null, 'hard_bounced', null]],
    ['opted out: nothing', { optedOut: true }, Array(5).fill('opted_out')],
  ] as [string, Partial<LeadFacts>, (string | null)[]][])('AD-003: %s', (_name, patch, expected) => {
    expect(reasons({ ...full, ...patch })).toEqual(expected);
  });

  it('SM-001: a non-Australian number is not subject to the DNCR', () => {
    expect(reasons({ ...full, phoneE164: '+447911123456', dncr: null })).toEqual([null, null, null, null, null]);
  });

  it('AD-003/AD-004: gating is checked again before each step (the tier or facts may have changed)', () => {
    const seq = generateSequence(full);
    const sms = seq.steps[4]!;
    expect(sms.status).toBe('planned');
    expect(recheckStep(sms, { ...full, tier: 'Cool' })).toEqual({ proceed: false, skipReason: 'tier_not_allowed' });
    // Day 12: the wash from 20 May is now 33 days old.
    expect(recheckStep(sms, { ...full, now: '2025-06-22T00:00:00Z' })).toEqual({ proceed: false, skipReason: 'dncr_unwashed' });
    expect(recheckStep(seq.steps[3]!, { ...full, hardBounced: true })).toEqual({ proceed: false, skipReason: 'hard_bounced' });
    expect(recheckStep(seq.steps[0]!, full)).toEqual({ proceed: true });
    expect(stepSkipReason('voice', { ...full, tier: 'Warm' })).toBeNull();
  });

  it('AD-001: the sequence stops for good on a reply, an opt-out or a booked meeting', () => {
    expect(sequenceStopReason({ replied: true })).toBe('replied');
    expect(sequenceStopReason({ optedOut: true, replied: true })).toBe('opted_out');
    expect(sequenceStopReason({ meetingBooked: true })).toBe('meeting_booked');
    expect(sequenceStopReason({})).toBeNull();
  });

  it('AD-001: a lead needs a tier or a score', () => {
    expect(() => generateSequence({ ...full, tier: undefined })).toThrow(/tier or a score/);
  });
});
