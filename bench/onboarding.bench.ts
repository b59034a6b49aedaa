/**
 * Onboarding benchmark (SYS-001; issue 11: onboarding at the speed of Temporal). On one real
 * Temporal dev server and one real Postgres, for each N:
 *   baseline: a bare @temporalio/client starts N workflows of a trivial sleeping workflow (served by
 *             a worker of its own), 32 starts in flight, until every one is asleep on its timer;
 *   project:  POST /v1/campaigns with N leads (the real API, the real worker, sandbox providers)
 *             until every lead workflow has planned its first step (asleep on its timer).
 * "Asleep" is read from each workflow's last history event (TimerStarted); the time is that
 * event's own time, so polling never adds to it. The leads are in a zone where it is night, so
 * their first step is never due at once. Prints seconds, the ratio, and starts per second per N.
 * Never gates CI.
 *   npm run bench -- onboarding                 N = 1,000 and 5,000
 *   BENCH_ONBOARDING_N=1000,5000,10000 npm run bench -- onboarding
 * Postgres: DATABASE_URL's server when set, else one on 127.0.0.1:5432, else an embedded one (a
 * scratch database either way).
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import pg from 'pg';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, bundleWorkflowCode } from '@temporalio/worker';
import proto from '@temporalio/proto';
import { loadConfig } from '../config/index.js';
import { withDatabase } from '../config/database-url.js';
import { migrateDatabase } from '../db/migrate.js';
import { createDb } from '../db/client.js';
import { startDevServer, waitForNamespace } from '../lib/temporal-dev-server.js';
import { freePort, postgresServerUrl } from '../lib/scratch-postgres.js';
import { temporalCliPath } from '../scripts/temporal-bin.js';
import { generateApiKey } from '../api/api-keys.js';
import { startWorker } from '../worker.js';
import { startServer } from '../server.js';

const SIZES = (process.env.BENCH_ONBOARDING_N ?? '1000,5000').split(',').map(Number);
const IN_FLIGHT = 32;
const { EventType } = proto.temporal.api.enums.v1;

async function inFlight<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** Waits until every workflow's last event is its timer (or its end); returns the latest such event's time (epoch ms). */
async function asleepAt(client: Client, ids: string[]): Promise<number> {
  const pending = [...ids];
  let latest = 0;
  while (pending.length) {
    const done = new Set<string>();
    let misses = 0;
    // In start order; a round stops at a run of workflows not yet asleep (the later ones are not either).
    await inFlight(pending.slice(0, 2000), 8, async (workflowId) => {
      if (misses >= 8) return;
      const r = await client.workflowService
        .getWorkflowExecutionHistoryReverse({ namespace: 'default', execution: { workflowId }, maximumPageSize: 1 })
        .catch(() => undefined);
      const e = r?.history?.events?.[0];
      const asleep =
        e && (e.eventType === EventType.EVENT_TYPE_TIMER_STARTED || e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
      if (!asleep) return void (misses += 1);
      done.add(workflowId);
      latest = Math.max(latest, Number(e.eventTime!.seconds) * 1000 + Math.floor((e.eventTime!.nanos ?? 0) / 1e6));
    });
    const left = pending.filter((id) => !done.has(id));
    pending.splice(0, pending.length, ...left);
    if (pending.length) await new Promise((r) => setTimeout(r, 500));
  }
  return latest;
}

/** Seconds the onboarding workflow spent in each kind of activity (scheduled to completed): where the time goes. */
async function stageSeconds(client: Client, campaignId: string): Promise<string> {
  const campaign = await client.workflow.getHandle(`onboarding:${campaignId}`).fetchHistory();
  const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) =>
    Number(t?.seconds ?? 0) * 1000 + Math.floor((t?.nanos ?? 0) / 1e6);
  const scheduled = new Map<number, { name: string; at: number }>();
  const spent: Record<string, number> = {};
  for (const e of campaign.events ?? []) {
    const s = e.activityTaskScheduledEventAttributes;
    if (s) scheduled.set(Number(e.eventId), { name: s.activityType!.name!, at: ms(e.eventTime) });
    const c = e.activityTaskCompletedEventAttributes;
    const from = c && scheduled.get(Number(c.scheduledEventId));
    if (from) spent[from.name] = (spent[from.name] ?? 0) + ms(e.eventTime) - from.at;
  }
  return Object.entries(spent)
    .map(([name, t]) => `${name}=${(t / 1000).toFixed(1)}`)
    .join(' ');
}

