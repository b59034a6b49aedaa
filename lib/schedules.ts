/**
 * The Temporal Schedules of Agency OS and their idempotent sync (RP-003, RP-009, SYS-003): run at
 * every start-up (npm start, worker deploys) and by `npm run schedules:sync`. A schedule that
 * exists is updated in place (spec, action, policies), one that does not is created, so a redeploy
 * never duplicates one. Overlapping runs are skipped; a missed run is caught up within an hour
 * unless its definition says otherwise. Recording retention (VO-003) is one daily schedule; the
 * outreach preparation (SDK-002) is one schedule per client zone, synced from the zones in use
 * (syncOutreachPrepSchedules).
 */
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleOptions,
  type ScheduleUpdateOptions,
} from '@temporalio/client';
import { OUTREACH_PREP_SCHEDULE_PREFIX, outreachPrepScheduleId, SCHEDULE_IDS, WORKFLOW_TYPES } from '../domain/processes.js';

export interface ScheduleDefinition {
  id: string;
  workflowType: string;
  /** Workflow id prefix; the Schedule appends the run's time, so each run has its own id. */
  workflowId: string;
  description: string;
  spec: ScheduleOptions['spec'];
  /** How long after its time a missed run is still started (default an hour). */
  catchupWindow?: NonNullable<ScheduleOptions['policies']>['catchupWindow'];
  /** What a run due while the previous one still runs does (default SKIP). */
  overlap?: ScheduleOverlapPolicy;
  /** The workflow's input (default `{ version: 1 }`). */
  input?: Record<string, unknown>;
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
  {
    id: SCHEDULE_IDS.recordingRetention,
    workflowType: WORKFLOW_TYPES.recordingRetention,
    workflowId: 'recording-retention',
    description: 'Call recordings older than 90 days deleted at the provider and their references cleared (VO-003)',
    // 03:00 UTC, a quiet hour for every zone we call in (no call is being recorded then in Australia).
    spec: { calendars: [{ hour: 3, minute: 0, comment: 'daily' }] },
    // SKIP: a run still deleting when the next is due would otherwise page the same rows and ask
    // the provider to delete the same calls twice; the running one finishes the work anyway.
    overlap: ScheduleOverlapPolicy.SKIP,
    // A day: a run missed in an outage is still started when the server is back (it catches up
    // everything past the cutoff in one run; SKIP keeps it to one). Longer would only start it
    // next to the next day's run.
    catchupWindow: '1 day',
  },
  {
    id: SCHEDULE_IDS.outreachPrepZones,
    workflowType: WORKFLOW_TYPES.outreachPrepZones,
    workflowId: 'outreach-prep-zones',
    description: 'One daily-outreach-prep schedule per zone of the prepared clients: a new zone gets its own within the hour (SDK-002)',
    spec: { intervals: [{ every: '1 hour' }] },
    // SKIP and an hour's catch-up (the defaults): each run makes the schedules match the clients as
    // they are, so one run after an outage is all that is needed.
  },
];

/** SDK-002: the local hour each zone's outreach preparation starts, before the first sending window (08:00 LinkedIn, 09:00 the others). */
export const OUTREACH_PREP_LOCAL_HOUR = 5;

/**
 * SDK-002: one `daily-outreach-prep:<zone>` schedule per zone in use (the default zones of the
 * clients not paused or churned: a client's caps count in its own day, so a zone's run prepares
 * whole clients), at 05:00 in that zone (the calendar's `timezone`, DST followed by Temporal).
 */
export function outreachPrepDefinitions(zones: readonly string[]): ScheduleDefinition[] {
  return [...new Set(zones)].sort().map((zone) => ({
    id: outreachPrepScheduleId(zone),
    workflowType: WORKFLOW_TYPES.outreachPrep,
    workflowId: outreachPrepScheduleId(zone),
    description: `Daily outreach preparation for the clients in ${zone}: DNCR re-washes, re-scores, zones, the day's sends vs caps (SDK-002)`,
    spec: {
      calendars: [{ hour: OUTREACH_PREP_LOCAL_HOUR, minute: 0, comment: 'each morning before the sending windows' }],
      timezone: zone,
    },
    input: { zone },
    // SKIP: a run still going when the next morning comes (a zone with very many leads) must not
    // be joined by a second one re-washing and re-scoring the same pages; the next morning's run
    // then starts as usual. BUFFER_ONE would only queue a run that finds nothing left to do.
    overlap: ScheduleOverlapPolicy.SKIP,
    // 4 hours: a morning missed in an outage is still prepared up to 09:00 local, when the windows
    // open; later, the steps check the DNCR and caps themselves and the day's alert comes too late.
    catchupWindow: '4 hours',
  }));
}

/** What the sync creates or updates for a definition (exported for the tests). */
export function scheduleOptions(def: ScheduleDefinition, taskQueue: string): ScheduleOptions {
  return {
    scheduleId: def.id,
    spec: def.spec,
    action: {
      type: 'startWorkflow',
      workflowType: def.workflowType,
      workflowId: def.workflowId,
      taskQueue,
      args: [{ version: 1, ...def.input }],
    },
    policies: {
      overlap: def.overlap ?? ScheduleOverlapPolicy.SKIP,
      catchupWindow: def.catchupWindow ?? '1 hour',
      pauseOnFailure: false,
    },
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

/**
 * SDK-002: creates or updates the outreach preparation schedule of every zone in use and deletes
 * those of zones no longer used (found by their id prefix). Idempotent like syncSchedules. A
 * schedule deleted meanwhile by another sync counts as deleted.
 */
export async function syncOutreachPrepSchedules(
  client: Client,
  taskQueue: string,
  zones: readonly string[],
): Promise<(SyncOutcome | { id: string; outcome: 'deleted' })[]> {
  const defs = outreachPrepDefinitions(zones);
  const out: (SyncOutcome | { id: string; outcome: 'deleted' })[] = await syncSchedules(client, taskQueue, defs);
  const wanted = new Set(defs.map((d) => d.id));
  for await (const s of client.schedule.list()) {
    if (!s.scheduleId.startsWith(OUTREACH_PREP_SCHEDULE_PREFIX) || wanted.has(s.scheduleId)) continue;
    try {
      await client.schedule.getHandle(s.scheduleId).delete();
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    }
    out.push({ id: s.scheduleId, outcome: 'deleted' });
  }
  return out;
}
