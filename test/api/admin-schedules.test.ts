/**
 * The admin console's view of the Temporal Schedules (RP-002, RP-003, RP-009, SYS-003, SYS-006):
 * pool-monitor, health-monitor and mailbox-reading as the schedule sync creates them (the same
 * code the worker runs at start), on the run's dev server in a namespace of this file's own
 * (schedules are namespace-wide; no worker polls the task queue, so a run stays running): missing
 * before the sync, then their specs in words, their next runs, a pause with its note, a manual run
 * and its workflow's status.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Client, Connection, ScheduleNotFoundError } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { ADMIN_KEY, auth, createTestTenant, testConfig, testDb, waitFor } from '../helpers/context.js';
import { buildTestApp } from '../helpers/app.js';
import { SCHEDULES, syncOutreachPrepSchedules, syncSchedules } from '../../lib/schedules.js';
import { syncSchedulesOnNewNamespace } from '../helpers/schedules.js';
import { waitForNamespace } from '../../lib/temporal-dev-server.js';

const NAMESPACE = `admin-schedules-${randomUUID().slice(0, 8)}`;
const config = testConfig({ TEMPORAL_NAMESPACE: NAMESPACE });
const db = testDb(config);
let connection: Connection;
let temporal: Client;
let app: FastifyInstance;

beforeAll(async () => {
  connection = await Connection.connect({ address: inject('temporalAddress') });
  await connection.workflowService.registerNamespace({ namespace: NAMESPACE, workflowExecutionRetentionPeriod: msToTs('1 day') });
  await waitForNamespace(inject('temporalAddress'), NAMESPACE);
  temporal = new Client({ connection, namespace: NAMESPACE });
  app = await buildTestApp(config, { db, temporal });
});
afterAll(async () => {
  for (const s of [...SCHEDULES.map((d) => d.id), 'daily-outreach-prep:Australia/Sydney', 'daily-outreach-prep:Australia/Perth']) {
    await temporal?.schedule
      .getHandle(s)
      .delete()
      .catch(() => undefined);
  }
  if (temporal) {
    for await (const w of temporal.workflow.list({ query: 'ExecutionStatus = "Running"' })) {
      await temporal.workflow
        .getHandle(w.workflowId, w.runId)
        .terminate('test over')
        .catch(() => undefined);
    }
  }
  await app?.close();
  await connection?.close();
  await db.close();
});

const HOUR = 3_600_000;
const MINUTE = 60_000;
const DAY = 24 * HOUR;
/**
 * The schedules as the console reads them. The route answers 503 when Temporal has not described
 * them all within its deadline (5 s: a busy machine), and the console asks again: so does this.
 */
const schedules = async () => {
  const res = await waitFor(
    async () => {
      const r = await app.inject({ method: 'GET', url: '/v1/admin/schedules', headers: auth(ADMIN_KEY) });
      return !(r.statusCode === 503 && r.json().error === 'temporal_unavailable') && r;
    },
    { timeoutMs: 120_000, intervalMs: 500, what: 'the schedules described' },
  );
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { namespace: string; schedules: Record<string, any>[] };
};
const byId = async () => Object.fromEntries((await schedules()).schedules.map((s) => [s.id, s]));
/** The next multiple of `every` after `ms` (Temporal's intervals count from the epoch when no offset is given). */
const nextMultiple = (ms: number, every: number) => Math.floor(ms / every) * every + every;
/** The next 19:00 UTC after `ms`. */
const next19 = (ms: number) => {
  const today = Math.floor(ms / DAY) * DAY + 19 * HOUR;
  return today > ms ? today : today + DAY;
};
/** The next run of each of three schedules, for a read made between `before` and `after`: one of two instants. */
const nextRunsOfARead = (before: number, after: number): Record<string, string[]> => {
  const oneOf = (next: (ms: number) => number) => [...new Set([next(before), next(after)])].map((ms) => new Date(ms).toISOString());
  return {
    'pool-monitor': oneOf((ms) => nextMultiple(ms, HOUR)),
    'mailbox-reading': oneOf((ms) => nextMultiple(ms, MINUTE)),
    'health-monitor': oneOf(next19),
  };
};

