/**
 * The Temporal worker: registers every workflow and the activities built by the composition root.
 * Stateless: run as many as needed against the same task queue.
 *   npx tsx worker.ts
 * WORKFLOW_BUNDLE_PATH may point at a prebuilt bundle (scripts/bundle-workflows.ts); without one
 * the bundle is built at start in a child process (lib/workflow-bundle.ts). The cache, V8 context,
 * threads and slots come from configuration (config/worker.ts, docs/performance.md).
 */
import path from 'node:path';
import { NativeConnection, Worker } from '@temporalio/worker';
import { loadConfig, type AppConfig } from './config/index.js';
import { workerConnectionOptions } from './config/temporal.js';
import { workerTuningOptions } from './config/worker.js';
import { buildWorkflowBundle } from './lib/workflow-bundle.js';
import { connectTemporal, createAppContext, type ContextOptions } from './app/composition.js';
import { syncSchedules } from './lib/schedules.js';
import { createActivityInterceptors, createActivities, type Activities } from './activities/index.js';
import { createLogger, installTemporalRuntimeLogger } from './lib/logger.js';

export interface RunningWorker {
  worker: Worker;
  done: Promise<void>;
  shutdown(): Promise<void>;
}

export async function startWorker(
  config: Readonly<AppConfig>,
  opts: ContextOptions & {
    bundlePath?: string;
    /** Stand-ins for single activities, given the real ones (the memory benchmark's planning without a database). */
    activityOverrides?: (real: Activities) => Partial<Activities>;
  } = {},
): Promise<RunningWorker> {
  const log = opts.log ?? createLogger(config.logLevel, 'worker');
  installTemporalRuntimeLogger(log);
  const ctx = await createAppContext(config, { ...opts, log });
  const withOverrides = (real: Activities): Activities => ({ ...real, ...opts.activityOverrides?.(real) });
  const connection = await NativeConnection.connect(workerConnectionOptions(config));
  const bundlePath =
    opts.bundlePath ?? config.worker.bundlePath ?? (await buildWorkflowBundle(path.join(config.dataDir, 'workflow-bundle.js')));
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowBundle: { codePath: bundlePath },
    ...workerTuningOptions(config.worker),
    activities: withOverrides(createActivities({ services: ctx.services, providers: ctx.providers, settings: ctx.activitySettings })),
    interceptors: { activity: createActivityInterceptors(ctx.services.alerts) },
  });
  const done = worker.run().finally(async () => {
    await connection.close();
    await ctx.close();
  });
  log.info({ taskQueue: config.temporal.taskQueue, namespace: config.temporal.namespace, ...config.worker }, 'worker started');
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
  const client = await connectTemporal(config);
  for (const r of await syncSchedules(client, config.temporal.taskQueue)) console.log(`schedule ${r.id}: ${r.outcome}`);
  await client.connection.close();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void running.shutdown());
  await running.done;
}
