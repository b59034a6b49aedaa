/**
 * The Temporal worker: registers every workflow and the activities built with real
 * dependencies. Stateless: run as many as needed against the same task queue.
 *   npx tsx worker.ts
 * WORKFLOW_BUNDLE_PATH may point at a prebuilt bundle (scripts/bundle-workflows.ts).
 */
import { createRequire } from 'node:module';
import { NativeConnection, Worker } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import type { Logger } from 'pino';
import { loadConfig, type AppConfig } from './config/index.js';
import { clientConnectionOptions, workerConnectionOptions } from './config/temporal.js';
import { createAlertService } from './activities/alerts.js';
import { createTemporalGateway } from './activities/workflow-gateway.js';
import { createAlertNotifier } from './providers/alerts/notifier.js';
import { syncSchedules } from './lib/schedules.js';
import { createDb, type Db } from './db/client.js';
import { createActivities } from './activities/index.js';
import { createProviderSet, dbSandboxRecorder, type ProviderSet } from './activities/providers.js';
import { createLogger, installTemporalRuntimeLogger } from './lib/logger.js';

const require = createRequire(import.meta.url);

export interface RunningWorker {
  worker: Worker;
  done: Promise<void>;
  shutdown(): Promise<void>;
}

export async function startWorker(
  config: Readonly<AppConfig>,
  opts: { db?: Db; log?: Logger; bundlePath?: string; providers?: ProviderSet } = {},
): Promise<RunningWorker> {
  const log = opts.log ?? createLogger(config.logLevel, 'worker');
  installTemporalRuntimeLogger(log);
  const db = opts.db ?? createDb({ systemUrl: config.databaseUrl, tenantUrl: config.tenantDatabaseUrl });
  const connection = await NativeConnection.connect(workerConnectionOptions(config));
  // Activities that signal other workflows (churn hold, domain retirement) use a client connection.
  const clientConnection = await Connection.connect(clientConnectionOptions(config));
  const client = new Client({ connection: clientConnection, namespace: config.temporal.namespace });
  const alerts = createAlertService({ db, notifier: createAlertNotifier(config.alerts), log });
  const bundlePath = opts.bundlePath ?? process.env.WORKFLOW_BUNDLE_PATH;
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    ...(bundlePath ? { workflowBundle: { codePath: bundlePath } } : { workflowsPath: require.resolve('./workflows/index.ts') }),
    activities: createActivities({
      db,
      providers: opts.providers ?? createProviderSet(config, dbSandboxRecorder(db)),
      settings: { publicBaseUrl: config.api.publicBaseUrlOrDefault, unsubscribeSecret: config.unsubscribeSecret },
      alerts,
      gateway: createTemporalGateway(client, config.temporal.taskQueue),
      poolSettings: {
        domainStem: config.pool.domainStem,
        domainTld: config.pool.domainTld,
        numberCountry: config.pool.numberCountry,
        publicBaseUrl: config.api.publicBaseUrlOrDefault,
      },
    }),
  });
  const done = worker.run().finally(async () => {
    await connection.close();
    await clientConnection.close();
    if (!opts.db) await db.close();
  });
  log.info({ taskQueue: config.temporal.taskQueue, namespace: config.temporal.namespace }, 'worker started');
  return {
    worker,
    done,
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const config = loadConfig();
  const running = await startWorker(config);
  // Schedules are created or updated at every deploy (idempotent: never a second copy).
  const scheduleClient = new Client({
    connection: await Connection.connect(clientConnectionOptions(config)),
    namespace: config.temporal.namespace,
  });
  for (const r of await syncSchedules(scheduleClient, config.temporal.taskQueue)) console.log(`schedule ${r.id}: ${r.outcome}`);
  await scheduleClient.connection.close();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void running.shutdown());
  await running.done;
}
