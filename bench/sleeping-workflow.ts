/** The onboarding benchmark's baseline workflow: started, then asleep for a month (nothing else). */
import { sleep } from '@temporalio/workflow';

export async function benchSleepingWorkflow(): Promise<void> {
  await sleep('30 days');
}
