/**
 * The pieces every simulated Stripe object shares (simulated-events.ts): the test API version and
 * webhook secret, Stripe-looking ids, unix times, the event envelope, and its signature.
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

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
export const DAY = 86_400;

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
