/**
 * The pool's history (system path): one buffer snapshot per resource type and pool-monitor run,
 * and one health snapshot per domain or seat and day (the dashboards' figures, ED-004, LI-006).
 */
import type { Db } from '../../db/client.js';
import type { DbResourceType } from '../../db/resource-types.js';

export interface BufferSnapshot {
  resourceType: DbResourceType;
  readyUnallocated: number;
  allocated: number;
  pending: number;
  buffer: number | null;
  level: string;
}

export type HealthResource = 'domain' | 'linkedin_seat';

export function createPoolSnapshots(db: Db) {
  const { poolSnapshot, healthSnapshot } = db.system;
  return {
    system: {
      async recordBuffers(takenAt: Date, rows: BufferSnapshot[]): Promise<void> {
        await poolSnapshot.createMany({ data: rows.map((r) => ({ takenAt, ...r })) });
      },

      /** Newest first. */
      buffers: (q: { resourceType?: DbResourceType; since?: Date; limit: number }) =>
        poolSnapshot.findMany({
          where: { ...(q.resourceType ? { resourceType: q.resourceType } : {}), ...(q.since ? { takenAt: { gte: q.since } } : {}) },
          orderBy: [{ takenAt: 'desc' }, { id: 'desc' }],
          take: q.limit,
        }),

      /** The day's health of one resource (a second check the same day replaces the first). */
      async recordHealth(
        resourceType: HealthResource,
        resourceId: string,
        day: string,
        healthClass: string,
        metrics: object,
        takenAt: Date,
      ) {
        await healthSnapshot.upsert({
          where: { resourceType_resourceId_day: { resourceType, resourceId, day } },
          update: { healthClass, metrics, takenAt },
          create: { resourceType, resourceId, day, healthClass, metrics, takenAt },
        });
      },

      /** Health snapshots after `fromDay`, newest day first (at most 5,000). */
      health: (q: { resourceType: HealthResource; resourceId?: string; fromDay: string }) =>
        healthSnapshot.findMany({
          where: { resourceType: q.resourceType, ...(q.resourceId ? { resourceId: q.resourceId } : {}), day: { gt: q.fromDay } },
          orderBy: [{ day: 'desc' }, { resourceId: 'asc' }],
          take: 5000,
        }),

      /** The latest health snapshot of each of these resources. */
      async latestHealth(resourceType: HealthResource, ids: string[]) {
        if (!ids.length) return new Map();
        const rows = await healthSnapshot.findMany({
          where: { resourceType, resourceId: { in: ids } },
          orderBy: [{ resourceId: 'asc' }, { day: 'desc' }],
          distinct: ['resourceId'],
        });
        return new Map(rows.map((s) => [s.resourceId, s]));
      },
    },
  };
}
