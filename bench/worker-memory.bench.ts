/**
 * Worker memory with N sleeping lead workflows (issue 11 item 1): a real Temporal dev server,
 * and the worker + API in one process as `npm start` runs them (bench/support/memory-stack.ts:
 * the project's worker, bundle and configuration; the two planning activities are stand-ins, so
 * no database is needed). Lead workflows are started directly, each plans step 1 (a day away) and
 * sleeps. The process's resident memory (RSS, from /proc) is printed at N = 0 (the baseline),
 * 1,000 and 10,000 (and 50,000 with BENCH_MEMORY_50K=1), in MB and as a ratio to the baseline.
 *
 * Run: npm run bench -- worker-memory   (WORKER_* variables pass through to the worker, e.g.
 *      WORKER_MAX_CACHED_WORKFLOWS=2300 to see the SDK's default cache on a 4 GB heap)
 */
import { fork, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startDevServer, waitForNamespace } from '../lib/temporal-dev-server.js';
import { buildWorkflowBundle } from '../lib/workflow-bundle.js';
import { temporalCliPath } from '../scripts/temporal-bin.js';

const root = path.resolve(import.meta.dirname, '..');
const steps = process.env.BENCH_MEMORY_STEPS
  ? process.env.BENCH_MEMORY_STEPS.split(',').map(Number)
  : [0, 1_000, 10_000, ...(process.env.BENCH_MEMORY_50K ? [50_000] : [])];
const TASK_QUEUE = 'bench-memory';
const START_CONCURRENCY = 32;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const kb = (pid: number, field: string) =>
  Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
const mb = (k: number) => k / 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const temporal = await startDevServer({ executable: temporalCliPath(), port: await freePort(), namespace: 'default' });
await waitForNamespace(temporal.address, 'default');
const bundlePath = await buildWorkflowBundle(path.join(root, 'tmp', 'bench-workflow-bundle.js'));
const stackEnv = {
  ...process.env,
  NODE_ENV: 'development',
  // As package.json's worker and server scripts and the Dockerfile set it (docs/performance.md).
  MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
  LOG_LEVEL: 'warn',
  TEMPORAL_ADDRESS: temporal.address,
  TEMPORAL_TASK_QUEUE: TASK_QUEUE,
  WORKFLOW_BUNDLE_PATH: bundlePath,
  // Nothing reaches the database: the activities that would are stand-ins.
  DATABASE_URL: 'postgresql://bench:bench@127.0.0.1:9/bench_unused',
  PORT: String(await freePort()),
};
// Compiled and started as `npm start` runs the project (scripts/run-compiled.sh: dist/, plain
// node, the memory settings); BENCH_MEMORY_TSX=1 measures the same code run from source by tsx.
const stack = process.env.BENCH_MEMORY_TSX
  ? fork(path.join(root, 'bench', 'support', 'memory-stack.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: stackEnv,
    })
  : spawn('bash', [path.join(root, 'scripts', 'run-compiled.sh'), 'bench/support/memory-stack.ts'], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: stackEnv,
    });
let planned = 0;
let ready = false;
let memory: Record<string, number> = {};
stack.on('message', (m: { planned?: number; ready?: boolean; memory?: Record<string, number> }) => {
  if (m.ready) ready = true;
  if (m.memory) memory = m.memory;
  if (m.planned !== undefined) planned = Math.max(planned, m.planned);
});
const stackExit = new Promise((r) => stack.once('exit', r));
const connection = await Connection.connect({ address: temporal.address });
const client = new Client({ connection, namespace: 'default' });

try {
  while (!ready) {
    if (stack.exitCode !== null) throw new Error(`the worker process exited (${stack.exitCode})`);
    await sleep(100);
  }
  const rows: { n: number; rssMb: number; peakMb: number; startS: number }[] = [];
  let started = 0;
  for (const n of steps) {
    const t0 = performance.now();
    let next = started;
    await Promise.all(
      Array.from({ length: START_CONCURRENCY }, async () => {
        while (next < n) {
          const i = next++;
          await client.workflow.start('leadSequenceWorkflow', {
            taskQueue: TASK_QUEUE,
            workflowId: `bench-lead-${i}`,
            args: [{ version: 1, clientId: 'bench-client', campaignId: 'bench-campaign', leadId: `bench-lead-${i}` }],
          });
        }
      }),
    );
    started = n;
    // Every lead has planned step 1 (and so sleeps), then memory settles.
    while (planned < Math.floor(n / 100) * 100) {
      stack.send({ type: 'planned' });
      await sleep(500);
    }
    const startS = (performance.now() - t0) / 1000;
    await sleep(10_000);
    stack.send({ type: 'memory' });
    await sleep(200);
    rows.push({ n, rssMb: mb(kb(stack.pid!, 'VmRSS')), peakMb: mb(kb(stack.pid!, 'VmHWM')), startS });
    const r = rows.at(-1)!;
    console.log(
      `N=${n}: RSS ${r.rssMb.toFixed(0)} MB (peak so far ${r.peakMb.toFixed(0)} MB), started and planned in ${startS.toFixed(1)} s; main heap ${(memory.heapUsed! / 2 ** 20).toFixed(0)}/${(memory.heapTotal! / 2 ** 20).toFixed(0)} MB, external ${(memory.external! / 2 ** 20).toFixed(0)} MB`,
    );
  }
  const base = rows[0]!.rssMb;
  console.log('\nworker + API process, N sleeping lead workflows (RSS after starts settle)');
  console.log('N        RSS MB   ratio to N=0   peak MB   under 400 MB');
  for (const r of rows)
    console.log(
      `${String(r.n).padEnd(8)} ${r.rssMb.toFixed(0).padStart(6)}   ${(r.rssMb / base).toFixed(2).padStart(12)}   ${r.peakMb.toFixed(0).padStart(7)}   ${r.rssMb < 400 ? 'yes' : 'NO'}`,
    );
  const last = rows.at(-1)!;
  const perThousand = rows.length > 1 ? ((last.rssMb - rows[1]!.rssMb) / (last.n - rows[1]!.n)) * 1000 : 0;
  console.log(`growth past N=${rows[1]?.n ?? 0}: ${perThousand.toFixed(1)} MB per 1,000 sleeping workflows`);
} finally {
  stack.kill('SIGTERM');
  await Promise.race([stackExit, sleep(15_000)]);
  if (stack.exitCode === null) stack.kill('SIGKILL');
  await connection.close();
  await temporal.stop();
}
