/**
 * BillingCheckout (SYS-005, RP-001): a subscription-mode Stripe Checkout Session per client and
 * tier. clientId, tier and priceId travel in the Session's metadata (and client_reference_id) and
 * in subscription_data.metadata, so every later event about the subscription (and its invoices,
 * through parent.subscription_details.metadata) names the client: see providers/stripe/events.ts.
 *
 * The caller's idempotencyKey is sent as Stripe's Idempotency-Key: a retried activity gets the
 * same session back instead of a second one (Stripe keeps keys about 24 h and rejects a reused
 * key with different parameters: a permanent 'idempotency_conflict').
 */
import { createHash } from 'node:crypto';
import type Stripe from 'stripe';
import { ProviderError, type BillingCheckout, type CheckoutRequest, type SandboxRecorder } from '../ports.js';
import { classifyStripeError, createStripeClient } from './client.js';

const PROVIDER = 'stripe';

export interface StripeCheckoutOptions {
  secretKey: string;
  /** Defaults to https://api.stripe.com; tests pass the fake's base URL. */
  baseUrl?: string;
  timeoutMs?: number;
}

/** The Checkout Session parameters for a request (shared by the real and the sandbox adapter). */
export function checkoutSessionParams(input: CheckoutRequest): Stripe.Checkout.SessionCreateParams {
  assertValidCheckout(input);
  const metadata = { clientId: input.clientId, tier: input.tier, priceId: input.priceId };
  return {
    mode: 'subscription',
    line_items: [{ price: input.priceId, quantity: 1 }],
    success_url: input.successUrl,
    cancel_url: input.cancelUrl,
    client_reference_id: input.clientId,
    // Stripe refuses both at once ("You may only specify one of these parameters").
    ...(input.customerId ? { customer: input.customerId } : input.customerEmail ? { customer_email: input.customerEmail } : {}),
    metadata,
    subscription_data: { metadata: { ...metadata } },
  };
}

function assertValidCheckout(input: CheckoutRequest): void {
  const missing = (['clientId', 'tier', 'priceId', 'successUrl', 'cancelUrl', 'idempotencyKey'] as const).filter((k) => !input[k]?.trim());
  if (missing.length) throw new ProviderError(PROVIDER, 'invalid_request', `Checkout request is missing ${missing.join(', ')}`, false);
  // client_reference_id: up to 200 characters; metadata values: up to 500.
  if (input.clientId.length > 200) throw new ProviderError(PROVIDER, 'invalid_request', 'clientId is longer than 200 characters', false);
  for (const k of ['successUrl', 'cancelUrl'] as const) {
    if (!/^https?:\/\//i.test(input[k]))
      throw new ProviderError(PROVIDER, 'invalid_request', `${k} must be an absolute http(s) URL`, false);
  }
}

export function createStripeCheckout(opts: StripeCheckoutOptions): BillingCheckout {
  const stripe = createStripeClient(opts);
  return {
    async createCheckoutSession(input: CheckoutRequest): Promise<{ id: string; url: string }> {
      const params = checkoutSessionParams(input);
      let session: Stripe.Checkout.Session;
      try {
        session = await stripe.checkout.sessions.create(params, { idempotencyKey: input.idempotencyKey });
      } catch (err) {
        throw classifyStripeError(err);
      }
      if (!session.url) {
        throw new ProviderError(
          PROVIDER,
          'unexpected_response',
          `Stripe Checkout Session ${session.id} has no url (ui_mode ${session.ui_mode ?? 'unknown'})`,
          false,
        );
      }
      return { id: session.id, url: session.url };
    },
  };
}

/** 'cs_sandbox_' + 24 hex of sha256(idempotencyKey): the same key always gives the same id. */
export function sandboxCheckoutSessionId(idempotencyKey: string): string {
  return `cs_sandbox_${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 24)}`;
}

/**
 * Sandbox checkout (no Stripe key configured): validates like the real adapter, records
 * `{ provider: 'stripe', kind: 'checkout_session', to: clientId, payload }` (payload: id, url,
 * idempotencyKey and the Session parameters Stripe would have received) and answers
 * `{ id: 'cs_sandbox_<hash>', url: '<publicBaseUrl>/sandbox/checkout/<id>' }`. Deterministic per
 * idempotency key, like Stripe's replay of an idempotent request (each call is recorded).
 */
export function createSandboxCheckout(recorder: SandboxRecorder, publicBaseUrl: string): BillingCheckout {
  const base = publicBaseUrl.replace(/\/+$/, '');
  return {
    async createCheckoutSession(input: CheckoutRequest): Promise<{ id: string; url: string }> {
      const params = checkoutSessionParams(input);
      const id = sandboxCheckoutSessionId(input.idempotencyKey);
      const url = `${base}/sandbox/checkout/${id}`;
      await recorder.record({
        provider: PROVIDER,
        kind: 'checkout_session',
        to: input.clientId,
        payload: { id, url, idempotencyKey: input.idempotencyKey, ...params },
      });
      return { id, url };
    },
  };
}
