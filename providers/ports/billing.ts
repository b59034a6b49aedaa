/** The billing port (Stripe) (SYS-005, RP-001): subscription Checkout Sessions. */

export interface CheckoutRequest {
  clientId: string;
  tier: string;
  priceId: string;
  successUrl: string;
  cancelUrl: string;
  customerId?: string;
  customerEmail?: string;
  /** Sent as Stripe's Idempotency-Key: a retried request returns the same session. */
  idempotencyKey: string;
}

export interface BillingCheckout {
  /** A subscription-mode Checkout Session; clientId and tier travel in its and the subscription's metadata. */
  createCheckoutSession(input: CheckoutRequest): Promise<{ id: string; url: string }>;
}
