/**
 * One process's Temporal workers (issue 14, part 5): the main worker (every workflow and
 * activity, on the configured task queue) and an activity-only worker per provider lane
 * (domain/provider-lanes.ts) on the lane's queue. A lane's worker sets the lane's cluster-wide
 * rate (`maxTaskQueueActivitiesPerSecond`: Temporal's matching service hands its activities out no
 * faster, whatever the number of workers; every worker must set the same rate, else the last
 * poller's wins). The workers share one connection, start together and stop together: one that
 * stops or fails stops the others.
 */
import { Worker, type WorkerOptions } from '@temporalio/worker';
import { PROVIDER_LANES, laneTaskQueue, type ProviderLane } from '../domain/provider-lanes.js';

export interface WorkerGroup {
  main: Worker;
  lanes: Readonly<Record<ProviderLane, Worker>>;
  /** Runs every worker until one stops (then the others are stopped); rejects with the first failure. */
  run(): Promise<void>;
  /** As Worker.runUntil: runs the workers until `fnOrPromise` settles, stops them and returns its result. */
  runUntil<R>(fnOrPromise: Promise<R> | (() => Promise<R>)): Promise<R>;
  /** Starts every running worker's graceful shutdown. */
  shutdown(): void;
}

export async function createWorkerGroup(options: WorkerOptions, laneRates: Readonly<Record<ProviderLane, number>>): Promise<WorkerGroup> {
  const lane = (l: ProviderLane) =>
    Worker.create({
      connection: options.connection,
      namespace: options.namespace,
      taskQueue: laneTaskQueue(options.taskQueue, l),
      activities: options.activities,
      interceptors: { activity: options.interceptors?.activity ?? [] },
      maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions,
      maxTaskQueueActivitiesPerSecond: laneRates[l],
      ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
    });
  const [main, ...laneWorkers] = await Promise.all([Worker.create(options), ...PROVIDER_LANES.map(lane)]);
  const all = [main!, ...laneWorkers];
  const lanes = Object.fromEntries(PROVIDER_LANES.map((l, i) => [l, laneWorkers[i]!])) as Record<ProviderLane, Worker>;

  const shutdown = () => {
    for (const w of all) if (w.getState() === 'RUNNING') w.shutdown();
  };

  async function run(): Promise<void> {
    // Worker.run marks the worker RUNNING before its first await, so a shutdown right after finds every one running.
    const results = await Promise.allSettled(all.map((w) => w.run().finally(shutdown)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  async function runUntil<R>(fnOrPromise: Promise<R> | (() => Promise<R>)): Promise<R> {
    const running = run();
    let outcome: PromiseSettledResult<R> | undefined;
    void (async () => {
      try {
        outcome = { status: 'fulfilled', value: await (typeof fnOrPromise === 'function' ? fnOrPromise() : fnOrPromise) };
      } catch (reason) {
        outcome = { status: 'rejected', reason };
      } finally {
        shutdown();
      }
    })();
    await running;
    if (!outcome) throw new Error('the workers stopped before the awaited work settled');
    if (outcome.status === 'rejected') throw outcome.reason;
    return outcome.value;
  }

  return { main: main!, lanes, run, runUntil, shutdown };
}
