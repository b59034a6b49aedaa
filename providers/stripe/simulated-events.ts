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
 *
 * Files: simulated-envelope.ts (ids, times, the event, signatures), simulated-checkout.ts,
 * simulated-subscription.ts, simulated-invoice.ts; this file re-exports them all.
 */
export {
  signStripe,
  signStripeEvent,
  STRIPE_TEST_API_VERSION,
  STRIPE_TEST_WEBHOOK_SECRET,
  stripeEvent,
  stripeId,
  unixSeconds,
  type StripeEventEnvelope,
} from './simulated-envelope.js';
export { checkoutCompleted, checkoutSessionObject, type CheckoutSessionInit } from './simulated-checkout.js';
export { subscriptionObject, type SubscriptionInit } from './simulated-subscription.js';
export { invoiceObject, type InvoiceInit } from './simulated-invoice.js';
