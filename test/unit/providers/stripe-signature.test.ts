/**
 * Stripe-Signature verification (SYS-005, SYS-008), with headers made by the SDK's own test
 * helper: the SDK refuses a timestamp older than 5 minutes; one more than 5 minutes ahead of our
 * clock is refused too (the SDK accepts it); within the tolerance either way it is accepted.
 */
import { describe, expect, it } from 'vitest';
import { signStripe, STRIPE_TEST_WEBHOOK_SECRET } from '../../../providers/stripe/simulated-events.js';
import { STRIPE_SIGNATURE_TOLERANCE_SECONDS, verifyStripeSignature } from '../../../providers/stripe/webhook-signature.js';

const NOW_MS = Date.parse('2026-12-01T10:00:00Z');
const now = NOW_MS / 1000;
const body = '{"id":"evt_1","object":"event"}';
const check = (header: string | undefined, secret: string | undefined = STRIPE_TEST_WEBHOOK_SECRET, raw = body) =>
  verifyStripeSignature({ rawBody: Buffer.from(raw), header, secret, nowMs: NOW_MS });

describe('verifyStripeSignature (SYS-005)', () => {
  it('SYS-005: the tolerance is 5 minutes', () => {
    expect(STRIPE_SIGNATURE_TOLERANCE_SECONDS).toBe(300);
  });

  it.each([
    [0, true],
    [-300, true],
    [-301, false],
    [300, true],
    [301, false],
    [3600, false],
    [86_400 * 365, false],
  ])('SYS-005: signed %i s from now: accepted %s', (offset, ok) => {
    expect(check(signStripe(body, STRIPE_TEST_WEBHOOK_SECRET, now + offset)).ok).toBe(ok);
  });

  it('SYS-005: the reason says which side failed', () => {
    expect(check(signStripe(body, STRIPE_TEST_WEBHOOK_SECRET, now + 301))).toEqual({ ok: false, reason: 'future' });
    expect(check(signStripe(body, STRIPE_TEST_WEBHOOK_SECRET, now - 301))).toEqual({ ok: false, reason: 'mismatch_or_stale' });
  });

  it('SYS-005: no secret, no header, a wrong secret or altered bytes are refused', () => {
    const header = signStripe(body, STRIPE_TEST_WEBHOOK_SECRET, now);
    expect(verifyStripeSignature({ rawBody: Buffer.from(body), header, secret: undefined, nowMs: NOW_MS })).toEqual({
      ok: false,
      reason: 'no_secret',
    });
    expect(check(undefined)).toEqual({ ok: false, reason: 'missing_header' });
    expect(check(signStripe(body, 'whsec_other', now)).ok).toBe(false);
    expect(check(header, STRIPE_TEST_WEBHOOK_SECRET, `${body} `).ok).toBe(false);
  });

  it('SYS-005: a current timestamp before a future one does not hide it (the last t= is the one signed)', () => {
    const future = signStripe(body, STRIPE_TEST_WEBHOOK_SECRET, now + 3600);
    expect(check(`t=${now},${future}`)).toEqual({ ok: false, reason: 'future' });
  });
});
