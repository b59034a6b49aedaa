/**
 * Stripe subscriptions of the clients (SYS-005, system path: Stripe events arrive before anyone
 * knows the tenant). Each event is merged into its subscription's billing state under a row lock
 * (domain/billing.ts: any order, any repeats, the same state); the columns are that state's view.
 */
import type { Db } from '../db/client.js';
import { toDbTier } from '../db/tiers.js';
import { applyBillingEvent, subscriptionView, type SubscriptionMergeState, type SubscriptionView } from '../domain/billing.js';
import type { BillingEventSignal } from '../domain/processes.js';
import { Forbidden } from '../domain/failures.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createSubscriptions(db: Db) {
  const subscriptions = db.system.subscription;
  return {
    system: {
      /** Merges one event into its subscription (created on first sight) and returns the subscription's view. */
      async merge(clientId: string, e: BillingEventSignal & { subscriptionId: string }): Promise<SubscriptionView> {
        const subId = e.subscriptionId;
        return db.system.$transaction(async (tx) => {
          await tx.$executeRaw`INSERT INTO subscriptions (id, client_id, stripe_subscription_id, stripe_customer_id, status, updated_at)
            VALUES (gen_random_uuid(), ${clientId}::uuid, ${subId}, ${e.customerId ?? null}, 'unknown', now())
            ON CONFLICT (stripe_subscription_id) DO NOTHING`;
          const [row] = await tx.$queryRaw<
            { id: string; client_id: string; billing_state: SubscriptionMergeState; last_event_at: Date | null }[]
          >`
            SELECT id, client_id, billing_state, last_event_at FROM subscriptions WHERE stripe_subscription_id = ${subId} FOR UPDATE`;
          if (!row) throw new Error(`subscription ${subId} vanished`);
          if (row.client_id !== clientId) throw new Forbidden(`subscription ${subId} belongs to another client`);
          const state = applyBillingEvent(row.billing_state, { ...e, tier: e.tier ?? null });
          const v = subscriptionView(state);
          const created = new Date(e.created);
          await tx.subscription.update({
            where: { id: row.id },
            data: {
              billingState: state as object,
              status: v.status ?? 'unknown',
              tier: v.tier ? toDbTier(v.tier) : null,
              stripePriceId: v.priceId,
              currentPeriodEnd: v.periodEnd,
              cancelAtPeriodEnd: v.cancelAtPeriodEnd,
              paidAt: v.paidAt,
              lastEventAt: row.last_event_at && row.last_event_at > created ? row.last_event_at : created,
              ...(e.customerId ? { stripeCustomerId: e.customerId } : {}),
            },
          });
          return v;
        });
      },

      /** The views of every subscription of the client (what it is entitled to). */
      async views(clientId: string): Promise<SubscriptionView[]> {
        const subs = await subscriptions.findMany({ where: { clientId } });
        return subs.map((s) => subscriptionView(s.billingState as SubscriptionMergeState));
      },

      /** The client's subscriptions, oldest first (the billing views). */
      list: (clientId: string) => subscriptions.findMany({ where: { clientId }, orderBy: { createdAt: 'asc' } }),

      /** The Stripe customer of the client's latest subscription that has one. */
      async customerOf(clientId: string): Promise<string | null> {
        const sub = await subscriptions.findFirst({ where: { clientId, stripeCustomerId: { not: null } }, orderBy: { createdAt: 'desc' } });
        return sub?.stripeCustomerId ?? null;
      },

      /**
       * The client a Stripe event is about: the checkout's client id (when it exists), else the owner
       * of the subscription or customer already on record; null when none is known yet.
       */
      async clientOf(f: { clientId?: string; subscriptionId?: string; customerId?: string }): Promise<string | null> {
        if (f.clientId && UUID.test(f.clientId)) {
          const c = await db.system.client.findUnique({ where: { id: f.clientId }, select: { id: true } });
          if (c) return c.id;
        }
        if (f.subscriptionId) {
          const s = await subscriptions.findUnique({ where: { stripeSubscriptionId: f.subscriptionId }, select: { clientId: true } });
          if (s) return s.clientId;
        }
        if (f.customerId) {
          const s = await subscriptions.findFirst({ where: { stripeCustomerId: f.customerId }, select: { clientId: true } });
          if (s) return s.clientId;
        }
        return null;
      },
    },
  };
}
export type Subscriptions = ReturnType<typeof createSubscriptions>;
