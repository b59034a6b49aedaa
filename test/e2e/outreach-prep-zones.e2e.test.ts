/**
 * SDK-002: the daily-outreach-prep schedules follow the clients, without waiting for a deploy.
 * On the run's dev server, in a namespace of this file's own (schedules are namespace-wide), with
 * the schedules synced as a worker's start syncs them and a worker polling: a client made in a zone
 * no schedule covers gets that zone's `daily-outreach-prep:<zone>` when the hourly
 * `outreach-prep-zones` schedule runs (triggered here rather than awaited); once the zone's last
 * client has churned, the next run deletes it. Each run's workflow completes.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Client, Connection, ScheduleNotFoundError } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { msToTs } from '@temporalio/common/lib/time.js';
import { SCHEDULE_IDS, WORKFLOW_TYPES, outreachPrepScheduleId } from '../../domain/processes.js';
import { syncSchedulesOnNewNamespace } from '../helpers/schedules.js';
import { waitForNamespace } from '../../lib/temporal-dev-server.js';
import type { WorkerGroup } from '../../lib/worker-group.js';
import { createTestWorker } from '../helpers/app.js';
import { testConfig, testDb, waitFor } from '../helpers/context.js';
import { startProviderFakes, type ProviderFakes } from '../helpers/provider-fakes.js';

const NAMESPACE = `prep-zones-${randomUUID().slice(0, 8)}`;
const config = testConfig({ TEMPORAL_NAMESPACE: NAMESPACE });
const db = testDb(config);
// A zone no other test's client uses (the zones in use are read from the whole database).
const ZONE = 'Pacific/Chatham';
let connection: Connection;
let native: NativeConnection;
let temporal: Client;
let fakes: ProviderFakes;
let workers: WorkerGroup;
let running: Promise<void>;

beforeAll(async () => {
  connection = await Connection.connect({ address: inject('temporalAddress') });
  await connection.workflowService.registerNamespace({ namespace: NAMESPACE, workflowExecutionRetentionPeriod: msToTs('1 day') });
  await waitForNamespace(inject('temporalAddress'), NAMESPACE);
  temporal = new Client({ connection, namespace: NAMESPACE });
  native = await NativeConnection.connect({ address: inject('temporalAddress') });
  fakes = await startProviderFakes();
  workers = await createTestWorker({
    env: { nativeConnection: native, client: temporal, namespace: NAMESPACE },
    taskQueue: config.temporal.taskQueue,
    db,
    providers: fakes.providers,
    configEnv: { TEMPORAL_NAMESPACE: NAMESPACE },
  });
  running = workers.run();
  await syncSchedulesOnNewNamespace(temporal, config.temporal.taskQueue);
});
afterAll(async () => {
  for await (const s of temporal?.schedule.list() ?? [])
    await temporal.schedule
      .getHandle(s.scheduleId)
      .delete()
      .catch(() => undefined);
  workers?.shutdown();
  await running;
  await fakes?.stop();
  await native?.close();
  await connection?.close();
  await db.close();
});

const exists = (id: string) =>
  temporal.schedule
    .getHandle(id)
    .describe()
    .then(
      () => true,
      (err) => {
        if (err instanceof ScheduleNotFoundError) return false;
        throw err;
      },
    );

/** Runs the outreach-prep-zones schedule now and waits for that run's workflow to complete. */
async function runZoneSync(): Promise<void> {
  const handle = temporal.schedule.getHandle(SCHEDULE_IDS.outreachPrepZones);
  const before = (await handle.describe()).info.recentActions.length;
  await handle.trigger();
  const action = await waitFor(
    async () => {
      const recent = (await handle.describe()).info.recentActions;
      return recent.length > before && recent.at(-1);
    },
    { what: 'the triggered run', timeoutMs: 120_000, intervalMs: 200 },
  );
  const run = temporal.workflow.getHandle(action.action.workflow.workflowId, action.action.workflow.firstExecutionRunId);
  await run.result();
  expect((await run.describe()).type).toBe(WORKFLOW_TYPES.outreachPrepZones);
}

describe('outreach-prep-zones (SDK-002)', () => {
  it("SDK-002: a new client's zone gets its daily-outreach-prep schedule at the next hourly sync; its last client gone, the schedule goes", async () => {
    const id = outreachPrepScheduleId(ZONE);
    expect(await exists(id)).toBe(false);
    const client = await db.system.client.create({
      data: { name: 'Chatham Islands client', slug: `chatham-${randomUUID().slice(0, 8)}`, defaultTimezone: ZONE, status: 'active' },
    });

    await runZoneSync();
    expect(await exists(id)).toBe(true);
    const prep = await temporal.schedule.getHandle(id).describe();
    expect(prep.spec.timezone).toBe(ZONE);
    expect(prep.action).toMatchObject({ workflowType: WORKFLOW_TYPES.outreachPrep, args: [{ version: 1, zone: ZONE }] });

    await db.system.client.update({ where: { id: client.id }, data: { status: 'churned' } });
    await runZoneSync();
    expect(await exists(id)).toBe(false);
  });
});
