/**
 * The Temporal Schedules of Agency OS and their idempotent sync (RP-003, RP-009, SYS-003): run at
 * every start-up (npm start, worker deploys) and by `npm run schedules:sync`. A schedule that
 * exists is updated in place (spec, action, policies), one that does not is created, so a redeploy
 * never duplicates one. Overlapping runs are skipped; a missed run is caught up within an hour
 * unless its definition says otherwise.
 */
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleOptions,
  type ScheduleUpdateOptions,
} from '@temporalio/client';
import { SCHEDULE_IDS, WORKFLOW_TYPES } from '../domain/processes.js';

export interface ScheduleDefinition {
  id: string;
  workflowType: string;
  /** Workflow id prefix; the Schedule appends the run's time, so each run has its own id. */
  workflowId: string;
  description: string;
  spec: ScheduleOptions['spec'];
  /** How long after its time a missed run is still started (default an hour). */
  catchupWindow?: NonNullable<ScheduleOptions['policies']>['catchupWindow'];
}

export const SCHEDULES: readonly ScheduleDefinition[] = [
  {
    id: SCHEDULE_IDS.poolMonitor,
    workflowType: WORKFLOW_TYPES.poolMonitor,
    workflowId: 'pool-monitor',
    description: 'Pool buffer per resource type, alerts under 40% / 20%, purchases of the shortfall (RP-003..008)',
    spec: { intervals: [{ every: '1 hour' }] },
  },
  {
    id: SCHEDULE_IDS.healthMonitor,
    workflowType: WORKFLOW_TYPES.healthMonitor,
    workflowId: 'health-monitor',
    description: 'Domain bounce/complaint health, retirement, LinkedIn seat health, daily snapshots (RP-009, ED-004, LI-006)',
    // 19:00 UTC = early morning in Australia, before the day's sending.
    spec: { calendars: [{ hour: 19, minute: 0, comment: 'daily before the Australian business day' }] },
  },
  {
    id: SCHEDULE_IDS.mailboxReading,
    workflowType: WORKFLOW_TYPES.mailboxReading,
    workflowId: 'mailbox-reading',
    description: "Replies and late bounces read from the pool's own mailboxes over IMAP (SYS-003, ED-004, SYS-008)",
    spec: { intervals: [{ every: '1 minute' }] },
    // Each run reads all that arrived since each mailbox's cursor, so after an outage one run
    // catches up everything: runs missed by more than a minute are dropped rather than started
    // back to back (an hour's catch-up would be up to 60 runs finding nothing new).
    catchupWindow: '1 minute',
  },
];

/** What the sync creates or updates for a definition (exported for the tests). */
export function scheduleOptions(def: ScheduleDefinition, taskQueue: string): ScheduleOptions {
  return {
    scheduleId: def.id,
    spec: def.spec,
    action: { type: 'startWorkflow', workflowType: def.workflowType, workflowId: def.workflowId, taskQueue, args: [{ version: 1 }] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: def.catchupWindow ?? '1 hour', pauseOnFailure: false },
    memo: { description: def.description },
  };
}

export type SyncOutcome = { id: string; outcome: 'created' | 'updated' };

/** Create or update every schedule; safe to run concurrently and repeatedly. */
export async function syncSchedules(
  client: Client,
  taskQueue: string,
  defs: readonly ScheduleDefinition[] = SCHEDULES,
): Promise<SyncOutcome[]> {
  const out: SyncOutcome[] = [];
  for (const def of defs) {
    const opts = scheduleOptions(def, taskQueue);
    const handle = client.schedule.getHandle(def.id);
    let exists = true;
    try {
      await handle.describe();
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
      exists = false;
    }
    if (!exists) {
      try {
        await client.schedule.create(opts);
        out.push({ id: def.id, outcome: 'created' });
        continue;
      } catch (err) {
        if (!(err instanceof ScheduleAlreadyRunning)) throw err; // created meanwhile by another deploy: update it
      }
    }
    await handle.update((prev): ScheduleUpdateOptions => ({
      ...prev,
      spec: opts.spec,
      action: opts.action as ScheduleUpdateOptions['action'],
      policies: opts.policies ?? prev.policies,
    }));
    out.push({ id: def.id, outcome: 'updated' });
  }
  return out;
}
