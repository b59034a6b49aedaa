/**
 * How each kind of activity is run: named option sets every workflow picks from, instead of
 * options written at each proxy. Every profile bounds its retries and lists the permanent failure
 * kinds of domain/failures.ts as non-retryable (the worker's interceptor also marks them so);
 * a provider's Retry-After becomes the next retry's delay (activities/failures.ts).
 */
import type { ActivityOptions } from '@temporalio/workflow';
import { PERMANENT_FAILURE_TYPES } from '../domain/failures.js';

type Duration = NonNullable<ActivityOptions['startToCloseTimeout']>;

/** Exponential backoff (x2) from `initial` to at most `max` between tries, `attempts` tries in all. */
function retry(initial: Duration, max: Duration, attempts: number): NonNullable<ActivityOptions['retry']> {
  return {
    initialInterval: initial,
    backoffCoefficient: 2,
    maximumInterval: max,
    maximumAttempts: attempts,
    nonRetryableErrorTypes: [...PERMANENT_FAILURE_TYPES],
  };
}

export const activityProfiles = {
  /** A step of a lead's sequence: database work and at most one provider call (about an hour of retries). */
  step: { startToCloseTimeout: '1 minute', retry: retry('2 seconds', '5 minutes', 12) },
  /** A lead sequence's own short database work, run as a local activity (planning, its end, the LinkedIn state). */
  localStep: { startToCloseTimeout: '1 minute', retry: retry('2 seconds', '5 minutes', 12) },
  /** Asking the voice provider for a call's report until the call has ended (about five hours). */
  callReport: { startToCloseTimeout: '1 minute', retry: retry('1 minute', '30 minutes', 12) },
  /** Paging a sourcing API; heartbeats its cursor so a retry resumes. */
  sourcing: { startToCloseTimeout: '30 minutes', heartbeatTimeout: '2 minutes', retry: retry('5 seconds', '5 minutes', 10) },
  /** One import batch: well under a second, so a worker that dies mid-batch is noticed fast. */
  importBatch: { startToCloseTimeout: '30 seconds', retry: retry('1 second', '1 minute', 20) },
  /** One enrichment, wash or sequence-start batch; heartbeats. */
  leadBatch: { startToCloseTimeout: '2 minutes', heartbeatTimeout: '1 minute', retry: retry('2 seconds', '2 minutes', 20) },
  /** One batch of signal enrichment: a provider call per lead or per verifier batch; heartbeats; a Retry-After sets the next try. */
  enrichment: { startToCloseTimeout: '30 minutes', heartbeatTimeout: '3 minutes', retry: retry('5 seconds', '10 minutes', 12) },
  /** A monitor's check (pool buffer, domain and seat health) and its alerts. */
  monitor: { startToCloseTimeout: '5 minutes', retry: retry('5 seconds', '5 minutes', 10) },
  /** One purchase for the pool (several provider calls; safe to retry by its tag). */
  purchase: { startToCloseTimeout: '5 minutes', retry: retry('10 seconds', '10 minutes', 8) },
  /** A client's lifecycle (billing merge, allocation, churn pause, resume, release): must happen, retried for about eight hours. */
  lifecycle: { startToCloseTimeout: '5 minutes', retry: retry('5 seconds', '10 minutes', 50) },
  /** A conversation's step: keep and read a message, apply its action, send an answer (about an hour of retries). */
  conversation: { startToCloseTimeout: '1 minute', retry: retry('2 seconds', '5 minutes', 20) },
  /**
   * One push of a deal to the client's CRM: a few provider calls, safe to retry (about a day of
   * retries). The first retry waits 30 s: HubSpot's search sees a record made by a lost attempt
   * only seconds after it is made, and a retry finds before it creates.
   */
  crmSync: { startToCloseTimeout: '2 minutes', retry: retry('30 seconds', '30 minutes', 50) },
  /** One knowledge-base sync (VO-001): uploads of up to 5 MB each and a tool update; ids kept as they come, so safe to retry (about a day). */
  knowledgeBase: { startToCloseTimeout: '10 minutes', retry: retry('10 seconds', '30 minutes', 50) },
  /**
   * Reading one batch of one of our mailboxes (IMAP) and handing its messages on. The next run is
   * a minute away and reads from the same cursor, so a mailbox that cannot be reached is not
   * insisted on: a few quick tries, then the run goes on to the others.
   */
  mailboxRead: { startToCloseTimeout: '2 minutes', retry: retry('5 seconds', '30 seconds', 3) },
  /**
   * A campaign's pause, resume or stop reaching its leads (SYS-007): a page of lead sequences read,
   * or signalled (heartbeats); it must happen, so about eight hours of retries (a repeat is harmless).
   */
  campaignControl: { startToCloseTimeout: '2 minutes', heartbeatTimeout: '1 minute', retry: retry('2 seconds', '10 minutes', 50) },
  /** Starting another workflow, or triggering a Schedule. */
  start: { startToCloseTimeout: '30 seconds', retry: retry('2 seconds', '1 minute', 30) },
  /** A domain's daily warmup tick (about a day of retries). */
  warmupTick: { startToCloseTimeout: '2 minutes', retry: retry('10 seconds', '30 minutes', 50) },
} satisfies Record<string, ActivityOptions>;
