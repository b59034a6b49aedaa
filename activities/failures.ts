/**
 * How activity errors reach Temporal (DESIGN.md convention 4), in one place: a worker interceptor
 * turns what an activity throws into the Temporal failure it means.
 *
 * - A PermanentFailure (domain/failures.ts: bad input, not found, forbidden, content invalid) is
 *   non-retryable, with its kind as the failure type.
 * - A provider's permanent refusal (ProviderError, retryable=false) is non-retryable, type
 *   `provider_<code>`.
 * - A provider's transient failure stays retryable, type `provider_<code>`; when the provider
 *   said how long to wait (Retry-After), that is the next retry's delay (nextRetryDelay).
 * - A row the database says does not exist (Prisma's P2025 from a `...OrThrow` lookup) is NotFound.
 * - Anything else is left to Temporal as it is (retried under the activity's profile).
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';
import { PermanentFailure } from '../domain/failures.js';
import { ProviderError } from '../providers/ports.js';

/** Prisma's "record not found" (P2025), recognised by its code: activities never import Prisma. */
const isRecordNotFound = (err: unknown): err is Error =>
  err instanceof Error && err.name === 'PrismaClientKnownRequestError' && (err as { code?: unknown }).code === 'P2025';

export function toTemporalFailure(err: unknown): unknown {
  if (isRecordNotFound(err))
    return withStack(ApplicationFailure.create({ message: err.message, type: 'NotFound', nonRetryable: true }), err);
  if (err instanceof PermanentFailure)
    return withStack(ApplicationFailure.create({ message: err.message, type: err.type, nonRetryable: true }), err);
  if (!(err instanceof ProviderError)) return err;
  const type = `provider_${err.code}`;
  if (!err.retryable)
    return withStack(ApplicationFailure.create({ message: `${err.provider}: ${err.message}`, type, nonRetryable: true }), err);
  const delay = err.retryAfterSeconds !== undefined ? { nextRetryDelay: `${Math.max(1, err.retryAfterSeconds)} seconds` as const } : {};
  return withStack(ApplicationFailure.create({ message: err.message, type, nonRetryable: false, ...delay }), err);
}

function withStack(failure: ApplicationFailure, err: Error): ApplicationFailure {
  failure.stack = err.stack ?? failure.stack;
  return failure;
}

export class FailureInterceptor implements ActivityInboundCallsInterceptor {
  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    try {
      return await next(input);
    } catch (err) {
      throw toTemporalFailure(err);
    }
  }
}

/** The worker's activity interceptors (Worker.create({ interceptors: { activity: activityInterceptors } })). */
export const activityInterceptors = [() => ({ inbound: new FailureInterceptor() })];
