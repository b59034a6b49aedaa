/** Simulated Invoice objects, in the dahlia shape (subscription under parent; see simulated-events.ts). */
import { DAY, unixSeconds } from './simulated-envelope.js';

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
