/**
 * The HTTP API process: builds the app with real dependencies and listens.
 *   npx tsx server.ts
 */
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { loadConfig, type AppConfig } from './config/index.js';
import { clientConnectionOptions } from './config/temporal.js';
import { createDb, type Db } from './db/client.js';
import { buildApp } from './api/app.js';
import { createLogger } from './lib/logger.js';
import { stripeWebhook } from './api/webhooks/providers/stripe.js';
import { createProviderWebhooks } from './api/webhooks/providers/index.js';

export async function createTemporalClient(config: Readonly<AppConfig>): Promise<Client> {
  const connection = await Connection.connect(clientConnectionOptions(config));
  return new Client({ connection, namespace: config.temporal.namespace });
}

export async function startServer(
  config: Readonly<AppConfig>,
  opts: { db?: Db; log?: Logger } = {},
): Promise<{ app: FastifyInstance; url: string; close(): Promise<void> }> {
  const log = opts.log ?? createLogger(config.logLevel, 'api');
  const db = opts.db ?? createDb({ systemUrl: config.databaseUrl, tenantUrl: config.tenantDatabaseUrl });
  const temporalClient = await createTemporalClient(config);
  const app = await buildApp({
    config,
    db,
    temporal: { client: temporalClient, taskQueue: config.temporal.taskQueue },
    webhooks: [
      ...createProviderWebhooks({ config, db, temporal: { client: temporalClient } }),
      stripeWebhook({ config, db, temporal: { client: temporalClient, taskQueue: config.temporal.taskQueue } }),
    ],
    logger: log,
  });
  const url = await app.listen({ host: config.api.host, port: config.api.port });
  return {
    app,
    url,
    async close() {
      await app.close();
      await temporalClient.connection.close();
      if (!opts.db) await db.close();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const config = loadConfig();
  const server = await startServer(config);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void server.close().then(() => process.exit(0)));
}
