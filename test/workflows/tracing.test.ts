/**
 * SYS-009 (issue 14): the bundled OpenTelemetry workflow interceptors run only for a workflow
 * started inside a trace (workflows/tracing-interceptors.ts). On the time-skipping server, with a
 * worker whose `exporter` sink (where workflow spans leave the sandbox) records what it is given:
 * a lead's sequence started without a trace context hands it nothing over its whole life; the
 * same started with one (the header the client interceptor writes) hands it spans of that trace,
 * its RunWorkflow under the caller's span and its activities' StartActivity spans.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Client, type WorkflowClientInterceptor } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { SerializableSpan } from '@temporalio/interceptors-opentelemetry';
import { TRACE_HEADER } from '../../workflows/tracing-interceptors.js';
import { workflowIds, type LeadProgress } from '../../workflows/contracts.js';
import { createTestWorker } from '../helpers/app.js';
import { testDb } from '../helpers/context.js';
import { seedSequenceLead } from '../helpers/lead-setup.js';
import { workflowBed } from '../helpers/workflow-bed.js';

const db = testDb();
const bed = workflowBed(db);

/** A Cold lead's sequence (its two emails) run to its end, started with `headers` on its start. */
async function runSequence(headers: Record<string, string>) {
  const s = await seedSequenceLead(db, bed.fakes, { tier: 'Cold', phone: null, mailboxes: 1, linkedin: false });
  const spans: SerializableSpan[] = [];
  const taskQueue = `tracing-${randomUUID()}`;
  const worker = await createTestWorker({
    env: bed.env,
    taskQueue,
    db,
    providers: bed.fakes.providers,
    sinks: { exporter: { export: { fn: (_info, got: SerializableSpan[]) => void spans.push(...got), callDuringReplay: false } } },
  });
  // What the client interceptor writes when tracing is on: the caller's span context in the start headers.
  const withContext: WorkflowClientInterceptor = {
    start: (input, next) =>
      next({
        ...input,
        headers: { ...input.headers, ...(headers.traceparent ? { [TRACE_HEADER]: defaultPayloadConverter.toPayload(headers) } : {}) },
      }),
  };
  const client = new Client({ connection: bed.env.connection, interceptors: { workflow: [withContext] } });
  const workflowId = workflowIds.lead(s.lead.id);
  const progress = (await worker.runUntil(async () => {
    await client.workflow.start('leadSequenceWorkflow', {
      taskQueue,
      workflowId,
      args: [{ version: 1, clientId: s.client.id, campaignId: s.campaign.id, leadId: s.lead.id }],
    });
    // Awaited through the environment's client, which lets simulated time skip while it waits.
    return bed.env.client.workflow.getHandle(workflowId).result();
  })) as LeadProgress;
  return { progress, spans };
}

describe('workflow tracing only inside a trace (SYS-009)', () => {
  it('SYS-009: a sequence started without a trace context makes no spans; started with one, its spans carry that trace', async () => {
    const untraced = await runSequence({});
    expect(untraced.progress.state).toBe('completed');
    expect(untraced.spans).toEqual([]);

    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    const traced = await runSequence({ traceparent: `00-${traceId}-${callerSpanId}-01` });
    expect(traced.progress.state).toBe('completed');
    expect(traced.spans.length).toBeGreaterThan(0);
    for (const span of traced.spans) expect(span.spanContext.traceId).toBe(traceId);
    const run = traced.spans.find((x) => x.name === 'RunWorkflow:leadSequenceWorkflow');
    expect(run?.parentSpanId).toBe(callerSpanId);
    expect(traced.spans.filter((x) => x.name.startsWith('StartActivity:')).length).toBeGreaterThan(0);
  });
});
