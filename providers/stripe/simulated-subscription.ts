/** Simulated Subscription objects, in the dahlia shape (period on the item; see simulated-events.ts). */
import { DAY, unixSeconds } from './simulated-envelope.js';

export interface SubscriptionInit {
  id: string;
  customerId: string;
  clientId?: string;
  priceId: string;
  status: 'active' | 'canceled' | 'incomplete' | 'incomplete_expired' | 'past_due' | 'paused' | 'trialing' | 'unpaid';
  /** The current period's end: items.data[0].current_period_end. */
  periodEnd: Date | string | number;
  periodStart?: Date | string | number;
  cancelAtPeriodEnd?: boolean;
  tier?: string;
  /** Overrides the {clientId, tier, priceId} metadata. */
  metadata?: Record<string, string>;
  created?: Date | string | number;
  unitAmount?: number;
}

/** A Subscription object (one item; period start/end on the item, as in dahlia). */
export function subscriptionObject(init: SubscriptionInit): Record<string, unknown> & { id: string } {
  const periodEnd = unixSeconds(init.periodEnd);
  const periodStart = init.periodStart === undefined ? periodEnd - 30 * DAY : unixSeconds(init.periodStart);
  const created = init.created === undefined ? periodStart : unixSeconds(init.created);
  const ended = init.status === 'canceled' || init.status === 'incomplete_expired';
  const metadata =
    init.metadata ??
    Object.fromEntries(
      Object.entries({ clientId: init.clientId, tier: init.tier, priceId: init.priceId }).filter(
        (e): e is [string, string] => typeof e[1] === 'string',
      ),
    );
  const unitAmount = init.unitAmount ?? 149_900;
  const productId = `prod_${init.priceId.replace(/^price_/, '').slice(0, 14) || 'agencyos'}`;
  const price = {
    id: init.priceId,
    object: 'price',
    active: true,
    billing_scheme: 'per_unit',
    created,
    currency: 'aud',
    custom_unit_amount: null,
    livemode: false,
    lookup_key: null,
    metadata: {},
    nickname: null,
    product: productId,
    recurring: { interval: 'month', interval_count: 1, meter: null, trial_period_days: null, usage_type: 'licensed' },
    tax_behavior: 'unspecified',
    tiers_mode: null,
    transform_quantity: null,
    type: 'recurring',
    unit_amount: unitAmount,
    unit_amount_decimal: String(unitAmount),
  };
  return {
    id: init.id,
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: periodStart,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: null, type: 'classic' },
    billing_thresholds: null,
    cancel_at: init.cancelAtPeriodEnd ? periodEnd : null,
    cancel_at_period_end: init.cancelAtPeriodEnd ?? false,
    canceled_at: ended ? periodEnd : null,
    cancellation_details: { comment: null, feedback: null, reason: ended ? 'cancellation_requested' : null },
    collection_method: 'charge_automatically',
    created,
    currency: 'aud',
    customer: init.customerId,
    customer_account: null,
    days_until_due: null,
    default_payment_method: 'pm_card_visa',
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    ended_at: ended ? periodEnd : null,
    invoice_settings: { account_tax_ids: null, issuer: { type: 'self' } },
    items: {
      object: 'list',
      data: [
        {
          id: `si_${init.id.replace(/^sub_/, '').slice(0, 14)}`,
          object: 'subscription_item',
          billing_thresholds: null,
          created,
          current_period_end: periodEnd,
          current_period_start: periodStart,
          discounts: [],
          metadata: {},
          plan: {
            id: init.priceId,
            object: 'plan',
            active: true,
            amount: unitAmount,
            currency: 'aud',
            interval: 'month',
            interval_count: 1,
            product: productId,
            usage_type: 'licensed',
          },
          price,
          quantity: 1,
          subscription: init.id,
          tax_rates: [],
        },
      ],
      has_more: false,
      total_count: 1,
      url: `/v1/subscription_items?subscription=${init.id}`,
    },
    latest_invoice: `in_${init.id.replace(/^sub_/, '').slice(0, 14)}`,
    livemode: false,
    metadata,
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: 'off' },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: created,
    status: init.status,
    test_clock: null,
    transfer_data: null,
    trial_end: null,
    trial_settings: { end_behavior: { missing_payment_method: 'create_invoice' } },
    trial_start: null,
  };
}
