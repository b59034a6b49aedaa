/**
 * Database access. Two Prisma clients over two pools:
 * - `system`: the DATABASE_URL role (member of agency_system): worker system work, admin API,
 *   API-key lookup. Explicit, and named so in code.
 * - tenant: the `agency_app` login role (member of agency_tenant only, no BYPASSRLS). Every
 *   client request runs in `asTenant(clientId, ...)`: one transaction that first sets
 *   app.client_id, so row-level security confines it to that client's rows (SYS-010).
 */
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

export interface Db {
  system: PrismaClient;
  asTenant<T>(clientId: string, fn: (tx: TenantTx) => Promise<T>, opts?: { timeoutMs?: number }): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function createPrisma(url: string, opts: { max?: number } = {}): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: opts.max ?? 10 }) });
}

export function createDb(opts: { systemUrl: string; tenantUrl: string; poolSize?: number }): Db {
  const system = createPrisma(opts.systemUrl, { max: opts.poolSize });
  const tenant = createPrisma(opts.tenantUrl, { max: opts.poolSize });
  return {
    system,
    async asTenant(clientId, fn, o = {}) {
      return tenant.$transaction(
        async (tx) => {
          await tx.$executeRaw`SELECT set_config('app.client_id', ${clientId}, true)`;
          return fn(tx);
        },
        { timeout: o.timeoutMs ?? 30_000, maxWait: 10_000 },
      );
    },
    async ping() {
      await system.$queryRaw`SELECT 1`;
    },
    async close() {
      await Promise.all([system.$disconnect(), tenant.$disconnect()]);
    },
  };
}
