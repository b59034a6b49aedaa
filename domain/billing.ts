/**
 * Billing state from Stripe events (SYS-005, RP-001, RP-010): how the events of one subscription
 * merge into its state, what a client is entitled to, and what provisioning must do about it.
 *
 * Stripe delivers events at least once and in no guaranteed order. The merge is a join: every
 * field keeps the value of the latest event that carried it (by `created`, ties broken by a
 * status precedence and then the event id), a cancellation is final, and the first payment is
 * the earliest paid event. So any order and any number of repeats of the same events give the
 * same state (property-tested in test/domain/billing.test.ts).
 */
import { BILLING_TIERS, type BillingTier } from './config.js';
import { toMillis, type InstantInput } from './instant.js';

export type BillingEventType =
  | 'checkout_completed'
  | 'invoice_paid'
  | 'invoice_payment_failed'
  | 'subscription_created'
  | 'subscription_updated'
  | 'subscription_deleted';

export interface BillingEvent {
  eventId: string;
  type: BillingEventType;
  created: InstantInput;
  /** Tier of the subscription's price (resolved from the price id or the metadata); null when unknown. */
  tier?: BillingTier | null;
  priceId?: string;
  /** Stripe subscription status carried by subscription events. */
  status?: string;
  /** Checkout: payment_status paid / no_payment_required. */
  paid?: boolean;
  currentPeriodEnd?: InstantInput;
  cancelAtPeriodEnd?: boolean;
}

interface Stamped<T> {
  v: T;
  /** Event created, epoch ms. */
  at: number;
  id: string;
}

/** What is stored per subscription (subscriptions.billing_state). JSON-safe. */
export interface SubscriptionMergeState {
  status?: Stamped<string>;
  tier?: Stamped<BillingTier>;
  priceId?: Stamped<string>;
  periodEnd?: Stamped<number>;
  cancelAtPeriodEnd?: Stamped<boolean>;
  /** Earliest paid event (epoch ms). */
  paidAt?: number;
  /** When the subscription was deleted (event created, epoch ms). */
  canceledAt?: number;
}

/** Statuses that end a subscription for good. */
const TERMINAL = new Set(['canceled', 'incomplete_expired']);
/** Same-second tie-break: the status that says more about payment wins. */
const PRECEDENCE = ['incomplete', 'unpaid', 'past_due', 'trialing', 'active', 'incomplete_expired', 'canceled'];
/** Statuses that keep the client's resources (past_due: Stripe is still retrying the payment). */
export const ENTITLED_STATUSES: ReadonlySet<string> = new Set(['active', 'trialing', 'past_due']);

function later<T>(a: Stamped<T> | undefined, b: Stamped<T> | undefined, rank?: (v: T) => number): Stamped<T> | undefined {
  if (!a) return b;
  if (!b) return a;
  if (a.at !== b.at) return a.at > b.at ? a : b;
  if (rank) {
    const ra = rank(a.v);
    const rb = rank(b.v);
    if (ra !== rb) return ra > rb ? a : b;
  }
  return a.id >= b.id ? a : b;
}

function mergeStatus(a: Stamped<string> | undefined, b: Stamped<string> | undefined): Stamped<string> | undefined {
  // A cancellation is final whatever arrives after it (a deleted subscription never comes back).
  const ta = a && TERMINAL.has(a.v);
  const tb = b && TERMINAL.has(b.v);
  if (ta && !tb) return a;
  if (tb && !ta) return b;
  return later(a, b, (v) => PRECEDENCE.indexOf(v));
}

const minDefined = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));

/** The status an event implies: subscription events carry it; a paid checkout or invoice means active; a failed payment past_due. */
export function impliedStatus(e: BillingEvent): string | undefined {
  switch (e.type) {
    case 'subscription_deleted':
      return 'canceled';
    case 'subscription_created':
    case 'subscription_updated':
      return e.status;
    case 'checkout_completed':
      return e.paid ? 'active' : undefined;
    case 'invoice_paid':
      return 'active';
    case 'invoice_payment_failed':
      return 'past_due';
  }
}

/** The state of one event alone. */
function eventState(e: BillingEvent): SubscriptionMergeState {
  const at = toMillis(e.created);
  const s: SubscriptionMergeState = {};
  const stamp = <T>(v: T): Stamped<T> => ({ v, at, id: e.eventId });
  const status = impliedStatus(e);
  if (status) s.status = stamp(status);
  if (e.tier) s.tier = stamp(e.tier);
  if (e.priceId) s.priceId = stamp(e.priceId);
  if (e.currentPeriodEnd !== undefined) s.periodEnd = stamp(toMillis(e.currentPeriodEnd));
  if (e.cancelAtPeriodEnd !== undefined && e.type !== 'checkout_completed') s.cancelAtPeriodEnd = stamp(e.cancelAtPeriodEnd);
  if ((e.type === 'checkout_completed' && e.paid) || e.type === 'invoice_paid') s.paidAt = at;
  if (e.type === 'subscription_deleted') s.canceledAt = at;
  return s;
}

