/**
 * The workflow interceptors (SYS-009, issue 14), bundled into the workflow code through
 * `workflowInterceptorModules` (scripts/bundle-workflows.ts, test/global-setup.ts): a workflow
 * that fails (its main function throws a failure that ends the run) is reported to the worker's
 * `failures` sink, which raises one alert per workflow and a Sentry event
 * (activities/workflow-failures.ts). Workflow code does no I/O: a sink call is not a command, is
 * not replayed, and changes no history (recorded histories replay as before).
 * Cancellation and continue-as-new are not failures; an ordinary Error fails only the workflow
 * task (Temporal retries it), not the workflow, so it is not reported here.
 *
 * Also OpenTelemetry's workflow interceptors (issue 14, lib/tracing.ts), for a workflow started
 * inside a trace (tracing-interceptors.ts): a RunWorkflow span that continues the trace of whoever
 * started the workflow (its context comes in the start headers), StartActivity / StartChildWorkflow
 * spans whose context goes out in the command headers, and HandleSignal spans. Their spans leave
 * through the worker's `exporter` sink. Like `failures`, sink calls and headers are not replayed
 * as commands: recorded histories replay as before.
 */
import {
  ContinueAsNew,
  TemporalFailure,
  isCancellation,
  proxySinks,
  type Next,
  type Sinks,
  type WorkflowExecuteInput,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptorsFactory,
} from '@temporalio/workflow';
import { tracingInterceptors } from './tracing-interceptors.js';
import type { WorkflowFailureReport } from '../domain/failures.js';

export interface FailureSinks extends Sinks {
  failures: { workflowFailed(report: WorkflowFailureReport): void };
}

const { failures } = proxySinks<FailureSinks>();

const idOf = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The innermost failure's type (an ActivityFailure's ApplicationFailure type), else the failure's name. */
function rootCause(err: TemporalFailure): { type: string; message: string } {
  let e: Error = err;
  while (e.cause instanceof Error) e = e.cause;
  const type = (e as { type?: string | null }).type;
  return { type: type || e.name, message: e === err ? err.message : `${err.message}: ${e.message}` };
}

class FailureReportingInbound implements WorkflowInboundCallsInterceptor {
  async execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    try {
      return await next(input);
    } catch (err) {
      if (err instanceof TemporalFailure && !(err instanceof ContinueAsNew) && !isCancellation(err)) {
        const arg = input.args[0] as { clientId?: unknown; campaignId?: unknown } | undefined;
        const root = rootCause(err);
        failures.workflowFailed({
          failureType: root.type,
          message: root.message,
          clientId: idOf(arg?.clientId),
          campaignId: idOf(arg?.campaignId),
        });
      }
      throw err;
    }
  }
}

/** The RunWorkflow span (a workflow started inside a trace: tracing-interceptors.ts) first, so it covers the failure report too. */
export const interceptors: WorkflowInterceptorsFactory = () => {
  const tracing = tracingInterceptors();
  return { ...tracing, inbound: [...tracing.inbound, new FailureReportingInbound()] };
};
