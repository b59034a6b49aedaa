/**
 * Allocations (system path): which client holds which pool resource. One open allocation per
 * resource (partial unique index); every "what is held" question is answered here.
 *
 * Bringing a client to its tier (RP-001, LI-001) runs in one transaction serialised over the
 * whole pool by an advisory lock, so two clients never get the same resource.
 */
import type { Db, SystemTx } from '../db/client.js';
import { DB_RESOURCE_TYPE, RESOURCE_TYPE_OF_DB, type DbResourceType } from '../db/resource-types.js';
import { toDbTier } from '../db/tiers.js';
import {
  allocateCounts,
  RESOURCE_TYPES,
  releaseExcess,
  seatAgeDays,
  tierResources,
  type BillingTier,
  type DomainConfig,
  type PoolResource,
  type ResourceCounts,
  type ResourceType,
} from '../domain/index.js';

const ALLOCATION_LOCK = 'agency-os:pool-allocation';
export const zeroCounts = (): ResourceCounts => ({ domains: 0, mailboxes: 0, phoneNumbers: 0, linkedinSeats: 0 });
const byType = () => ({ domains: [], mailboxes: [], phoneNumbers: [], linkedinSeats: [] }) as Record<ResourceType, PoolResource[]>;

/** The client's resources (open allocations) and the pool's available ones, as PoolResources. */
async function poolResources(tx: SystemTx, clientId: string, nowMs: number, config: DomainConfig) {
  const open = await tx.resourceAllocation.findMany({ where: { releasedAt: null }, select: { clientId: true, resourceId: true } });
  const past = await tx.resourceAllocation.groupBy({ by: ['resourceId'], where: { releasedAt: { not: null } }, _count: true });
  const load = new Map(past.map((p) => [p.resourceId, p._count]));
  const takenBy = new Map(open.map((a) => [a.resourceId, a.clientId]));
  const held = byType();
  const available = byType();
  const place = (type: ResourceType, r: PoolResource, ready: boolean) => {
    const owner = takenBy.get(r.id);
    if (owner === clientId) held[type].push(r);
    else if (!owner && ready) available[type].push(r);
  };
  for (const d of await tx.domain.findMany({ where: { status: { not: 'retired' } } })) {
    const r = { id: d.id, warmed: d.status === 'ready', reputation: d.heatScore ?? 0, load: load.get(d.id) ?? 0, createdAt: d.createdAt };
    place('domains', r, d.status === 'ready' && d.healthClass !== 'critical');
  }
  for (const m of await tx.mailbox.findMany({ where: { status: { not: 'retired' } }, include: { domain: true } })) {
    place(
      'mailboxes',
      {
        id: m.id,
        warmed: m.domain.status === 'ready',
        reputation: m.domain.heatScore ?? 0,
        load: load.get(m.id) ?? 0,
        createdAt: m.createdAt,
        domainId: m.domainId,
      },
      m.status === 'ready' && m.domain.status === 'ready' && m.domain.healthClass !== 'critical',
    );
  }
  for (const n of await tx.phoneNumber.findMany({ where: { status: { not: 'retired' } } })) {
    place(
      'phoneNumbers',
      { id: n.id, warmed: true, reputation: 0, load: load.get(n.id) ?? 0, createdAt: n.createdAt },
      n.status === 'ready',
    );
  }
  for (const s of await tx.linkedInSeat.findMany({ where: { status: { not: 'retired' } } })) {
    const warmed = seatAgeDays(s.createdAt, nowMs) > config.linkedin.rampDays;
    const r = { id: s.id, warmed, reputation: Math.round((s.acceptRate ?? 0.3) * 100), load: load.get(s.id) ?? 0, createdAt: s.createdAt };
    place('linkedinSeats', r, s.status === 'ready' && s.health === 'ok');
  }
  return { held, available };
}

