/**
 * How activity errors reach Temporal (activities/failures.ts) and how every workflow runs its
 * activities (workflows/activity-profiles.ts): expected values come from the rules as written
 * (DESIGN.md convention 4, issue 9): permanent kinds never retry, a provider's Retry-After is the
 * next retry's delay, and every profile bounds its retries.
 */
import { describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { FailureInterceptor, toTemporalFailure } from '../../../activities/failures.js';
import { activityProfiles } from '../../../workflows/activity-profiles.js';
import { BadInput, ContentInvalid, Forbidden, NotFound, PERMANENT_FAILURE_TYPES } from '../../../domain/failures.js';
import { ProviderError } from '../../../providers/ports.js';
import { Prisma } from '../../../generated/prisma/client.js';

const asFailure = (err: unknown) => {
  expect(err).toBeInstanceOf(ApplicationFailure);
  return err as ApplicationFailure;
};

describe('activity failures (DESIGN.md convention 4)', () => {
  it.each([
    [new BadInput('unsupported input version 2'), 'BadInput'],
    [new NotFound('lead 1 not found'), 'NotFound'],
    [new Forbidden('subscription of another client'), 'Forbidden'],
    [new ContentInvalid('template does not render'), 'ContentInvalid'],
  ])('SYS-009: a permanent failure (%s) is non-retryable with its kind as the type', (err, type) => {
    const f = asFailure(toTemporalFailure(err));
    expect(f).toMatchObject({ type, nonRetryable: true, message: err.message });
  });

  it('SYS-009: a provider that refuses for good fails at once: non-retryable, type provider_<code>', () => {
    const f = asFailure(toTemporalFailure(new ProviderError('infraforge', 'auth_failed', 'bad key', false, 401)));
    expect(f).toMatchObject({ type: 'provider_auth_failed', nonRetryable: true, message: 'infraforge: bad key' });
  });

  it.each([
    [30, '30 seconds'],
    [0, '1 seconds'], // "retry now" still waits a second
    [3600, '3600 seconds'],
  ])("SYS-009: a rate-limited provider's Retry-After of %i s becomes the next retry's delay (%s)", (seconds, delay) => {
    const f = asFailure(toTemporalFailure(new ProviderError('twilio', 'rate_limited', 'slow down', true, 429, seconds)));
    expect(f).toMatchObject({ type: 'provider_rate_limited', nonRetryable: false, nextRetryDelay: delay, message: 'slow down' });
  });

  it('SYS-009: a transient provider failure without Retry-After keeps the profile backoff', () => {
    const f = asFailure(toTemporalFailure(new ProviderError('vapi', 'provider_unavailable', '503', true, 503)));
    expect(f.nonRetryable).toBe(false);
    expect(f.nextRetryDelay).toBeUndefined();
  });

  it("SYS-009: a row the database says does not exist (Prisma's P2025) is NotFound, non-retryable", () => {
    const err = new Prisma.PrismaClientKnownRequestError('No record was found for a query.', { code: 'P2025', clientVersion: '7' });
    expect(asFailure(toTemporalFailure(err))).toMatchObject({ type: 'NotFound', nonRetryable: true });
    const other = new Prisma.PrismaClientKnownRequestError('deadlock', { code: 'P2034', clientVersion: '7' });
    expect(toTemporalFailure(other)).toBe(other);
  });

  it('SYS-009: anything else is left as it is (Temporal retries it under the profile)', () => {
    const err = new Error('connection reset');
    expect(toTemporalFailure(err)).toBe(err);
  });

  it('SYS-009: the worker interceptor maps what the activity throws, and passes results through', async () => {
    const interceptor = new FailureInterceptor();
    const input = {} as never;
    await expect(interceptor.execute(input, async () => 'done')).resolves.toBe('done');
    const thrown = await interceptor.execute(input, async () => Promise.reject(new NotFound('gone'))).catch((e: unknown) => e);
    expect(asFailure(thrown)).toMatchObject({ type: 'NotFound', nonRetryable: true });
  });
});

describe('activity profiles (issue 9: named, bounded, permanent kinds never retried)', () => {
  const profiles = Object.entries(activityProfiles);

  it.each(profiles)('SYS-009: %s: a start-to-close timeout, bounded attempts, and every permanent kind non-retryable', (_name, p) => {
    expect(p.startToCloseTimeout).toBeTruthy();
    expect(p.retry.maximumAttempts).toBeGreaterThan(1);
    expect(p.retry.maximumAttempts).toBeLessThanOrEqual(50);
    expect([...(p.retry.nonRetryableErrorTypes ?? [])].sort()).toEqual(['BadInput', 'ContentInvalid', 'Forbidden', 'NotFound']);
  });

  it('SYS-009: the permanent kinds are exactly bad input, not found, forbidden and content invalid', () => {
    expect([...PERMANENT_FAILURE_TYPES].sort()).toEqual(['BadInput', 'ContentInvalid', 'Forbidden', 'NotFound']);
  });
});
