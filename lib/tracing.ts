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
 * initTracing once per process and role (server.ts: 'agency-os-api', worker.ts:
 * 'agency-os-worker'; `npm start` runs both in one process, each with its own provider and
 * service name). The first one enabled in the process also registers the global context manager
 * (AsyncLocalStorage) and the W3C trace-context propagator that the interceptors use.
 */
import { ProxyTracerProvider, type TracerProvider } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import {
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
  makeWorkflowExporter,
  type OpenTelemetrySinks,
} from '@temporalio/interceptors-opentelemetry';
import type { ClientInterceptors } from '@temporalio/client';
import type { ActivityInterceptorsFactory, InjectedSinks } from '@temporalio/worker';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import type { FastifyPluginCallback } from 'fastify';
import type { TracingSettings } from '../config/tracing.js';

export type TracedService = 'agency-os-api' | 'agency-os-worker';

export interface Tracing {
  enabled: boolean;
  /** Merged into every Worker.create: the activity interceptors (after the app's own) and the workflow span exporter sink. */
  activityInterceptors: ActivityInterceptorsFactory[];
  /** The workflow interceptors' span sink (`exporter`; never `failures`). Disabled: a sink that drops the spans. */
  sinks: InjectedSinks<OpenTelemetrySinks>;
  /** For new Client({ interceptors }): StartWorkflow, SignalWorkflow... spans whose context travels in the headers. */
  clientInterceptors: ClientInterceptors;
  /** This process role's provider (a no-op one when disabled): the API's request spans come from it. */
  tracerProvider: TracerProvider;
  /** Flushes what is queued and stops the provider (a no-op when disabled). */
  shutdown(): Promise<void>;
}

/** deployment.environment (the semantic conventions' incubating name, not exported by the stable entry point). */
const ATTR_DEPLOYMENT_ENVIRONMENT = 'deployment.environment';

let globalsRegistered = false;

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

const isPlain = (v: unknown): boolean => ['string', 'number', 'boolean'].includes(typeof v);

/**
 * Workflow spans arrive with the whole workflow info merged into their attributes
 * (makeWorkflowExporter): only its plain values go on (workflowId, runId, workflowType,
 * taskQueue, attempt...), never the memo, search attributes or a previous run's result.
 */
function plainWorkflowAttributes(processor: SpanProcessor): SpanProcessor {
  return {
    onStart: () => undefined,
    onEnd: (span: ReadableSpan) => {
      const attributes = Object.fromEntries(
        Object.entries(span.attributes).filter(
          ([key, v]) => key !== 'lastResult' && (isPlain(v) || (Array.isArray(v) && v.every(isPlain))),
        ),
      );
      processor.onEnd({ ...span, spanContext: () => span.spanContext(), attributes });
    },
    forceFlush: () => processor.forceFlush(),
    shutdown: async () => undefined,
  };
}

export function initTracing(settings: TracingSettings, service: TracedService): Tracing {
  if (!settings.tracesUrl) return tracingOff;
  const exporter = new OTLPTraceExporter({ url: settings.tracesUrl, headers: settings.headers, timeoutMillis: 10_000 });
  const processor = new BatchSpanProcessor(exporter, { scheduledDelayMillis: settings.scheduleDelayMs });
  const resource = Resource.default().merge(
    new Resource({ [ATTR_SERVICE_NAME]: service, [ATTR_DEPLOYMENT_ENVIRONMENT]: settings.environment }),
  );
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  if (!globalsRegistered) {
    // The context manager (the active span follows async calls) and the W3C traceparent propagator.
    provider.register();
    globalsRegistered = true;
  }
  const tracer = provider.getTracer('agency-os');
  let stopped: Promise<void> | undefined;
  return {
    enabled: true,
    activityInterceptors: [
      (ctx) => ({
        inbound: new OpenTelemetryActivityInboundInterceptor(ctx, { tracer }),
        outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
      }),
    ],
    // Workflow spans are rebuilt on the worker and handed to the same batch processor.
    sinks: { exporter: makeWorkflowExporter(plainWorkflowAttributes(processor), resource) },
    clientInterceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor({ tracer })] },
    tracerProvider: provider,
    shutdown: () => (stopped ??= provider.shutdown().catch(() => undefined)),
  };
}

/** Routes not traced: probes and scrapes, every few seconds, would bury the requests that matter. */
const UNTRACED = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * The API's request spans (@fastify/otel, Fastify's own OpenTelemetry plugin): one SERVER span per
 * request (`GET /v1/campaigns/:id`) and a child span for its handler, which runs with that span
 * active, so the Temporal client calls it makes join the request's trace (and an incoming
 * `traceparent` header is continued). Register it first, before any route. Undefined when
 * tracing is off. Spans carry the route's pattern, never the URL: paths and query strings can
 * hold tokens and addresses.
 */
export function requestTracingPlugin(tracing: Tracing): FastifyPluginCallback | undefined {
  if (!tracing.enabled) return undefined;
  const instrumentation = new FastifyOtelInstrumentation({
    instrumentHooks: false,
    ignorePaths: (route: { url?: string }) => UNTRACED.has((route.url ?? '').split('?')[0]!),
    requestHook: (span, request) => {
      const route = request.routeOptions.url ?? 'unmatched';
      span.updateName(`${request.method} ${route}`);
      span.setAttribute('url.path', route);
    },
  });
  instrumentation.setTracerProvider(tracing.tracerProvider);
  return instrumentation.plugin() as unknown as FastifyPluginCallback;
}
