import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  applyBillingEvent,
  clientEntitlement,
  provisioningAction,
  subscriptionView,
  type BillingEvent,
  type SubscriptionMergeState,
} from '../../domain/index.js';

const T0 = Date.parse('2026-12-01T00:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const fold = (events: BillingEvent[]) => events.reduce<SubscriptionMergeState>((s, e) => applyBillingEvent(s, e), {});

const checkout: BillingEvent = {
  eventId: 'evt_1',
  type: 'checkout_completed',
  created: at(0),
  paid: true,
  tier: 'Velocity',
  priceId: 'price_v',
};
const created: BillingEvent = {
  eventId: 'evt_2',
  type: 'subscription_created',
  created: at(0),
  status: 'incomplete',
  tier: 'Velocity',
  priceId: 'price_v',
  currentPeriodEnd: at(30 * 86400),
};
const paid: BillingEvent = { eventId: 'evt_3', type: 'invoice_paid', created: at(1), tier: 'Velocity' };
const upgraded: BillingEvent = {
  eventId: 'evt_4',
  type: 'subscription_updated',
  created: at(100),
  status: 'active',
  tier: 'Dominance',
  priceId: 'price_d',
  currentPeriodEnd: at(30 * 86400),
};
const failed: BillingEvent = { eventId: 'evt_5', type: 'invoice_payment_failed', created: at(200) };
const deleted: BillingEvent = { eventId: 'evt_6', type: 'subscription_deleted', created: at(300), status: 'canceled', tier: 'Dominance' };

describe('billing state from Stripe events (SYS-005, RP-001)', () => {
  it('SYS-005: a paid checkout makes the subscription entitled to its tier', () => {
    const v = subscriptionView(fold([checkout]));
    expect(v).toMatchObject({ status: 'active', tier: 'Velocity', entitled: true });
    expect(v.paidAt?.toISOString()).toBe(at(0));
  });

  it('SYS-005: an unpaid checkout or a subscription alone is not a confirmed payment', () => {
    expect(subscriptionView(fold([{ ...checkout, paid: false }])).entitled).toBe(false);
    expect(subscriptionView(fold([{ ...created, status: 'active' }])).entitled).toBe(false);
  });

  it('SYS-005: a same-second incomplete subscription does not hide the paid checkout', () => {
    expect(subscriptionView(fold([checkout, created])).status).toBe('active');
    expect(subscriptionView(fold([created, checkout])).status).toBe('active');
  });

  it('SYS-005: the latest event wins: upgrade, then a failed payment keeps resources (past_due)', () => {
    const v = subscriptionView(fold([checkout, created, paid, upgraded, failed]));
    expect(v).toMatchObject({ tier: 'Dominance', status: 'past_due', entitled: true });
  });

  it('RP-010: a deletion is final, even when an older update arrives after it', () => {
    const v = subscriptionView(fold([checkout, deleted, upgraded]));
    expect(v).toMatchObject({ status: 'canceled', entitled: false });
    expect(v.canceledAt?.toISOString()).toBe(at(300));
  });

  it('SYS-005: every order and every repeat of the same events gives the same state (property)', () => {
    const all = [checkout, created, paid, upgraded, failed, deleted];
    const expected = fold(all);
    fc.assert(
      fc.property(
        fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }),
        fc.array(fc.nat(all.length - 1), { maxLength: 6 }),
        (order, repeats) => {
          const withRepeats = [...order, ...repeats.map((i) => order[i]!)];
          expect(fold(withRepeats)).toEqual(expected);
        },
      ),
    );
    // and for any subset of the events: order-independent too
    fc.assert(
      fc.property(fc.subarray(all), fc.integer(), (subset, seed) => {
        const shuffled = [...subset].sort((a, b) => ((a.eventId.charCodeAt(4) * seed) % 7) - ((b.eventId.charCodeAt(4) * seed) % 7));
        expect(fold(shuffled)).toEqual(fold(subset));
      }),
    );
  });
});

describe('client entitlement and provisioning action (SYS-005, RP-001, RP-010)', () => {
  const view = (events: BillingEvent[]) => subscriptionView(fold(events));

  it.each([
    ['nothing held, Velocity paid -> allocate Velocity', null, [checkout], { kind: 'allocate', tier: 'Velocity' }],
    ['Velocity held, upgraded to Dominance -> allocate now', 'Velocity', [checkout, upgraded], { kind: 'allocate', tier: 'Dominance' }],
    ['same tier -> allocate (completes a partial allocation)', 'Velocity', [checkout], { kind: 'allocate', tier: 'Velocity' }],
    ['nothing paid -> nothing', null, [created], { kind: 'none' }],
  ] as const)('RP-001: %s', (_name, held, events, action) => {
    expect(provisioningAction(held, clientEntitlement([view([...events])]), at(200))).toMatchObject(action);
  });

  it('RP-001: a downgrade waits for the end of the period', () => {
    const down: BillingEvent = {
      eventId: 'evt_9',
      type: 'subscription_updated',
      created: at(500),
      status: 'active',
      tier: 'Ignition',
      priceId: 'price_i',
      currentPeriodEnd: at(20 * 86400),
    };
    const a = provisioningAction('Velocity', clientEntitlement([view([checkout, down])]), at(600));
    expect(a).toEqual({ kind: 'downgrade_at_period_end', tier: 'Ignition', at: new Date(at(20 * 86400)) });
    // once the period has ended it applies at once
    expect(provisioningAction('Velocity', clientEntitlement([view([checkout, down])]), at(21 * 86400))).toEqual({
      kind: 'allocate',
      tier: 'Ignition',
    });
  });

  it('RP-010: the only subscription deleted -> churn from the cancellation time', () => {
    expect(provisioningAction('Velocity', clientEntitlement([view([checkout, deleted])]), at(400))).toEqual({
      kind: 'churn',
      cancelledAt: new Date(at(300)),
    });
  });

  it('RP-010: a new paid subscription after a cancellation is a reactivation (entitled again)', () => {
    const again: BillingEvent = { ...checkout, eventId: 'evt_new', created: at(12 * 86400) };
    const e = clientEntitlement([view([checkout, deleted]), view([again])]);
    expect(e).toMatchObject({ tier: 'Velocity', churned: false });
  });

  it('RP-010: never paid and cancelled is not a churn (nothing was allocated)', () => {
    expect(clientEntitlement([view([created, deleted])]).churned).toBe(false);
  });
});
