/**
 * The pool's buffer per resource type (RP-002, RP-003), on the system path: ready and
 * unallocated, allocated, and pending (bought, not ready yet). What the pool monitor acts on and
 * what the admin dashboard shows.
 */
import type { Db } from '../../db/client.js';
import { bufferStatus, RESOURCE_TYPES, type BufferInput, type DomainConfig, type ResourceType } from '../../domain/index.js';
import type { Allocations } from '../allocations.js';

const DAY_MS = 86_400_000;
/** A seat request's hosted-auth link is valid this long: until then it counts as on its way. */
export const SEAT_LINK_DAYS = 7;

export interface TypeBuffer {
  readyUnallocated: number;
  allocated: number;
  pending: number;
  /** round(100 x readyUnallocated / allocated); null when nothing is allocated. */
  bufferPercent: number | null;
  level: 'ok' | 'warning' | 'critical';
  /** How many to buy to bring the buffer back to the target, counting what is pending. */
  shortfall: number;
}

export function createPoolMeasure(db: Db, deps: { allocations: Allocations; config: DomainConfig }) {
  const system = {
    /** Ready-and-unallocated, allocated and pending per resource type. */
    async measure(nowMs: number): Promise<Record<ResourceType, BufferInput>> {
      const held = deps.allocations.system;
      const [aDomains, aMailboxes, aNumbers, aSeats] = await Promise.all([
        held.holders('domain'),
        held.holders('mailbox'),
        held.holders('phone_number'),
        held.holders('linkedin_seat'),
      ]);
      const live = { status: { not: 'retired' as const } };
      const domains = await db.system.domain.findMany({ where: live, select: { id: true, status: true } });
      const mailboxes = await db.system.mailbox.findMany({
        where: live,
        select: { id: true, status: true, domain: { select: { status: true } } },
      });
      const numbers = await db.system.phoneNumber.findMany({ where: live, select: { id: true, status: true } });
      const seats = await db.system.linkedInSeat.findMany({ where: live, select: { id: true, status: true, health: true } });
      const pendingPurchases = await db.system.poolPurchase.groupBy({
        by: ['resourceType'],
        where: { status: { in: ['requested', 'awaiting_operator'] }, createdAt: { gt: new Date(nowMs - SEAT_LINK_DAYS * DAY_MS) } },
        _count: true,
      });
      const pendingOf = (t: string) => pendingPurchases.find((p) => p.resourceType === t)?._count ?? 0;
      const pending = (s: string) => s === 'purchasing' || s === 'warming';
      return {
        domains: {
          readyUnallocated: domains.filter((d) => d.status === 'ready' && !aDomains.has(d.id)).length,
          allocated: domains.filter((d) => aDomains.has(d.id)).length,
          pending: domains.filter((d) => pending(d.status)).length,
        },
        mailboxes: {
          readyUnallocated: mailboxes.filter((m) => m.status === 'ready' && m.domain.status === 'ready' && !aMailboxes.has(m.id)).length,
          allocated: mailboxes.filter((m) => aMailboxes.has(m.id)).length,
          pending: mailboxes.filter((m) => pending(m.status)).length,
        },
        phoneNumbers: {
          readyUnallocated: numbers.filter((n) => n.status === 'ready' && !aNumbers.has(n.id)).length,
          allocated: numbers.filter((n) => aNumbers.has(n.id)).length,
          pending: pendingOf('phone_number'),
        },
        linkedinSeats: {
          readyUnallocated: seats.filter((s) => s.status === 'ready' && s.health === 'ok' && !aSeats.has(s.id)).length,
          allocated: seats.filter((s) => aSeats.has(s.id)).length,
          pending: seats.filter((s) => pending(s.status)).length + pendingOf('linkedin_seat'),
        },
      };
    },

    /** The buffer of every type now with its level and shortfall, and the purchases on their way (the admin view). */
    async overview(nowMs: number) {
      const [measured, openPurchases, awaiting] = await Promise.all([
        system.measure(nowMs),
        db.system.poolPurchase.count({ where: { status: { in: ['requested', 'bought', 'awaiting_operator'] } } }),
        db.system.poolPurchase.findMany({
          where: { status: 'awaiting_operator' },
          orderBy: { createdAt: 'asc' },
          select: { tag: true, details: true },
        }),
      ]);
      const types = {} as Record<ResourceType, TypeBuffer>;
      for (const t of RESOURCE_TYPES) {
        const b = measured[t];
        const s = bufferStatus(b, deps.config);
        types[t] = {
          readyUnallocated: b.readyUnallocated,
          allocated: b.allocated,
          pending: b.pending ?? 0,
          bufferPercent: b.allocated > 0 ? Math.round((100 * b.readyUnallocated) / b.allocated) : null,
          level: s.level,
          shortfall: s.shortfall,
        };
      }
      const awaitingOperator = awaiting.flatMap((p) => {
        const d = (p.details ?? {}) as Record<string, unknown>;
        return typeof d.url === 'string'
          ? [{ tag: p.tag, url: d.url, expiresAt: typeof d.expiresAt === 'string' ? d.expiresAt : null }]
          : [];
      });
      return { types, purchases: { open: openPurchases, awaitingOperator } };
    },
  };
  return { system };
}
