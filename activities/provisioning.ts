/**
 * Client lifecycle activities (SYS-005, RP-001, RP-010, LI-001): Stripe events merged into the
 * subscription (out-of-order safe, domain/billing.ts), the provisioning decision, allocation and
 * release of pool resources, and the churn hold's pause / resume / release.
 */
import { fromDbTier } from '../db/tiers.js';
import { churnReleaseAt, clientEntitlement, provisioningAction, RESOURCE_TYPES, type BillingTier } from '../domain/index.js';
import { DB_RESOURCE_TYPE } from '../db/resource-types.js';
import { NotFound } from '../domain/failures.js';
import { SIGNAL_NAMES, type BillingEventSignal, type PoolCounts } from '../domain/processes.js';
import type { SeatProvider } from '../providers/ports.js';
import type { Services } from '../services/index.js';
import { zeroCounts } from '../services/allocations.js';

export interface ProvisioningDeps {
  services: Services;
  seats: SeatProvider;
}

export type ProvisioningPlan =
  | { kind: 'none' }
  | { kind: 'allocate'; tier: BillingTier }
  | { kind: 'downgrade_at_period_end'; tier: BillingTier; at: string }
  | { kind: 'churn'; cancelledAt: string };

export function createProvisioningActivities({ services, seats }: ProvisioningDeps) {
  const { alerts, allocations, clients, subscriptions, linkedin, leads, people, gateway, domainConfig: config } = services;

  /** Signals every running sequence of the client; returns how many were running. */
  async function signalSequences(clientId: string, signal: (workflowId: string) => Promise<string>, ok: string): Promise<number> {
    let n = 0;
    for (const id of await leads.lookup.system.runningSequences(clientId)) if ((await signal(id)) === ok) n++;
    return n;
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
      const view = await subscriptions.system.merge(input.clientId, { ...e, subscriptionId: subId });
      const at = new Date(e.created);
      const alert = { clientId: input.clientId, data: { subscriptionId: subId } };
      if (e.priceId && e.tier === null) {
        const message = `Stripe price ${e.priceId} maps to no tier: nothing can be allocated for subscription ${subId}`;
        const data = { priceId: e.priceId, subscriptionId: subId };
        await alerts.system.raise(
          { ...alert, kind: 'billing_unknown_price', severity: 'critical', dedupeKey: `billing:unknown-price:${e.priceId}`, message, data },
          at,
        );
      }
      if (e.type === 'invoice_payment_failed') {
        const message = `A payment failed for subscription ${subId}; Stripe retries it, resources stay allocated meanwhile`;
        await alerts.system.raise(
          { ...alert, kind: 'billing_payment_failed', severity: 'warning', dedupeKey: `billing:payment-failed:${subId}`, message },
          at,
        );
      }
      if (e.type === 'invoice_paid') await alerts.system.resolve([`billing:payment-failed:${subId}`], at);
      return { applied: true, status: view.status, tier: view.tier };
    },

    /** What provisioning does now (domain/billing.ts provisioningAction), and whether a churn hold may need a reactivation. */
    async provisioningPlan(input: {
      version: 1;
      clientId: string;
      nowMs: number;
    }): Promise<{ plan: ProvisioningPlan; held: BillingTier | null; entitled: BillingTier | null; recentlyCancelled: boolean }> {
      const client = await clients.system.get(input.clientId);
      if (!client) throw new NotFound(`client ${input.clientId} not found`);
      const ent = clientEntitlement(await subscriptions.system.views(input.clientId));
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
     * pool, give back what exceeds it (services/allocations.ts). Returns what the pool could not provide.
     */
    allocateClientResources: (input: {
      version: 1;
      clientId: string;
      tier: BillingTier;
      nowMs: number;
    }): Promise<{ complete: boolean; missing: PoolCounts; added: PoolCounts; released: PoolCounts }> =>
      allocations.system.allocateToTier(input.clientId, input.tier, input.nowMs),

    /**
     * Churn, first step (RP-010): the client is marked churned, its allocations are held until
     * the release date, and every running lead sequence of the client is paused at once.
     */
    async pauseClientSequences(input: { version: 1; clientId: string; releaseAt: string }): Promise<{ paused: number }> {
      await clients.system.setStatus(input.clientId, 'churned');
      await allocations.system.setHold(input.clientId, new Date(input.releaseAt));
      const paused = await signalSequences(
        input.clientId,
        (id) => gateway.signal(id, SIGNAL_NAMES.pause, { reason: 'client_churned' }),
        'signalled',
      );
      return { paused };
    },

    /** A reactivation inside the hold (RP-010): the client is active again, its holds cleared, its sequences resumed. */
    async resumeClientSequences(input: { version: 1; clientId: string }): Promise<{ resumed: number }> {
      await clients.system.setStatus(input.clientId, 'active');
      await allocations.system.setHold(input.clientId, null);
      const resumed = await signalSequences(input.clientId, (id) => gateway.signal(id, SIGNAL_NAMES.resume), 'signalled');
      return { resumed };
    },

    /**
     * The end of the hold (RP-010): every resource the client still holds goes back to the
     * pool, cleaned: mailboxes lose the client's sender name, the client's pending LinkedIn
     * invitations are withdrawn at Unipile; the client's paused sequences are cancelled, their
     * leads marked cancelled and their people released.
     * Idempotent: a second call releases nothing more.
     */
    async releaseClientResources(input: {
      version: 1;
      clientId: string;
      nowMs: number;
    }): Promise<{ released: PoolCounts; sequencesCancelled: number; invitationsWithdrawn: number }> {
      const open = await allocations.system.open(input.clientId);
      const released = zeroCounts();
      for (const t of RESOURCE_TYPES) released[t] = open.filter((a) => a.resourceType === DB_RESOURCE_TYPE[t]).length;
      const ofType = (t: string) => open.filter((a) => a.resourceType === t).map((a) => a.resourceId);
      let invitationsWithdrawn = 0;
      for (const inv of await linkedin.system.pendingFrom(input.clientId, ofType('linkedin_seat'))) {
        if (inv.invitationRef) await seats.cancelInvitation(inv.accountRef, inv.invitationRef);
        await linkedin.system.markWithdrawn(inv.id);
        invitationsWithdrawn++;
      }
      await allocations.system.releaseAll(
        input.clientId,
        open.map((a) => a.id),
        ofType('mailbox'),
        new Date(input.nowMs),
      );
      const sequencesCancelled = await signalSequences(input.clientId, (id) => gateway.cancel(id), 'cancelled');
      // The cancelled leads say so, and their people are free for another client's sequence.
      await people.system.releaseClient(input.clientId);
      return { released, sequencesCancelled, invitationsWithdrawn };
    },
  };
}
