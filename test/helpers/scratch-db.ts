/**
 * A database of a test's own, migrated like the run's: for tests whose requests create rows
 * anywhere (the fuzz test's admin calls add clients and pool resources) without touching the
 * shared database other test files count in. Dropped by `drop()`.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { migrateDatabase } from '../../db/migrate.js';
import { deriveTenantDatabaseUrl, withDatabase } from '../../config/database-url.js';

export async function createScratchDatabase(
  label: string,
): Promise<{ databaseUrl: string; tenantDatabaseUrl: string; drop(): Promise<void> }> {
  const name = `${new URL(inject('databaseUrl')).pathname.slice(1)}_${label}_${randomUUID().slice(0, 8)}`;
  const databaseUrl = withDatabase(inject('databaseUrl'), name);
  await migrateDatabase(databaseUrl, { appDbPassword: inject('appDbPassword') });
  return {
    databaseUrl,
    tenantDatabaseUrl: deriveTenantDatabaseUrl(databaseUrl, inject('appDbPassword')),
    async drop() {
      const admin = new pg.Client({ connectionString: withDatabase(databaseUrl, 'postgres') });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}
