/**
 * The HTTP API process: builds the app from the composition root and listens.
 *   npx tsx server.ts
 */
import type { FastifyInstance } from 'fastify';
import { loadConfig, type AppConfig } from './config/index.js';
import { createAppContext, type ContextOptions } from './app/composition.js';
import { buildApp } from './api/app.js';
import { createLogger } from './lib/logger.js';
import { flushSentry, initSentry } from './lib/sentry.js';
import { initTracing } from './lib/tracing.js';
import { createProviderWebhooks } from './api/webhooks/providers/index.js';

export async function startServer(
  config: Readonly<AppConfig>,
  opts: ContextOptions = {},
): Promise<{ app: FastifyInstance; url: string; close(): Promise<void> }> {
  const log = opts.log ?? createLogger(config.logLevel, 'api');
  // SYS-009: Sentry once per process, when SENTRY_DSN is set (lib/sentry.ts).
  initSentry(config.sentry);
  // SYS-009: OpenTelemetry traces when an OTLP endpoint is set (lib/tracing.ts): request spans and the Temporal client's.
  const tracing = await initTracing(config.tracing, 'agency-os-api');
  const ctx = await createAppContext(config, { ...opts, log, tracing });
  const app = await buildApp({
    config,
    services: ctx.services,
    checkout: ctx.checkout,
    webhooks: createProviderWebhooks({ config, services: ctx.services }),
    logger: log,
    tracing,
  });
  const url = await app.listen({ host: config.api.host, port: config.api.port });
  return {
    app,
    url,
    async close() {
      await app.close();
      await flushSentry();
      await tracing.shutdown();
      await ctx.close();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const config = loadConfig();
  const server = await startServer(config);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void server.close().then(() => process.exit(0)));
}
