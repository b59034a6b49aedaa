/**
 * The application as the tests build it, from the same factories the composition root uses:
 * the services over a test database, the API for app.inject, and a worker with the real
 * activities (and their failure interceptor) on a test task queue.
 */
import { inject } from 'vitest';
import type { Client } from '@temporalio/client';
import type { ActivityInterceptorsFactory, InjectedSinks, NativeConnection } from '@temporalio/worker';
import type { Sinks } from '@temporalio/workflow';
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../../config/index.js';
import type { Db } from '../../db/client.js';
import type { DomainConfig } from '../../domain/config.js';
import { buildApp } from '../../api/app.js';
import { createProviderWebhooks, type ProviderWebhooksDeps } from '../../api/webhooks/providers/index.js';
import type { WebhookProvider } from '../../api/webhooks/registry.js';
import { createAppContext, type AppContext } from '../../app/composition.js';
import { createActivityInterceptors, createActivities, type Activities } from '../../activities/index.js';
import { createRunStep } from '../../activities/lead-sequence/index.js';
import { createWorkflowFailureSinks } from '../../activities/workflow-failures.js';
import { createAlertNotifier, type AlertNotifier } from '../../providers/alerts/notifier.js';
import type { BillingCheckout, ProviderSet } from '../../providers/ports.js';
import type { Services } from '../../services/index.js';
import { workerTuningOptions } from '../../config/worker.js';
import { createWorkerGroup, type WorkerGroup } from '../../lib/worker-group.js';
import { initTracing } from '../../lib/tracing.js';
import { testConfig } from './context.js';

/** Alerts are stored but sent nowhere. */
export const silentNotifier: AlertNotifier = createAlertNotifier({ emailFrom: 'alerts@test' });

/** What the activities' links are made of in tests (the public URL and the unsubscribe secret). */
export const TEST_PUBLIC_BASE_URL = 'http://127.0.0.1:3999';
export const TEST_UNSUBSCRIBE_SECRET = 'test-unsubscribe-secret-0123456789abcdef';

export interface TestContextOptions {
  db: Db;
  temporal: Client;
  /** The task queue workflows are started on (default: the config's). */
  taskQueue?: string;
  providers?: ProviderSet;
  checkout?: BillingCheckout;
  notifier?: AlertNotifier;
  /** Environment overrides for the test configuration (POOL_DOMAIN_STEM, ...). */
  configEnv?: Record<string, string>;
  /** The rule numbers (default DOMAIN.md's), e.g. another warmup ramp. */
  domainConfig?: DomainConfig;
}

/** The composition root's context for a test: the test database, a Temporal client, silent alerts. */
export function testContext(o: TestContextOptions, config = testConfig(o.configEnv)): Promise<AppContext> {
  return createAppContext(config, {
    db: o.db,
    temporal: o.temporal,
    notifier: o.notifier ?? silentNotifier,
    ...(o.taskQueue ? { taskQueue: o.taskQueue } : {}),
    ...(o.providers ? { providers: o.providers } : {}),
    ...(o.checkout ? { checkout: o.checkout } : {}),
    ...(o.domainConfig ? { domainConfig: o.domainConfig } : {}),
  });
}

/** The services over `db`, starting workflows through `temporal` on `taskQueue`. */
export async function testServices(db: Db, o: { temporal: Client; taskQueue: string; notifier?: AlertNotifier }): Promise<Services> {
  return (await testContext({ db, ...o })).services;
}

export interface TestAppOptions extends TestContextOptions {
  /** The provider webhooks (`'providers'`: every real one, as the server mounts them), or these. */
  webhooks?: 'providers' | WebhookProvider<any, any>[];
  webhookOptions?: ProviderWebhooksDeps['options'];
}

/** The API as server.ts builds it (sandbox providers unless the config has keys), ready for app.inject. */
export async function buildTestApp(config: Readonly<AppConfig>, o: TestAppOptions): Promise<FastifyInstance & { services: Services }> {
  const ctx = await testContext(o, config);
  const webhooks =
    o.webhooks === 'providers'
      ? createProviderWebhooks({ config, services: ctx.services, ...(o.webhookOptions ? { options: o.webhookOptions } : {}) })
      : (o.webhooks ?? []);
  const app = await buildApp({ config, services: ctx.services, checkout: ctx.checkout, webhooks });
  return Object.assign(app, { services: ctx.services });
}

export interface TestWorkerOptions {
  /** The server to work for: a TestWorkflowEnvironment, or a connection and a client of a dev server. */
  env: { nativeConnection: NativeConnection; client: Client; namespace?: string };
  taskQueue: string;
  db: Db;
  providers: ProviderSet;
  /** Environment overrides for the configuration the activities are built from (POOL_DOMAIN_STEM, ...). */
  configEnv?: Record<string, string>;
  notifier?: AlertNotifier;
  /** Replace single activities (a crash after a commit, a stand-in); given the real ones. */
  activityOverrides?: (real: Activities) => Partial<Activities>;
  /** The rule numbers the activities use (default DOMAIN.md's), e.g. another warmup ramp. */
  domainConfig?: DomainConfig;
  /** More activity interceptors, after the application's own (the resilience runs hold simulated time during activities). */
  activityInterceptors?: ActivityInterceptorsFactory[];
  /** Sinks in place of the application's of the same name (a test counting the workflow spans' `exporter` calls). */
  sinks?: InjectedSinks<Sinks>;
}

/**
 * The real activities with a test's overrides; runStep (the re-check, the send and the next time in
 * one activity) is built over the overridden ones, so overriding sendStep or precheckStep still counts.
 */
function withOverrides(real: Activities, overrides: Partial<Activities>, services: Services): Activities {
  const acts = { ...real, ...overrides };
  if (overrides.runStep || !(overrides.sendStep || overrides.precheckStep || overrides.nextStepTime)) return acts;
  return { ...acts, ...createRunStep({ services }, acts, acts) };
}

/**
 * The workers of worker.ts (the main one and the provider lanes': lib/worker-group.ts) with the
 * real activities (built by the composition root) on the prebuilt workflow bundle.
 */
export async function createTestWorker(o: TestWorkerOptions): Promise<WorkerGroup> {
  const config = testConfig({ PUBLIC_BASE_URL: TEST_PUBLIC_BASE_URL, UNSUBSCRIBE_SECRET: TEST_UNSUBSCRIBE_SECRET, ...o.configEnv });
  const ctx = await testContext(
    {
      db: o.db,
      temporal: o.env.client,
      taskQueue: o.taskQueue,
      providers: o.providers,
      notifier: o.notifier,
      domainConfig: o.domainConfig,
    },
    config,
  );
  const real = createActivities({ services: ctx.services, providers: ctx.providers, settings: ctx.activitySettings });
  // As worker.ts: traces only when the test's configuration names an OTLP endpoint.
  const tracing = await initTracing(config.tracing, 'agency-os-worker');
  return createWorkerGroup(
    {
      connection: o.env.nativeConnection,
      ...(o.env.namespace ? { namespace: o.env.namespace } : {}),
      taskQueue: o.taskQueue,
      workflowBundle: { codePath: inject('workflowBundlePath') },
      ...workerTuningOptions(config.worker),
      activities: withOverrides(real, o.activityOverrides?.(real) ?? {}, ctx.services),
      interceptors: {
        activity: [...createActivityInterceptors(ctx.services.alerts), ...tracing.activityInterceptors, ...(o.activityInterceptors ?? [])],
      },
      sinks: { ...createWorkflowFailureSinks(ctx.services.alerts), ...tracing.sinks, ...o.sinks },
    },
    config.worker.laneRates,
  );
}
