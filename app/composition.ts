/**
 * The composition root: configuration, database, Temporal client, providers, services and
 * alerting are built here once, for worker.ts, server.ts, the scripts and the tests. Everything
 * below takes its dependencies as required arguments; the choices (real or sandbox providers,
 * alert channels, the public URL) are made here and nowhere else.
 */
import { Client, Connection, type ClientInterceptors } from '@temporalio/client';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/index.js';
import { clientConnectionOptions } from '../config/temporal.js';
import { createDb, type Db } from '../db/client.js';
import { defaultDomainConfig, type DomainConfig } from '../domain/config.js';
import { createLogger } from '../lib/logger.js';
import { setPoolBufferSource } from '../lib/metrics.js';
import { createAlertNotifier, type AlertNotifier } from '../providers/alerts/notifier.js';
import type { BillingCheckout, ProviderSet } from '../providers/ports.js';
import type { ActivitySettings } from '../activities/index.js';
import { createServices, type Services } from '../services/index.js';
import { createSandboxOutbox } from '../services/sandbox-outbox.js';
import { createWorkflowGateway } from '../services/workflow-gateway.js';
import { createCheckout, createProviderSet } from './providers.js';

export interface AppContext {
  config: Readonly<AppConfig>;
  log: Logger;
  db: Db;
  temporal: Client;
  providers: ProviderSet;
  checkout: BillingCheckout;
  services: Services;
  /** What the activities need from configuration. */
  activitySettings: ActivitySettings;
  /** Closes what this context opened (not a database or client it was given). */
  close(): Promise<void>;
}

export interface ContextOptions {
  /** A database to use instead of opening one (tests share theirs); not closed by close(). */
  db?: Db;
  log?: Logger;
  /** Provider adapters instead of those the configuration selects (tests: real SDKs against fakes). */
  providers?: ProviderSet;
  checkout?: BillingCheckout;
  /** Alert channels instead of those the configuration selects. */
  notifier?: AlertNotifier;
  /** A Temporal client to use (tests: the time-skipping server's); not closed by close(). */
  temporal?: Client;
  /** The task queue the gateway starts workflows on (default: the configured one). */
  taskQueue?: string;
  /** The rule numbers (tests: another warmup ramp); default DOMAIN.md's (defaultDomainConfig). */
  domainConfig?: DomainConfig;
  /** Tracing's client interceptors (lib/tracing.ts) for the Temporal client opened here (not for one given). */
  tracing?: { clientInterceptors: ClientInterceptors };
}

export async function connectTemporal(config: Readonly<AppConfig>, interceptors?: ClientInterceptors): Promise<Client> {
  const connection = await Connection.connect(clientConnectionOptions(config));
  return new Client({ connection, namespace: config.temporal.namespace, ...(interceptors ? { interceptors } : {}) });
}

/** The explicit choices that keep messages from going out, said at every start (they are the operator's, and loud). */
function warnAboutModes(config: Readonly<AppConfig>, log: Logger): void {
  if (config.providers.dncr.mode === 'refuse') {
    log.warn('AU_CALLS_AND_SMS=off: no Do Not Call Register; calls and SMS to the numbers it covers (Australian) are skipped, never sent');
  }
  const live = Object.entries(config.sandbox).filter(([name, sandboxed]) => name !== 'email' && name !== 'dncr' && !sandboxed);
  if (config.sandbox.email && live.length) {
    log.warn(
      { live: live.map(([name]) => name) },
      'EMAIL_DELIVERY=sandbox while providers are live: emails are recorded in sandbox_outbox, never sent',
    );
  }
}

export async function createAppContext(config: Readonly<AppConfig>, opts: ContextOptions = {}): Promise<AppContext> {
  const log = opts.log ?? createLogger(config.logLevel);
  const db = opts.db ?? createDb({ systemUrl: config.databaseUrl, tenantUrl: config.tenantDatabaseUrl });
  const temporal = opts.temporal ?? (await connectTemporal(config, opts.tracing?.clientInterceptors));
  const recorder = createSandboxOutbox(db).system;
  warnAboutModes(config, log);
  const services = createServices({
    db,
    notifier: opts.notifier ?? createAlertNotifier(config.alerts),
    gateway: createWorkflowGateway(temporal, opts.taskQueue ?? config.temporal.taskQueue),
    domainConfig: opts.domainConfig ?? defaultDomainConfig,
    log,
  });
  // pool_buffer on /metrics is read from the pool at scrape time (lib/metrics.ts caches it 10 s).
  const unsetPoolSource = setPoolBufferSource(() => services.pool.buffers.system.measure(Date.now()));
  return {
    config,
    log,
    db,
    temporal,
    providers: opts.providers ?? createProviderSet(config, recorder),
    checkout: opts.checkout ?? createCheckout(config, recorder),
    services,
    activitySettings: {
      publicBaseUrl: config.api.publicBaseUrlOrDefault,
      unsubscribeSecret: config.unsubscribeSecret,
      pool: {
        domainStem: config.pool.domainStem,
        domainTld: config.pool.domainTld,
        numberCountry: config.pool.numberCountry,
        publicBaseUrl: config.api.publicBaseUrlOrDefault,
      },
    },
    async close() {
      unsetPoolSource();
      if (!opts.temporal) await temporal.connection.close();
      if (!opts.db) await db.close();
    },
  };
}
