/**
 * Configuration, parsed once from the environment with zod into a frozen object (DESIGN.md
 * convention 8). Workflows never read it: they get values through their input or activities.
 * Every variable is documented in README.md ("Configuration").
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { defaultSystemDatabaseUrl, deriveTenantDatabaseUrl, withDefaultUser } from './database-url.js';
import { configurationProblems, providerModes, type ProviderModes } from './safety.js';
import { workerSettings, type WorkerSettings } from './worker.js';
import { TracingEnvSchema, tracingSettings, type TracingSettings } from './tracing.js';
import { EnvSchema, type Env } from './env.js';

export type { Env } from './env.js';

export interface AppConfig {
  env: string;
  logLevel: Env['LOG_LEVEL'];
  dataDir: string;
  databaseUrl: string;
  tenantDatabaseUrl: string;
  appDbPassword: string;
  temporal: {
    address: string;
    namespace: string;
    taskQueue: string;
    apiKey?: string;
    tls: boolean;
    tlsCertPath?: string;
    tlsKeyPath?: string;
    tlsCaPath?: string;
    tlsServerName?: string;
    uiUrl?: string;
    /** The worker registers the search attributes at start (SYS-009; TEMPORAL_REGISTER_SEARCH_ATTRIBUTES, default on). */
    registerSearchAttributes: boolean;
  };
  /** The worker's cache, V8 context, threads and slots (config/worker.ts). */
  worker: WorkerSettings;
  api: {
    host: string;
    port: number;
    publicBaseUrl?: string;
    /** PUBLIC_BASE_URL, else http://HOST:PORT. */
    publicBaseUrlOrDefault: string;
    adminApiKey?: string;
    rateLimitPerMinute: number;
    authLookupsPerMinute: number;
    /** Fastify's trustProxy: false (the default), a hop count, or a comma-separated list of addresses/CIDRs. */
    trustProxy: boolean | number | string;
    maxLeadsPerCampaign: number;
    /** Where the built dashboards are (WEB_DIST_DIR, default web/dist): /app and /admin. */
    webDistDir: string;
  };
  onboarding: { importBatchSize: number };
  providers: {
    stripe: {
      secretKey?: string;
      webhookSecret?: string;
      baseUrl?: string;
      prices: { Ignition: string; Velocity: string; Dominance: string };
    };
    twilio: { accountSid?: string; authToken?: string; baseUrl?: string };
    vapi: { apiKey?: string; webhookSecret?: string; baseUrl?: string };
    dncr: {
      endpoint: string;
      telemarketerId?: string;
      washOnlyUserId?: string;
      password?: string;
      /** register: ACMA's; sandbox: nothing live; refuse: AU_CALLS_AND_SMS=off, every wash refused (config/safety.ts). */
      mode: ProviderModes['dncr'];
    };
    apollo: { apiKey?: string; baseUrl?: string };
    zerobounce: { apiKey?: string; baseUrl?: string };
    unipile: { apiKey?: string; dsn?: string; webhookSecret?: string };
    booking: { calcomSecret?: string; calendlySigningKey?: string };
    hubspot: { baseUrl?: string };
    openai: { apiKey?: string; baseUrl?: string; model: string };
    forge: {
      infraforgeKey?: string;
      infraforgeBaseUrl?: string;
      infraforgeWorkspaceId?: string;
      warmforgeKey?: string;
      warmforgeBaseUrl?: string;
      warmforgeWorkspaceId?: string;
      salesforgeKey?: string;
      inboundEmailWebhookSecret?: string;
    };
  };
  pool: {
    domainStem: string;
    domainTld: string;
    numberCountry: string;
    domainContact?: Record<string, string>;
    twilioAddressSid?: string;
    twilioBundleSid?: string;
  };
  alerts: { webhookUrl?: string; webhookSecret?: string; emailTo?: string; emailFrom: string; smtpUrl?: string };
  /** Sentry error reporting (lib/sentry.ts): off without a DSN. The environment defaults to NODE_ENV. */
  sentry: { dsn?: string; environment: string };
  /** OpenTelemetry traces over OTLP/HTTP (lib/tracing.ts): off without an OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT. */
  tracing: TracingSettings;
  /** Prometheus metrics (lib/metrics.ts): the /metrics token, a lone worker's port, the Temporal SDK's exporter address. */
  metrics: { token?: string; workerPort?: number; temporalBind?: string };
  /**
   * Providers without credentials run in sandbox mode: they record instead of sending. Email is
   * sandboxed as a whole (EMAIL_DELIVERY): when it is not, a mailbox without SMTP credentials
   * never sends (its emails are skipped with an alert), it is never recorded as sent.
   */
  sandbox: ProviderModes['sandbox'];
  /**
   * Signs one-click unsubscribe links (UNSUBSCRIBE_SECRET, its own secret: required when email
   * is live). With sandbox email and none set, a random one for this process: links then verify
   * only in the process that made them (npm start keeps one in the data directory).
   */
  unsubscribeSecret: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * API_TRUSTED_PROXIES as Fastify's trustProxy. Unset: no proxy is trusted, so the caller's address
 * (what rate limits key on) cannot be chosen by the caller through X-Forwarded-For.
 */
