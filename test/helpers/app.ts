/**
 * The application as the tests build it, from the same factories the composition root uses:
 * the services over a test database, the API for app.inject, and a worker with the real
 * activities (and their failure interceptor) on a test task queue.
 */
import { inject } from 'vitest';
import type { Client } from '@temporalio/client';
import { Worker, type NativeConnection } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../../config/index.js';
import type { Db } from '../../db/client.js';
import { defaultDomainConfig } from '../../domain/config.js';
import { buildApp } from '../../api/app.js';
import { createProviderWebhooks, type ProviderWebhooksDeps } from '../../api/webhooks/providers/index.js';
import type { WebhookProvider } from '../../api/webhooks/registry.js';
import { createAppContext } from '../../app/composition.js';
import { activityInterceptors, createActivities, type Activities, type ActivitySettings } from '../../activities/index.js';
import type { PoolSettings } from '../../activities/pool/index.js';
import { createAlertNotifier, type AlertNotifier } from '../../providers/alerts/notifier.js';
import type { BillingCheckout, ProviderSet } from '../../providers/ports.js';
import { createServices, type Services } from '../../services/index.js';
import { createWorkflowGateway } from '../../services/workflow-gateway.js';

/** Alerts are stored but sent nowhere. */
export const silentNotifier: AlertNotifier = createAlertNotifier({ emailFrom: 'alerts@test' });

export const testActivitySettings: ActivitySettings = {
  publicBaseUrl: 'http://127.0.0.1:3999',
  unsubscribeSecret: 'test-unsubscribe-secret',
  pool: { domainStem: 'outreachdesk', domainTld: 'com', numberCountry: 'AU', publicBaseUrl: 'http://127.0.0.1:3999' },
};

/** The services over `db`, starting workflows through `temporal` on `taskQueue`. */
export function testServices(db: Db, o: { temporal: Client; taskQueue: string; notifier?: AlertNotifier }): Services {
  return createServices({
    db,
    notifier: o.notifier ?? silentNotifier,
    gateway: createWorkflowGateway(o.temporal, o.taskQueue),
    domainConfig: defaultDomainConfig,
  });
}

export interface TestAppOptions {
  db: Db;
  temporal: Client;
  /** The provider webhooks (`'providers'`: every real one, as the server mounts them), or these. */
  webhooks?: 'providers' | WebhookProvider<any>[];
  webhookOptions?: ProviderWebhooksDeps['options'];
  checkout?: BillingCheckout;
  notifier?: AlertNotifier;
}

/** The API as server.ts builds it (sandbox providers unless the config has keys), ready for app.inject. */
export async function buildTestApp(config: Readonly<AppConfig>, o: TestAppOptions): Promise<FastifyInstance & { services: Services }> {
  const ctx = await createAppContext(config, {
    db: o.db,
    temporal: o.temporal,
    notifier: o.notifier ?? silentNotifier,
    ...(o.checkout ? { checkout: o.checkout } : {}),
  });
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
  settings?: Partial<Omit<ActivitySettings, 'pool'>> & { pool?: Partial<PoolSettings> };
  notifier?: AlertNotifier;
  /** Replace single activities (a crash after a commit, a stand-in); given the real ones. */
  activityOverrides?: (real: Activities) => Partial<Activities>;
}

/** A worker with the real activities over the test database, on the prebuilt workflow bundle. */
export async function createTestWorker(o: TestWorkerOptions): Promise<Worker> {
  const services = testServices(o.db, { temporal: o.env.client, taskQueue: o.taskQueue, notifier: o.notifier });
  const settings: ActivitySettings = {
    ...testActivitySettings,
    ...o.settings,
    pool: { ...testActivitySettings.pool, ...o.settings?.pool },
  };
  const real = createActivities({ services, providers: o.providers, settings });
  return Worker.create({
    connection: o.env.nativeConnection,
    ...(o.env.namespace ? { namespace: o.env.namespace } : {}),
    taskQueue: o.taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities: { ...real, ...o.activityOverrides?.(real) },
    interceptors: { activity: activityInterceptors },
  });
}
