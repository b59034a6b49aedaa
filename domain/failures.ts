/**
 * Failures that retrying cannot heal, by kind. Services and activities throw them; the worker's
 * activity interceptor (activities/failures.ts) reports each as a non-retryable Temporal failure
 * whose type is the kind, and every activity profile lists these kinds as non-retryable
 * (workflows/activity-profiles.ts), so a workflow sees them at once instead of after its retries.
 * Business outcomes (a skipped step, a refused number) are results, never failures.
 */
export const PERMANENT_FAILURE_TYPES = ['BadInput', 'NotFound', 'Forbidden', 'ContentInvalid'] as const;
export type PermanentFailureType = (typeof PERMANENT_FAILURE_TYPES)[number];

export class PermanentFailure extends Error {
  constructor(
    readonly type: PermanentFailureType,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

/** An input that cannot be acted on as given (a wrong version, a missing configuration). */
export class BadInput extends PermanentFailure {
  constructor(message: string) {
    super('BadInput', message);
  }
}

/** What the input names does not exist (a deleted lead, no free domain name). */
export class NotFound extends PermanentFailure {
  constructor(message: string) {
    super('NotFound', message);
  }
}

/** The caller may not do this (a resource of another client). */
export class Forbidden extends PermanentFailure {
  constructor(message: string) {
    super('Forbidden', message);
  }
}

/** Content that cannot be built or sent as it is (a template that does not render). */
export class ContentInvalid extends PermanentFailure {
  constructor(message: string) {
    super('ContentInvalid', message);
  }
}

/**
 * A workflow that failed (threw from its main function), as its interceptor reports it through the
 * worker's `failures` sink (workflows/interceptors.ts → activities/workflow-failures.ts, SYS-009):
 * ids only, and the failure's type and message.
 */
export interface WorkflowFailureReport {
  failureType: string;
  message: string;
  clientId: string | null;
  campaignId: string | null;
}
