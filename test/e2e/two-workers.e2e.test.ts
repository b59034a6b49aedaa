/**
 * SYS-009 (issue 14): the API and two workers as separate processes (`npm run server`, `npm run
 * worker` twice) on one task queue of the run's Temporal dev server share a 100-lead campaign:
 * both do its work, every lead has exactly one sequence with its first step planned, and no step is
 * sent twice. The 500-lead run of the issue is test/resilience/two-workers.resilience.test.ts (minutes
 * on a 2-CPU machine); the scenario is test/helpers/two-workers.ts.
 */
import { describe, it } from 'vitest';
import { runTwoWorkerCampaign } from '../helpers/two-workers.js';

describe('API and workers as separate processes', () => {
  it('SYS-009: two worker processes on one task queue and an API process run a 100-lead campaign: both workers do its work, one sequence per lead, no duplicate touch', async () => {
    const report = await runTwoWorkerCampaign(100, 120_000);
    console.log(`[two workers] ${JSON.stringify(report)}`);
  });
});
