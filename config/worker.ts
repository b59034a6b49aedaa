/**
 * How the Temporal worker spends memory and CPU, from configuration (README "Configuration",
 * docs/performance.md "Worker memory"). A sleeping workflow costs the worker nothing unless it is
 * in the sticky cache: the cache is what makes memory grow, so it is sized here, never left to the
 * SDK's default (which scales with the Node heap limit: about 2,300 workflows on a 4 GB heap).
 */
import { z } from 'zod';
import type { WorkerOptions } from '@temporalio/worker';
import { DEFAULT_LANE_RATES, type ProviderLane } from '../domain/provider-lanes.js';

const bool = (dflt: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
    .optional()
    .transform((v) => (v === undefined || v === '' ? dflt : v === 'true' || v === '1' || v === 'yes'));
const positive = (dflt: number) => z.coerce.number().int().positive().default(dflt);
/** Activities per second a provider lane is handed out at, cluster-wide (domain/provider-lanes.ts). */
const rate = (lane: ProviderLane) => z.coerce.number().positive().max(10_000).default(DEFAULT_LANE_RATES[lane]);

export const WorkerEnvSchema = z.object({
  /** Prebuilt workflow bundle (npm run workflows:bundle); unset: bundled at start, in a child process. */
  WORKFLOW_BUNDLE_PATH: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim())),
  /** Workflows kept in memory between their tasks (sticky cache); 0 turns the cache off (every task replays). */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(100),
  /** One V8 context shared by every cached workflow (the SDK's default), instead of one context each. */
  WORKER_REUSE_V8_CONTEXT: bool(true),
  /** Threads that run workflow code. */
  WORKER_WORKFLOW_THREADS: positive(1),
  /** Workflow tasks run at once (at most the cache size while the cache is on). */
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: positive(20),
  /** Activities run at once by this worker. */
  WORKER_MAX_CONCURRENT_ACTIVITIES: positive(100),
  /** Provider lanes' rates, activities per second (fractions allowed: 0.1667 is ten a minute). */
  PROVIDER_RATE_EMAIL: rate('email'),
  PROVIDER_RATE_SMS: rate('sms'),
  PROVIDER_RATE_VOICE: rate('voice'),
  PROVIDER_RATE_LINKEDIN: rate('linkedin'),
  PROVIDER_RATE_CRM: rate('crm'),
});

export type WorkerEnv = z.infer<typeof WorkerEnvSchema>;

export interface WorkerSettings {
  bundlePath?: string;
  maxCachedWorkflows: number;
  reuseV8Context: boolean;
  workflowThreads: number;
  maxConcurrentWorkflowTasks: number;
  maxConcurrentActivities: number;
  /** Each provider lane's rate, activities per second across the cluster. */
  laneRates: Readonly<Record<ProviderLane, number>>;
}

export function workerSettings(e: WorkerEnv): WorkerSettings {
  const cache = e.WORKER_MAX_CACHED_WORKFLOWS;
  return {
    bundlePath: e.WORKFLOW_BUNDLE_PATH,
    // The SDK raises a cache of 1 to 2, and caps concurrent tasks at the cache size: said here, not silently there.
    maxCachedWorkflows: cache === 1 ? 2 : cache,
    reuseV8Context: e.WORKER_REUSE_V8_CONTEXT,
    workflowThreads: e.WORKER_WORKFLOW_THREADS,
    maxConcurrentWorkflowTasks:
      cache === 0 ? e.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS : Math.max(2, Math.min(e.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS, cache)),
    maxConcurrentActivities: e.WORKER_MAX_CONCURRENT_ACTIVITIES,
    laneRates: {
      email: e.PROVIDER_RATE_EMAIL,
      sms: e.PROVIDER_RATE_SMS,
      voice: e.PROVIDER_RATE_VOICE,
      linkedin: e.PROVIDER_RATE_LINKEDIN,
      crm: e.PROVIDER_RATE_CRM,
    },
  };
}

/** The Worker.create options these settings stand for (worker.ts, the tests' workers, the memory benchmark). */
export function workerTuningOptions(
  s: WorkerSettings,
): Pick<
  WorkerOptions,
  | 'maxCachedWorkflows'
  | 'reuseV8Context'
  | 'workflowThreadPoolSize'
  | 'maxConcurrentWorkflowTaskExecutions'
  | 'maxConcurrentActivityTaskExecutions'
> {
  return {
    maxCachedWorkflows: s.maxCachedWorkflows,
    reuseV8Context: s.reuseV8Context,
    workflowThreadPoolSize: s.workflowThreads,
    maxConcurrentWorkflowTaskExecutions: s.maxConcurrentWorkflowTasks,
    maxConcurrentActivityTaskExecutions: s.maxConcurrentActivities,
  };
}
