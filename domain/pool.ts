/**
 * Resource pool and billing (RP-001, RP-003, RP-004, RP-005, SYS-005): resources per billing tier,
 * buffer per resource type with its alert level and the shortfall to buy, allocation order, and
 * tier changes.
 */
import { BILLING_TIERS, defaultDomainConfig, type BillingTier, type DomainConfig } from './config.js';
import { toMillis, type InstantInput } from './instant.js';

export const RESOURCE_TYPES = ['domains', 'mailboxes', 'phoneNumbers', 'linkedinSeats'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];
export type ResourceCounts = Record<ResourceType, number>;

/** Resources a billing tier gets: Ignition 3/6/1/4, Velocity 5/10/2/7, Dominance 9/18/3/14 (domains/mailboxes/numbers/seats) (SYS-005, RP-001). */
export function tierResources(tier: BillingTier, config: DomainConfig = defaultDomainConfig): ResourceCounts {
  const t = config.pool.tiers[tier];
  return { domains: t.domains, mailboxes: t.mailboxes, phoneNumbers: t.phoneNumbers, linkedinSeats: t.linkedinSeats };
}

/** The billing tier of a Stripe price id, from configuration; null when unknown (SYS-005). */
export function tierForStripePrice(priceId: string, config: DomainConfig = defaultDomainConfig): BillingTier | null {
  return config.pool.stripePriceTiers[priceId] ?? null;
}

export type BufferLevel = 'ok' | 'warning' | 'critical';

export interface BufferInput {
  /** Ready (warmed/provisioned) and not allocated to any client. */
  readyUnallocated: number;
  /** Allocated to clients. */
  allocated: number;
  /** Bought but not ready yet (e.g. warming domains): counts toward the shortfall, not the buffer. */
  pending?: number;
}

export interface BufferStatus {
  /** readyUnallocated / allocated; Infinity when nothing is allocated. */
  buffer: number;
  level: BufferLevel;
  /** How many to buy so that (ready + pending + shortfall) / allocated >= 40%. */
  shortfall: number;
}

/**
 * Buffer of one resource type = ready-and-unallocated / allocated. Under 40%: warning (alert and
 * buy); under 20%: critical. Shortfall = max(0, ceil(40% x allocated) - ready - pending): the
 * smallest purchase that brings the buffer back to 40% counting what is already on its way.
 * With nothing allocated the buffer is Infinity (level ok, shortfall 0) (RP-003, RP-004).
 */
export function bufferStatus(input: BufferInput, config: DomainConfig = defaultDomainConfig): BufferStatus {
  const ready = Math.max(0, input.readyUnallocated);
  const allocated = Math.max(0, input.allocated);
  const pending = Math.max(0, input.pending ?? 0);
  const p = config.pool;
  if (allocated === 0) return { buffer: Number.POSITIVE_INFINITY, level: 'ok', shortfall: 0 };
  // Percent comparisons in integer arithmetic (ready * 100 vs pct * allocated) avoid 0.4 * n rounding.
  const level: BufferLevel =
    ready * 100 < p.bufferCriticalPercent * allocated ? 'critical' : ready * 100 < p.bufferWarningPercent * allocated ? 'warning' : 'ok';
  const target = Math.ceil((p.bufferTargetPercent * allocated) / 100 - 1e-9);
  const shortfall = level === 'ok' ? 0 : Math.max(0, target - ready - pending);
  return { buffer: ready / allocated, level, shortfall };
}

/**
 * What to buy for the whole pool: domains enough for both the domain and the mailbox shortfall
 * (2 mailboxes per domain, RP-005), numbers and seats as short (RP-004, RP-007, RP-008).
 */
export function purchasePlan(
  pool: Record<ResourceType, BufferInput>,
  config: DomainConfig = defaultDomainConfig,
): { domains: number; mailboxes: number; phoneNumbers: number; linkedinSeats: number; levels: Record<ResourceType, BufferLevel> } {
  const s = {} as Record<ResourceType, BufferStatus>;
  for (const t of RESOURCE_TYPES) s[t] = bufferStatus(pool[t], config);
  const per = config.email.mailboxesPerDomain;
  const domains = Math.max(s.domains.shortfall, Math.ceil(s.mailboxes.shortfall / per));
  return {
    domains,
    mailboxes: domains * per,
    phoneNumbers: s.phoneNumbers.shortfall,
    linkedinSeats: s.linkedinSeats.shortfall,
    levels: {
      domains: s.domains.level,
      mailboxes: s.mailboxes.level,
      phoneNumbers: s.phoneNumbers.level,
      linkedinSeats: s.linkedinSeats.level,
    },
  };
}

