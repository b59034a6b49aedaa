/**
 * The database handle's lifecycle: a process that stops on SIGTERM and on its parent's disconnect
 * closes it twice, and the second close must not throw (pg's pool refuses a second end); an idle
 * connection Postgres ends (a restart, an administrator) must not end the process.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { testConfig, testDb, waitFor } from '../helpers/context.js';

describe('database handle', () => {
  it('SYS-001: closing the database twice (two shutdown signals at once) closes it once and raises nothing', async () => {
    const db = testDb();
    expect(await db.systemSql.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await expect(Promise.all([db.close(), db.close()])).resolves.toBeDefined();
    await expect(db.close()).resolves.toBeUndefined();
    await expect(db.systemSql.query('SELECT 1')).rejects.toThrow();
  });

  it('SYS-009: an idle connection Postgres terminates is replaced at the next query; nothing crashes', async () => {
    const db = testDb();
    try {
      const pid = (await db.systemSql.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))[0]!.pid;
      const admin = new pg.Client({ connectionString: testConfig().databaseUrl });
      await admin.connect();
      try {
        expect((await admin.query('SELECT pg_terminate_backend($1) AS ok', [pid])).rows).toEqual([{ ok: true }]);
      } finally {
        await admin.end();
      }
      // The pool drops the terminated connection when Postgres says so; the next queries run on a new one.
      const next = await waitFor(
        async () => {
          const rows = await db.systemSql.query<{ pid: number }>('SELECT pg_backend_pid() AS pid').catch(() => []);
          return rows[0] && rows[0].pid !== pid ? rows[0].pid : undefined;
        },
        { what: 'a query on a new connection' },
      );
      expect(next).not.toBe(pid);
    } finally {
      await db.close();
    }
  });
});
