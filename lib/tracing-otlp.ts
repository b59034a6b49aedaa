/**
 * Tracing on (lib/tracing.ts loads this module only when an OTLP endpoint is set): the tracer
 * provider with its batch exporter over OTLP/HTTP (JSON), the activity and client interceptors of
 * @temporalio/interceptors-opentelemetry, the workflow span sink, and the API's request spans.
 */
import type { TracerProvider } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import {
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
  makeWorkflowExporter,
} from '@temporalio/interceptors-opentelemetry';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import type { FastifyPluginCallback } from 'fastify';
import type { TracingSettings } from '../config/tracing.js';
import type { TracedService, Tracing } from './tracing-types.js';

/** deployment.environment (the semantic conventions' incubating name, not exported by the stable entry point). */
const ATTR_DEPLOYMENT_ENVIRONMENT = 'deployment.environment';

let globalsRegistered = false;

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

export function startTracing(settings: TracingSettings, service: TracedService, url: string): Tracing {
  const exporter = new OTLPTraceExporter({ url, headers: settings.headers, timeoutMillis: 10_000 });
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
  const tracing: Tracing = {
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
  return { ...tracing, requestPlugin: requestTracingPlugin(provider) };
}

/** Routes not traced: probes and scrapes, every few seconds, would bury the requests that matter. */
const UNTRACED = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * The API's request spans (@fastify/otel, Fastify's own OpenTelemetry plugin): one SERVER span per
 * request (`GET /v1/campaigns/:id`) and a child span for its handler, which runs with that span
 * active, so the Temporal client calls it makes join the request's trace (and an incoming
 * `traceparent` header is continued). Registered first, before any route. Spans carry the route's pattern, never the URL: paths and query strings can
 * hold tokens and addresses.
 */
function requestTracingPlugin(provider: TracerProvider): FastifyPluginCallback {
  const instrumentation = new FastifyOtelInstrumentation({
    instrumentHooks: false,
    ignorePaths: (route: { url?: string }) => UNTRACED.has((route.url ?? '').split('?')[0]!),
    requestHook: (span, request) => {
      const route = request.routeOptions.url ?? 'unmatched';
      span.updateName(`${request.method} ${route}`);
      span.setAttribute('url.path', route);
    },
  });
  instrumentation.setTracerProvider(provider);
  return instrumentation.plugin() as unknown as FastifyPluginCallback;
}