export interface PoolResource {
  id: string;
  /** Warmed / ready for cold use. */
  warmed: boolean;
  /** Higher is better (e.g. heat score, health). */
  reputation: number;
  /** Lower is better (e.g. clients served before, utilisation). */
  load: number;
  createdAt: InstantInput;
  /** For mailboxes: their domain. */
  domainId?: string;
}

/** Allocation order comparator: warmed first, then better reputation, then less loaded, then oldest, then id (RP-001, SYS-005). */
export function compareForAllocation(a: PoolResource, b: PoolResource): number {
  if (a.warmed !== b.warmed) return a.warmed ? -1 : 1;
  if (a.reputation !== b.reputation) return b.reputation - a.reputation;
  if (a.load !== b.load) return a.load - b.load;
  const ca = toMillis(a.createdAt);
  const cb = toMillis(b.createdAt);
  if (ca !== cb) return ca - cb;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The resources sorted in allocation order (a new array) (RP-001, SYS-005). */
export function allocationOrder<T extends PoolResource>(resources: readonly T[]): T[] {
  return [...resources].sort(compareForAllocation);
}

export interface AllocationResult {
  picked: Record<ResourceType, string[]>;
  /** How many of each type the pool could not provide (to buy for this client). */
  missing: ResourceCounts;
}

/**
 * Pick `want` resources of each type from the available (ready, unallocated) pool in allocation
 * order; mailboxes on the preferred domains (the client's own, and the domains just picked)
 * come first so a client's mailboxes sit on its own domains (RP-001, SYS-005, LI-001).
 */
export function allocateCounts(
  want: ResourceCounts,
  available: Record<ResourceType, readonly PoolResource[]>,
  preferDomainIds: readonly string[] = [],
): AllocationResult {
  const picked = {} as Record<ResourceType, string[]>;
  const missing = {} as ResourceCounts;
  for (const type of RESOURCE_TYPES) {
    let ordered = allocationOrder(available[type]);
    if (type === 'mailboxes') {
      const mine = new Set([...preferDomainIds, ...picked.domains]);
      ordered = [
        ...ordered.filter((m) => m.domainId && mine.has(m.domainId)),
        ...ordered.filter((m) => !(m.domainId && mine.has(m.domainId))),
      ];
    }
    const n = Math.max(0, want[type]);
    picked[type] = ordered.slice(0, n).map((r) => r.id);
    missing[type] = n - picked[type].length;
  }
  return { picked, missing };
}

/** Pick a whole tier's resources from the available pool (RP-001, SYS-005, LI-001). */
export function allocateForTier(
  tier: BillingTier,
  available: Record<ResourceType, readonly PoolResource[]>,
  config: DomainConfig = defaultDomainConfig,
): AllocationResult {
  return allocateCounts(tierResources(tier, config), available);
}

/**
 * What a client gives back when it holds more than `want` (a downgrade at period end): the
 * last in allocation order first; the mailboxes of a released domain go with it (RP-001).
 */
export function releaseExcess(held: Record<ResourceType, readonly PoolResource[]>, want: ResourceCounts): Record<ResourceType, string[]> {
  const out = {} as Record<ResourceType, string[]>;
  for (const type of RESOURCE_TYPES) {
    const excess = Math.max(0, held[type].length - Math.max(0, want[type]));
    const worstFirst = allocationOrder(held[type]).reverse();
    if (type === 'mailboxes') {
      const gone = new Set(out.domains);
      worstFirst.sort((a, b) => Number(Boolean(b.domainId && gone.has(b.domainId))) - Number(Boolean(a.domainId && gone.has(a.domainId))));
    }
    out[type] = worstFirst.slice(0, excess).map((r) => r.id);
  }
  return out;
}

export interface TierChange {
  direction: 'upgrade' | 'downgrade' | 'same';
  /** Upgrades at once (now); downgrades at the end of the billing period. */
  effectiveAt: Date;
  /** Per-type difference to allocate (positive) or release (negative). */
  delta: ResourceCounts;
}

/** A tier change: upgrades apply at once, downgrades at the end of the period (RP-001, SYS-005). */
export function tierChange(
  from: BillingTier,
  to: BillingTier,
  now: InstantInput,
  periodEnd: InstantInput,
  config: DomainConfig = defaultDomainConfig,
): TierChange {
  const a = tierResources(from, config);
  const b = tierResources(to, config);
  const delta = {} as ResourceCounts;
  for (const t of RESOURCE_TYPES) delta[t] = b[t] - a[t];
  const rank = (t: BillingTier) => BILLING_TIERS.indexOf(t);
  const direction = rank(to) > rank(from) ? 'upgrade' : rank(to) < rank(from) ? 'downgrade' : 'same';
  return { direction, effectiveAt: new Date(toMillis(direction === 'downgrade' ? periodEnd : now)), delta };
}
