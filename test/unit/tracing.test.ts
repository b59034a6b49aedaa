/**
 * SYS-009 (issue 14): OpenTelemetry tracing is configured from the standard OTLP variables and is
 * off without an endpoint: nothing registered, nothing exported, and the always-bundled workflow
 * interceptors still have their sink. With an endpoint, spans from every part of lib/tracing.ts
 * (the process's tracer, the Temporal client interceptor, the workflow span sink) reach a local
 * OTLP collector (test/fakes/otlp-fake.ts) in OTLP's JSON encoding.
 * The end-to-end trace (API request -> workflow -> activities) is test/e2e/tracing.e2e.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { context, propagation, trace } from '@opentelemetry/api';
import type { Next, WorkflowClientInterceptor, WorkflowStartInput } from '@temporalio/client';
import type { WorkflowInfo } from '@temporalio/workflow';
import type { SerializableSpan } from '@temporalio/interceptors-opentelemetry';
import { ConfigError, loadConfig } from '../../config/index.js';
import { initTracing } from '../../lib/tracing.js';
import { startOtlpFake, type OtlpFake } from '../fakes/otlp-fake.js';

const BASE = { DATABASE_URL: 'postgresql://agency@127.0.0.1:5432/agency_os' };

let otlp: OtlpFake;
beforeAll(async () => {
  otlp = await startOtlpFake();
});
afterAll(async () => {
  await otlp?.stop();
});

/** A workflow span as the sandbox serializes it (workflow/span-exporter.ts of the interceptors package). */
function workflowSpan(traceId: string, spanId: string, parentSpanId?: string): SerializableSpan {
  return {
    name: 'RunWorkflow:onboarding',
    kind: 1,
    spanContext: { traceId, spanId, traceFlags: 1 },
    ...(parentSpanId ? { parentSpanId } : {}),
    startTime: [1_700_000_000, 0],
    endTime: [1_700_000_001, 0],
    status: { code: 0 },
    attributes: {},
    links: [],
    events: [],
    duration: [1, 0],
    ended: true,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
    instrumentationLibrary: { name: '@temporalio/interceptor-workflow' },
  };
}

const info = {
  workflowId: 'onboarding:c1',
  runId: 'run-1',
  workflowType: 'onboarding',
  taskQueue: 'agency-os',
  namespace: 'default',
  attempt: 1,
  memo: { note: 'jane@example.com' },
  lastResult: 'previous run result',
  searchAttributes: { ClientId: ['c1'] },
} as unknown as WorkflowInfo;

