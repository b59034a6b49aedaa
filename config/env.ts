/**
 * The environment's variables and what each may hold (zod), parsed by loadConfig (config/index.ts).
 * Every variable is documented in README.md ("Configuration").
 */
import { z } from 'zod';
import { WorkerEnvSchema } from './worker.js';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const EnvSchema = z
  .object({
    NODE_ENV: z.string().default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATA_DIR: z.string().default('.data'),

    DATABASE_URL: optionalString,
    APP_DATABASE_URL: optionalString,
    APP_DB_PASSWORD: z.string().default('agency_app_dev_password'),

    TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
    TEMPORAL_NAMESPACE: z.string().default('default'),
    TEMPORAL_TASK_QUEUE: z.string().default('agency-os'),
    TEMPORAL_API_KEY: optionalString,
    TEMPORAL_TLS: bool,
    TEMPORAL_TLS_CERT_PATH: optionalString,
    TEMPORAL_TLS_KEY_PATH: optionalString,
    TEMPORAL_TLS_CA_PATH: optionalString,
    TEMPORAL_TLS_SERVER_NAME: optionalString,
    TEMPORAL_UI_URL: optionalString,
    /** "off": the worker does not register the search attributes (SYS-009) at start (register them with `npm run search-attributes:sync` or the cluster's own tools). */
    TEMPORAL_REGISTER_SEARCH_ATTRIBUTES: optionalString.pipe(z.enum(['on', 'off']).optional()),

    HOST: z.string().default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    PUBLIC_BASE_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
    ADMIN_API_KEY: optionalString,
    API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
    /** Lookups of API keys not yet seen valid, per caller IP and minute: what key guessing can cost. */
    API_AUTH_LOOKUPS_PER_MINUTE: z.coerce.number().int().positive().default(30),
    /** The proxies in front of the API whose X-Forwarded-For is believed: none (default), a hop count, or addresses/CIDRs. */
    API_TRUSTED_PROXIES: optionalString,
    MAX_LEADS_PER_CAMPAIGN: z.coerce.number().int().positive().default(50_000),
    /** The built dashboards (scripts/build-web.sh writes web/dist), relative to the working directory. */
    WEB_DIST_DIR: z.string().min(1).default('web/dist'),
    ONBOARDING_IMPORT_BATCH_SIZE: z.coerce.number().int().min(1).max(5_000).default(500),

    STRIPE_SECRET_KEY: optionalString,
    STRIPE_WEBHOOK_SECRET: optionalString,
    STRIPE_API_BASE_URL: optionalString,
    /** Stripe price id of each billing tier (SYS-005); sandbox defaults price_ignition etc. */
    STRIPE_PRICE_IGNITION: z.string().default('price_ignition'),
    STRIPE_PRICE_VELOCITY: z.string().default('price_velocity'),
    STRIPE_PRICE_DOMINANCE: z.string().default('price_dominance'),
    INFRAFORGE_BASE_URL: optionalString,
    INFRAFORGE_WORKSPACE_ID: optionalString,
    WARMFORGE_BASE_URL: optionalString,
    WARMFORGE_WORKSPACE_ID: optionalString,
    /** Pool purchases (RP-004..008): new domain names are <prefix><stem>.<tld>; numbers bought in this country. */
    POOL_DOMAIN_STEM: z
      .string()
      .regex(/^[a-z0-9-]{2,40}$/)
      .default('outreachdesk'),
    POOL_DOMAIN_TLD: z
      .string()
      .regex(/^[a-z]{2,20}$/)
      .default('com'),
    POOL_NUMBER_COUNTRY: z
      .string()
      .regex(/^[A-Za-z]{2}$/)
      .transform((c) => c.toUpperCase())
      .default('AU'),
    /** Contact details of the domain registrations: JSON {firstName,lastName,email,phone,organization,address1,city,province,postalCode,country}. */
    POOL_DOMAIN_CONTACT: optionalString,
    TWILIO_ADDRESS_SID: optionalString,
    TWILIO_BUNDLE_SID: optionalString,
    /** Alerts (SYS-009): also POSTed (HMAC-signed) to this URL and/or emailed through this SMTP URL. */
    ALERT_WEBHOOK_URL: optionalString,
    ALERT_WEBHOOK_SECRET: optionalString,
    ALERT_EMAIL_TO: optionalString,
    ALERT_EMAIL_FROM: z.string().default('alerts@agency-os.local'),
    ALERT_SMTP_URL: optionalString,
    /** Sentry (SYS-009): API and worker errors reported here when set; unset: nothing is initialised, nothing sent. */
    SENTRY_DSN: optionalString,
    SENTRY_ENVIRONMENT: optionalString,
    /** GET /metrics (SYS-009): open when unset; when set, scrapers send `Authorization: Bearer <token>`. */
    METRICS_TOKEN: optionalString,
    /** A worker run alone (npm run worker) serves its metrics on this port (GET /metrics on HOST); unset: none. */
    WORKER_METRICS_PORT: optionalString
      .transform((v) => (v === undefined ? undefined : Number(v)))
      .pipe(z.number().int().min(1).max(65535).optional()),
    /** host:port where the Temporal SDK's own worker metrics are exported for Prometheus (e.g. 127.0.0.1:9464); unset: none. */
    TEMPORAL_METRICS_BIND: optionalString.pipe(
      z
        .string()
        .regex(/^[^\s:]+:\d{1,5}$/, 'host:port')
        .optional(),
    ),
    TWILIO_API_BASE_URL: optionalString,
    VAPI_BASE_URL: optionalString,
    DNCR_ENDPOINT: z.string().default('https://www.donotcall.gov.au/dncrtelem/rtw/washing.cfc'),
    DNCR_TELEMARKETER_ID: optionalString,
    DNCR_WASH_USER_ID: optionalString,
    DNCR_PASSWORD: optionalString,
    /** "off": a deployment that never calls or texts the numbers the DNCR covers (no DNCR credentials needed). */
    AU_CALLS_AND_SMS: optionalString.pipe(z.enum(['on', 'off']).optional()),
    /** smtp: every email goes over its mailbox's SMTP account; sandbox: recorded. Default: smtp once a provider is live. */
    EMAIL_DELIVERY: optionalString.pipe(z.enum(['smtp', 'sandbox']).optional()),
    UNSUBSCRIBE_SECRET: optionalString,
    TWILIO_ACCOUNT_SID: optionalString,
    TWILIO_AUTH_TOKEN: optionalString,
    VAPI_API_KEY: optionalString,
    VAPI_WEBHOOK_SECRET: optionalString,
    UNIPILE_API_KEY: optionalString,
    UNIPILE_DSN: optionalString,
    UNIPILE_WEBHOOK_SECRET: optionalString,
    INFRAFORGE_API_KEY: optionalString,
    WARMFORGE_API_KEY: optionalString,
    SALESFORGE_API_KEY: optionalString,
    INBOUND_EMAIL_WEBHOOK_SECRET: optionalString,
    APOLLO_API_KEY: optionalString,
    APOLLO_BASE_URL: optionalString,
    ZEROBOUNCE_API_KEY: optionalString,
    ZEROBOUNCE_BASE_URL: optionalString,
    /** Cal.com webhook secret (X-Cal-Signature-256) and Calendly signing key (SYS-004). */
    CALCOM_WEBHOOK_SECRET: optionalString,
    CALENDLY_WEBHOOK_SIGNING_KEY: optionalString,
    /** HubSpot's API base (a test fake); each client's own token is its CRM setting (SYS-004). */
    HUBSPOT_BASE_URL: optionalString,
    /** The LLM content engine (SYS-003, ED-005): without a key, the template engine writes. */
    OPENAI_API_KEY: optionalString,
    OPENAI_BASE_URL: optionalString,
    OPENAI_MODEL: optionalString,
  })
  .extend(WorkerEnvSchema.shape);

export type Env = z.infer<typeof EnvSchema>;
