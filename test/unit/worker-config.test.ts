/**
 * The worker's memory settings come from configuration (README "Configuration"): the documented
 * defaults, the SDK's own limits said where they apply (a cache of 1 is 2; concurrent workflow
 * tasks never exceed the cache), and refusals of values that are not numbers.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config/index.js';
import { workerTuningOptions } from '../../config/worker.js';

const BASE = { DATABASE_URL: 'postgresql://agency@127.0.0.1:5432/agency_os' };

describe('worker settings', () => {
  it('defaults: a cache of 100 workflows in one shared V8 context, 1 workflow thread, 20 workflow tasks and 100 activities at once, no prebuilt bundle', () => {
    expect(loadConfig(BASE).worker).toEqual({
      bundlePath: undefined,
      maxCachedWorkflows: 100,
      reuseV8Context: true,
      workflowThreads: 1,
      maxConcurrentWorkflowTasks: 20,
      maxConcurrentActivities: 100,
      // Issue 14: the provider lanes' rates as docs/operations.md sizes them (activities per second).
      laneRates: { email: 10, sms: 10, voice: 10 / 60, linkedin: 1, crm: 1 },
    });
  });

  it('a provider lane rate is read from the environment, fractions included (ten a minute is 0.1667)', () => {
    const rates = loadConfig({ ...BASE, PROVIDER_RATE_VOICE: '0.1667', PROVIDER_RATE_SMS: '25' }).worker.laneRates;
    expect(rates).toMatchObject({ voice: 0.1667, sms: 25, email: 10 });
    for (const bad of ['0', '-1', 'fast']) expect(() => loadConfig({ ...BASE, PROVIDER_RATE_EMAIL: bad }), bad).toThrow(ConfigError);
  });

  it('every value is taken from the environment and handed to Worker.create', () => {
    const config = loadConfig({
      ...BASE,
      WORKFLOW_BUNDLE_PATH: 'dist/workflow-bundle.js',
      WORKER_MAX_CACHED_WORKFLOWS: '500',
      WORKER_REUSE_V8_CONTEXT: 'false',
      WORKER_WORKFLOW_THREADS: '2',
      WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '40',
      WORKER_MAX_CONCURRENT_ACTIVITIES: '30',
    });
    expect(config.worker.bundlePath).toBe('dist/workflow-bundle.js');
    expect(workerTuningOptions(config.worker)).toEqual({
      maxCachedWorkflows: 500,
      reuseV8Context: false,
      workflowThreadPoolSize: 2,
      maxConcurrentWorkflowTaskExecutions: 40,
      maxConcurrentActivityTaskExecutions: 30,
    });
  });

  it('concurrent workflow tasks never exceed the cache; a cache of 1 is 2 (the SDK minimum); 0 turns the cache off and keeps the task count', () => {
    const w = (env: Record<string, string>) => loadConfig({ ...BASE, ...env }).worker;
    expect(w({ WORKER_MAX_CACHED_WORKFLOWS: '10' })).toMatchObject({ maxCachedWorkflows: 10, maxConcurrentWorkflowTasks: 10 });
    expect(w({ WORKER_MAX_CACHED_WORKFLOWS: '1' })).toMatchObject({ maxCachedWorkflows: 2, maxConcurrentWorkflowTasks: 2 });
    expect(w({ WORKER_MAX_CACHED_WORKFLOWS: '0', WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '8' })).toMatchObject({
      maxCachedWorkflows: 0,
      maxConcurrentWorkflowTasks: 8,
    });
  });

  it('refuses what is not a count', () => {
    expect(() => loadConfig({ ...BASE, WORKER_MAX_CACHED_WORKFLOWS: '-1' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...BASE, WORKER_WORKFLOW_THREADS: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...BASE, WORKER_REUSE_V8_CONTEXT: 'maybe' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...BASE, WORKER_MAX_CONCURRENT_ACTIVITIES: 'lots' })).toThrow(ConfigError);
  });
});