/** Join of two states: commutative, associative and idempotent (SYS-005). */
export function joinSubscriptionStates(a: SubscriptionMergeState, b: SubscriptionMergeState): SubscriptionMergeState {
  const out: SubscriptionMergeState = {};
  const status = mergeStatus(a.status, b.status);
  if (status) out.status = status;
  const tier = later(a.tier, b.tier, (v) => BILLING_TIERS.indexOf(v));
  if (tier) out.tier = tier;
  const priceId = later(a.priceId, b.priceId);
  if (priceId) out.priceId = priceId;
  const periodEnd = later(a.periodEnd, b.periodEnd, (v) => v);
  if (periodEnd) out.periodEnd = periodEnd;
  const cancel = later(a.cancelAtPeriodEnd, b.cancelAtPeriodEnd, (v) => (v ? 1 : 0));
  if (cancel) out.cancelAtPeriodEnd = cancel;
  const paidAt = minDefined(a.paidAt, b.paidAt);
  if (paidAt !== undefined) out.paidAt = paidAt;
  const canceledAt = minDefined(a.canceledAt, b.canceledAt);
  if (canceledAt !== undefined) out.canceledAt = canceledAt;
  return out;
}

/** Apply one Stripe event to a subscription's state; a repeat or an older event changes nothing it should not (SYS-005). */
export function applyBillingEvent(state: SubscriptionMergeState | null | undefined, event: BillingEvent): SubscriptionMergeState {
  return joinSubscriptionStates(state ?? {}, eventState(event));
}

export interface SubscriptionView {
  status: string | null;
  tier: BillingTier | null;
  priceId: string | null;
  periodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  paidAt: Date | null;
  canceledAt: Date | null;
  /** Paid, with a known tier, in a status that keeps resources. */
  entitled: boolean;
}

/** The readable view of a merged state (RP-001, SYS-005). */
export function subscriptionView(s: SubscriptionMergeState): SubscriptionView {
  const status = s.status?.v ?? null;
  const tier = s.tier?.v ?? null;
  const paidAt = s.paidAt !== undefined ? new Date(s.paidAt) : null;
  return {
    status,
    tier,
    priceId: s.priceId?.v ?? null,
    periodEnd: s.periodEnd ? new Date(s.periodEnd.v) : null,
    cancelAtPeriodEnd: s.cancelAtPeriodEnd?.v ?? false,
    paidAt,
    canceledAt: s.canceledAt !== undefined ? new Date(s.canceledAt) : null,
    entitled: tier !== null && paidAt !== null && status !== null && ENTITLED_STATUSES.has(status),
  };
}

export interface ClientEntitlement {
  /** The highest tier among the client's entitled subscriptions; null when none. */
  tier: BillingTier | null;
  /** Period end of the subscription giving that tier (downgrades wait for it). */
  periodEnd: Date | null;
  /** Had a paid subscription, has none entitled now, and at least one was cancelled (RP-010). */
  churned: boolean;
  /** The latest cancellation among the client's subscriptions. */
  cancelledAt: Date | null;
}

export const tierRank = (t: BillingTier | null | undefined): number => (t ? BILLING_TIERS.indexOf(t) : -1);

/** What the client is entitled to over all its subscriptions (SYS-005, RP-010). */
export function clientEntitlement(subs: readonly SubscriptionView[]): ClientEntitlement {
  let best: SubscriptionView | null = null;
  for (const s of subs) if (s.entitled && (!best || tierRank(s.tier) > tierRank(best.tier))) best = s;
  let cancelledAt: Date | null = null;
  for (const s of subs) if (s.canceledAt && (!cancelledAt || s.canceledAt > cancelledAt)) cancelledAt = s.canceledAt;
  const everPaid = subs.some((s) => s.paidAt !== null);
  return {
    tier: best?.tier ?? null,
    periodEnd: best?.periodEnd ?? null,
    churned: !best && everPaid && cancelledAt !== null,
    cancelledAt,
  };
}

export type ProvisioningAction =
  | { kind: 'none' }
  | { kind: 'allocate'; tier: BillingTier }
  | { kind: 'downgrade_at_period_end'; tier: BillingTier; at: Date }
  | { kind: 'churn'; cancelledAt: Date };

/**
 * What provisioning does now, from the tier the client holds and what it is entitled to:
 * nothing held and entitled -> allocate; a higher tier -> allocate at once (upgrade); a lower
 * tier -> at the end of the period (downgrade; at once when the period end is unknown or past);
 * nothing entitled after a cancellation -> churn (RP-001, SYS-005, RP-010).
 */
export function provisioningAction(held: BillingTier | null, entitlement: ClientEntitlement, now: InstantInput): ProvisioningAction {
  const want = entitlement.tier;
  if (want === null) {
    return entitlement.churned && entitlement.cancelledAt ? { kind: 'churn', cancelledAt: entitlement.cancelledAt } : { kind: 'none' };
  }
  if (held === null || tierRank(want) > tierRank(held)) return { kind: 'allocate', tier: want };
  if (tierRank(want) < tierRank(held)) {
    const end = entitlement.periodEnd;
    if (end && end.getTime() > toMillis(now)) return { kind: 'downgrade_at_period_end', tier: want, at: end };
    return { kind: 'allocate', tier: want };
  }
  // Same tier: allocate again is a no-op when complete, and completes a partial allocation.
  return { kind: 'allocate', tier: want };
}
