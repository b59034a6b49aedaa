import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import pg from 'pg';
import { pendingSchemaChanges, readMigrations } from '../../db/schema-engine.js';

describe('migrations (prisma/migrations vs prisma/schema.prisma)', () => {
  const client = new pg.Client({ connectionString: inject('databaseUrl') });
  afterAll(() => client.end());

  it('schema.prisma and the migrations agree (a schema change without its migration fails here)', async () => {
    const pending = await pendingSchemaChanges(inject('databaseUrl'));
    expect(pending, `run: npm run db:migration:create -- <name>\n${pending}`).toBe('');
  });

  it('every migration is recorded as applied in _prisma_migrations (the format `prisma migrate deploy` reads)', async () => {
    await client.connect();
    const { rows } = await client.query<{ migration_name: string; finished_at: Date | null; checksum: string }>(
      'SELECT migration_name, finished_at, checksum FROM _prisma_migrations ORDER BY migration_name',
    );
    const onDisk = (await readMigrations()).migrationDirectories.map((d) => d.path);
    expect(rows.map((r) => r.migration_name)).toEqual(onDisk);
    for (const r of rows) {
      expect(r.finished_at).not.toBeNull();
      expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('SYS-010: every table with a client_id column has row-level security enabled and forced, with tenant and system policies', async () => {
    const { rows } = await client.query<{ table: string; rls: boolean; forced: boolean; policies: string[] }>(`
      SELECT c.relname AS table, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
             coalesce(array_agg(p.polname::text ORDER BY p.polname) FILTER (WHERE p.polname IS NOT NULL), '{}'::text[]) AS policies
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
      LEFT JOIN pg_policy p ON p.polrelid = c.oid
      WHERE c.relkind = 'r'
        AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'client_id' AND NOT a.attisdropped)
      GROUP BY c.relname, c.relrowsecurity, c.relforcerowsecurity
      ORDER BY c.relname`);
    expect(rows.length).toBeGreaterThanOrEqual(9);
    for (const r of rows) {
      expect({ table: r.table, rls: r.rls, forced: r.forced }).toEqual({ table: r.table, rls: true, forced: true });
      expect(r.policies, r.table).toEqual(['system_access', 'tenant_isolation']);
    }
  });

  it('SYS-010: the tenant login role cannot bypass row-level security', async () => {
    const { rows } = await client.query<{ rolbypassrls: boolean; rolsuper: boolean }>(
      `SELECT rolbypassrls, rolsuper FROM pg_roles WHERE rolname = 'agency_app'`,
    );
    expect(rows).toEqual([{ rolbypassrls: false, rolsuper: false }]);
  });
});
