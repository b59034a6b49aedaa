/**
 * What activities may ask of Temporal itself: signal, signal-with-start or cancel other
 * workflows (the churn hold pausing a client's lead sequences, a retired domain waking the
 * client's provisioning). Built on the worker from a @temporalio/client Client.
 */
import { log } from '@temporalio/activity';
import { ScheduleNotFoundError, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';

export interface WorkflowGateway {
  /** 'not_found' when no such workflow is running. */
  signal(workflowId: string, signalName: string, args: unknown[]): Promise<'signalled' | 'not_found'>;
  signalWithStart(input: {
    workflowType: string;
    workflowId: string;
    args: unknown[];
    signalName: string;
    signalArgs: unknown[];
  }): Promise<void>;
  /** Starts a workflow unless one with the id is running ('already_running'). */
  start(input: { workflowType: string; workflowId: string; args: unknown[] }): Promise<'started' | 'already_running'>;
  /** Runs a Schedule's action now (its overlap policy applies); 'not_found' when the schedule does not exist. */
  triggerSchedule(scheduleId: string): Promise<'triggered' | 'not_found'>;
  /** Requests cancellation; 'not_found' when it is not running. */
  cancel(workflowId: string): Promise<'cancelled' | 'not_found'>;
}

export function createTemporalGateway(client: Client, taskQueue: string): WorkflowGateway {
  const notFound = (err: unknown) => err instanceof WorkflowNotFoundError || (err as { name?: string })?.name === 'WorkflowNotFoundError';
  return {
    async signal(workflowId, signalName, args) {
      try {
        await client.workflow.getHandle(workflowId).signal(signalName, ...args);
        return 'signalled';
      } catch (err) {
        if (notFound(err)) return 'not_found';
        throw err;
      }
    },
    async signalWithStart({ workflowType, workflowId, args, signalName, signalArgs }) {
      await client.workflow.signalWithStart(workflowType, { workflowId, taskQueue, args, signal: signalName, signalArgs });
    },
    async start({ workflowType, workflowId, args }) {
      try {
        await client.workflow.start(workflowType, { workflowId, taskQueue, args });
        return 'started';
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) return 'already_running';
        throw err;
      }
    },
    async triggerSchedule(scheduleId) {
      try {
        await client.schedule.getHandle(scheduleId).trigger();
        return 'triggered';
      } catch (err) {
        if (err instanceof ScheduleNotFoundError) return 'not_found';
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
  };
}

/**
 * The workflow-facing side: a workflow starts another long-lived one (a domain's warmup, a
 * client's churn hold) through this activity rather than as a child, so the started workflow's
 * life is independent of the starter's runs (continueAsNew, completion) and a second start of a
 * running one is a no-op.
 */
export function createWorkflowStartActivities({ gateway }: { gateway: WorkflowGateway }) {
  return {
    async startWorkflow(input: {
      version: 1;
      workflowType: 'warmupWorkflow' | 'churnHoldWorkflow';
      workflowId: string;
      args: unknown[];
    }): Promise<'started' | 'already_running'> {
      const { version: _version, ...start } = input;
      return gateway.start(start);
    },
    /**
     * The pool just changed (an allocation): run the pool-monitor Schedule now rather than at its
     * next hour. Best effort: the hourly run catches up if this fails.
     */
    async requestPoolCheck(): Promise<'triggered' | 'not_found' | 'failed'> {
      try {
        return await gateway.triggerSchedule('pool-monitor');
      } catch (err) {
        log.warn('could not trigger the pool-monitor schedule', { error: (err as Error).message });
        return 'failed';
      }
    },
  };
}
