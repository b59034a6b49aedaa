/**
 * OpenTelemetry's workflow interceptors (issue 14, lib/tracing.ts), only for a workflow that was
 * started inside a trace. The bundle is built once, whatever the configuration, so the
 * interceptors are always in it; but made for every workflow they cost each one a tracer, spans
 * and a sink call per span even with tracing off (measured: a worker with 1,000 sleeping leads
 * grew by some 280 MB and took 70% longer to start them). So they are made for a workflow only
 * when its start carries a trace context (the header the client interceptor writes when tracing
 * is on), or when a Schedule started it (Temporal's `TemporalScheduledById` search attribute: a
 * handful of short runs at a time, each its own trace from its RunWorkflow span; with tracing off
 * the worker's sink drops the spans). Any other workflow runs without them for its whole life,
 * replays included: the header and the attribute are part of its start in its history. A traced
 * workflow's continue-as-new and child workflows carry the context on, so they are traced too.
 */
// eslint-disable-next-line no-restricted-imports -- made for the workflow sandbox (deterministic, no I/O: spans leave through a sink).
import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow/index.js';
import { workflowInfo } from '@temporalio/workflow';
import type {
  Headers,
  WorkflowInboundCallsInterceptor,
  WorkflowInterceptors,
  WorkflowInternalsInterceptor,
  WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';

/** The header @temporalio/interceptors-opentelemetry carries a span context in (its TRACE_HEADER). */
export const TRACE_HEADER = '_tracer-data';
/** The search attribute Temporal sets on a workflow a Schedule started (the schedule's id). */
export const SCHEDULED_BY_ATTRIBUTE = 'TemporalScheduledById';

/** Whether a Schedule started this workflow (from its start, so the same in every replay). */
function startedBySchedule(): boolean {
  const attributes = workflowInfo().typedSearchAttributes;
  return attributes.getAll().some((pair) => pair.key.name === SCHEDULED_BY_ATTRIBUTE);
}

interface Otel {
  inbound: OpenTelemetryInboundInterceptor;
  outbound: OpenTelemetryOutboundInterceptor;
  internals: OpenTelemetryInternalsInterceptor;
}

/** The interceptors of one workflow: OpenTelemetry's once its start showed a trace context, else straight through. */
export function tracingInterceptors(): Required<Pick<WorkflowInterceptors, 'inbound' | 'outbound' | 'internals'>> {
  let otel: Otel | undefined;
  const startedInTrace = (headers: Headers) => {
    if (!otel && (headers[TRACE_HEADER] || startedBySchedule()))
      otel = {
        inbound: new OpenTelemetryInboundInterceptor(),
        outbound: new OpenTelemetryOutboundInterceptor(),
        internals: new OpenTelemetryInternalsInterceptor(),
      };
    return otel;
  };

  const inbound: WorkflowInboundCallsInterceptor = {
    execute: (input, next) => startedInTrace(input.headers)?.inbound.execute(input, next) ?? next(input),
    handleSignal: (input, next) => (otel ? otel.inbound.handleSignal(input, next) : next(input)),
    handleUpdate: (input, next) => (otel ? otel.inbound.handleUpdate(input, next) : next(input)),
    validateUpdate: (input, next) => (otel ? otel.inbound.validateUpdate(input, next) : next(input)),
    handleQuery: (input, next) => (otel ? otel.inbound.handleQuery(input, next) : next(input)),
  };
  const outbound: WorkflowOutboundCallsInterceptor = {
    scheduleActivity: (input, next) => (otel ? otel.outbound.scheduleActivity(input, next) : next(input)),
    scheduleLocalActivity: (input, next) => (otel ? otel.outbound.scheduleLocalActivity(input, next) : next(input)),
    startChildWorkflowExecution: (input, next) => (otel ? otel.outbound.startChildWorkflowExecution(input, next) : next(input)),
    continueAsNew: (input, next) => (otel ? otel.outbound.continueAsNew(input, next) : next(input)),
    signalWorkflow: (input, next) => (otel ? otel.outbound.signalWorkflow(input, next) : next(input)),
    startNexusOperation: (input, next) => (otel ? otel.outbound.startNexusOperation(input, next) : next(input)),
    getLogAttributes: (input, next) => (otel ? otel.outbound.getLogAttributes(input, next) : next(input)),
  };
  const internals: WorkflowInternalsInterceptor = {
    dispose: (input, next) => (otel ? void otel.internals.dispose(input, next) : next(input)),
  };
  return { inbound: [inbound], outbound: [outbound], internals: [internals] };
}