/** A city whose local time is now at night (20:00-05:59), so a lead's first email is planned for a later window. */
function nightCity() {
  const cities = [
    { city: 'Sydney', state: 'NSW', country: 'AU', zone: 'Australia/Sydney' },
    { city: 'London', state: '', country: 'GB', zone: 'Europe/London' },
    { city: 'New York', state: 'NY', country: 'US', zone: 'America/New_York' },
    { city: 'Perth', state: 'WA', country: 'AU', zone: 'Australia/Perth' },
    { city: 'Los Angeles', state: 'CA', country: 'US', zone: 'America/Los_Angeles' },
  ];
  const hour = (zone: string) => DateTime.now().setZone(zone).hour;
  return cities.find((c) => hour(c.zone) >= 20 || hour(c.zone) < 6) ?? cities[0]!;
}

async function main() {
  const tmp = mkdtempSync(path.join(tmpdir(), 'bench-onboarding-'));
  const cleanups: (() => Promise<unknown>)[] = [async () => rmSync(tmp, { recursive: true, force: true })];
  try {
    // ---- Postgres (a scratch database) and one Temporal dev server for both columns.
    chmodSync(tmp, 0o755);
    const serverUrl = await postgresServerUrl({ url: process.env.DATABASE_URL, dataDir: tmp, onStop: (stop) => cleanups.unshift(stop) });
    const dbName = `agency_os_bench_${Date.now()}`;
    const databaseUrl = withDatabase(serverUrl, dbName);
    const appDbPassword = 'agency_app_bench';
    await migrateDatabase(databaseUrl, { appDbPassword });
    cleanups.unshift(async () => {
      // The scratch database goes with the run (the embedded server goes after it).
      const admin = new pg.Client({ connectionString: withDatabase(serverUrl!, 'postgres') });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
      await admin.end();
    });
    const tport = await freePort();
    const server = await startDevServer({ executable: temporalCliPath(), port: tport, namespace: 'default' });
    cleanups.unshift(() => server.stop());
    await waitForNamespace(server.address, 'default');

    const config = loadConfig({
      ...process.env,
      LOG_LEVEL: 'error',
      DATABASE_URL: databaseUrl,
      APP_DB_PASSWORD: appDbPassword,
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_TASK_QUEUE: 'bench-onboarding',
      PORT: '0',
      ADMIN_API_KEY: `adm_${randomUUID()}`,
      STRIPE_WEBHOOK_SECRET: `whsec_${randomUUID()}`,
      UNSUBSCRIBE_SECRET: randomUUID(),
    });
    const db = createDb({ systemUrl: config.databaseUrl, tenantUrl: config.tenantDatabaseUrl });
    cleanups.unshift(() => db.close());

    // ---- Workers: the bare sleeping workflow's, and the project's (its real worker).
    const bundle = async (file: string, name: string) => {
      const { code } = await bundleWorkflowCode({
        workflowsPath: file,
        logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error },
      });
      const p = path.join(tmp, name);
      writeFileSync(p, code);
      return p;
    };
    const bare = await Worker.create({
      connection: await NativeConnection.connect({ address: server.address }),
      taskQueue: 'bench-bare',
      workflowBundle: { codePath: await bundle(path.resolve(import.meta.dirname, 'sleeping-workflow.ts'), 'bare.js') },
    });
    const bareRun = bare.run();
    cleanups.unshift(async () => (bare.shutdown(), bareRun));
    const worker = await startWorker(config, {
      db,
      bundlePath: await bundle(path.resolve(import.meta.dirname, '../workflows/index.ts'), 'project.js'),
    });
    cleanups.unshift(() => worker.shutdown());
    const api = await startServer(config, { db });
    cleanups.unshift(() => api.close());
    const client = new Client({ connection: await Connection.connect({ address: server.address }) });
    cleanups.unshift(() => client.connection.close());

    const where = nightCity();
    const tenant = await db.system.client.create({
      data: {
        name: 'Bench Client',
        slug: `bench-${randomUUID().slice(0, 8)}`,
        defaultTimezone: where.zone,
        defaultCountry: where.country,
        status: 'active',
        tier: 'ignition',
        settings: { senderName: 'Bench' },
      },
    });
    const key = generateApiKey();
    await db.system.apiKey.create({ data: { clientId: tenant.id, name: 'bench', prefix: key.prefix, keyHash: key.hash } });
    console.log(`leads in ${where.zone} (night there now); ${IN_FLIGHT} bare starts in flight`);

    const rows: string[] = [];
    for (const n of SIZES) {
      // ---- Baseline: a bare client starting N sleeping workflows.
      const ids = Array.from({ length: n }, (_, i) => `bare-${n}-${i}-${randomUUID().slice(0, 8)}`);
      const b0 = Date.now();
      await inFlight(ids, IN_FLIGHT, async (workflowId) => {
        await client.workflow.start('benchSleepingWorkflow', { taskQueue: 'bench-bare', workflowId });
      });
      const bareMs = (await asleepAt(client, ids)) - b0;

      // ---- Project: a campaign of N leads through the API until every lead planned its first step.
      const run = randomUUID().slice(0, 8);
      const leads = Array.from({ length: n }, (_, i) => ({
        email: `lead${i}.${run}@agency${i}.example`,
        first_name: 'Pat',
        last_name: `Lead${i}`,
        title: 'Founder & CEO',
        company: `Agency ${i}`,
        company_domain: `agency${i}.example`,
        industry: 'Marketing & Advertising',
        employee_count: '42',
        city: where.city,
        ...(where.state ? { state: where.state } : {}),
        country: where.country,
        email_verified: 'yes',
        company_hiring: 'yes',
      }));
      const icp = {
        industries: ['Marketing & Advertising'],
        titles: ['Founder', 'CEO'],
        countries: [where.country],
        employeeMin: 10,
        employeeMax: 200,
      };
      const p0 = Date.now();
      const res = await fetch(`${api.url}/v1/campaigns`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key.key}` },
        body: JSON.stringify({ name: `bench ${n}`, icp, leads }),
      });
      if (res.status !== 202) throw new Error(`POST /v1/campaigns: ${res.status} ${await res.text()}`);
      const { id: campaignId } = (await res.json()) as { id: string };
      // The sequences are all started once the campaign runs (the time measured is the workflows' own, not this poll's).
      while ((await db.system.campaign.findUniqueOrThrow({ where: { id: campaignId } })).status !== 'running') {
        await new Promise((r) => setTimeout(r, 1000));
      }
      const leadIds = (
        await db.system.lead.findMany({ where: { campaignId, NOT: { tier: 'Dead' } }, select: { id: true }, orderBy: { sourceRow: 'asc' } })
      ).map((l) => l.id);
      const projectMs =
        (await asleepAt(
          client,
          leadIds.map((id) => `lead:${id}`),
        )) - p0;
      const stages = await stageSeconds(client, campaignId);
      const tiers = await db.system.lead.groupBy({ by: ['tier'], where: { campaignId }, _count: true });
      const line = [
        `N=${n}`,
        `bare ${(bareMs / 1000).toFixed(1)} s (${((n * 1000) / bareMs).toFixed(0)} starts/s)`,
        `project ${(projectMs / 1000).toFixed(1)} s (${((n * 1000) / projectMs).toFixed(0)} leads/s)`,
        `ratio ${(projectMs / bareMs).toFixed(2)}x`,
        `lead workflows ${leadIds.length}`,
        `onboarding activities ${stages}`,
        `tiers ${tiers.map((t) => `${t.tier}:${t._count}`).join(' ')}`,
      ].join('  ');
      console.log(line);
      rows.push(line);
    }
    if (SIZES.length > 1) {
      console.log('linearity (per-lead time relative to the first N): see leads/s and starts/s above; equal rates = linear');
    }
  } finally {
    for (const c of cleanups) await c().catch((err) => console.error('cleanup:', err));
  }
}

await main();
process.exit(0);
