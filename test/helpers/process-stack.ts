/**
 * The API and the workers as separate processes, as production runs them (SYS-009,
 * docs/operations.md "Processes"): `server.ts` and `worker.ts` each a process of its own (node with
 * the tsx loader, as test/e2e/worker-crash.e2e.test.ts spawns its worker: `npm run server` /
 * `npm run worker` run the same entry points compiled), configured by environment only and pointed
 * at the run's Postgres and Temporal dev server. Every worker polls the same task queue. Each
 * worker's Temporal identity is `<pid>@<host>` (the SDK's default), which is what the server records
 * on every workflow and activity task it hands out: the tests tell the workers apart by it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { hostname } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import type { AppConfig } from '../../config/index.js';
import { freePort } from '../../lib/scratch-postgres.js';
import { ADMIN_KEY, TEST_CONFIG_UNSUBSCRIBE_SECRET, waitFor } from './context.js';

const root = path.resolve(import.meta.dirname, '../..');

export interface StackProcess {
  child: ChildProcess;
  /** Temporal identity of a worker process: `<pid>@<host>`. */
  identity: string;
  /** Everything it wrote to stdout and stderr so far (pino JSON lines, console lines). */
  output(): string;
}

export interface ProcessStack {
  /** The API's base URL (http://127.0.0.1:<port>). */
  url: string;
  server: StackProcess;
  workers: StackProcess[];
  /** Processes that exited before stop(), with their exit code or signal. */
  exited(): string[];
  stop(): Promise<void>;
}

/** The environment every process of the stack gets: what a deployment sets (README "Configuration"). */
function baseEnv(config: Readonly<AppConfig>, extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: config.databaseUrl,
    APP_DATABASE_URL: config.tenantDatabaseUrl,
    APP_DB_PASSWORD: inject('appDbPassword'),
    TEMPORAL_ADDRESS: config.temporal.address,
    TEMPORAL_NAMESPACE: config.temporal.namespace,
    TEMPORAL_TASK_QUEUE: config.temporal.taskQueue,
    WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
    // The API and the workers share the unsubscribe secret (links made by a worker verify at the API).
    UNSUBSCRIBE_SECRET: TEST_CONFIG_UNSUBSCRIBE_SECRET,
    LOG_LEVEL: 'info',
    ...extra,
  };
}

function spawnProcess(entry: string, env: NodeJS.ProcessEnv, exits: string[]): StackProcess {
  // One process (node with the tsx loader): its pid is the process that polls, so its identity is known.
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: string[] = [];
  // Always read both pipes: a child whose pipe fills up blocks.
  child.stdout!.on('data', (b: Buffer) => chunks.push(b.toString()));
  child.stderr!.on('data', (b: Buffer) => chunks.push(b.toString()));
  child.once('exit', (code, signal) => exits.push(`${entry} (pid ${child.pid}) exited: ${signal ?? `code ${code}`}`));
  return { child, identity: `${child.pid}@${hostname()}`, output: () => chunks.join('') };
}

async function stopProcess(p: StackProcess, graceMs = 15_000): Promise<void> {
  const { child } = p;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await gone;
  clearTimeout(timer);
}

/**
 * Starts `workers` worker processes and one API process on `config`'s database, Temporal server and
 * task queue, and waits until every worker polls ("worker started") and has synced the Schedules,
 * and the API answers /readyz. A process that exits during start fails it with its output.
 */
export async function startProcessStack(
  config: Readonly<AppConfig>,
  opts: { workers: number; env?: Record<string, string>; startTimeoutMs?: number },
): Promise<ProcessStack> {
  const exits: string[] = [];
  const port = await freePort();
  const env = baseEnv(config, opts.env ?? {});
  const workers = Array.from({ length: opts.workers }, () => spawnProcess('worker.ts', env, exits));
  const server = spawnProcess('server.ts', { ...env, HOST: '127.0.0.1', PORT: String(port), ADMIN_API_KEY: ADMIN_KEY }, exits);
  const url = `http://127.0.0.1:${port}`;
  const all = [server, ...workers];
  const stack: ProcessStack = {
    url,
    server,
    workers,
    exited: () => [...exits],
    async stop() {
      exits.length = 0;
      const stopping = all.map((p) => stopProcess(p));
      await Promise.all(stopping);
    },
  };
  const timeoutMs = opts.startTimeoutMs ?? 120_000;
  try {
    const failFast = () => {
      if (exits.length) throw new Error(`${exits.join('; ')}\n${all.map((p) => p.output()).join('\n')}`);
    };
    // worker.ts logs "worker started" once it polls, then prints one line per schedule it synced.
    const scheduleLines = (out: string) => (out.match(/^schedule \S+: (created|updated)$/gm) ?? []).length;
    await waitFor(
      async () => {
        failFast();
        return workers.every((w) => w.output().includes('"msg":"worker started"') && scheduleLines(w.output()) > 0);
      },
      { timeoutMs, intervalMs: 200, what: 'the worker processes to poll' },
    );
    await waitFor(
      async () => {
        failFast();
        const res = await fetch(`${url}/readyz`).catch(() => undefined);
        return res?.status === 200;
      },
      { timeoutMs, intervalMs: 200, what: 'the API process to be ready' },
    );
  } catch (err) {
    await stack.stop();
    throw err;
  }
  return stack;
}
