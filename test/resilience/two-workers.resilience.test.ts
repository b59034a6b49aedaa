/**
 * SYS-009 (issue 14: "two workers on one task queue complete a 500-lead campaign with no duplicate
 * touch"): the API and two workers as separate processes (`npm run server`, `npm run worker` twice)
 * on one task queue of the run's Temporal dev server. Once onboarding is done and every lead's first
 * step is planned (a real server's clock: the steps themselves are hours or days away), both
 * workers did the campaign's work, every lead has exactly one sequence workflow, none failed a task,
 * and no (lead, step) was sent twice. The scenario is test/helpers/two-workers.ts; the integration
 * suite runs it with 100 leads (test/e2e/two-workers.e2e.test.ts).
 */
import { describe, it } from 'vitest';
import { runTwoWorkerCampaign } from '../helpers/two-workers.js';

describe('resilience: two workers on one task queue', () => {
  it('SYS-009: two worker processes on one task queue and an API process run a 500-lead campaign: both workers do its work, one sequence per lead, no duplicate touch', async () => {
    const report = await runTwoWorkerCampaign(500, 600_000);
    console.log(`[two workers] ${JSON.stringify(report)}`);
  }, 900_000);
});
