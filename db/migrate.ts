import pg from 'pg';
import { appRoleName, databaseName, withDatabase, withDefaultUser } from '../config/database-url.js';
import { applyMigrations } from './schema-engine.js';

/** Creates the database named in `url` when it does not exist yet. */
export async function ensureDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  const admin = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      try {
        await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      } catch (err) {
        if ((err as { code?: string }).code !== '42P04') throw err; // created concurrently
      }
    }
  } finally {
    await admin.end();
  }
}

/**
 * The login role used for client requests: member of agency_tenant only, no BYPASSRLS, so
 * every query it runs is filtered by the row-level security policies.
 */
export async function ensureAppRole(url: string, password: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const literal = `'${password.replace(/'/g, "''")}'`;
    await client.query(`DO $$
      BEGIN
        BEGIN
          CREATE ROLE ${appRoleName} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD ${literal};
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
          ALTER ROLE ${appRoleName} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD ${literal};
        END;
      END $$`);
    await client.query(`GRANT agency_tenant TO ${appRoleName}`);
    await client.query(`GRANT CONNECT ON DATABASE "${databaseName(url).replace(/"/g, '""')}" TO ${appRoleName}`);
  } finally {
    await client.end();
  }
}

export async function migrateDatabase(rawUrl: string, opts: { appDbPassword: string }): Promise<string[]> {
  const url = withDefaultUser(rawUrl);
  await ensureDatabase(url);
  const applied = await applyMigrations(url);
  await ensureAppRole(url, opts.appDbPassword);
  return applied;
}
