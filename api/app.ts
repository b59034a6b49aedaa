/**
 * buildApp(deps): the whole HTTP API as a Fastify instance, so tests use app.inject and
 * server.ts only adds listen(). Routes are zod-typed; OpenAPI is served at /docs.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, jsonSchemaTransform, type ZodTypeProvider } from 'fastify-type-provider-zod';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import { registerErrorHandling } from './plugins/error-handler.js';
import { authPlugin } from './plugins/auth.js';
import { healthRoutes } from './routes/health.js';
import { campaignRoutes } from './routes/campaigns.js';
import { adminClientRoutes } from './routes/admin-clients.js';
import { adminAlertRoutes } from './routes/admin-alerts.js';
import { adminPoolRoutes } from './routes/admin-pool.js';
import { adminDashboardRoutes } from './admin-dashboard.js';
import { billingRoutes } from './routes/billing.js';
import { meRoutes } from './routes/me.js';
import { leadRoutes } from './routes/leads.js';
import { unsubscribeRoutes } from './routes/unsubscribe.js';
import { leadControlRoutes } from './routes/lead-control.js';
import { registerWebhooks } from './webhooks/registry.js';
import type { AppDeps } from './deps.js';

export type { AppDeps } from './deps.js';

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger as unknown as FastifyBaseLogger } : { logger: false }),
    bodyLimit: 25 * 1024 * 1024,
    trustProxy: true,
    genReqId: () => crypto.randomUUID(),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);

  // The API documentation is public.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs')) route.config = { ...(route.config as object), auth: 'none' } as typeof route.config;
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

  await app.register(rateLimit, {
    max: deps.config.api.rateLimitPerMinute,
    timeWindow: '1 minute',
    keyGenerator: (req) => String(req.headers.authorization ?? req.headers['x-api-key'] ?? req.ip),
    // Provider webhooks are signed and must never be dropped: they are not rate limited.
    allowList: (req) => req.url.startsWith('/webhooks/'),
  });
  await app.register(multipart, { limits: { fileSize: 20 * 1024 * 1024, files: 2, fields: 5 } });
  await app.register(authPlugin, { clients: deps.services.clients, adminApiKey: deps.config.api.adminApiKey });

  await app.register(healthRoutes, { deps });
  await app.register(meRoutes, { deps });
  await app.register(campaignRoutes, { deps });
  await app.register(leadRoutes, { deps });
  await app.register(unsubscribeRoutes, { deps });
  await app.register(leadControlRoutes, { deps });
  await app.register(adminClientRoutes, { deps });
  await app.register(adminAlertRoutes, { deps });
  await app.register(adminPoolRoutes, { deps });
  await app.register(adminDashboardRoutes, { deps });
  await app.register(billingRoutes, { deps });
  registerWebhooks(app, { events: deps.services.webhookEvents, providers: deps.webhooks, publicBaseUrl: deps.config.api.publicBaseUrl });

  return app;
}
