/**
 * The Temporal worker: registers every workflow and the activities built with real
 * dependencies. Stateless: run as many as needed against the same task queue.
 *   npx tsx worker.ts
 * WORKFLOW_BUNDLE_PATH may point at a prebuilt bundle (scripts/bundle-workflows.ts).
 */
import { createRequire } from 'node:module';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Logger } from 'pino';
import { loadConfig, type AppConfig } from './config/index.js';
import { workerConnectionOptions } from './config/temporal.js';
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
    }),
  });
  const done = worker.run().finally(async () => {
    await connection.close();
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
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void running.shutdown());
  await running.done;
}
