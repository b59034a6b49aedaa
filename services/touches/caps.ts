/**
 * Daily caps shared by many workflows (a mailbox's cold emails, a number's SMS and calls, the
 * client's daily email cap), kept in resource_daily_usage on the system path: caps are pool-wide.
 * A unit is taken with one conditional upsert inside the touch reservation's transaction; never
 * counted in memory (DESIGN.md, caps that many workflows share).
 */
import type { Db, SystemTx } from '../../db/client.js';
import type { DbResourceType } from '../../db/resource-types.js';

/** Atomically takes one unit of a daily cap; false when the cap is reached. */
export async function takeDailyUnit(
  tx: Pick<SystemTx, '$queryRaw'>,
  type: DbResourceType,
  resourceId: string,
  day: string,
  kind: string,
  limit: number,
): Promise<boolean> {
  if (limit <= 0) return false;
  const rows = await tx.$queryRaw<{ count: number }[]>`
    INSERT INTO resource_daily_usage (resource_type, resource_id, day, kind, count, updated_at)
    VALUES (${type}::"ResourceType", ${resourceId}::uuid, ${day}, ${kind}, 1, now())
    ON CONFLICT (resource_type, resource_id, day, kind)
    DO UPDATE SET count = resource_daily_usage.count + 1, updated_at = now()
    WHERE resource_daily_usage.count < ${limit}
    RETURNING count`;
  return rows.length === 1;
}

export function createCaps(db: Db) {
  return {
    system: {
      /** Units used on `day` per resource (absent: none). */
      async usage(type: DbResourceType, ids: string[], day: string, kind: string): Promise<Map<string, number>> {
        if (!ids.length) return new Map();
        const rows = await db.system.resourceDailyUsage.findMany({ where: { resourceType: type, resourceId: { in: ids }, day, kind } });
        return new Map(rows.map((r) => [r.resourceId, r.count]));
      },
      /** The resource among `ids` that took a unit of `kind` last (mailbox rotation). */
      async lastUsed(type: DbResourceType, ids: string[], kind: string): Promise<string | undefined> {
        const last = await db.system.resourceDailyUsage.findFirst({
          where: { resourceType: type, resourceId: { in: ids }, kind },
          orderBy: { updatedAt: 'desc' },
        });
        return last?.resourceId;
      },
    },
  };
}
export type Caps = ReturnType<typeof createCaps>;