function trustProxySetting(v: string | undefined): boolean | number | string {
  if (v === undefined || v === 'false') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}

/** A local dev server's Web UI: `temporal server start-dev` serves it on the frontend port + 1000 (npm start's default); none for a remote cluster. */
function devServerUiUrl(address: string): string | undefined {
  const m = /^(127\.0\.0\.1|localhost):(\d+)$/.exec(address);
  return m ? `http://${m[1]}:${Number(m[2]) + 1000}` : undefined;
}

function parseContact(json: string | undefined): Record<string, string> | undefined {
  if (!json) return undefined;
  try {
    const v = z.record(z.string(), z.string()).parse(JSON.parse(json));
    return v;
  } catch {
    throw new ConfigError(
      'POOL_DOMAIN_CONTACT: not a JSON object of strings (firstName, lastName, email, phone, organization, address1, city, province, postalCode, country)',
    );
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<AppConfig> {
  const parsed = EnvSchema.extend(TracingEnvSchema.shape).safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const modes = providerModes(e);
  const problems = configurationProblems(e, modes);
  if (problems.length) throw new ConfigError(`configuration refused:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  const databaseUrl = withDefaultUser(e.DATABASE_URL ?? defaultSystemDatabaseUrl);
  const config: AppConfig = {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    dataDir: e.DATA_DIR,
    databaseUrl,
    tenantDatabaseUrl: e.APP_DATABASE_URL ?? deriveTenantDatabaseUrl(databaseUrl, e.APP_DB_PASSWORD),
    appDbPassword: e.APP_DB_PASSWORD,
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      apiKey: e.TEMPORAL_API_KEY,
      tls: e.TEMPORAL_TLS || Boolean(e.TEMPORAL_API_KEY) || Boolean(e.TEMPORAL_TLS_CERT_PATH),
      tlsCertPath: e.TEMPORAL_TLS_CERT_PATH,
      tlsKeyPath: e.TEMPORAL_TLS_KEY_PATH,
      tlsCaPath: e.TEMPORAL_TLS_CA_PATH,
      tlsServerName: e.TEMPORAL_TLS_SERVER_NAME,
      uiUrl: e.TEMPORAL_UI_URL ?? devServerUiUrl(e.TEMPORAL_ADDRESS),
      registerSearchAttributes: e.TEMPORAL_REGISTER_SEARCH_ATTRIBUTES !== 'off',
    },
    worker: workerSettings(e),
    api: {
      publicBaseUrlOrDefault: e.PUBLIC_BASE_URL ?? `http://${e.HOST}:${e.PORT}`,
      host: e.HOST,
      port: e.PORT,
      publicBaseUrl: e.PUBLIC_BASE_URL,
      adminApiKey: e.ADMIN_API_KEY,
      rateLimitPerMinute: e.API_RATE_LIMIT_PER_MINUTE,
      authLookupsPerMinute: e.API_AUTH_LOOKUPS_PER_MINUTE,
      trustProxy: trustProxySetting(e.API_TRUSTED_PROXIES),
      maxLeadsPerCampaign: e.MAX_LEADS_PER_CAMPAIGN,
      webDistDir: e.WEB_DIST_DIR,
    },
    onboarding: { importBatchSize: e.ONBOARDING_IMPORT_BATCH_SIZE },
    providers: {
      stripe: {
        secretKey: e.STRIPE_SECRET_KEY,
        webhookSecret: e.STRIPE_WEBHOOK_SECRET,
        baseUrl: e.STRIPE_API_BASE_URL,
        prices: { Ignition: e.STRIPE_PRICE_IGNITION, Velocity: e.STRIPE_PRICE_VELOCITY, Dominance: e.STRIPE_PRICE_DOMINANCE },
      },
      twilio: { accountSid: e.TWILIO_ACCOUNT_SID, authToken: e.TWILIO_AUTH_TOKEN, baseUrl: e.TWILIO_API_BASE_URL },
      vapi: { apiKey: e.VAPI_API_KEY, webhookSecret: e.VAPI_WEBHOOK_SECRET, baseUrl: e.VAPI_BASE_URL },
      apollo: { apiKey: e.APOLLO_API_KEY, baseUrl: e.APOLLO_BASE_URL },
      zerobounce: { apiKey: e.ZEROBOUNCE_API_KEY, baseUrl: e.ZEROBOUNCE_BASE_URL },
      dncr: {
        endpoint: e.DNCR_ENDPOINT,
        telemarketerId: e.DNCR_TELEMARKETER_ID,
        washOnlyUserId: e.DNCR_WASH_USER_ID,
        password: e.DNCR_PASSWORD,
        mode: modes.dncr,
      },
      unipile: { apiKey: e.UNIPILE_API_KEY, dsn: e.UNIPILE_DSN, webhookSecret: e.UNIPILE_WEBHOOK_SECRET },
      booking: { calcomSecret: e.CALCOM_WEBHOOK_SECRET, calendlySigningKey: e.CALENDLY_WEBHOOK_SIGNING_KEY },
      hubspot: { baseUrl: e.HUBSPOT_BASE_URL },
      openai: { apiKey: e.OPENAI_API_KEY, baseUrl: e.OPENAI_BASE_URL, model: e.OPENAI_MODEL ?? 'gpt-4o-mini' },
      forge: {
        infraforgeKey: e.INFRAFORGE_API_KEY,
        infraforgeBaseUrl: e.INFRAFORGE_BASE_URL,
        infraforgeWorkspaceId: e.INFRAFORGE_WORKSPACE_ID,
        warmforgeKey: e.WARMFORGE_API_KEY,
        warmforgeBaseUrl: e.WARMFORGE_BASE_URL,
        warmforgeWorkspaceId: e.WARMFORGE_WORKSPACE_ID,
        salesforgeKey: e.SALESFORGE_API_KEY,
        inboundEmailWebhookSecret: e.INBOUND_EMAIL_WEBHOOK_SECRET,
      },
    },
    pool: {
      domainStem: e.POOL_DOMAIN_STEM,
      domainTld: e.POOL_DOMAIN_TLD,
      numberCountry: e.POOL_NUMBER_COUNTRY,
      domainContact: parseContact(e.POOL_DOMAIN_CONTACT),
      twilioAddressSid: e.TWILIO_ADDRESS_SID,
      twilioBundleSid: e.TWILIO_BUNDLE_SID,
    },
    alerts: {
      webhookUrl: e.ALERT_WEBHOOK_URL,
      webhookSecret: e.ALERT_WEBHOOK_SECRET,
      emailTo: e.ALERT_EMAIL_TO,
      emailFrom: e.ALERT_EMAIL_FROM,
      smtpUrl: e.ALERT_SMTP_URL,
    },
    sentry: { dsn: e.SENTRY_DSN, environment: e.SENTRY_ENVIRONMENT ?? e.NODE_ENV },
    tracing: tracingSettings(e),
    metrics: { token: e.METRICS_TOKEN, workerPort: e.WORKER_METRICS_PORT, temporalBind: e.TEMPORAL_METRICS_BIND },
    sandbox: modes.sandbox,
    unsubscribeSecret: e.UNSUBSCRIBE_SECRET ?? randomBytes(32).toString('base64url'),
  };
  return Object.freeze(config);
}
