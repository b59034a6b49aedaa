/**
 * Realistic Stripe objects and signed webhook events for tests (SYS-005, RP-001), in the
 * 2026-07-29.dahlia shapes providers/stripe/events.ts reads: the subscription's period end on
 * its items, the invoice's subscription under parent.subscription_details.
 *
 *   const evt = checkoutCompleted({ clientId, tier: 'velocity', priceId, customerId, subscriptionId });
 *   const sub = stripeEvent('customer.subscription.updated', subscriptionObject({ ... }), { previousAttributes: { status: 'past_due' } });
 *   const { payload, header } = signStripeEvent(evt, STRIPE_TEST_WEBHOOK_SECRET);
 *   // POST payload with 'stripe-signature': header; or signStripe(payload, secret, ts) directly.
 *
 * Signatures come from the SDK's own `webhooks.generateTestHeaderString` (t=<unix>,v1=<hex
 * HMAC-SHA256 of "t.payload">), exactly what `stripe.webhooks.constructEvent` verifies.
 */
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';

export const STRIPE_TEST_API_VERSION = '2026-07-29.dahlia';
export const STRIPE_TEST_WEBHOOK_SECRET = 'whsec_test_agencyos0000000000000000000000';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A Stripe-looking id: `${prefix}_` + 24 base62 characters (e.g. stripeId('cus'), stripeId('cs_test')). */
export function stripeId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += BASE62[b % 62];
  return `${prefix}_${out}`;
}

/** Unix seconds from a Date, an ISO string or unix seconds. */
export function unixSeconds(t: Date | string | number): number {
  if (typeof t === 'number') return Math.floor(t);
  return Math.floor((typeof t === 'string' ? Date.parse(t) : t.getTime()) / 1000);
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);
const DAY = 86_400;

export interface StripeEventEnvelope<T = Record<string, unknown>> {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: T; previous_attributes?: Record<string, unknown> };
  livemode: boolean;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

