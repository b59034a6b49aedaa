/**
 * Business failures of activities inside workflows: a permanent kind (domain/failures.ts) is an
 * outcome to record, never a reason to fail a workflow (issue 10: "a business condition ends as a
 * recorded skip or stop").
 */
import { ActivityFailure, ApplicationFailure, patched } from '@temporalio/workflow';
import { PERMANENT_FAILURE_TYPES } from '../domain/failures.js';

/**
 * A business failure of an activity (a permanent kind: what it names is gone, the content cannot
 * be built; or any failure the activity will not retry) becomes an outcome the workflow records;
 * it never fails the sequence.
 */
export async function outcome<T>(p: Promise<T>): Promise<T | { businessFailure: string }> {
  try {
    return await p;
  } catch (err) {
    const cause = err instanceof ActivityFailure ? err.cause : undefined;
    if (cause instanceof ApplicationFailure && (PERMANENT_FAILURE_TYPES as readonly (string | null | undefined)[]).includes(cause.type)) {
      return { businessFailure: `failure:${cause.type}` };
    }
    // Any failure the activity will not retry (a provider's permanent refusal: a number it will
    // not dial, a profile that is gone) is an outcome too; the interceptor has raised its alert.
    if (cause instanceof ApplicationFailure && cause.nonRetryable && patched('any-permanent-failure-is-an-outcome')) {
      return { businessFailure: `failure:${cause.type ?? 'permanent'}` };
    }
    throw err;
  }
}
