/**
 * Once per test run: a fresh, migrated Postgres database; one Temporal dev server (for the
 * end-to-end and schedule tests; the SDK's 5-second spawn limit makes per-file servers flaky
 * on a loaded 2-core machine); the workflow bundle, built once; the dashboards (web/), if changed. Everything is torn down after.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { bundleWorkflowCode } from '@temporalio/worker';
import { migrateDatabase } from '../db/migrate.js';
import { deriveTenantDatabaseUrl, withDatabase } from '../config/database-url.js';
import { startDevServer, waitForNamespace } from '../lib/temporal-dev-server.js';
import { devServerSearchAttributes } from '../lib/search-attributes.js';
import { freePort, postgresServerUrl } from '../lib/scratch-postgres.js';
import { temporalCliPath, temporalTestServerPath } from '../scripts/temporal-bin.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    tenantDatabaseUrl: string;
    appDbPassword: string;
    temporalAddress: string;
    workflowBundlePath: string;
    testServerPath: string;
    /** A second database, for the resource-pool workflow tests (they measure the whole pool). */
    poolDatabaseUrl: string;
    poolTenantDatabaseUrl: string;
    /** A third, for the billing end-to-end test (a copy of the pool database's empty schema). */
    billingDatabaseUrl: string;
    billingTenantDatabaseUrl: string;
    /** A Temporal namespace of its own for the billing end-to-end test: its Schedules are namespace-wide. */
    billingNamespace: string;
  }
}

// Schedules live per namespace: a worker started by another test file (worker.ts syncs them at
// start) must not create the billing test's schedules before it does.
const BILLING_NAMESPACE = 'billing-e2e';

export default async function setup(project: TestProject) {
  const cleanups: (() => Promise<void>)[] = [];
  // The dashboards the API serves (and the browser tests open): built when web/ changed, else a no-op.
  execFileSync('bash', ['scripts/build-web.sh'], { stdio: 'inherit' });
  const tmp = mkdtempSync(path.join(tmpdir(), 'agency-os-test-'));
  cleanups.push(async () => rmSync(tmp, { recursive: true, force: true }));

  // ---- Postgres: TEST_DATABASE_URL / DATABASE_URL server, else the local one, else embedded.
  const serverUrl = await postgresServerUrl({
    url: process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL,
    dataDir: tmp,
    onStop: (stop) => cleanups.unshift(stop),
  });
  const dbName = `agency_os_test_${Date.now()}_${process.pid}`;
  const databaseUrl = withDatabase(serverUrl, dbName);
  const appDbPassword = 'agency_app_test';
  const poolDbName = `${dbName}_pool`;
  const poolDatabaseUrl = withDatabase(serverUrl, poolDbName);
  await migrateDatabase(databaseUrl, { appDbPassword });
  await migrateDatabase(poolDatabaseUrl, { appDbPassword });
  const billingDbName = `${dbName}_billing`;
  const billingDatabaseUrl = withDatabase(serverUrl, billingDbName);
  {
    // A migrated copy in milliseconds (the pool database has no connection left at this point).
    const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
    await admin.connect();
    // The migration's own connections may linger a moment: end them (nothing else uses it yet).
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [
      poolDbName,
    ]);
    await admin.query(`CREATE DATABASE "${billingDbName}" TEMPLATE "${poolDbName}"`);
    await admin.end();
  }
  cleanups.unshift(async () => {
    const admin = new pg.Client({ connectionString: withDatabase(serverUrl!, 'postgres') });
    await admin.connect();
    for (const name of [dbName, poolDbName, billingDbName]) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  // ---- Temporal dev server (one per run) and the time-skipping server's path.
  const temporalPort = await freePort();
  const devServer = await startDevServer({
    executable: temporalCliPath(),
    port: temporalPort,
    namespace: 'default',
    extraNamespaces: [BILLING_NAMESPACE],
    // SYS-009: the search attributes every process starts with, on both namespaces (tests query by them).
    searchAttributes: devServerSearchAttributes(),
  });
  cleanups.unshift(() => devServer.stop());
  await waitForNamespace(devServer.address, 'default');
  await waitForNamespace(devServer.address, BILLING_NAMESPACE);

  // ---- Workflow bundle, built once.
  const { code } = await bundleWorkflowCode({
    workflowsPath: path.resolve(import.meta.dirname, '../workflows/index.ts'),
    // As scripts/bundle-workflows.ts: the failure-reporting interceptor (SYS-009) is part of the bundle.
    workflowInterceptorModules: [path.resolve(import.meta.dirname, '../workflows/interceptors.ts')],
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error },
  });
  const workflowBundlePath = path.join(tmp, 'workflow-bundle.js');
  writeFileSync(workflowBundlePath, code);

  project.provide('databaseUrl', databaseUrl);
  project.provide('tenantDatabaseUrl', deriveTenantDatabaseUrl(databaseUrl, appDbPassword));
  project.provide('appDbPassword', appDbPassword);
  project.provide('temporalAddress', devServer.address);
  project.provide('workflowBundlePath', workflowBundlePath);
  project.provide('testServerPath', temporalTestServerPath());
  project.provide('poolDatabaseUrl', poolDatabaseUrl);
  project.provide('poolTenantDatabaseUrl', deriveTenantDatabaseUrl(poolDatabaseUrl, appDbPassword));
  project.provide('billingDatabaseUrl', billingDatabaseUrl);
  project.provide('billingNamespace', BILLING_NAMESPACE);
  project.provide('billingTenantDatabaseUrl', deriveTenantDatabaseUrl(billingDatabaseUrl, appDbPassword));

  return async () => {
    for (const cleanup of cleanups) {
      try {
        await cleanup();
      } catch (err) {
        console.error('test teardown:', err);
      }
    }
  };
}
