/**
 * buildApp(deps): the whole HTTP API as a Fastify instance, so tests use app.inject and
 * server.ts only adds listen(). Routes are zod-typed; OpenAPI is served at /docs.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type onRequestAsyncHookHandler } from 'fastify';
import { serializerCompiler, validatorCompiler, jsonSchemaTransform, type ZodTypeProvider } from 'fastify-type-provider-zod';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import { registerErrorHandling } from './plugins/error-handler.js';
import { authPlugin } from './plugins/auth.js';
import { inputGuardPlugin } from './plugins/input-guard.js';
import { KnownKeys, hashApiKey, presentedApiKey } from './api-keys.js';
import { healthRoutes } from './routes/health.js';
import { metricsPlugin, METRICS_PATH } from './routes/metrics.js';
import { campaignRoutes } from './routes/campaigns.js';
import { adminClientRoutes } from './routes/admin-clients.js';
import { adminAlertRoutes } from './routes/admin-alerts.js';
import { adminPoolRoutes } from './routes/admin-pool.js';
import { adminConsoleRoutes } from './routes/admin-console.js';
import { adminRecordRoutes } from './routes/admin-records.js';
import { adminScheduleRoutes } from './routes/admin-schedules.js';
import { webUiRoutes } from './web-ui.js';
import { billingRoutes } from './routes/billing.js';
import { meRoutes } from './routes/me.js';
import { settingsRoutes } from './routes/settings.js';
import { knowledgeBaseRoutes } from './routes/knowledge-base.js';
import { leadRoutes } from './routes/leads.js';
import { unsubscribeRoutes } from './routes/unsubscribe.js';
import { leadControlRoutes } from './routes/lead-control.js';
import { campaignControlRoutes } from './routes/campaign-control.js';
import { conversationRoutes } from './routes/conversations.js';
import { dealRoutes } from './routes/deals.js';
import { reportRoutes } from './routes/reports.js';
import { leadSearchRoutes } from './routes/lead-search.js';
import { exportRoutes } from './routes/exports.js';
import { registerWebhooks } from './webhooks/registry.js';
import type { Tracing } from '../lib/tracing.js';
import type { AppDeps } from './deps.js';

export type { AppDeps } from './deps.js';

/** A hop count trusts that many proxies nearest to us (proxy-addr's (address, hop) form). */
function trustProxy(setting: boolean | number | string): boolean | string | ((address: string, hop: number) => boolean) {
  return typeof setting === 'number' ? (_address, hop) => hop < setting : setting;
}

/** `tracing` (lib/tracing.ts, when on): a server span per request, the handler's work inside it (SYS-009). */
export async function buildApp(deps: AppDeps & { tracing?: Tracing }): Promise<FastifyInstance> {
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger as unknown as FastifyBaseLogger } : { logger: false }),
    bodyLimit: 25 * 1024 * 1024,
    // Whose X-Forwarded-For to believe (API_TRUSTED_PROXIES; none by default): req.ip keys the rate limits.
    trustProxy: trustProxy(deps.config.api.trustProxy),
    genReqId: () => crypto.randomUUID(),
    // One access line per request (below) instead of Fastify's two, without the query string.
    logController: new LogController({ disableRequestLogging: true }),
  }).withTypeProvider<ZodTypeProvider>();
  // First, so every route below gets its span (it wraps each route as it is added).
  if (deps.tracing?.requestPlugin) await app.register(deps.tracing.requestPlugin);

  // The route's pattern, never the URL: query strings and path parameters can carry tokens and
  // addresses (unsubscribe links, lead lookups). Errors are logged by the error handler.
  app.addHook('onResponse', (req, reply, done) => {
    req.log.info(
      { method: req.method, route: req.routeOptions.url ?? 'unmatched', status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request',
    );
    done();
  });

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);

  // The API documentation and the dashboards' static files are public.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs') || route.url.startsWith('/assets/'))
      route.config = { ...(route.config as object), auth: 'none' } as typeof route.config;
  });
  // The usual security headers on every answer; the pages run only this origin's scripts and
  // styles and talk only to this origin's API (no inline code, no third party).
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Agency OS API',
        version: '0.1.0',
        description: 'Outbound sales operations for agencies. Client routes take a client API key; /v1/admin routes take the admin key.',
      },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
      security: [{ apiKey: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });

  // One allowance per valid API key, however it is presented (Bearer in any case or spacing,
  // X-Api-Key); requests without a key or with one never seen valid share their IP's allowance.
  const knownKeys = new KnownKeys();
  await app.register(rateLimit, {
    // Not per route: route hooks run after the authentication hook, and a refused key must count.
    global: false,
    max: deps.config.api.rateLimitPerMinute,
    timeWindow: '1 minute',
    keyGenerator: (req) => {
      const key = presentedApiKey(req.headers);
      const hash = key ? hashApiKey(key) : undefined;
      return hash && knownKeys.has(hash) ? `key:${hash}` : `ip:${req.ip}`;
    },
    // Provider webhooks are signed and must never be dropped: they are not rate limited. Nor are
    // Prometheus scrapes (a gap in every graph otherwise; the figures are cached, the token checked without a lookup).
    allowList: (req) => req.url.startsWith('/webhooks/') || req.url.split('?')[0] === METRICS_PATH,
  });
  // Before authentication (hooks run in the order added), for every request, unknown routes too.
  app.addHook('onRequest', app.rateLimit() as unknown as onRequestAsyncHookHandler);
  await app.register(multipart, { limits: { fileSize: 20 * 1024 * 1024, files: 2, fields: 5 } });
  await app.register(authPlugin, {
    clients: deps.services.clients,
    adminApiKey: deps.config.api.adminApiKey,
    knownKeys,
    lookupsPerMinute: deps.config.api.authLookupsPerMinute,
  });
  await app.register(inputGuardPlugin);
  // Request timing for every route registered below, and GET /metrics (SYS-009).
  await app.register(metricsPlugin, { token: deps.config.metrics.token });

  await app.register(healthRoutes, { deps });
  await app.register(meRoutes, { deps });
  await app.register(settingsRoutes, { deps });
  await app.register(knowledgeBaseRoutes, { deps });
  await app.register(campaignRoutes, { deps });
  await app.register(leadRoutes, { deps });
  await app.register(unsubscribeRoutes, { deps });
  await app.register(leadControlRoutes, { deps });
  await app.register(campaignControlRoutes, { deps });
  await app.register(conversationRoutes, { deps });
  await app.register(dealRoutes, { deps });
  await app.register(reportRoutes, { deps });
  await app.register(leadSearchRoutes, { deps });
  await app.register(exportRoutes, { deps });
  await app.register(adminClientRoutes, { deps });
  await app.register(adminAlertRoutes, { deps });
  await app.register(adminPoolRoutes, { deps });
  await app.register(adminConsoleRoutes, { deps });
  await app.register(adminRecordRoutes, { deps });
  await app.register(adminScheduleRoutes, { deps });
  await app.register(webUiRoutes, { distDir: deps.config.api.webDistDir });
  await app.register(billingRoutes, { deps });
  registerWebhooks(app, { events: deps.services.webhookEvents, providers: deps.webhooks, publicBaseUrl: deps.config.api.publicBaseUrl });

  return app;
}
