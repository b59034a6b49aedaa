/**
 * Sentry error reporting (SYS-009, issue 14), once per process: the API (server.ts), the worker
 * (worker.ts) and the dev stack call initSentry with the configuration; without SENTRY_DSN nothing
 * is initialised and nothing is sent (captureFailure is then a no-op).
 *
 * What is reported: a request's 5xx (api/plugins/error-handler.ts), an activity's failure after its
 * last attempt (activities/failures.ts) and a failed workflow (the workflow-failure sink). Events
 * carry ids as tags (clientId, campaignId, workflowId, activityType, route), never a URL or a
 * person: every event and breadcrumb is scrubbed first (lib/sentry-scrub.ts).
 *
 * Only error events: no tracing, no automatic HTTP/console instrumentation (their breadcrumbs
 * would carry URLs with tokens), no OpenTelemetry provider of its own (tracing is OTel's).
 */
import * as Sentry from '@sentry/node';
import { scrubBreadcrumb, scrubEvent } from './sentry-scrub.js';

export interface SentrySettings {
  dsn?: string;
  environment?: string;
  release?: string;
}

let enabled = false;

/**
 * Starts Sentry when a DSN is set (a second call in the same process is a no-op); returns whether
 * it reports. `processHandlers` (default true) also reports uncaught exceptions and unhandled
 * rejections; tests turn it off so the test runner keeps its own.
 */
export function initSentry(settings: SentrySettings, opts: { processHandlers?: boolean } = {}): boolean {
  if (enabled || !settings.dsn) return enabled;
  const handlers = opts.processHandlers ?? true;
  Sentry.init({
    dsn: settings.dsn,
    environment: settings.environment,
    ...(settings.release ? { release: settings.release } : {}),
    dataCollection: { userInfo: false, cookies: false, httpHeaders: false, httpBodies: [], urlQueryParams: false },
    defaultIntegrations: false,
    enableRuntimeChannelInjection: false,
    integrations: [
      Sentry.linkedErrorsIntegration(),
      Sentry.functionToStringIntegration(),
      Sentry.nodeContextIntegration(),
      ...(handlers ? [Sentry.onUncaughtExceptionIntegration(), Sentry.onUnhandledRejectionIntegration()] : []),
    ],
    beforeSend: (event) => scrubEvent(event),
    beforeBreadcrumb: (crumb) => scrubBreadcrumb(crumb),
  });
  enabled = true;
  return true;
}

export const sentryEnabled = (): boolean => enabled;

export interface FailureReport {
  /** Searchable ids only (clientId, campaignId, workflowId, activityType, route...): never a person's data. */
  tags: Record<string, string | number | null | undefined>;
  extra?: Record<string, unknown>;
  /** Groups events (default: Sentry's own grouping by stack). */
  fingerprint?: string[];
  level?: 'error' | 'warning' | 'fatal';
}

/** Reports one error to Sentry when it is on (a no-op otherwise); never throws. */
export function captureFailure(err: unknown, report: FailureReport): void {
  if (!enabled) return;
  try {
    const tags: Record<string, string> = {};
    for (const [k, v] of Object.entries(report.tags)) if (v !== null && v !== undefined && v !== '') tags[k] = String(v);
    Sentry.captureException(err, {
      tags,
      level: report.level ?? 'error',
      ...(report.extra ? { extra: report.extra } : {}),
      ...(report.fingerprint ? { fingerprint: report.fingerprint } : {}),
    });
  } catch {
    // Reporting is best effort: the failure itself is logged and alerted elsewhere.
  }
}

/** Sends what is queued (at shutdown, or before a test reads the ingest fake). */
export async function flushSentry(timeoutMs = 2000): Promise<void> {
  if (enabled) await Sentry.flush(timeoutMs);
}

/** Stops reporting (tests: the next initSentry starts again). */
export async function closeSentry(timeoutMs = 2000): Promise<void> {
  if (!enabled) return;
  enabled = false;
  await Sentry.close(timeoutMs);
}
