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
 *
 * A failure that will not be retried is also an alert (one open alert per workflow, activity and
 * failure type): the workflow records it as a skip or stop, and an operator hears of it.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';
import { PermanentFailure } from '../domain/failures.js';
import { ProviderError } from '../providers/ports.js';
import type { AlertService } from '../services/alerts.js';

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
  constructor(private readonly alerts?: AlertService) {}

  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    try {
      return await next(input);
    } catch (err) {
      const failure = toTemporalFailure(err);
      if (this.alerts && failure instanceof ApplicationFailure && failure.nonRetryable) await this.alert(input, failure);
      throw failure;
    }
  }

  private async alert(input: ActivityExecuteInput, failure: ApplicationFailure): Promise<void> {
    const info = Context.current().info;
    const arg = input.args[0] as { clientId?: unknown } | undefined;
    const clientId = typeof arg?.clientId === 'string' ? arg.clientId : null;
    const workflowId = info.workflowExecution?.workflowId ?? 'standalone';
    try {
      await this.alerts!.system.raise({
        kind: 'activity.permanent_failure',
        severity: 'warning',
        dedupeKey: `activity-failure:${workflowId}:${info.activityType}:${failure.type}`,
        clientId,
        message: `${info.activityType} in ${workflowId} cannot succeed (${failure.type}): ${failure.message}. The workflow records it as a skip.`,
        data: { workflowId, activityType: info.activityType, failureType: failure.type },
      });
    } catch (err) {
      // The alert is best effort: the failure itself still reaches the workflow.
      Context.current().log.warn('could not raise the permanent-failure alert', { error: String(err) });
    }
  }
}

/** The worker's activity interceptors; `alerts` hears of every failure that will not be retried. */
export const createActivityInterceptors = (alerts?: AlertService) => [() => ({ inbound: new FailureInterceptor(alerts) })];