describe('the Temporal Schedules in the admin console (RP-002, SYS-006)', () => {
  it('RP-002 SYS-006: before the sync each schedule is listed as missing; a client key or none is refused', async () => {
    const body = await schedules();
    expect(body.namespace).toBe(NAMESPACE);
    expect(body.schedules.map((s) => [s.id, s.exists, s.spec, s.lastResult, s.nextRunTimes])).toEqual([
      ['pool-monitor', false, null, null, []],
      ['health-monitor', false, null, null, []],
      ['mailbox-reading', false, null, null, []],
      ['recording-retention', false, null, null, []],
      ['outreach-prep-zones', false, null, null, []],
    ]);
    const t = await createTestTenant(db);
    expect((await app.inject({ method: 'GET', url: '/v1/admin/schedules', headers: auth(t.apiKey) })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/v1/admin/schedules' })).statusCode).toBe(401);
  });

  it('RP-003 RP-009 SYS-003: after the sync, each schedule with its spec in words, paused or not, and its next runs', async () => {
    await syncSchedulesOnNewNamespace(temporal, config.temporal.taskQueue);
    // Temporal counts a schedule's next runs from the last tick it has taken: just past a whole
    // minute, a busy server may not have taken that tick yet and still shows it as the next run.
    // Read until the next runs are counted from the moment of the read (checked in full below).
    let read: { before: number; s: Record<string, any>; after: number } = { before: 0, s: {}, after: 0 };
    await waitFor(
      async () => {
        const before = Date.now();
        const s = await byId();
        read = { before, s, after: Date.now() };
        return Object.entries(nextRunsOfARead(read.before, read.after)).every(([id, runs]) => runs.includes(s[id]?.nextRunAt));
      },
      { timeoutMs: 120_000, intervalMs: 250, what: 'the next runs counted from the time of the read' },
    ).catch(() => undefined); // the assertions below say what differs
    const { before, s, after } = read;

    const describedAs = (id: string) => SCHEDULES.find((d) => d.id === id)!.description;
    expect(s['pool-monitor']).toMatchObject({
      exists: true,
      description: describedAs('pool-monitor'),
      workflowType: 'poolMonitorWorkflow',
      spec: 'every 1 hour',
      paused: false,
      note: null,
      lastRunAt: null,
      lastResult: null,
      runningWorkflowIds: [],
    });
    expect(s['health-monitor']).toMatchObject({
      exists: true,
      description: describedAs('health-monitor'),
      workflowType: 'healthMonitorWorkflow',
      spec: 'cron "0 19 * * *" UTC (daily before the Australian business day)',
      paused: false,
    });
    expect(s['mailbox-reading']).toMatchObject({
      exists: true,
      description: describedAs('mailbox-reading'),
      workflowType: 'mailboxReadingWorkflow',
      spec: 'every 1 minute',
      paused: false,
    });
    expect(s['outreach-prep-zones']).toMatchObject({
      exists: true,
      description: describedAs('outreach-prep-zones'),
      workflowType: 'outreachPrepZonesWorkflow',
      spec: 'every 1 hour',
      paused: false,
    });

    // Next runs: the next whole hour, the next 19:00 UTC, the next whole minute; then one period apart.
    const expected = nextRunsOfARead(before, after);
    expect(expected['pool-monitor']).toContain(s['pool-monitor']!.nextRunAt);
    expect(expected['mailbox-reading']).toContain(s['mailbox-reading']!.nextRunAt);
    expect(expected['health-monitor']).toContain(s['health-monitor']!.nextRunAt);
    for (const [id, every] of [
      ['pool-monitor', HOUR],
      ['health-monitor', DAY],
      ['mailbox-reading', MINUTE],
    ] as const) {
      const times = (s[id]!.nextRunTimes as string[]).map((t) => Date.parse(t));
      expect(times.length, id).toBeGreaterThan(1);
      expect(times[0], id).toBe(Date.parse(s[id]!.nextRunAt));
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!, id).toBe(every);
    }
  });

  it('RP-002 RP-009: a paused schedule says so with its note; a manual run is its last run, with its workflow and status', async () => {
    await temporal.schedule.getHandle('health-monitor').pause('paused while the provider is down');
    const triggeredAt = Date.now();
    await temporal.schedule.getHandle('pool-monitor').trigger();
    const s = await waitFor(
      async () => {
        const all = await byId();
        return all['pool-monitor']!.lastResult ? all : undefined;
      },
      { what: 'the triggered pool-monitor run', timeoutMs: 120_000, intervalMs: 250 },
    );
    expect(s['health-monitor']).toMatchObject({ paused: true, note: 'paused while the provider is down' });
    const run = s['pool-monitor']!;
    expect(run.lastResult.workflowId).toMatch(/^pool-monitor-/);
    // No worker polls this test's task queue: the run waits, running.
    expect(run.lastResult.status).toBe('RUNNING');
    expect(run.actionsTaken).toBe(1);
    // This run: started by the trigger (a second's leeway for the server's clock).
    expect(Date.parse(run.lastRunAt)).toBeGreaterThanOrEqual(triggeredAt - 1000);
    expect(Date.parse(run.lastRunAt)).toBeLessThanOrEqual(Date.now() + 1000);

    await temporal.workflow.getHandle(run.lastResult.workflowId).terminate('ended by the test');
    const ended = await waitFor(
      async () => {
        const r = (await byId())['pool-monitor']!;
        return r.lastResult?.status === 'TERMINATED' ? r : undefined;
      },
      { what: 'the terminated run', timeoutMs: 120_000, intervalMs: 250 },
    );
    expect(ended.lastResult.workflowId).toBe(run.lastResult.workflowId);

    await temporal.schedule.getHandle('health-monitor').unpause();
    expect((await byId())['health-monitor']).toMatchObject({ paused: false });
  });

  it('SDK-002 VO-003: recording-retention and one daily-outreach-prep per client zone are created once however often they are synced; a zone no longer used loses its schedule', async () => {
    const ids = async () => {
      const out: string[] = [];
      for await (const x of temporal.schedule.list()) out.push(x.scheduleId);
      return out.sort();
    };
    // recording-retention: with the others, once after two syncs; daily at 03:00 UTC, overlapping runs skipped, a day's catch-up.
    const again = await syncSchedules(temporal, config.temporal.taskQueue);
    expect(again.find((r) => r.id === 'recording-retention')?.outcome).toBe('updated');
    const rr = await temporal.schedule.getHandle('recording-retention').describe();
    expect(rr.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'recordingRetentionWorkflow',
      taskQueue: config.temporal.taskQueue,
    });
    expect(rr.policies).toMatchObject({ overlap: 'SKIP', catchupWindow: 24 * HOUR });

    const zones = ['Australia/Sydney', 'Australia/Perth', 'Australia/Sydney'];
    const first = await syncOutreachPrepSchedules(temporal, config.temporal.taskQueue, zones);
    const second = await syncOutreachPrepSchedules(temporal, config.temporal.taskQueue, zones);
    expect(first).toEqual([
      { id: 'daily-outreach-prep:Australia/Perth', outcome: 'created' },
      { id: 'daily-outreach-prep:Australia/Sydney', outcome: 'created' },
    ]);
    expect(second).toEqual([
      { id: 'daily-outreach-prep:Australia/Perth', outcome: 'updated' },
      { id: 'daily-outreach-prep:Australia/Sydney', outcome: 'updated' },
    ]);
    const listed = await waitFor(
      async () => {
        const all = await ids();
        return all.filter((id) => id.startsWith('daily-outreach-prep:')).length === 2 && all;
      },
      { what: 'the zone schedules in the list', timeoutMs: 120_000, intervalMs: 250 },
    );
    expect(listed.filter((id) => id === 'recording-retention')).toHaveLength(1);
    expect(listed.filter((id) => id === 'daily-outreach-prep:Australia/Sydney')).toHaveLength(1);
    expect(listed.filter((id) => id === 'daily-outreach-prep:Australia/Perth')).toHaveLength(1);

    // Each at 05:00 in its zone with the zone as its input; overlapping runs skipped, 4 hours of catch-up.
    const perth = await temporal.schedule.getHandle('daily-outreach-prep:Australia/Perth').describe();
    expect(perth.spec.timezone).toBe('Australia/Perth');
    expect(perth.action).toMatchObject({ workflowType: 'dailyOutreachPrepWorkflow', args: [{ version: 1, zone: 'Australia/Perth' }] });
    expect(perth.policies).toMatchObject({ overlap: 'SKIP', catchupWindow: 4 * HOUR });
    // Perth is UTC+8 without daylight saving: 05:00 there is 21:00 UTC.
    const next = perth.info.nextActionTimes[0]!;
    expect([next.getUTCHours(), next.getUTCMinutes()]).toEqual([21, 0]);
    const s = await byId();
    expect(s['recording-retention']).toMatchObject({
      exists: true,
      workflowType: 'recordingRetentionWorkflow',
      spec: 'cron "0 3 * * *" UTC (daily)',
    });
    expect(s['daily-outreach-prep:Australia/Perth']).toMatchObject({
      exists: true,
      workflowType: 'dailyOutreachPrepWorkflow',
      spec: 'cron "0 5 * * *" Australia/Perth (each morning before the sending windows)',
    });

    // Perth's last client gone: its schedule is deleted at the next sync, Sydney's kept.
    const third = await syncOutreachPrepSchedules(temporal, config.temporal.taskQueue, ['Australia/Sydney']);
    expect(third).toEqual([
      { id: 'daily-outreach-prep:Australia/Sydney', outcome: 'updated' },
      { id: 'daily-outreach-prep:Australia/Perth', outcome: 'deleted' },
    ]);
    await expect(temporal.schedule.getHandle('daily-outreach-prep:Australia/Perth').describe()).rejects.toBeInstanceOf(
      ScheduleNotFoundError,
    );
    await expect(temporal.schedule.getHandle('daily-outreach-prep:Australia/Sydney').describe()).resolves.toBeTruthy();
  });
});
