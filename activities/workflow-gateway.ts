/**
 * What activities may ask of Temporal itself: signal, signal-with-start or cancel other
 * workflows (the churn hold pausing a client's lead sequences, a retired domain waking the
 * client's provisioning). Built on the worker from a @temporalio/client Client.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';

export interface WorkflowGateway {
  /** 'not_found' when no such workflow is running. */
  signal(workflowId: string, signalName: string, args: unknown[]): Promise<'signalled' | 'not_found'>;
  signalWithStart(input: { workflowType: string; workflowId: string; args: unknown[]; signalName: string; signalArgs: unknown[] }): Promise<void>;
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
