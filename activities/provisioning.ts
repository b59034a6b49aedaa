/**
 * Client lifecycle activities (SYS-005, RP-001, RP-010, LI-001): Stripe events merged into the
 * subscription (out-of-order safe, domain/billing.ts), the provisioning decision, allocation and
 * release of pool resources, and the churn hold's pause / resume / release.
 */
import type { Db } from '../db/client.js';
import type { Prisma } from '../generated/prisma/client.js';
import {
  allocateCounts,
  applyBillingEvent as mergeBillingEvent,
  churnReleaseAt,
  clientEntitlement,
  defaultDomainConfig,
  provisioningAction,
  releaseExcess,
  RESOURCE_TYPES,
  seatAgeDays,
  subscriptionView,
  tierResources,
  type BillingTier,
  type DomainConfig,
  type PoolResource,
  type ResourceCounts,
  type ResourceType,
  type SubscriptionMergeState,
} from '../domain/index.js';
import type { BillingEventSignal, PoolCounts } from '../workflows/contracts.js';
import type { SeatProvider } from '../providers/ports.js';
import type { AlertService } from './alerts.js';
import type { WorkflowGateway } from './workflow-gateway.js';
import { DB_RESOURCE_TYPE } from '../db/resource-types.js';

export interface ProvisioningDeps {
  db: Db;
  alerts: AlertService;
  gateway: WorkflowGateway;
  seats: SeatProvider;
  domainConfig?: DomainConfig;
}

type DbTier = 'ignition' | 'velocity' | 'dominance';
export const toDbTier = (t: BillingTier): DbTier => t.toLowerCase() as DbTier;
export const fromDbTier = (t: string | null | undefined): BillingTier | null =>
  t ? ((t[0]!.toUpperCase() + t.slice(1)) as BillingTier) : null;

const ALLOCATION_LOCK = 'agency-os:pool-allocation';
const zero = (): ResourceCounts => ({ domains: 0, mailboxes: 0, phoneNumbers: 0, linkedinSeats: 0 });

export type ProvisioningPlan =
  | { kind: 'none' }
  | { kind: 'allocate'; tier: BillingTier }
  | { kind: 'downgrade_at_period_end'; tier: BillingTier; at: string }
  | { kind: 'churn'; cancelledAt: string };

