/**
 * The worker's `failures` sink (SYS-009, issue 14): a failed workflow, reported by its interceptor
 * (workflows/interceptors.ts) from the sandbox, becomes one open alert per workflow
 * ('workflow.failed', deduplicated by workflow id) and, when Sentry is on, one event tagged with
 * the client, campaign and workflow (lib/sentry.ts). Runs in the worker's Node context, never on
 * replay. Registered by worker.ts and the tests' workers as `sinks`.
 */
import type { InjectedSinkFunction } from '@temporalio/worker';
import type { WorkflowFailureReport } from '../domain/failures.js';
import type { AlertService } from '../services/alerts.js';
import { captureFailure } from '../lib/sentry.js';

type WorkflowFailedFn = (report: WorkflowFailureReport) => void;

/** An Error for Sentry that carries the workflow failure's type as its name. */
class WorkflowFailed extends Error {
  constructor(type: string, message: string) {
    super(message);
    this.name = type;
  }
}

export function createWorkflowFailureSinks(alerts?: AlertService): {
  failures: { workflowFailed: InjectedSinkFunction<WorkflowFailedFn> };
} {
  return {
    failures: {
      workflowFailed: {
        callDuringReplay: false,
        async fn(info, report) {
          const { workflowId, runId, workflowType } = info;
          captureFailure(new WorkflowFailed(report.failureType, report.message), {
            tags: {
              clientId: report.clientId,
              campaignId: report.campaignId,
              workflowId,
              workflowType,
              failureType: report.failureType,
            },
            extra: { runId },
            fingerprint: ['workflow-failure', workflowType, report.failureType],
          });
          await alerts?.system.raise({
            kind: 'workflow.failed',
            severity: 'critical',
            dedupeKey: `workflow-failed:${workflowId}`,
            clientId: report.clientId,
            message: `${workflowType} ${workflowId} failed (${report.failureType}): ${report.message}`,
            data: { workflowId, runId, workflowType, failureType: report.failureType, campaignId: report.campaignId },
          });
        },
      },
    },
  };
}
