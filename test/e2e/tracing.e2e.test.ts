/**
 * SYS-009 (issue 14): OpenTelemetry tracing end to end. The API (server.ts) and a worker
 * (worker.ts) on the run's Temporal dev server, both configured with OTEL_EXPORTER_OTLP_ENDPOINT
 * pointing at a local OTLP collector (test/fakes/otlp-fake.ts). A campaign created through the
 * API must come out as one trace: the request's server span, the Temporal client's StartWorkflow
 * under it, the workflow's RunWorkflow under that, its StartActivity spans and the worker's
 * RunActivity spans, each linked to its parent, with the caller's traceparent continued.
 * Spans are polled for (exported in batches), never waited for by the clock.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { AppConfig } from '../../config/index.js';
import { startServer } from '../../server.js';
import { startWorker, type RunningWorker } from '../../worker.js';
import { ADMIN_KEY, csvLeads, temporalClient, testConfig, testDb } from '../helpers/context.js';
import { SCHEDULES, scheduleOptions } from '../../lib/schedules.js';
import { SCHEDULE_IDS } from '../../domain/processes.js';
import { campaignForm, httpApi, temporalBusy, whileTemporalBusy } from '../helpers/http-api.js';
import { SPAN_KIND, startOtlpFake, type OtlpFake, type ReceivedSpan } from '../fakes/otlp-fake.js';

const root = path.resolve(import.meta.dirname, '../..');
let otlp: OtlpFake;
let config: Readonly<AppConfig>;
let db: ReturnType<typeof testDb>;
let server: Awaited<ReturnType<typeof startServer>>;
let worker: RunningWorker;

beforeAll(async () => {
  otlp = await startOtlpFake();
  config = testConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint, OTEL_BSP_SCHEDULE_DELAY: '100' });
  db = testDb(config);
  worker = await startWorker(config, { db, bundlePath: inject('workflowBundlePath') });
  server = await startServer(config, { db });
});
afterAll(async () => {
  await server?.close();
  await worker?.shutdown();
  await db?.close();
  await otlp?.stop();
});

const api = httpApi(() => server.url);

/** The spans of one trace, found once each part is there: request -> StartWorkflow -> RunWorkflow -> StartActivity -> RunActivity. */
function linkedTrace(spans: ReceivedSpan[], traceId: string) {
  const inTrace = spans.filter((s) => s.traceId === traceId);
  const http = inTrace.find((s) => s.service === 'agency-os-api' && s.kind === SPAN_KIND.SERVER && s.name === 'POST /v1/campaigns');
  const start = inTrace.find((s) => s.service === 'agency-os-api' && s.name.startsWith('StartWorkflow:'));
  const run = start && inTrace.find((s) => s.name.startsWith('RunWorkflow:') && s.parentSpanId === start.spanId);
  const scheduled = run ? inTrace.filter((s) => s.name.startsWith('StartActivity:') && s.parentSpanId === run.spanId) : [];
  const ran = inTrace.filter((s) => s.name.startsWith('RunActivity:') && scheduled.some((p) => p.spanId === s.parentSpanId));
  return http && start && run && ran.length > 0 ? { inTrace, http, start, run, scheduled, ran } : undefined;
}

