/**
 * OpenTelemetry tracing (SYS-009, issue 14): with an OTLP endpoint configured (config/tracing.ts)
 * one trace links an API request (its server span, @fastify/otel), the Temporal client call it
 * makes (StartWorkflow / SignalWorkflow / SignalWithStartWorkflow), the workflow run (RunWorkflow,
 * spans made in the sandbox and exported through the worker's `exporter` sink) and its
 * activities (StartActivity in the workflow, RunActivity on the worker), with
 * @temporalio/interceptors-opentelemetry carrying the context in Temporal headers. Spans leave in
 * batches over OTLP/HTTP (JSON).
 *
 * Without an endpoint nothing is built, registered or exported: no client or activity
 * interceptors, and the workflow interceptors (always in the bundle: workflows/interceptors.ts)
 * get a sink that drops their spans.
 *
 * Off, nothing of OpenTelemetry's SDK is even loaded (lib/tracing-otlp.ts is imported only when an
 * endpoint is set). initTracing once per process and role (server.ts: 'agency-os-api', worker.ts:
 * 'agency-os-worker'; `npm start` runs both in one process, each with its own provider and
 * service name). The first one enabled in the process also registers the global context manager
 * (AsyncLocalStorage) and the W3C trace-context propagator that the interceptors use.
 */
import { ProxyTracerProvider } from '@opentelemetry/api';
import type { OpenTelemetrySinks } from '@temporalio/interceptors-opentelemetry';
import type { InjectedSinks } from '@temporalio/worker';
import type { TracingSettings } from '../config/tracing.js';
import type { TracedService, Tracing } from './tracing-types.js';

export type { TracedService, Tracing } from './tracing-types.js';

const dropWorkflowSpans: InjectedSinks<OpenTelemetrySinks> = {
  exporter: { export: { fn: () => undefined, callDuringReplay: false } },
};

/**
 * Tracing off. Every Worker.create (and Worker.runReplayHistory) needs at least its `sinks`: the
 * bundled workflow interceptors call the `exporter` sink, and a worker without it logs an error
 * for each call.
 */
export const tracingOff: Tracing = {
  enabled: false,
  activityInterceptors: [],
  sinks: dropWorkflowSpans,
  clientInterceptors: {},
  // A provider of its own without a delegate: no-op spans, whatever another role registers.
  tracerProvider: new ProxyTracerProvider(),
  shutdown: async () => undefined,
};

/** Tracing for `service` as `settings` say: off without an endpoint; on, the OTLP exporter and the interceptors. */
export async function initTracing(settings: TracingSettings, service: TracedService): Promise<Tracing> {
  if (!settings.tracesUrl) return tracingOff;
  const { startTracing } = await import('./tracing-otlp.js');
  return startTracing(settings, service, settings.tracesUrl);
}
