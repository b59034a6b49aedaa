/**
 * Admin console: the Temporal Schedules of Agency OS (RP-002, RP-003, RP-009, SYS-003, SYS-006):
 * pool-monitor, health-monitor, mailbox-reading, recording-retention (VO-003) and the
 * daily-outreach-prep schedule of each client zone (SDK-002, those that exist), each with its spec in words, paused or not,
 * its last run (workflow and status) and its next runs, read through the workflow gateway
 * (describe()). A schedule missing from the namespace is listed with `exists: false` (the worker's
 * start-up or `npm run schedules:sync` creates it). Admin key only.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { OUTREACH_PREP_SCHEDULE_PREFIX, SCHEDULE_IDS } from '../../domain/processes.js';
import type { ScheduleStatus } from '../../services/schedule-status.js';
import { ErrorBody } from '../schemas.js';
import { HttpError } from '../errors.js';
import type { AppDeps } from '../deps.js';

const ScheduleOut = z.object({
  id: z.string(),
  exists: z.boolean(),
  description: z.string().nullable(),
  workflowType: z.string().nullable(),
  /** `every 1 hour`, `cron "0 19 * * *" UTC (comment)`; null when the schedule does not exist. */
  spec: z.string().nullable(),
  paused: z.boolean().nullable(),
  note: z.string().nullable(),
  lastRunAt: z.string().nullable(),
  /** The latest run's workflow and its status (RUNNING, COMPLETED, FAILED, ...; null when unknown). */
  lastResult: z.object({ workflowId: z.string(), status: z.string().nullable() }).nullable(),
  nextRunAt: z.string().nullable(),
  nextRunTimes: z.array(z.string()),
  actionsTaken: z.number().nullable(),
  /** Runs Temporal counts as running for the schedule's overlap policy (it may omit a manual run: lastResult says). */
  runningWorkflowIds: z.array(z.string()),
});

function scheduleOut(id: string, s: ScheduleStatus | null): z.infer<typeof ScheduleOut> {
  if (!s) {
    return {
      id,
      exists: false,
      description: null,
      workflowType: null,
      spec: null,
      paused: null,
      note: null,
      lastRunAt: null,
      lastResult: null,
      nextRunAt: null,
      nextRunTimes: [],
      actionsTaken: null,
      runningWorkflowIds: [],
    };
  }
  const next = s.nextRunTimes.map((d) => d.toISOString());
  return {
    id,
    exists: true,
    description: s.description,
    workflowType: s.workflowType,
    spec: s.spec,
    paused: s.paused,
    note: s.note,
    lastRunAt: s.lastRun ? s.lastRun.at.toISOString() : null,
    lastResult: s.lastRun ? { workflowId: s.lastRun.workflowId, status: s.lastRun.status } : null,
    nextRunAt: next[0] ?? null,
    nextRunTimes: next,
    actionsTaken: s.actionsTaken,
    runningWorkflowIds: s.running,
  };
}

export const adminScheduleRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  const { gateway } = deps.services;

  app.get(
    '/v1/admin/schedules',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'The Temporal Schedules: spec, paused, last run and its result, next runs',
        response: { 200: z.object({ namespace: z.string(), schedules: z.array(ScheduleOut) }), 503: ErrorBody },
      },
    },
    async () => {
      const deadline = Date.now() + 5000;
      let ids: string[] = Object.values(SCHEDULE_IDS);
      let described: (ScheduleStatus | null)[];
      try {
        ids = [...ids, ...(await gateway.scheduleIdsWithPrefix(OUTREACH_PREP_SCHEDULE_PREFIX, deadline))];
        described = await Promise.all(ids.map((id) => gateway.describeSchedule(id, deadline)));
      } catch (err) {
        throw new HttpError(
          503,
          'temporal_unavailable',
          `Temporal did not describe the schedules: ${(err as Error).message}`.slice(0, 300),
        );
      }
      return { namespace: gateway.namespace, schedules: ids.map((id, i) => scheduleOut(id, described[i]!)) };
    },
  );
};
