/**
 * What the webhook benchmark stands on: a Postgres database of its own (migrated, dropped after),
 * a Temporal dev server, child processes that say when they are ready, and the seeded client,
 * number and leads whose sleeping workflows the webhooks signal.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { Client, Connection } from '@temporalio/client';
import { migrateDatabase } from '../../db/migrate.js';
import { createDb } from '../../db/client.js';
import { withDatabase } from '../../config/database-url.js';
import { startDevServer } from '../../lib/temporal-dev-server.js';
import { freePort, postgresServerUrl } from '../../lib/scratch-postgres.js';
import { temporalCliPath } from '../../scripts/temporal-bin.js';
import { workflowIds } from '../../domain/processes.js';

export { freePort };

export interface Stack {
  tmp: string;
  databaseUrl: string;
  appDbPassword: string;
  temporalAddress: string;
  taskQueue: string;
  close(): Promise<void>;
}

/** Postgres (DATABASE_URL's server, else 127.0.0.1:5432, else an embedded one) and a Temporal dev server. */
export async function startStack(): Promise<Stack> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const tmp = mkdtempSync(path.join(tmpdir(), 'agency-os-bench-'));
  cleanups.push(async () => rmSync(tmp, { recursive: true, force: true }));
  const close = async () => {
    for (const c of cleanups.splice(0)) await c().catch((err) => console.error('bench teardown:', err));
  };
  try {
    const serverUrl = await postgresServerUrl({ url: process.env.DATABASE_URL, dataDir: tmp, onStop: (stop) => cleanups.unshift(stop) });
    const databaseUrl = withDatabase(serverUrl, `agency_os_bench_${Date.now()}_${process.pid}`);
    const appDbPassword = process.env.APP_DB_PASSWORD ?? 'agency_app_dev_password';
    cleanups.unshift(async () => {
      const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${new URL(databaseUrl).pathname.slice(1)}" WITH (FORCE)`);
      await admin.end();
    });
    await migrateDatabase(databaseUrl, { appDbPassword });
    const temporal = await startDevServer({ executable: temporalCliPath(), port: await freePort(), namespace: 'default' });
    cleanups.unshift(() => temporal.stop());
    return { tmp, databaseUrl, appDbPassword, temporalAddress: temporal.address, taskQueue: `bench-${randomUUID()}`, close };
  } catch (err) {
    await close();
    throw err;
  }
}

export interface Child {
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Runs `file` under tsx with `env`; resolves once `ready` says so (a line of its stdout, or a check). */
export async function startChild(
  file: string,
  env: Record<string, string>,
  ready: RegExp | (() => Promise<boolean>),
  logFile: string,
  nodeArgs: string[] = [],
): Promise<Child & { line?: string }> {
  // The child writes its log straight into the file, as a service writes to its log file or
  // journal: through a pipe to this process (busy running the load) its writes would block.
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', file], {
    env: { ...process.env, ...env },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
  };
  process.once('exit', () => child.kill('SIGKILL'));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`${path.basename(file)} exited (${code}) before it was ready; see ${logFile}`))),
  );
  exited.catch(() => undefined);
  let line: string | undefined;
  const check = (async () => {
    for (;;) {
      if (ready instanceof RegExp) {
        line = readFileSync(logFile, 'utf8')
          .split('\n')
          .find((l) => ready.test(l));
        if (line !== undefined) return;
      } else if (await ready()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  try {
    await Promise.race([check, exited]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { process: child, stop, ...(line !== undefined ? { line } : {}) };
}

export interface Seeded {
  /** The client's number (replies come to it). */
  number: string;
  leads: { id: string; phone: string }[];
}

/** One client holding one number, one campaign, `n` leads in sequence, each a distinct mobile. */
export async function seed(stack: Stack, n: number): Promise<Seeded> {
  const db = createDb({ systemUrl: stack.databaseUrl, tenantUrl: stack.databaseUrl, poolSize: 4 });
  try {
    const client = await db.system.client.create({ data: { name: 'Bench client', slug: `bench-${Date.now()}`, status: 'active' } });
    const campaign = await db.system.campaign.create({ data: { clientId: client.id, name: 'bench', icp: {}, status: 'running' } });
    const number = await db.system.phoneNumber.create({ data: { e164: '+61480000000', country: 'AU', status: 'ready' } });
    await db.system.resourceAllocation.create({ data: { clientId: client.id, resourceType: 'phone_number', resourceId: number.id } });
    const leads = Array.from({ length: n }, (_, i) => ({ id: randomUUID(), phone: `+6141${String(i).padStart(7, '0')}` }));
    const now = new Date();
    await db.system.lead.createMany({
      data: leads.map((l, i) => ({
        id: l.id,
        clientId: client.id,
        campaignId: campaign.id,
        sourceRow: i + 1,
        email: `lead-${i}@bench.example`,
        phoneE164: l.phone,
        phoneCountry: 'AU',
        status: 'in_sequence' as const,
        sequenceWorkflowId: workflowIds.lead(l.id),
        sequenceStartedAt: now,
      })),
    });
    return { number: number.e164, leads };
  } finally {
    await db.close();
  }
}

/** Starts each lead's sleeping workflow (a few at a time) and waits until every one has run its first task. */
export async function startSleepers(stack: Stack, leadIds: string[]): Promise<void> {
  const client = new Client({ connection: await Connection.connect({ address: stack.temporalAddress }) });
  try {
    let next = 0;
    const one = async () => {
      while (next < leadIds.length) {
        const id = leadIds[next++]!;
        await client.workflow.start('benchSleepingLead', { workflowId: workflowIds.lead(id), taskQueue: stack.taskQueue, args: [] });
      }
    };
    await Promise.all(Array.from({ length: 16 }, one));
    // Sleeping: a query is answered once the worker has run the workflow's first task (its timer set).
    for (const id of leadIds) await client.workflow.getHandle(workflowIds.lead(id)).query<number>('benchReplies');
  } finally {
    await client.connection.close();
  }
}
