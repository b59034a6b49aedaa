/**
 * The Temporal server dies (SIGKILL) and comes back on the same SQLite file:
 *   - mid-run: a campaign's onboarding (import, enrichment, DNCR wash, scoring, sequence starts)
 *     through the API and the real worker completes, every lead's sequence started once and at its
 *     first planned step (real time: the steps themselves are days away);
 *   - under `npm start` (scripts/dev-stack.ts): the stack restarts its dev server (bounded backoff,
 *     bounded restarts) and carries on, or stops as a whole with one message; a few lines each
 *     time, never a flood (lib/temporal-dev-server.ts superviseDevServer).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { startDevServer, superviseDevServer, waitForNamespace, type RunningDevServer } from '../../lib/temporal-dev-server.js';
import { temporalCliPath } from '../../scripts/temporal-bin.js';
import { startServer } from '../../server.js';
import { startWorker } from '../../worker.js';
import { leadProgressQuery, workflowIds, type LeadProgress } from '../../workflows/contracts.js';
import { createTestTenant, csvLeads, testConfig, testDb, waitFor } from '../helpers/context.js';
import { httpApi, untilTemporalAnswers } from '../helpers/http-api.js';
import { freePort } from '../../lib/scratch-postgres.js';

const root = path.resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(path.join(tmpdir(), 'agency-os-restart-'));
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  rmSync(tmp, { recursive: true, force: true });
});

async function killHard(server: RunningDevServer): Promise<void> {
  const gone = new Promise((r) => server.process.once('exit', r));
  server.process.kill('SIGKILL');
  await gone;
}

describe('resilience: the Temporal server restarted', () => {
  it('SYS-001 SYS-007: the Temporal server killed and restarted mid-onboarding: the campaign completes, every lead sequence started once and planned', async () => {
    const N = 150;
    const port = await freePort();
    const start = () => startDevServer({ executable: temporalCliPath(), port, dbFilename: path.join(tmp, 'onboarding.db') });
    let server = await start();
    cleanups.push(() => server.stop());
    const config = testConfig({ TEMPORAL_ADDRESS: server.address, ONBOARDING_IMPORT_BATCH_SIZE: '25' });
    await waitForNamespace(server.address, 'default');
    const db = testDb(config);
    cleanups.push(() => db.close());
    const worker = await startWorker(config, { db });
    cleanups.push(() => worker.shutdown());
    const api = await startServer(config, { db });
    cleanups.push(() => api.close());

    const { apiKey } = await createTestTenant(db);
    const f = new FormData();
    f.set('campaign', JSON.stringify({ name: 'restart test', icp: {} }));
    f.set('leads', new Blob([csvLeads(N)], { type: 'text/csv' }), 'leads.csv');
    const res = await untilTemporalAnswers(
      httpApi(() => api.url),
      'POST',
      '/v1/campaigns',
      apiKey,
      f,
    );
    expect(res.status).toBe(202);
    const { id } = res.body as { id: string };
    const campaign = async () => {
      const r = await fetch(`${api.url}/v1/campaigns/${id}`, { headers: { authorization: `Bearer ${apiKey}` } });
      return (await r.json()) as { status: string; progress: { imported?: number; sequencesStarted?: number } };
    };

    // Mid-run: once the first leads are in, the server dies and comes back 2 s later on its file.
    await waitFor(async () => ((await campaign()).progress.imported ?? 0) > 0, { timeoutMs: 120_000, intervalMs: 50, what: 'import' });
    await killHard(server);
    const atKill = await campaign();
    expect(atKill.status).not.toBe('running');
    await new Promise((r) => setTimeout(r, 2_000));
    server = await start();

    const done = await waitFor(
      async () => {
        const c = await campaign();
        return c.status === 'running' && (c.progress.sequencesStarted ?? 0) >= N && c;
      },
      { timeoutMs: 600_000, intervalMs: 500, what: 'the campaign to run every sequence' },
    );
    expect(done.progress).toMatchObject({ imported: N, sequencesStarted: N });
    const leads = await db.system.lead.findMany({ where: { campaignId: id } });
    expect(leads).toHaveLength(N);
    expect(new Set(leads.map((l) => l.sourceRow)).size).toBe(N);

    // Every lead's sequence: one workflow, at its first planned step (or stopped with a reason).
    const temporal = new Client({ connection: await Connection.connect({ address: server.address }) });
    cleanups.push(() => temporal.connection.close());
    const progress = await waitFor(
      async () => {
        const all = await Promise.all(
          leads.map((l) => temporal.workflow.getHandle(workflowIds.lead(l.id)).query(leadProgressQuery) as Promise<LeadProgress>),
        );
        return all.every((p) => p.next || p.stopReason) && all;
      },
      { timeoutMs: 300_000, intervalMs: 1_000, what: 'every sequence to plan its first step' },
    );
    expect(progress.filter((p) => !p.next && !p.stopReason)).toEqual([]);
    const touches = await db.system.touch.count({ where: { campaignId: id } });
    expect(touches).toBe(0); // their first step is in a window ahead: nothing sent early
  });

  it('the dev server supervisor restarts a killed server (its workflows kept) with bounded backoff, then gives up with one message', async () => {
    const port = await freePort();
    const start = () => startDevServer({ executable: temporalCliPath(), port, dbFilename: path.join(tmp, 'supervised.db') });
    const lines: string[] = [];
    const gaveUp: string[] = [];
    const supervised = superviseDevServer(await start(), {
      start,
      maxRestarts: 2,
      initialBackoffMs: 200,
      log: (l) => lines.push(l),
      onGiveUp: (reason) => gaveUp.push(reason),
    });
    cleanups.push(() => supervised.stop());
    await waitForNamespace(supervised.current.address, 'default');
    const client = new Client({ connection: await Connection.connect({ address: supervised.current.address }) });
    cleanups.push(() => client.connection.close());
    const wf = await client.workflow.start('leadSequenceWorkflow', { taskQueue: 'nobody-polls', workflowId: `kept-${port}`, args: [] });

    for (const n of [1, 2]) {
      await killHard(supervised.current);
      await waitFor(async () => supervised.restarts === n && lines.length === 2 * n, { timeoutMs: 60_000, what: `restart ${n}` });
      await waitForNamespace(supervised.current.address, 'default');
    }
    expect((await wf.describe()).status.name).toBe('RUNNING'); // the SQLite file kept it
    expect(lines[0]).toMatch(/exited \(signal SIGKILL\); restarting it in 0\.2 s \(restart 1 of at most 2\)/);
    expect(lines[2]).toMatch(/restarting it in 0\.4 s \(restart 2 of at most 2\)/);
    expect(lines[3]).toContain(`back on 127.0.0.1:${port}`);

    await killHard(supervised.current);
    await waitFor(async () => gaveUp.length > 0, { timeoutMs: 30_000, what: 'give up' });
    await new Promise((r) => setTimeout(r, 500));
    expect(gaveUp).toHaveLength(1);
    expect(gaveUp[0]).toMatch(/already restarted 2 times in 10 min: stopping/);
    expect(lines).toHaveLength(5); // two lines a restart, one to give up: never a flood
  });

  it('npm start (scripts/dev-stack.ts) restarts its dev server when it is killed, then stops the whole stack with one clear message, without a log flood', async () => {
    const [temporalPort, apiPort] = [await freePort(), await freePort()];
    const dataDir = path.join(tmp, 'stack');
    const out: string[] = [];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: inject('databaseUrl'),
      APP_DB_PASSWORD: inject('appDbPassword'),
      DATA_DIR: dataDir,
      TEMPORAL_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(await freePort()),
      PORT: String(apiPort),
      TEMPORAL_DEV_RESTARTS: '1',
    };
    for (const name of ['TEMPORAL_ADDRESS', 'LOG_LEVEL', 'APP_DATABASE_URL', 'ADMIN_API_KEY']) delete env[name];
    const stack: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/dev-stack.ts'], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanups.push(async () => stack.exitCode === null && stack.kill('SIGKILL'));
    const exited = new Promise<number | null>((r) => stack.once('exit', (code) => r(code)));
    for (const s of [stack.stdout!, stack.stderr!]) s.on('data', (b: Buffer) => out.push(...b.toString().split('\n').filter(Boolean)));
    await waitFor(
      async () => {
        if (stack.exitCode !== null) throw new Error(`the stack exited (${stack.exitCode}):\n${out.join('\n')}`);
        return out.some((l) => l.includes('Agency OS is running.'));
      },
      { timeoutMs: 240_000, intervalMs: 200, what: 'the stack to start' },
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${out.join('\n')}`);
    });
    const afterStart = out.length;

    const temporalChild = () => {
      const pids = readdirSync(`/proc/${stack.pid}/task`).flatMap((t) =>
        readFileSync(`/proc/${stack.pid}/task/${t}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
      );
      const pid = pids.find((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(`--port\0${temporalPort}\0`));
      if (!pid) throw new Error('no temporal dev server under the stack');
      return pid;
    };
    const ready = async () => (await fetch(`http://127.0.0.1:${apiPort}/readyz`).catch(() => undefined))?.status === 200;

    process.kill(temporalChild(), 'SIGKILL');
    await waitFor(async () => out.some((l) => l.includes('the Temporal dev server is back on')), { timeoutMs: 60_000, what: 'restart' });
    await waitFor(ready, { timeoutMs: 60_000, intervalMs: 200, what: 'the API ready again' });
    const duringRestart = out.slice(afterStart);
    expect(duringRestart.filter((l) => l.includes('restarting it in'))).toHaveLength(1);
    expect(duringRestart.length, duringRestart.join('\n')).toBeLessThanOrEqual(10);

    process.kill(temporalChild(), 'SIGKILL');
    expect(await exited).toBe(1);
    const tail = out.slice(afterStart);
    expect(tail.filter((l) => l.includes('already restarted 1 times in 10 min: stopping'))).toHaveLength(1);
    expect(tail.length, tail.join('\n')).toBeLessThanOrEqual(25);
  });
});