describe('tracing configuration (SYS-009)', () => {
  it('SYS-009: traces go to OTEL_EXPORTER_OTLP_ENDPOINT/v1/traces, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as is; headers and batch delay from the standard variables', () => {
    expect(loadConfig(BASE).tracing).toEqual({ headers: {}, scheduleDelayMs: 5000, environment: 'development' });
    expect(loadConfig({ ...BASE, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).tracing.tracesUrl).toBe(
      'http://collector:4318/v1/traces',
    );
    expect(loadConfig({ ...BASE, OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example/base/' }).tracing.tracesUrl).toBe(
      'https://otel.example/base/v1/traces',
    );
    const both = loadConfig({
      ...BASE,
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces:9999/custom',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-honeycomb-team=abc%3D1, x-other = two',
      OTEL_BSP_SCHEDULE_DELAY: '250',
      NODE_ENV: 'production',
    }).tracing;
    expect(both).toEqual({
      tracesUrl: 'http://traces:9999/custom',
      headers: { 'x-honeycomb-team': 'abc=1', 'x-other': 'two' },
      scheduleDelayMs: 250,
      environment: 'production',
    });
  });

  it('SYS-009: a malformed endpoint or header list stops start-up naming the variable', () => {
    for (const [name, value] of [
      ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318'],
      ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'ftp://collector/v1/traces'],
      ['OTEL_EXPORTER_OTLP_HEADERS', 'just-a-token'],
      ['OTEL_BSP_SCHEDULE_DELAY', '-1'],
    ] as const) {
      expect(() => loadConfig({ ...BASE, [name]: value }), name).toThrow(ConfigError);
      expect(() => loadConfig({ ...BASE, [name]: value }), name).toThrow(name);
    }
  });
});

// In this order: the disabled case first, before an enabled one registers the process's propagator.
describe('tracing (SYS-009)', () => {
  it('SYS-009: without an endpoint initTracing is off: no interceptors, nothing registered, workflow spans dropped, nothing exported', async () => {
    const tracing = await initTracing(loadConfig(BASE).tracing, 'agency-os-worker');
    expect(tracing.enabled).toBe(false);
    expect(tracing.activityInterceptors).toEqual([]);
    expect(tracing.clientInterceptors).toEqual({});
    // The bundled workflow interceptors call the `exporter` sink: it exists, and drops what it gets.
    expect(Object.keys(tracing.sinks)).toEqual(['exporter']);
    const span = workflowSpan('1'.repeat(32), '2'.repeat(16));
    expect(tracing.sinks.exporter.export.fn(info, [span])).toBeUndefined();
    // No global context manager or propagator: the process runs as without tracing.
    expect(propagation.fields()).toEqual([]);
    const s = tracing.tracerProvider.getTracer('t').startSpan('x');
    expect(s.isRecording()).toBe(false);
    expect(trace.getSpan(context.active())).toBeUndefined();
    s.end();
    await tracing.shutdown();
    expect(otlp.requests).toBe(0);
    expect(otlp.unexpected).toEqual([]);
  });

  it('SYS-009: with an endpoint, process, client and workflow spans reach the collector over OTLP/HTTP with the service, environment and headers', async () => {
    const config = loadConfig({
      ...BASE,
      NODE_ENV: 'staging',
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint,
      OTEL_EXPORTER_OTLP_HEADERS: 'x-collector-token=secret-token',
      OTEL_BSP_SCHEDULE_DELAY: '50',
    });
    const tracing = await initTracing(config.tracing, 'agency-os-api');
    expect(tracing.enabled).toBe(true);
    expect(tracing.activityInterceptors).toHaveLength(1);
    expect(propagation.fields()).toContain('traceparent');

    // The client interceptor: a StartWorkflow span under the active one, its context in the headers.
    const parent = tracing.tracerProvider.getTracer('test').startSpan('POST /v1/campaigns');
    const [interceptor] = tracing.clientInterceptors.workflow as WorkflowClientInterceptor[];
    let sentHeaders: WorkflowStartInput['headers'] = {};
    const next: Next<WorkflowClientInterceptor, 'start'> = async (input) => {
      sentHeaders = input.headers;
      return 'run-1';
    };
    const input = { workflowType: 'onboarding', headers: {}, options: { workflowId: 'onboarding:c1' } } as unknown as WorkflowStartInput;
    await context.with(trace.setSpan(context.active(), parent), () => interceptor!.start!(input, next));
    parent.end();
    expect(Object.keys(sentHeaders)).not.toHaveLength(0);

    // The worker side's sink: a workflow span (from the sandbox) exported with plain workflow info only.
    const traceId = parent.spanContext().traceId;
    tracing.sinks.exporter.export.fn(info, [workflowSpan(traceId, 'a'.repeat(16), parent.spanContext().spanId)]);

    const spans = await otlp.waitFor((got) => (got.length >= 3 ? got : undefined));
    await tracing.shutdown();
    const byName = Object.fromEntries(spans.map((s) => [s.name, s]));
    expect(Object.keys(byName).sort()).toEqual(['POST /v1/campaigns', 'RunWorkflow:onboarding', 'StartWorkflow:onboarding']);
    for (const s of spans) {
      expect(s.traceId).toBe(traceId);
      expect(s.service).toBe('agency-os-api');
      expect(s.resource['deployment.environment']).toBe('staging');
    }
    expect(byName['StartWorkflow:onboarding']!.parentSpanId).toBe(byName['POST /v1/campaigns']!.spanId);
    expect(byName['StartWorkflow:onboarding']!.attributes).toMatchObject({ temporalWorkflowId: 'onboarding:c1', run_id: 'run-1' });
    const run = byName['RunWorkflow:onboarding']!;
    expect(run.parentSpanId).toBe(parent.spanContext().spanId);
    expect(run.attributes).toMatchObject({ workflowId: 'onboarding:c1', runId: 'run-1', workflowType: 'onboarding', attempt: 1 });
    for (const dropped of ['memo', 'lastResult', 'searchAttributes']) expect(run.attributes).not.toHaveProperty(dropped);
    expect(otlp.lastHeaders['x-collector-token']).toBe('secret-token');
    expect(otlp.unexpected).toEqual([]);
  });
});
