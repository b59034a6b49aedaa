/**
 * The pool's purchase ledger (RP-004..008, system path). Providers give no idempotency key for a
 * purchase, so each unit is a pool_purchases row keyed by a tag the workflow derives, written
 * before the provider is called; a retry finds the row and buys only what is not there yet.
 */
import type { Db } from '../../db/client.js';
import { isUniqueViolation } from '../../db/client.js';
import type { PoolPurchase, Prisma } from '../../generated/prisma/client.js';

export type PurchaseType = 'domain' | 'phone_number' | 'linkedin_seat';

export function createPoolPurchases(db: Db) {
  const purchases = db.system.poolPurchase;
  return {
    system: {
      /** The purchase with this tag, claimed now (with `details()`) unless it exists. */
      async claim(
        tag: string,
        resourceType: PurchaseType,
        reason: string,
        details: () => Promise<Record<string, unknown>>,
      ): Promise<PoolPurchase> {
        const existing = await purchases.findUnique({ where: { tag } });
        if (existing) return existing;
        const d = await details();
        try {
          return await purchases.create({ data: { tag, resourceType, reason, details: d as object } });
        } catch (err) {
          if (!isUniqueViolation(err)) throw err;
          return purchases.findUniqueOrThrow({ where: { tag } }); // a concurrent attempt claimed it first
        }
      },

      /** Domain names already claimed by a purchase (bought or not). */
      async claimedDomainNames(): Promise<Set<string>> {
        const rows = await purchases.findMany({ where: { resourceType: 'domain' }, select: { details: true } });
        return new Set(rows.map((p) => String((p.details as { name?: string }).name ?? '')));
      },

      /** Records progress: bought (with the provider's reference), completed, or waiting for an operator. */
      async update(
        id: string,
        data: Pick<Prisma.PoolPurchaseUpdateInput, 'status' | 'providerRef' | 'resourceId' | 'details'>,
      ): Promise<void> {
        await purchases.update({ where: { id }, data });
      },

      /** A purchase that failed for good: no longer counted as on its way. */
      async fail(tag: string, error: string): Promise<void> {
        await purchases.updateMany({
          where: { tag, status: { in: ['requested', 'bought'] } },
          data: { status: 'failed', error: error.slice(0, 1000) },
        });
      },

      /** The oldest seat request still waiting for an operator to connect an account. */
      oldestSeatRequest: () =>
        purchases.findFirst({ where: { resourceType: 'linkedin_seat', status: 'awaiting_operator' }, orderBy: { createdAt: 'asc' } }),
    },
  };
}
