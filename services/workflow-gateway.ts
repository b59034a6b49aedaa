/**
 * Temporal as the rest of the system reaches it: start, signal, signal-with-start, query or
 * cancel a workflow, trigger or describe a Schedule. Used by the API (typed definitions from
 * workflows/contracts.ts) and by activities and services (names from domain/processes.ts), so
 * "not running" and "already started" mean the same everywhere, and every start carries the
 * search attributes its input gives (SYS-009: ClientId, CampaignId, a lead's LeadTier and
 * LeadState; domain/search-attributes.ts). Built from a @temporalio/client Client by the
 * composition root.
 */
import {
  ScheduleNotFoundError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type Client,
  type QueryDefinition,
  type SignalDefinition,
} from '@temporalio/client';
import { TypedSearchAttributes, type SearchAttributePair } from '@temporalio/common';
import { SEARCH_ATTRIBUTE_KEYS as K, startSearchAttributes } from '../domain/search-attributes.js';
import { scheduleStatus, type ScheduleStatus } from './schedule-status.js';
import { syncOutreachPrepSchedules } from '../lib/schedules.js';

type Signal<Args extends unknown[]> = string | SignalDefinition<Args>;
type Query<T> = string | QueryDefinition<T>;

export interface StartOptions {
  memo?: Record<string, unknown>;
  /** Give up (and throw) when Temporal has not answered by then (epoch ms). */
  deadlineMs?: number;
  /** Never a second run of this id, even after the first has closed ('already_running' then). */
  once?: boolean;
}

export interface WorkflowGateway {
  readonly namespace: string;
  readonly taskQueue: string;
  /** Starts a workflow unless one with the id is running ('already_running'). */
  start(workflowType: string, workflowId: string, args: unknown[], opts?: StartOptions): Promise<'started' | 'already_running'>;
  /** 'not_found' when no such workflow is running. */
  signal<Args extends unknown[]>(workflowId: string, signal: Signal<Args>, ...args: Args): Promise<'signalled' | 'not_found'>;
  signalWithStart<Args extends unknown[]>(
    workflowType: string,
    workflowId: string,
    args: unknown[],
    signal: Signal<Args>,
    ...signalArgs: Args
  ): Promise<void>;
  /**
   * The answer of a running (or closed) workflow's query; null when there is no such workflow (never
   * started, or past the namespace's retention); throws when Temporal does not answer by the deadline.
   */
  query<T>(workflowId: string, query: Query<T>, deadlineMs: number): Promise<T | null>;
  /** Whether a workflow with this id exists (running or closed); throws when Temporal does not answer by the deadline. */
  exists(workflowId: string, deadlineMs: number): Promise<boolean>;
  /** Requests cancellation; 'not_found' when it is not running. */
  cancel(workflowId: string): Promise<'cancelled' | 'not_found'>;
  /**
   * SDK-002: makes the `daily-outreach-prep:<zone>` schedules those of `zones` (created, updated,
   * and deleted for a zone no longer in use: lib/schedules.ts), on this gateway's task queue.
   */
  syncOutreachPrepSchedules(zones: readonly string[]): Promise<{ id: string; outcome: 'created' | 'updated' | 'deleted' }[]>;
  /** Runs a Schedule's action now (its overlap policy applies); 'not_found' when the schedule does not exist. */
  triggerSchedule(scheduleId: string): Promise<'triggered' | 'not_found'>;
  /**
   * A Schedule's spec, state, last run (with its workflow's status) and next runs; null when the
   * schedule does not exist. Throws when Temporal does not answer by the deadline.
   */
  describeSchedule(scheduleId: string, deadlineMs: number): Promise<ScheduleStatus | null>;
  /** The ids of the namespace's Schedules starting with `prefix` (SDK-002: one per client zone), sorted. */
  scheduleIdsWithPrefix(prefix: string, deadlineMs: number): Promise<string[]>;
  /** Throws when the Temporal frontend does not answer. */
  ping(): Promise<void>;
}

