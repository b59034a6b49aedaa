/**
 * Database access. Two Prisma clients over two pools:
 * - `system`: the DATABASE_URL role (member of agency_system): worker system work, admin API,
 *   API-key lookup. Explicit, and named so in code.
 * - tenant: the `agency_app` login role (member of agency_tenant only, no BYPASSRLS). Every
 *   client request runs in `asTenant(clientId, ...)`: one transaction that first sets
 *   app.client_id, so row-level security confines it to that client's rows (SYS-010).
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma as PrismaNamespace, PrismaClient } from '../generated/prisma/client.js';

export type Prisma = PrismaClient;
/** A transaction's client: under row-level security when opened by asTenant, on the system path otherwise. */
export type TenantTx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
export type SystemTx = TenantTx;

/** True for Prisma's unique-constraint violation (P2002): a row with that key exists. */
export function isUniqueViolation(err: unknown): boolean {
  return err instanceof PrismaNamespace.PrismaClientKnownRequestError && err.code === 'P2002';
}

/**
 * Plain SQL on the system pool, for the few statements every webhook runs (record once, find the
 * lead, mark processed): nothing between them and the driver. Measured: Prisma's raw path costs
 * the API process about twice the driver's CPU per statement (bench/webhooks.bench.ts).
 * Parameters are $1, $2, ...; never interpolated.
 */
export interface SystemSql {
  query<T extends object>(text: string, params?: unknown[]): Promise<T[]>;
  /** The number of rows the statement changed. */
  execute(text: string, params?: unknown[]): Promise<number>;
  /** Runs a read on its own. */
  read<T>(r: SqlRead<T>): Promise<T>;
}

/**
 * A read-only query as a value: its text, its parameters ($1..$n) and what its rows mean. Run on
 * its own (SystemSql.read), or carried by another statement so both take one round trip
 * (services/webhook-events.ts: a delivery recorded and the lead it is about found at once). Its
 * rows, when carried, arrive as JSON objects with the same column names.
 */
export interface SqlRead<T> {
  text: string;
  params: unknown[];
  read(rows: Record<string, unknown>[]): T;
}

export const isSqlRead = (x: unknown): x is SqlRead<unknown> =>
  typeof x === 'object' &&
  x !== null &&
  typeof (x as SqlRead<unknown>).text === 'string' &&
  typeof (x as SqlRead<unknown>).read === 'function';

export interface Db {
  system: PrismaClient;
  /** The same pool as `system`, without Prisma: see SystemSql. */
  systemSql: SystemSql;
  asTenant<T>(clientId: string, fn: (tx: TenantTx) => Promise<T>, opts?: { timeoutMs?: number }): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Every interactive transaction (system or tenant path) waits up to 10 s for a pooled connection
 * and may run 30 s: under load a burst of concurrent reservations queues for the pool rather than
 * failing after Prisma's 2 s default (the work is retried by Temporal anyway, but a refusal is
 * noise and a wasted attempt).
 */
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 30_000 } as const;

export function createPrisma(url: string, opts: { max?: number } = {}): PrismaClient {
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString: url, max: opts.max ?? 10 }),
    transactionOptions: TRANSACTION_OPTIONS,
  });
}

/**
 * A named (prepared) statement: Postgres parses and plans each text once per connection instead of
 * at every execution. SystemSql's texts are constants, so the names are a fixed, small set.
 */
function prepared(text: string, values: unknown[]): pg.QueryConfig {
  let name = statementNames.get(text);
  if (!name) statementNames.set(text, (name = `sys_${createHash('sha256').update(text).digest('hex').slice(0, 16)}`));
  return { name, text, values };
}
const statementNames = new Map<string, string>();

export function createDb(opts: { systemUrl: string; tenantUrl: string; poolSize?: number }): Db {
  const systemPool = new pg.Pool({ connectionString: opts.systemUrl, max: opts.poolSize ?? 10 });
  // An idle connection that Postgres ends (a restart, an administrator, a dropped database) is an
  // 'error' on the pool, which drops that connection and opens another at the next query. Without
  // a listener the event would end the process; Prisma's own listener is there only while it is
  // connected, and pg's pool.end() resolves before its connections have closed.
  systemPool.on('error', () => undefined);
  const system = new PrismaClient({ adapter: new PrismaPg(systemPool) });
  const tenant = createPrisma(opts.tenantUrl, { max: opts.poolSize });
  let closing: Promise<void> | undefined;
  return {
    system,
    systemSql: {
      async query<T extends object>(text: string, params: unknown[] = []) {
        return (await systemPool.query<T>(prepared(text, params))).rows;
      },
      async execute(text: string, params: unknown[] = []) {
        return (await systemPool.query(prepared(text, params))).rowCount ?? 0;
      },
      async read<T>(r: SqlRead<T>) {
        return r.read((await systemPool.query<Record<string, unknown>>(prepared(r.text, r.params))).rows);
      },
    },
    async asTenant(clientId, fn, o = {}) {
      return tenant.$transaction(
        async (tx) => {
          await tx.$executeRaw`SELECT set_config('app.client_id', ${clientId}, true)`;
          return fn(tx);
        },
        { ...TRANSACTION_OPTIONS, ...(o.timeoutMs ? { timeout: o.timeoutMs } : {}) },
      );
    },
    async ping() {
      await system.$queryRaw`SELECT 1`;
    },
    // Once, however often it is called (a process stopping on SIGTERM and on its parent's disconnect).
    close() {
      closing ??= (async () => {
        await Promise.all([system.$disconnect(), tenant.$disconnect()]);
        await systemPool.end();
      })();
      return closing;
    },
  };
}
