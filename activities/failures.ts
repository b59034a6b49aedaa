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
 * Every failure is logged with its workflow id, activity type and attempt (SYS-009). A failure
 * that will not be retried (non-retryable, or the retry policy's last attempt) is also an alert
 * (one open alert per workflow, activity and failure type) and, when Sentry is on, an event tagged
 * with the client, campaign, workflow and activity (lib/sentry.ts): the workflow records it as a
 * skip or stop, and an operator hears of it.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';
import { PermanentFailure } from '../domain/failures.js';
import { ProviderError } from '../providers/ports.js';
import type { AlertService } from '../services/alerts.js';
import { captureFailure } from '../lib/sentry.js';
import { scrubText } from '../lib/sentry-scrub.js';
import { countStep } from './lead-sequence/step-metrics.js';
import type { Kind } from './lead-sequence/types.js';

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

/**
 * The task queues and activity types for which this worker raised `activity.retrying`: their alerts
 * are resolved when such an activity next succeeds here (the outage is over), whichever workflow it
 * runs for. One per worker process, shared by its activities (every worker of lib/worker-group.ts
 * gets the same). Another worker hears of the end of an outage from the retried activity itself:
 * one that succeeds at an attempt past RETRYING_ALERT_ATTEMPT resolves those alerts wherever raised.
 */
export type RetryingAlerts = Set<string>;

export class FailureInterceptor implements ActivityInboundCallsInterceptor {
  constructor(
    private readonly alerts?: AlertService,
    private readonly retrying: RetryingAlerts = new Set(),
  ) {}

  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    try {
      const result = await next(input);
      if (this.alerts && inActivity()) {
        const { taskQueue, activityType, attempt } = Context.current().info;
        const where = `${taskQueue}:${activityType}`;
        if (attempt > RETRYING_ALERT_ATTEMPT || this.retrying.has(where)) await this.resolveRetrying(where);
      }
      return result;
    } catch (err) {
      const failure = toTemporalFailure(err);
      // Reporting never replaces the failure itself (nor runs outside an activity's context).
      if (inActivity()) await this.report(input, failure);
      throw failure;
    }
  }

  private async report(input: ActivityExecuteInput, failure: unknown): Promise<void> {
    try {
      const seen = describeFailure(input, failure);
      const { log } = Context.current();
      // SYS-009: every failure is logged with its workflow, activity and attempt, retried or not.
      // (A retried failure at info: some activities poll by failing, a call still in progress.)
      log[seen.final ? 'warn' : 'info'](seen.final ? 'activity failed after its last attempt' : 'activity failed; Temporal retries it', {
        workflowId: seen.workflowId,
        activityType: seen.activityType,
        attempt: seen.attempt,
        maximumAttempts: seen.maximumAttempts,
        failureType: seen.failureType,
        final: seen.final,
      });
      if (seen.final) {
        countStepFailure(input, seen);
        captureFailure(failure, {
          tags: {
            clientId: seen.clientId,
            campaignId: seen.campaignId,
            workflowId: seen.workflowId,
            workflowType: seen.workflowType,
            activityType: seen.activityType,
            attempt: seen.attempt,
            failureType: seen.failureType,
          },
          fingerprint: ['activity-failure', seen.activityType, seen.failureType],
        });
        if (this.alerts) await this.alert(seen, failure);
      } else if (this.alerts && seen.attempt >= RETRYING_ALERT_ATTEMPT && !POLLS_BY_FAILING.has(seen.activityType)) {
        await this.alertRetrying(seen, failure);
      }
    } catch (err) {
      Context.current().log.warn('could not report the activity failure', { error: String(err) });
    }
  }

  private async alert(seen: SeenFailure, failure: unknown): Promise<void> {
    // Provider text can quote a number, an address or the message: scrubbed as Sentry's events are.
    const message = scrubText(failure instanceof Error ? failure.message : String(failure));
    const after = seen.nonRetryable ? 'cannot succeed' : `failed after its last attempt (${seen.attempt})`;
    try {
      await this.alerts!.system.raise({
        kind: 'activity.permanent_failure',
        severity: 'warning',
        dedupeKey: `activity-failure:${seen.workflowId}:${seen.activityType}:${seen.failureType}`,
        clientId: seen.clientId,
        message: `${seen.activityType} in ${seen.workflowId} ${after} (${seen.failureType}): ${message}. The workflow records it as a skip, or fails.`,
        data: { workflowId: seen.workflowId, activityType: seen.activityType, failureType: seen.failureType, attempt: seen.attempt },
      });
    } catch (err) {
      // The alert is best effort: the failure itself still reaches the workflow.
      Context.current().log.warn('could not raise the permanent-failure alert', { error: String(err) });
    }
  }

  /** The alert's key: per task queue too, so a provider lane's outage is its own (lib/worker-group.ts). */
  private remember(seen: SeenFailure): string {
    const where = `${Context.current().info.taskQueue}:${seen.activityType}`;
    this.retrying.add(where);
    return `${retryingKeyPrefix(where)}${seen.failureType}`;
  }

  /** An activity (same type, same task queue) that was failing succeeded: its `activity.retrying` alerts, of every failure type, are resolved. */
  private async resolveRetrying(where: string): Promise<void> {
    this.retrying.delete(where);
    try {
      await this.alerts!.system.resolveByPrefix(retryingKeyPrefix(where));
    } catch (err) {
      Context.current().log.warn('could not resolve the retrying alert', { error: String(err) });
    }
  }

  /**
   * One open alert per activity type and failure type while failures go on, whatever the number of
   * workflows hit (an outage of one provider is one alert, not one per lead); for the operators, so
   * no client's.
   */
  private async alertRetrying(seen: SeenFailure, failure: unknown): Promise<void> {
    const message = scrubText(failure instanceof Error ? failure.message : String(failure));
    try {
      await this.alerts!.system.raise({
        kind: 'activity.retrying',
        severity: 'critical',
        dedupeKey: this.remember(seen),
        clientId: null,
        message: `${seen.activityType} keeps failing (${seen.failureType}, attempt ${seen.attempt}${seen.maximumAttempts ? ` of ${seen.maximumAttempts}` : ''} in ${seen.workflowId}): ${message}. Temporal keeps retrying: what it does waits, nothing is lost; a provider or the database may be down.`,
        data: { workflowId: seen.workflowId, activityType: seen.activityType, failureType: seen.failureType, attempt: seen.attempt },
      });
    } catch (err) {
      Context.current().log.warn('could not raise the retrying alert', { error: String(err) });
    }
  }
}