/** SYS-009: the search attributes a workflow starts with (ClientId, CampaignId, a lead's tier and state), read from its input. */
function typedSearchAttributes(workflowType: string, args: unknown[]): { typedSearchAttributes?: TypedSearchAttributes } {
  const a = startSearchAttributes(workflowType, args);
  const pairs: SearchAttributePair[] = [];
  if (a.clientId) pairs.push({ key: K.clientId, value: a.clientId });
  if (a.campaignId) pairs.push({ key: K.campaignId, value: a.campaignId });
  if (a.leadTier) pairs.push({ key: K.leadTier, value: a.leadTier });
  if (a.leadState) pairs.push({ key: K.leadState, value: a.leadState });
  return pairs.length ? { typedSearchAttributes: new TypedSearchAttributes(pairs) } : {};
}

const notFound = (err: unknown) => err instanceof WorkflowNotFoundError || (err as { name?: string })?.name === 'WorkflowNotFoundError';

export function createWorkflowGateway(client: Client, taskQueue: string): WorkflowGateway {
  const withDeadline = <T>(deadlineMs: number | undefined, fn: () => Promise<T>) =>
    deadlineMs ? client.withDeadline(deadlineMs, fn) : fn();
  return {
    namespace: client.options.namespace,
    taskQueue,
    async start(workflowType, workflowId, args, opts = {}) {
      try {
        await withDeadline(opts.deadlineMs, () =>
          client.workflow.start(workflowType, {
            workflowId,
            taskQueue,
            args,
            ...typedSearchAttributes(workflowType, args),
            ...(opts.memo ? { memo: opts.memo } : {}),
            ...(opts.once ? { workflowIdReusePolicy: 'REJECT_DUPLICATE' as const } : {}),
          }),
        );
        return 'started';
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) return 'already_running';
        throw err;
      }
    },
    async signal(workflowId, signal, ...args) {
      try {
        await client.workflow.getHandle(workflowId).signal(signal, ...args);
        return 'signalled';
      } catch (err) {
        if (notFound(err)) return 'not_found';
        throw err;
      }
    },
    async signalWithStart(workflowType, workflowId, args, signal, ...signalArgs) {
      const options = { workflowId, taskQueue, args, signal, signalArgs, ...typedSearchAttributes(workflowType, args) };
      await client.workflow.signalWithStart(workflowType, options as Parameters<Client['workflow']['signalWithStart']>[1]);
    },
    async query(workflowId, query, deadlineMs) {
      try {
        return await client.withDeadline(deadlineMs, () => client.workflow.getHandle(workflowId).query(query));
      } catch (err) {
        if (notFound(err)) return null;
        throw err;
      }
    },
    async exists(workflowId, deadlineMs) {
      try {
        await client.withDeadline(deadlineMs, () => client.workflow.getHandle(workflowId).describe());
        return true;
      } catch (err) {
        if (notFound(err)) return false;
        throw err;
      }
    },
    async cancel(workflowId) {
      try {
        await client.workflow.getHandle(workflowId).cancel();
        return 'cancelled';
      } catch (err) {
        if (notFound(err)) return 'not_found';
        throw err;
      }
    },
    syncOutreachPrepSchedules: (zones) => syncOutreachPrepSchedules(client, taskQueue, zones),
    async triggerSchedule(scheduleId) {
      try {
        await client.schedule.getHandle(scheduleId).trigger();
        return 'triggered';
      } catch (err) {
        if (err instanceof ScheduleNotFoundError) return 'not_found';
        throw err;
      }
    },
    async scheduleIdsWithPrefix(prefix, deadlineMs) {
      return withDeadline(deadlineMs, async () => {
        const ids: string[] = [];
        for await (const s of client.schedule.list()) if (s.scheduleId.startsWith(prefix)) ids.push(s.scheduleId);
        return ids.sort();
      });
    },
    async describeSchedule(scheduleId, deadlineMs) {
      let d;
      try {
        d = await client.withDeadline(deadlineMs, () => client.schedule.getHandle(scheduleId).describe());
      } catch (err) {
        if (err instanceof ScheduleNotFoundError) return null;
        throw err;
      }
      const last = d.info.recentActions.at(-1)?.action.workflow.workflowId;
      let status: string | null = null;
      if (last) {
        try {
          status = (await client.withDeadline(deadlineMs, () => client.workflow.getHandle(last).describe())).status.name;
        } catch {
          // Its status is a nicety: a run already deleted by retention, or a slow answer, leaves it unknown.
        }
      }
      return scheduleStatus(d, status);
    },
    async ping() {
      await client.connection.workflowService.getSystemInfo({});
    },
  };
}
