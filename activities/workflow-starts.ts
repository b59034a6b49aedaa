/**
 * A workflow starts another long-lived one (a domain's warmup, a client's churn hold) through
 * this activity rather than as a child, so the started workflow's life is independent of the
 * starter's runs (continueAsNew, completion) and a second start of a running one is a no-op.
 */
import { log } from '@temporalio/activity';
import { SCHEDULE_IDS } from '../domain/processes.js';
import type { WorkflowGateway } from '../services/workflow-gateway.js';

export function createWorkflowStartActivities({ gateway }: { gateway: WorkflowGateway }) {
  return {
    async startWorkflow(input: {
      version: 1;
      workflowType: 'warmupWorkflow' | 'churnHoldWorkflow';
      workflowId: string;
      args: unknown[];
    }): Promise<'started' | 'already_running'> {
      return gateway.start(input.workflowType, input.workflowId, input.args);
    },
    /**
     * The pool just changed (an allocation): run the pool-monitor Schedule now rather than at its
     * next hour. Best effort: the hourly run catches up if this fails.
     */
    async requestPoolCheck(): Promise<'triggered' | 'not_found' | 'failed'> {
      try {
        return await gateway.triggerSchedule(SCHEDULE_IDS.poolMonitor);
      } catch (err) {
        log.warn('could not trigger the pool-monitor schedule', { error: (err as Error).message });
        return 'failed';
      }
    },
  };
}