/**
 * An activity still failing at this attempt is an outage to hear of now, not when its retries run
 * out (a lead step's take about an hour): a provider that does not answer, a database that is
 * gone. About half a minute of failures at the profiles' 2-second start (5 s or 10 s: a few minutes).
 */
export const RETRYING_ALERT_ATTEMPT = 5;
const retryingKeyPrefix = (where: string) => `activity-retrying:${where}:`;
/** Activities that fail on purpose until what they wait for is there (a call still in progress). */
const POLLS_BY_FAILING = new Set(['fetchCallReport']);

interface SeenFailure {
  workflowId: string;
  workflowType: string | null;
  activityType: string;
  attempt: number;
  maximumAttempts: number | null;
  failureType: string;
  nonRetryable: boolean;
  /** Temporal will not try again: non-retryable, or the retry policy's last attempt. */
  final: boolean;
  clientId: string | null;
  campaignId: string | null;
}

/** A lead step's send that will not be retried is a skip in its workflow (workflows/business-failures.ts): counted in touches_total so. */
const STEP_ACTIVITIES = new Set(['runStep', 'sendStep']);
function countStepFailure(input: ActivityExecuteInput, seen: SeenFailure): void {
  const kind = (input.args[0] as { kind?: Kind } | undefined)?.kind;
  if (!seen.nonRetryable || !kind || !STEP_ACTIVITIES.has(seen.activityType)) return;
  countStep(kind, { status: 'skipped', reason: `failure:${seen.failureType}` });
}

/** Whether this runs inside an activity (Context.current() throws outside one). */
function inActivity(): boolean {
  try {
    Context.current();
    return true;
  } catch {
    return false;
  }
}

const idOf = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** What a failure is, from the activity's info (attempt, retry policy) and its input's ids. */
function describeFailure(input: ActivityExecuteInput, failure: unknown): SeenFailure {
  const info = Context.current().info;
  const arg = input.args[0] as { clientId?: unknown; campaignId?: unknown } | undefined;
  const isApp = failure instanceof ApplicationFailure;
  const failureType = (isApp ? failure.type : undefined) ?? (failure instanceof Error ? failure.name : 'Error');
  const policy = info.retryPolicy;
  const nonRetryable = (isApp && failure.nonRetryable) || (policy?.nonRetryableErrorTypes ?? []).includes(failureType);
  const maximumAttempts = policy?.maximumAttempts ? policy.maximumAttempts : null;
  return {
    workflowId: info.workflowExecution?.workflowId ?? 'standalone',
    workflowType: info.workflowType ?? null,
    activityType: info.activityType,
    attempt: info.attempt,
    maximumAttempts,
    failureType,
    nonRetryable,
    final: nonRetryable || (maximumAttempts !== null && info.attempt >= maximumAttempts),
    clientId: idOf(arg?.clientId),
    campaignId: idOf(arg?.campaignId),
  };
}

/** The worker's activity interceptors; `alerts` hears of every failure that will not be retried. */
export const createActivityInterceptors = (alerts?: AlertService) => {
  const retrying: RetryingAlerts = new Set();
  return [() => ({ inbound: new FailureInterceptor(alerts, retrying) })];
};
