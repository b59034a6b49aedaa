/**
 * The database handle's lifecycle: a process that stops on SIGTERM and on its parent's disconnect
 * closes it twice, and the second close must not throw (pg's pool refuses a second end).
 */
import { describe, expect, it } from 'vitest';
import { testDb } from '../helpers/context.js';

describe('database handle', () => {
  it('SYS-001: closing the database twice (two shutdown signals at once) closes it once and raises nothing', async () => {
    const db = testDb();
    expect(await db.systemSql.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await expect(Promise.all([db.close(), db.close()])).resolves.toBeDefined();
    await expect(db.close()).resolves.toBeUndefined();
    await expect(db.systemSql.query('SELECT 1')).rejects.toThrow();
  });
});