/** The event envelope around an object, as Stripe delivers it to a webhook endpoint. */
export function stripeEvent<T extends object>(
  type: string,
  object: T,
  opts: {
    id?: string;
    created?: Date | string | number;
    previousAttributes?: Record<string, unknown>;
    apiVersion?: string;
    livemode?: boolean;
  } = {},
): StripeEventEnvelope<T> {
  return {
    id: opts.id ?? stripeId('evt'),
    object: 'event',
    api_version: opts.apiVersion ?? STRIPE_TEST_API_VERSION,
    created: opts.created === undefined ? nowSeconds() : unixSeconds(opts.created),
    data: { object, ...(opts.previousAttributes ? { previous_attributes: opts.previousAttributes } : {}) },
    livemode: opts.livemode ?? false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
}

export interface CheckoutSessionInit {
  id?: string;
  clientId?: string;
  tier?: string;
  priceId?: string;
  /** Overrides the {clientId, tier, priceId} metadata. */
  metadata?: Record<string, string>;
  mode?: 'payment' | 'setup' | 'subscription';
  status?: 'open' | 'complete' | 'expired';
  paymentStatus?: 'paid' | 'unpaid' | 'no_payment_required';
  customerId?: string | null;
  customerEmail?: string | null;
  /** customer_details.email (set once the customer filled in the form). */
  email?: string | null;
  subscriptionId?: string | null;
  successUrl?: string | null;
  cancelUrl?: string | null;
  created?: Date | string | number;
  amountTotal?: number;
  currency?: string;
}

/** A Checkout Session object (`url` only while open, as Stripe answers it). */
export function checkoutSessionObject(init: CheckoutSessionInit = {}): Record<string, unknown> & { id: string } {
  const id = init.id ?? stripeId('cs_test', 58);
  const created = init.created === undefined ? nowSeconds() : unixSeconds(init.created);
  const status = init.status ?? 'open';
  const metadata =
    init.metadata ??
    Object.fromEntries(
      Object.entries({ clientId: init.clientId, tier: init.tier, priceId: init.priceId }).filter(
        (e): e is [string, string] => typeof e[1] === 'string',
      ),
    );
  const email = init.email ?? null;
  return {
    id,
    object: 'checkout.session',
    adaptive_pricing: { enabled: false },
    after_expiration: null,
    allow_promotion_codes: null,
    amount_subtotal: init.amountTotal ?? 149_900,
    amount_total: init.amountTotal ?? 149_900,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: init.cancelUrl === undefined ? 'https://app.example.com/billing/cancelled' : init.cancelUrl,
    client_reference_id: init.clientId ?? null,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created,
    currency: init.currency ?? 'aud',
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: init.customerId ?? null,
    customer_account: null,
    customer_creation: init.customerId ? null : 'always',
    customer_details: status === 'complete' ? { address: null, email, name: null, phone: null, tax_exempt: 'none', tax_ids: [] } : null,
    customer_email: init.customerEmail ?? null,
    discounts: [],
    expires_at: created + DAY,
    invoice: null,
    invoice_creation: null,
    livemode: false,
    locale: null,
    metadata,
    mode: init.mode ?? 'subscription',
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: 'always',
    payment_method_configuration_details: null,
    payment_method_options: { card: { request_three_d_secure: 'automatic' } },
    payment_method_types: ['card'],
    payment_status: init.paymentStatus ?? 'unpaid',
    permissions: null,
    phone_number_collection: { enabled: false },
    recovered_from: null,
    saved_payment_method_options: { allow_redisplay_filters: ['always'], payment_method_remove: 'disabled', payment_method_save: null },
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status,
    submit_type: null,
    subscription: init.subscriptionId ?? null,
    success_url: init.successUrl === undefined ? 'https://app.example.com/billing/done?session_id={CHECKOUT_SESSION_ID}' : init.successUrl,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: 'hosted',
    url: status === 'open' ? `https://checkout.stripe.test/c/pay/${id}` : null,
    wallet_options: null,
  };
}

/** A checkout.session.completed event of a subscription-mode session (paid unless `paid: false`). */
export function checkoutCompleted(opts: {
  clientId: string;
  tier: string;
  priceId: string;
  customerId: string;
  subscriptionId: string;
  paid?: boolean;
  email?: string;
  sessionId?: string;
  eventId?: string;
  created?: Date | string | number;
  /** Leave client_reference_id unset (clientId then only travels in metadata). */
  withoutClientReference?: boolean;
}): StripeEventEnvelope<Record<string, unknown> & { id: string }> {
  const session = checkoutSessionObject({
    id: opts.sessionId,
    clientId: opts.clientId,
    tier: opts.tier,
    priceId: opts.priceId,
    status: 'complete',
    paymentStatus: opts.paid === false ? 'unpaid' : 'paid',
    customerId: opts.customerId,
    email: opts.email ?? 'billing@client.example',
    subscriptionId: opts.subscriptionId,
    created: opts.created,
  });
  if (opts.withoutClientReference) session.client_reference_id = null;
  return stripeEvent('checkout.session.completed', session, { id: opts.eventId, created: opts.created });
}

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

export interface InvoiceInit {
  id: string;
  customerId: string;
  subscriptionId: string;
  /** Put in parent.subscription_details.metadata (the subscription's metadata snapshot). */
  clientId?: string;
  paid: boolean;
  /** End of the service period the invoice bills: lines.data[0].period.end. */
  periodEnd: Date | string | number;
  periodStart?: Date | string | number;
  priceId?: string;
  tier?: string;
  /** Overrides the {clientId, tier, priceId} metadata snapshot. */
  metadata?: Record<string, string>;
  email?: string;
  billingReason?: 'subscription_create' | 'subscription_cycle' | 'subscription_update' | 'manual';
  amount?: number;
  attemptCount?: number;
}

/** An Invoice object of a subscription (its id under parent.subscription_details, as in dahlia). */
export function invoiceObject(init: InvoiceInit): Record<string, unknown> & { id: string } {
  const periodEnd = unixSeconds(init.periodEnd);
  const periodStart = init.periodStart === undefined ? periodEnd - 30 * DAY : unixSeconds(init.periodStart);
  // A subscription invoice is created when the period it bills starts; its own period_start /
  // period_end are the (empty) usage period up to then.
  const created = periodStart;
  const amount = init.amount ?? 149_900;
  const metadata =
    init.metadata ??
    Object.fromEntries(
      Object.entries({ clientId: init.clientId, tier: init.tier, priceId: init.priceId }).filter(
        (e): e is [string, string] => typeof e[1] === 'string',
      ),
    );
  const email = init.email ?? 'billing@client.example';
  return {
    id: init.id,
    object: 'invoice',
    account_country: 'AU',
    account_name: 'Agency OS',
    account_tax_ids: null,
    amount_due: amount,
    amount_overpaid: 0,
    amount_paid: init.paid ? amount : 0,
    amount_remaining: init.paid ? 0 : amount,
    amount_shipping: 0,
    application: null,
    attempt_count: init.attemptCount ?? 1,
    attempted: true,
    auto_advance: !init.paid,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: null,
    billing_reason: init.billingReason ?? 'subscription_cycle',
    collection_method: 'charge_automatically',
    created,
    currency: 'aud',
    custom_fields: null,
    customer: init.customerId,
    customer_account: null,
    customer_address: null,
    customer_email: email,
    customer_name: null,
    customer_phone: null,
    customer_shipping: null,
    customer_tax_exempt: 'none',
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    due_date: null,
    effective_at: created,
    ending_balance: 0,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: `https://invoice.stripe.test/i/${init.id}`,
    invoice_pdf: `https://pay.stripe.test/invoice/${init.id}/pdf`,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines: {
      object: 'list',
      data: [
        {
          id: `il_${init.id.replace(/^in_/, '').slice(0, 14)}`,
          object: 'line_item',
          amount,
          currency: 'aud',
          description: `1 × ${init.tier ?? 'Agency OS'} (at $${(amount / 100).toFixed(2)} / month)`,
          discount_amounts: [],
          discountable: true,
          discounts: [],
          invoice: init.id,
          livemode: false,
          metadata: {},
          parent: {
            invoice_item_details: null,
            subscription_item_details: {
              invoice_item: null,
              proration: false,
              proration_details: { credited_items: null },
              subscription: init.subscriptionId,
              subscription_item: `si_${init.subscriptionId.replace(/^sub_/, '').slice(0, 14)}`,
            },
            type: 'subscription_item_details',
          },
          period: { end: periodEnd, start: periodStart },
          pretax_credit_amounts: [],
          pricing: init.priceId
            ? {
                price_details: { price: init.priceId, product: `prod_${init.priceId.replace(/^price_/, '').slice(0, 14)}` },
                type: 'price_details',
                unit_amount_decimal: String(amount),
              }
            : null,
          quantity: 1,
          subscription: init.subscriptionId,
          subtotal: amount,
          taxes: [],
        },
      ],
      has_more: false,
      total_count: 1,
      url: `/v1/invoices/${init.id}/lines`,
    },
    livemode: false,
    metadata: {},
    next_payment_attempt: init.paid ? null : created + 3 * DAY,
    number: `AGOS-${init.id.slice(-6).toUpperCase()}`,
    on_behalf_of: null,
    parent: {
      quote_details: null,
      subscription_details: { metadata, subscription: init.subscriptionId },
      type: 'subscription_details',
    },
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: created,
    period_start: created,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: init.paid ? 'paid' : 'open',
    status_transitions: { finalized_at: created, marked_uncollectible_at: null, paid_at: init.paid ? created + 60 : null, voided_at: null },
    subtotal: amount,
    subtotal_excluding_tax: amount,
    test_clock: null,
    total: amount,
    total_discount_amounts: [],
    total_excluding_tax: amount,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: null,
  };
}

/**
 * The Stripe-Signature header for a payload, from the SDK's own test helper:
 * `t=<timestampSeconds>,v1=<hex HMAC-SHA256(secret, t + '.' + payload)>`.
 */
export function signStripe(payload: string, secret: string, timestampSeconds?: number): string {
  return Stripe.webhooks.generateTestHeaderString({
    payload,
    secret,
    ...(timestampSeconds !== undefined ? { timestamp: timestampSeconds } : {}),
  });
}

/** The exact body to POST and its Stripe-Signature header. */
export function signStripeEvent(
  event: object,
  secret: string = STRIPE_TEST_WEBHOOK_SECRET,
  timestampSeconds?: number,
): { payload: string; header: string } {
  const payload = JSON.stringify(event, null, 2);
  return { payload, header: signStripe(payload, secret, timestampSeconds) };
}
