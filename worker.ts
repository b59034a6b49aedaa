/**
 * The Temporal worker: registers every workflow and the activities built by the composition root.
 * Stateless: run as many as needed against the same task queue.
 *   npx tsx worker.ts
 * WORKFLOW_BUNDLE_PATH may point at a prebuilt bundle (scripts/bundle-workflows.ts); without one
 * the bundle is built at start in a child process (lib/workflow-bundle.ts). The cache, V8 context,
 * threads and slots come from configuration (config/worker.ts, docs/performance.md).
 */
import path from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { loadConfig, type AppConfig } from './config/index.js';
import { workerConnectionOptions } from './config/temporal.js';
import { workerTuningOptions } from './config/worker.js';
import { buildWorkflowBundle } from './lib/workflow-bundle.js';
import { connectTemporal, createAppContext, type ContextOptions } from './app/composition.js';
import { syncOutreachPrepSchedules, syncSchedules } from './lib/schedules.js';
import { syncSearchAttributes } from './lib/search-attributes.js';
import { createActivityInterceptors, createActivities, type Activities } from './activities/index.js';
import { createLogger, installTemporalRuntimeLogger } from './lib/logger.js';
import { flushSentry, initSentry } from './lib/sentry.js';
import { initTracing } from './lib/tracing.js';
import { createWorkflowFailureSinks } from './activities/workflow-failures.js';
import { serveMetrics } from './lib/metrics.js';
import { createWorkerGroup, type WorkerGroup } from './lib/worker-group.js';

export interface RunningWorker {
  /** The main worker and one per provider lane (lib/worker-group.ts). */
  workers: WorkerGroup;
  done: Promise<void>;
  shutdown(): Promise<void>;
  /** SDK-002: the client zones in use, one outreach-preparation schedule each (lib/schedules.ts). */
  zonesInUse(): Promise<string[]>;
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
  installTemporalRuntimeLogger(log, { metricsBind: config.metrics.temporalBind });
  // SYS-009: Sentry once per process, when SENTRY_DSN is set (lib/sentry.ts).
  initSentry(config.sentry);
  // SYS-009: OpenTelemetry traces when an OTLP endpoint is set (lib/tracing.ts); otherwise nothing is exported.
  const tracing = await initTracing(config.tracing, 'agency-os-worker');
  const ctx = await createAppContext(config, { ...opts, log, tracing });
  const withOverrides = (real: Activities): Activities => ({ ...real, ...opts.activityOverrides?.(real) });
  const connection = await NativeConnection.connect(workerConnectionOptions(config));
  const bundlePath =
    opts.bundlePath ?? config.worker.bundlePath ?? (await buildWorkflowBundle(path.join(config.dataDir, 'workflow-bundle.js')));
  // The main worker and the provider lanes' (each at its rate: domain/provider-lanes.ts).
  const workers = await createWorkerGroup(
    {
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      workflowBundle: { codePath: bundlePath },
      ...workerTuningOptions(config.worker),
      activities: withOverrides(createActivities({ services: ctx.services, providers: ctx.providers, settings: ctx.activitySettings })),
      interceptors: { activity: [...createActivityInterceptors(ctx.services.alerts), ...tracing.activityInterceptors] },
      // A failed workflow's report (workflows/interceptors.ts, bundled in): one alert and a Sentry
      // event; and the workflow's spans (dropped when tracing is off).
      sinks: { ...createWorkflowFailureSinks(ctx.services.alerts), ...tracing.sinks },
    },
    config.worker.laneRates,
  );
  const done = workers.run().finally(async () => {
    await flushSentry();
    await tracing.shutdown();
    await connection.close();
    await ctx.close();
  });
  log.info({ taskQueue: config.temporal.taskQueue, namespace: config.temporal.namespace, ...config.worker }, 'worker started');
  return {
    workers,
    done,
    zonesInUse: () => ctx.services.outreachPrep.system.zonesInUse(),
    async shutdown() {
      workers.shutdown();
      await done;
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const config = loadConfig();
  // SYS-009: the search attributes exist before any workflow starts or upserts them (idempotent).
  if (config.temporal.registerSearchAttributes) {
    const sa = await connectTemporal(config);
    try {
      const created = (await syncSearchAttributes(sa.connection, config.temporal.namespace)).filter((r) => r.outcome === 'created');
      if (created.length) console.log(`search attributes created: ${created.map((r) => r.name).join(', ')}`);
    } finally {
      await sa.connection.close();
    }
  }
  const running = await startWorker(config);
  // Run alone (no API in this process), the worker's own series are served here (lib/metrics.ts).
  const metrics = config.metrics.workerPort
    ? await serveMetrics({ port: config.metrics.workerPort, host: config.api.host, token: config.metrics.token })
    : undefined;
  if (metrics) console.log(`worker metrics: ${metrics.url}`);
  // Schedules are created or updated at every deploy (idempotent: never a second copy).
  const client = await connectTemporal(config);
  for (const r of await syncSchedules(client, config.temporal.taskQueue)) console.log(`schedule ${r.id}: ${r.outcome}`);
  const zones = await running.zonesInUse();
  for (const r of await syncOutreachPrepSchedules(client, config.temporal.taskQueue, zones)) console.log(`schedule ${r.id}: ${r.outcome}`);
  await client.connection.close();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void running.shutdown());
  await running.done;
  await metrics?.close();
}
