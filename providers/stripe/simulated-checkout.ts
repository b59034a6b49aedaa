/** Simulated Checkout Sessions and checkout.session.completed events (see simulated-events.ts). */
import { DAY, nowSeconds, stripeEvent, stripeId, unixSeconds, type StripeEventEnvelope } from './simulated-envelope.js';

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