describe('tracing end to end (SYS-009, issue 14)', () => {
  it('SYS-009: an API request that starts a workflow is one trace at the OTLP collector: server span, StartWorkflow, RunWorkflow, StartActivity, RunActivity', async () => {
    const created = await api('POST', '/v1/admin/clients', ADMIN_KEY, { name: 'Traced client', slug: `trace-${Date.now()}` });
    expect(created.status).toBe(201);
    const key = created.body.apiKey.apiKey as string;
    const campaign = JSON.parse(readFileSync(path.join(root, 'examples/demo-campaign.json'), 'utf8'));

    // The caller's trace is continued (W3C traceparent): every span below carries its trace id.
    // Asked again, as a new trace, while Temporal does not answer within the start's deadline (a busy machine).
    let traceId = '';
    let callerSpanId = '';
    const res = await whileTemporalBusy(
      () => {
        traceId = randomBytes(16).toString('hex');
        callerSpanId = randomBytes(8).toString('hex');
        return api('POST', '/v1/campaigns', key, campaignForm(campaign, csvLeads(2)), { traceparent: `00-${traceId}-${callerSpanId}-01` });
      },
      (r) => temporalBusy(r.status, r.body),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(202);

    const t = await otlp.waitFor((spans) => linkedTrace(spans, traceId), 180_000);

    // The request: a server span continuing the caller's, named by the route's pattern, never the URL.
    expect(t.http.parentSpanId).toBe(callerSpanId);
    expect(t.http.attributes['http.request.method']).toBe('POST');
    expect(t.http.attributes['http.route']).toBe('/v1/campaigns');
    expect(t.http.attributes['http.response.status_code']).toBe(202);
    // The Temporal client call happens inside the request (under its span or the handler's child of it).
    const byId = new Map(t.inTrace.map((s) => [s.spanId, s]));
    const ancestors = (s: ReceivedSpan): string[] => {
      const up: string[] = [];
      for (let p = s.parentSpanId && byId.get(s.parentSpanId); p; p = p.parentSpanId ? byId.get(p.parentSpanId) : undefined)
        up.push(p.spanId);
      return up;
    };
    expect(ancestors(t.start)).toContain(t.http.spanId);
    expect(t.start.attributes.temporalWorkflowId).toEqual(expect.any(String));
    // The workflow run, on the worker, under the client's StartWorkflow (its context came in the start headers).
    const workflowType = t.start.name.slice('StartWorkflow:'.length);
    expect(t.run.name).toBe(`RunWorkflow:${workflowType}`);
    expect(t.run.service).toBe('agency-os-worker');
    expect(t.run.attributes).toMatchObject({ workflowId: t.start.attributes.temporalWorkflowId, workflowType });
    // Its activities: scheduled in the workflow, run on the worker, each RunActivity under its StartActivity.
    for (const ran of t.ran) {
      const scheduledBy = t.scheduled.find((s) => s.spanId === ran.parentSpanId)!;
      expect(ran.name.slice('RunActivity:'.length)).toBe(scheduledBy.name.slice('StartActivity:'.length));
      expect(ran.service).toBe('agency-os-worker');
      expect(ran.attributes.temporalWorkflowId).toBe(t.start.attributes.temporalWorkflowId);
    }
    // Nothing personal in what left: the lead list's addresses appear in no attribute.
    expect(JSON.stringify(t.inTrace)).not.toMatch(/@example\d+\.com/);
    expect(otlp.unexpected).toEqual([]);
  });

  it('SYS-009: a run a Schedule starts is traced too: its own trace from its RunWorkflow span, with its activities', async () => {
    const temporal = await temporalClient();
    const def = SCHEDULES.find((d) => d.id === SCHEDULE_IDS.recordingRetention)!;
    const scheduleId = `trace-${randomBytes(6).toString('hex')}`;
    const workflowId = `${scheduleId}-run`;
    const handle = await temporal.schedule.create({
      ...scheduleOptions({ ...def, id: scheduleId, workflowId }, config.temporal.taskQueue),
      state: { paused: true },
    });
    try {
      await handle.trigger();
      const run = await otlp.waitFor(
        (spans) =>
          spans.find((s) => s.name === `RunWorkflow:${def.workflowType}` && String(s.attributes.workflowId).startsWith(workflowId)),
        180_000,
      );
      expect(run.service).toBe('agency-os-worker');
      expect(run.parentSpanId).toBeUndefined(); // a root: nothing called it
      const activities = await otlp.waitFor((spans) => {
        const mine = spans.filter((s) => s.traceId === run.traceId && s.name.startsWith('RunActivity:'));
        return mine.length > 0 && mine;
      }, 180_000);
      expect(activities.map((a) => a.attributes.temporalWorkflowId)).toEqual(activities.map(() => run.attributes.workflowId));
    } finally {
      await handle.delete();
      await temporal.connection.close();
    }
  });
});
