/**
 * SYS-001: the worker is killed (SIGKILL, no graceful shutdown) in the middle of a 5,000-lead
 * import and started again; the campaign ends with exactly 5,000 leads.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { startServer } from '../../server.js';
import { createTestTenant, csvLeads, testConfig, testDb, waitFor } from '../helpers/context.js';
import { httpApi, untilTemporalAnswers } from '../helpers/http-api.js';

const config = testConfig({ ONBOARDING_IMPORT_BATCH_SIZE: '100' });
const db = testDb(config);
const root = path.resolve(import.meta.dirname, '../..');
let server: Awaited<ReturnType<typeof startServer>>;
const children: ChildProcess[] = [];
const api = httpApi(() => server.url);

function spawnWorker(): ChildProcess {
  // One process (node with the tsx loader), so SIGKILL really kills the worker; the tsx CLI
  // would run it in a grandchild that outlives its wrapper.
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: config.databaseUrl,
      APP_DATABASE_URL: config.tenantDatabaseUrl,
      TEMPORAL_ADDRESS: config.temporal.address,
      TEMPORAL_TASK_QUEUE: config.temporal.taskQueue,
      WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}

beforeAll(async () => {
  server = await startServer(config, { db });
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await server?.close();
  await db.close();
});

describe('worker crash during import', () => {
  it('SYS-001: killing the worker mid-import of 5,000 leads and starting it again ends with exactly 5,000 leads', async () => {
    const { apiKey } = await createTestTenant(db);
    const f = new FormData();
    f.set('campaign', JSON.stringify({ name: 'crash test', icp: {} }));
    f.set('leads', new Blob([csvLeads(5000, { dead: true })], { type: 'text/csv' }), 'leads.csv');
    const res = await untilTemporalAnswers(api, 'POST', '/v1/campaigns', apiKey, f);
    expect(res.status).toBe(202);
    const { id } = res.body as { id: string };
    const count = () => db.system.lead.count({ where: { campaignId: id } });

    const first = spawnWorker();
    const atKill = await waitFor(
      async () => {
        const n = await count();
        return n >= 300 && n;
      },
      { timeoutMs: 240_000, intervalMs: 20, what: 'import to start' },
    );
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const afterKill = await count();
    expect(afterKill).toBeLessThan(5000); // it really died mid-import
    await new Promise((r) => setTimeout(r, 1500));
    expect(await count()).toBe(afterKill); // and nothing else is importing

    spawnWorker();
    const final = await waitFor(
      async () => {
        const c = await db.system.campaign.findUniqueOrThrow({ where: { id } });
        return (c.status === 'imported' || c.status === 'running') && c;
      },
      { timeoutMs: 240_000, intervalMs: 200, what: 'import to finish after restart' },
    );
    expect(['imported', 'running']).toContain(final.status);
    expect(await count()).toBe(5000);
    const rows = await db.system.lead.groupBy({
      by: ['sourceRow'],
      where: { campaignId: id },
      having: { sourceRow: { _count: { gt: 1 } } },
    });
    expect(rows).toEqual([]);
    expect(atKill).toBeGreaterThan(0);
  });
});