export function createProvisioningActivities(deps: ProvisioningDeps) {
  const { db, alerts, gateway } = deps;
  const config = deps.domainConfig ?? defaultDomainConfig;

  /** The client's resources (open allocations) and the pool's available ones, as PoolResources. */
  async function resources(tx: Prisma.TransactionClient, clientId: string, nowMs: number) {
    const open = await tx.resourceAllocation.findMany({
      where: { releasedAt: null },
      select: { clientId: true, resourceType: true, resourceId: true },
    });
    const past = await tx.resourceAllocation.groupBy({ by: ['resourceId'], where: { releasedAt: { not: null } }, _count: true });
    const load = new Map(past.map((p) => [p.resourceId, p._count]));
    const takenBy = new Map(open.map((a) => [a.resourceId, a.clientId]));
    const held = { domains: [], mailboxes: [], phoneNumbers: [], linkedinSeats: [] } as Record<ResourceType, PoolResource[]>;
    const available = { domains: [], mailboxes: [], phoneNumbers: [], linkedinSeats: [] } as Record<ResourceType, PoolResource[]>;
    const place = (type: ResourceType, r: PoolResource, ready: boolean) => {
      const owner = takenBy.get(r.id);
      if (owner === clientId) held[type].push(r);
      else if (!owner && ready) available[type].push(r);
    };
    for (const d of await tx.domain.findMany({ where: { status: { not: 'retired' } } })) {
      place(
        'domains',
        { id: d.id, warmed: d.status === 'ready', reputation: d.heatScore ?? 0, load: load.get(d.id) ?? 0, createdAt: d.createdAt },
        d.status === 'ready' && d.healthClass !== 'critical',
      );
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
      place(
        'linkedinSeats',
        { id: s.id, warmed, reputation: Math.round((s.acceptRate ?? 0.3) * 100), load: load.get(s.id) ?? 0, createdAt: s.createdAt },
        s.status === 'ready' && s.health === 'ok',
      );
    }
    return { held, available };
  }

  return {
    /**
     * Merge one Stripe event into its subscription under a row lock (SYS-005): repeats and
     * reordered events give the same state. A failed payment raises an alert; a paid invoice
     * resolves it. An unknown price raises an alert (nothing can be allocated for it).
     */
    async applyBillingEvent(input: {
      version: 1;
      clientId: string;
      event: BillingEventSignal;
    }): Promise<{ applied: boolean; status: string | null; tier: BillingTier | null }> {
      const e = input.event;
      if (!e.subscriptionId) return { applied: false, status: null, tier: null };
      const subId = e.subscriptionId;
      const view = await db.system.$transaction(async (tx) => {
        await tx.$executeRaw`INSERT INTO subscriptions (id, client_id, stripe_subscription_id, stripe_customer_id, status, updated_at)
          VALUES (gen_random_uuid(), ${input.clientId}::uuid, ${subId}, ${e.customerId ?? null}, 'unknown', now())
          ON CONFLICT (stripe_subscription_id) DO NOTHING`;
        const [row] = await tx.$queryRaw<
          { id: string; client_id: string; billing_state: SubscriptionMergeState; last_event_at: Date | null }[]
        >`
          SELECT id, client_id, billing_state, last_event_at FROM subscriptions WHERE stripe_subscription_id = ${subId} FOR UPDATE`;
        if (!row) throw new Error(`subscription ${subId} vanished`);
        if (row.client_id !== input.clientId) throw new Error(`subscription ${subId} belongs to another client`);
        const state = mergeBillingEvent(row.billing_state, { ...e, tier: e.tier ?? null });
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
      const at = new Date(e.created);
      if (e.priceId && e.tier === null) {
        await alerts.raise(
          {
            kind: 'billing_unknown_price',
            severity: 'critical',
            clientId: input.clientId,
            dedupeKey: `billing:unknown-price:${e.priceId}`,
            message: `Stripe price ${e.priceId} maps to no tier: nothing can be allocated for subscription ${subId}`,
            data: { priceId: e.priceId, subscriptionId: subId },
          },
          at,
        );
      }
      if (e.type === 'invoice_payment_failed') {
        await alerts.raise(
          {
            kind: 'billing_payment_failed',
            severity: 'warning',
            clientId: input.clientId,
            dedupeKey: `billing:payment-failed:${subId}`,
            message: `A payment failed for subscription ${subId}; Stripe retries it, resources stay allocated meanwhile`,
            data: { subscriptionId: subId },
          },
          at,
        );
      }
      if (e.type === 'invoice_paid') await alerts.resolve([`billing:payment-failed:${subId}`], at);
      return { applied: true, status: view.status, tier: view.tier };
    },

    /** What provisioning does now (domain/billing.ts provisioningAction), and whether a churn hold may need a reactivation. */
    async provisioningPlan(input: {
      version: 1;
      clientId: string;
      nowMs: number;
    }): Promise<{ plan: ProvisioningPlan; held: BillingTier | null; entitled: BillingTier | null; recentlyCancelled: boolean }> {
      const client = await db.system.client.findUniqueOrThrow({ where: { id: input.clientId } });
      const subs = await db.system.subscription.findMany({ where: { clientId: input.clientId } });
      const views = subs.map((s) => subscriptionView(s.billingState as SubscriptionMergeState));
      const ent = clientEntitlement(views);
      const held = fromDbTier(client.tier);
      const a = provisioningAction(held, ent, input.nowMs);
      const plan: ProvisioningPlan =
        a.kind === 'downgrade_at_period_end'
          ? { kind: a.kind, tier: a.tier, at: a.at.toISOString() }
          : a.kind === 'churn'
            ? { kind: 'churn', cancelledAt: a.cancelledAt.toISOString() }
            : a;
      const recentlyCancelled = ent.cancelledAt !== null && churnReleaseAt(ent.cancelledAt, config).getTime() > input.nowMs;
      return { plan, held, entitled: ent.tier, recentlyCancelled };
    },

    /**
     * Bring the client's allocation to its tier (RP-001, LI-001): add what is missing from the
     * pool in allocation order (mailboxes on the client's own domains first), give back what
     * exceeds it (a downgrade). Serialised over the whole pool by one advisory lock, so two
     * clients never get the same resource. Returns what the pool could not provide.
     */
    async allocateClientResources(input: {
      version: 1;
      clientId: string;
      tier: BillingTier;
      nowMs: number;
    }): Promise<{ complete: boolean; missing: PoolCounts; added: PoolCounts; released: PoolCounts }> {
      const want = tierResources(input.tier, config);
      const now = new Date(input.nowMs);
      return db.system.$transaction(
        async (tx) => {
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${ALLOCATION_LOCK}))`;
          const { held, available } = await resources(tx, input.clientId, input.nowMs);
          const need = zero();
          for (const t of RESOURCE_TYPES) need[t] = Math.max(0, want[t] - held[t].length);
          const pick = allocateCounts(
            need,
            available,
            held.domains.map((d) => d.id),
          );
          const drop = releaseExcess(held, want);
          const added = zero();
          const released = zero();
          for (const t of RESOURCE_TYPES) {
            if (pick.picked[t].length) {
              await tx.resourceAllocation.createMany({
                data: pick.picked[t].map((resourceId) => ({
                  clientId: input.clientId,
                  resourceType: DB_RESOURCE_TYPE[t],
                  resourceId,
                  allocatedAt: now,
                })),
              });
            }
            added[t] = pick.picked[t].length;
            if (drop[t].length) {
              const r = await tx.resourceAllocation.updateMany({
                where: { clientId: input.clientId, resourceId: { in: drop[t] }, releasedAt: null },
                data: { releasedAt: now },
              });
              released[t] = r.count;
            }
          }
          await tx.client.update({ where: { id: input.clientId }, data: { tier: toDbTier(input.tier), status: 'active' } });
          const complete = RESOURCE_TYPES.every((t) => pick.missing[t] === 0);
          return { complete, missing: pick.missing, added, released };
        },
        { timeout: 30_000 },
      );
    },

    /**
     * Churn, first step (RP-010): the client is marked churned, its allocations are held until
     * the release date, and every running lead sequence of the client is paused at once.
     */
    async pauseClientSequences(input: { version: 1; clientId: string; releaseAt: string }): Promise<{ paused: number }> {
      await db.system.client.update({ where: { id: input.clientId }, data: { status: 'churned' } });
      await db.system.resourceAllocation.updateMany({
        where: { clientId: input.clientId, releasedAt: null },
        data: { holdUntil: new Date(input.releaseAt) },
      });
      const leads = await db.system.lead.findMany({
        where: { clientId: input.clientId, sequenceWorkflowId: { not: null }, status: 'in_sequence' },
        select: { sequenceWorkflowId: true },
      });
      let paused = 0;
      for (const l of leads) {
        if ((await gateway.signal(l.sequenceWorkflowId!, 'pause', [{ reason: 'client_churned' }])) === 'signalled') paused++;
      }
      return { paused };
    },

    /** A reactivation inside the hold (RP-010): the client is active again, its holds cleared, its sequences resumed. */
    async resumeClientSequences(input: { version: 1; clientId: string }): Promise<{ resumed: number }> {
      await db.system.client.update({ where: { id: input.clientId }, data: { status: 'active' } });
      await db.system.resourceAllocation.updateMany({ where: { clientId: input.clientId, releasedAt: null }, data: { holdUntil: null } });
      const leads = await db.system.lead.findMany({
        where: { clientId: input.clientId, sequenceWorkflowId: { not: null }, status: 'in_sequence' },
        select: { sequenceWorkflowId: true },
      });
      let resumed = 0;
      for (const l of leads) {
        if ((await gateway.signal(l.sequenceWorkflowId!, 'resume', [])) === 'signalled') resumed++;
      }
      return { resumed };
    },

    /**
     * The end of the hold (RP-010): every resource the client still holds goes back to the
     * pool, cleaned: mailboxes lose the client's sender name, the client's pending LinkedIn
     * invitations are withdrawn at Unipile; the client's paused sequences are cancelled.
     * Idempotent: a second call releases nothing more.
     */
    async releaseClientResources(input: {
      version: 1;
      clientId: string;
      nowMs: number;
    }): Promise<{ released: PoolCounts; sequencesCancelled: number; invitationsWithdrawn: number }> {
      const now = new Date(input.nowMs);
      const open = await db.system.resourceAllocation.findMany({ where: { clientId: input.clientId, releasedAt: null } });
      const released = zero();
      for (const t of RESOURCE_TYPES) released[t] = open.filter((a) => a.resourceType === DB_RESOURCE_TYPE[t]).length;
      const seatIds = open.filter((a) => a.resourceType === 'linkedin_seat').map((a) => a.resourceId);
      const pending = seatIds.length
        ? await db.system.linkedInInvitation.findMany({ where: { clientId: input.clientId, seatId: { in: seatIds }, state: 'pending' } })
        : [];
      const seats = new Map((await db.system.linkedInSeat.findMany({ where: { id: { in: seatIds } } })).map((s) => [s.id, s.accountRef]));
      let invitationsWithdrawn = 0;
      for (const inv of pending) {
        if (inv.invitationRef) await deps.seats.cancelInvitation(seats.get(inv.seatId)!, inv.invitationRef);
        await db.system.linkedInInvitation.update({ where: { id: inv.id }, data: { state: 'withdrawn' } });
        invitationsWithdrawn++;
      }
      const mailboxIds = open.filter((a) => a.resourceType === 'mailbox').map((a) => a.resourceId);
      await db.system.$transaction([
        db.system.mailbox.updateMany({ where: { id: { in: mailboxIds } }, data: { senderName: null } }),
        db.system.resourceAllocation.updateMany({ where: { id: { in: open.map((a) => a.id) } }, data: { releasedAt: now } }),
        db.system.client.update({ where: { id: input.clientId }, data: { tier: null } }),
      ]);
      const leads = await db.system.lead.findMany({
        where: { clientId: input.clientId, sequenceWorkflowId: { not: null }, status: 'in_sequence' },
        select: { sequenceWorkflowId: true },
      });
      let sequencesCancelled = 0;
      for (const l of leads) if ((await gateway.cancel(l.sequenceWorkflowId!)) === 'cancelled') sequencesCancelled++;
      return { released, sequencesCancelled, invitationsWithdrawn };
    },
  };
}