export function createAllocations(db: Db, config: DomainConfig) {
  const system = {
    /** The ids of the resources of one type a client holds now. */
    async heldBy(clientId: string, type: DbResourceType): Promise<string[]> {
      const rows = await db.system.resourceAllocation.findMany({
        where: { clientId, resourceType: type, releasedAt: null },
        select: { resourceId: true },
      });
      return rows.map((r) => r.resourceId);
    },

    /** Who holds each of these resources now (resource id -> client id); all of the type when ids is omitted. */
    async holders(type: DbResourceType, ids?: string[]): Promise<Map<string, string>> {
      if (ids && !ids.length) return new Map();
      const rows = await db.system.resourceAllocation.findMany({
        where: { resourceType: type, releasedAt: null, ...(ids ? { resourceId: { in: ids } } : {}) },
        select: { resourceId: true, clientId: true },
      });
      return new Map(rows.map((r) => [r.resourceId, r.clientId]));
    },

    /** The client's open allocations, oldest first. */
    open: (clientId: string) =>
      db.system.resourceAllocation.findMany({ where: { clientId, releasedAt: null }, orderBy: { allocatedAt: 'asc' } }),

    /** What a client holds, counted per type and listed with each resource's name and status. */
    async describe(clientId: string) {
      const open = await system.open(clientId);
      const ids = (t: DbResourceType) => open.filter((a) => a.resourceType === t).map((a) => a.resourceId);
      const [domains, mailboxes, numbers, seats] = await Promise.all([
        db.system.domain.findMany({ where: { id: { in: ids('domain') } } }),
        db.system.mailbox.findMany({ where: { id: { in: ids('mailbox') } } }),
        db.system.phoneNumber.findMany({ where: { id: { in: ids('phone_number') } } }),
        db.system.linkedInSeat.findMany({ where: { id: { in: ids('linkedin_seat') } } }),
      ]);
      const info = new Map<string, { name: string; status: string }>([
        ...domains.map((d) => [d.id, { name: d.name, status: d.status }] as const),
        ...mailboxes.map((m) => [m.id, { name: m.email, status: m.status }] as const),
        ...numbers.map((n) => [n.id, { name: n.e164, status: n.status }] as const),
        ...seats.map((s) => [s.id, { name: s.displayName ?? s.accountRef, status: s.status }] as const),
      ]);
      const counts = zeroCounts();
      for (const a of open) counts[RESOURCE_TYPE_OF_DB[a.resourceType]]++;
      const allocations = open.map((a) => ({
        id: a.id,
        resourceType: a.resourceType,
        resourceId: a.resourceId,
        name: info.get(a.resourceId)?.name ?? null,
        status: info.get(a.resourceId)?.status ?? null,
        allocatedAt: a.allocatedAt.toISOString(),
        holdUntil: a.holdUntil?.toISOString() ?? null,
      }));
      return { counts, allocations };
    },

    /**
     * Brings the client's allocation to its tier: adds what is missing from the pool in allocation
     * order (mailboxes on the client's own domains first), gives back what exceeds it (a
     * downgrade), and marks the client active on that tier. Returns what the pool could not provide.
     */
    async allocateToTier(clientId: string, tier: BillingTier, nowMs: number) {
      const want = tierResources(tier, config);
      const now = new Date(nowMs);
      return db.system.$transaction(
        async (tx) => {
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${ALLOCATION_LOCK}))`;
          const { held, available } = await poolResources(tx, clientId, nowMs, config);
          const need = zeroCounts();
          for (const t of RESOURCE_TYPES) need[t] = Math.max(0, want[t] - held[t].length);
          const pick = allocateCounts(
            need,
            available,
            held.domains.map((d) => d.id),
          );
          const drop = releaseExcess(held, want);
          const added = zeroCounts();
          const released = zeroCounts();
          for (const t of RESOURCE_TYPES) {
            if (pick.picked[t].length) {
              await tx.resourceAllocation.createMany({
                data: pick.picked[t].map((resourceId) => ({ clientId, resourceType: DB_RESOURCE_TYPE[t], resourceId, allocatedAt: now })),
              });
            }
            added[t] = pick.picked[t].length;
            if (drop[t].length) {
              const r = await tx.resourceAllocation.updateMany({
                where: { clientId, resourceId: { in: drop[t] }, releasedAt: null },
                data: { releasedAt: now },
              });
              released[t] = r.count;
            }
          }
          await tx.client.update({ where: { id: clientId }, data: { tier: toDbTier(tier), status: 'active' } });
          const complete = RESOURCE_TYPES.every((t) => pick.missing[t] === 0);
          return { complete, missing: pick.missing, added, released };
        },
        { timeout: 30_000 },
      );
    },

    /** Holds (churn) or clears the hold date of every open allocation of the client. */
    async setHold(clientId: string, until: Date | null): Promise<void> {
      await db.system.resourceAllocation.updateMany({ where: { clientId, releasedAt: null }, data: { holdUntil: until } });
    },

    /**
     * Gives everything the client holds back to the pool, in one transaction: mailboxes lose the
     * client's sender name, the allocations end, the client holds no tier.
     */
    async releaseAll(clientId: string, allocationIds: string[], mailboxIds: string[], now: Date): Promise<void> {
      await db.system.$transaction([
        db.system.mailbox.updateMany({ where: { id: { in: mailboxIds } }, data: { senderName: null } }),
        db.system.resourceAllocation.updateMany({ where: { id: { in: allocationIds } }, data: { releasedAt: now } }),
        db.system.client.update({ where: { id: clientId }, data: { tier: null } }),
      ]);
    },

    /**
     * Ends the open allocations of these resources (a retired domain and its mailboxes): the query
     * itself, for a caller's transaction that changes the resources at the same time.
     */
    releaseResources: (resourceIds: string[], now: Date) =>
      db.system.resourceAllocation.updateMany({ where: { resourceId: { in: resourceIds }, releasedAt: null }, data: { releasedAt: now } }),

    /** The clients that hold any of these resources now. */
    async clientsHolding(resourceIds: string[]): Promise<string[]> {
      const open = await db.system.resourceAllocation.findMany({
        where: { resourceId: { in: resourceIds }, releasedAt: null },
        select: { clientId: true },
      });
      return [...new Set(open.map((a) => a.clientId))];
    },
  };
  return { system };
}
export type Allocations = ReturnType<typeof createAllocations>;
