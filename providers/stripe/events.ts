/**
 * Stripe webhook events that drive billing (SYS-005, RP-001): schemas of the envelope and of the
 * objects we read, and the billing facts extracted from them.
 *
 * Shapes are API version 2026-07-29.dahlia (unchanged for these fields in 2026-10-28.endive, the
 * version stripe 23.1.0 pins), per node_modules/stripe/esm/resources/*.d.ts:
 * - Checkout Session: `payment_status` ('paid' | 'unpaid' | 'no_payment_required'),
 *   `client_reference_id`, `metadata`, `customer`, `subscription`, `customer_details.email`.
 * - Subscription: no top-level current_period_end any more; it is on `items.data[]`
 *   (SubscriptionItem.current_period_end), next to `items.data[].price.id`.
 * - Invoice: no top-level `subscription`; it is `parent.subscription_details.subscription`, with
 *   the subscription's metadata snapshot beside it. Line items carry `period.end` (the service
 *   period the invoice pays for) and `pricing.price_details.price`.
 * Every schema is a loose object: unknown fields are kept, only what we read is required, so a
 * new Stripe field never breaks the webhook. Expandable references (customer, subscription) are
 * accepted as an id or as the expanded object.
 *
 * The signature is checked before any of this, with the raw body:
 * `stripe.webhooks.constructEvent(rawBody, req.headers['stripe-signature'], whsec)`.
 */
import { z } from 'zod';
import type { BillingEventType } from '../../domain/billing.js';

/** An expandable reference: 'cus_...' or the expanded object (reduced to its id). */
const Ref = z
  .union([z.string().min(1), z.looseObject({ id: z.string().min(1) })], { error: 'expected an id string or an expanded object with an id' })
  .transform((v) => (typeof v === 'string' ? v : v.id));
/** Stripe metadata: string values; absent/null treated as empty. */
const Metadata = z
  .record(z.string(), z.string())
  .nullish()
  .transform((m) => m ?? {});
const UnixSeconds = z.number().int().nonnegative();

export const StripeEventSchema = z.looseObject({
  id: z.string().startsWith('evt_'),
  object: z.literal('event'),
  /** Any type: unknown ones are acknowledged and ignored. */
  type: z.string().min(1),
  created: UnixSeconds,
  livemode: z.boolean(),
  api_version: z.string().nullish(),
  data: z.looseObject({
    object: z.looseObject({}),
    previous_attributes: z.record(z.string(), z.unknown()).nullish(),
  }),
});
export type StripeEvent = z.infer<typeof StripeEventSchema>;
/** What stripeBillingFacts reads of an event: our parsed StripeEvent or the SDK's Stripe.Event. */
export interface StripeEventLike {
  id: string;
  type: string;
  created: number;
  data: { object: unknown };
}

export const StripeCheckoutSessionSchema = z.looseObject({
  id: z.string().startsWith('cs_'),
  object: z.literal('checkout.session'),
  mode: z.string().nullish(),
  status: z.string().nullish(),
  payment_status: z.string().min(1),
  client_reference_id: z.string().nullish(),
  metadata: Metadata,
  customer: Ref.nullish(),
  customer_email: z.string().nullish(),
  customer_details: z.looseObject({ email: z.string().nullish() }).nullish(),
  subscription: Ref.nullish(),
});
export type StripeCheckoutSession = z.infer<typeof StripeCheckoutSessionSchema>;

const SubscriptionItemSchema = z.looseObject({
  price: z.looseObject({ id: z.string().min(1) }),
  current_period_end: UnixSeconds.optional(),
});

export const StripeSubscriptionSchema = z.looseObject({
  id: z.string().startsWith('sub_'),
  object: z.literal('subscription'),
  customer: Ref,
  status: z.string().min(1),
  cancel_at_period_end: z.boolean().nullish(),
  metadata: Metadata,
  items: z.looseObject({ data: z.array(SubscriptionItemSchema) }),
  /** Before API version 2025-03-31.basil only; read as a fallback. */
  current_period_end: UnixSeconds.nullish(),
});
export type StripeSubscription = z.infer<typeof StripeSubscriptionSchema>;

const InvoiceLineSchema = z.looseObject({
  period: z.looseObject({ start: UnixSeconds.optional(), end: UnixSeconds.optional() }).nullish(),
  pricing: z.looseObject({ price_details: z.looseObject({ price: Ref.nullish() }).nullish() }).nullish(),
});

export const StripeInvoiceSchema = z.looseObject({
  id: z.string().startsWith('in_'),
  object: z.literal('invoice'),
  customer: Ref.nullish(),
  customer_email: z.string().nullish(),
  status: z.string().nullish(),
  billing_reason: z.string().nullish(),
  parent: z
    .looseObject({
      type: z.string().nullish(),
      subscription_details: z.looseObject({ subscription: Ref, metadata: Metadata }).nullish(),
    })
    .nullish(),
  lines: z.looseObject({ data: z.array(InvoiceLineSchema) }).nullish(),
});
export type StripeInvoice = z.infer<typeof StripeInvoiceSchema>;

/** The billing event kinds of domain/billing.ts. */
export type StripeBillingEventType = BillingEventType;

export interface StripeBillingFacts {
  eventId: string;
  stripeType: string;
  type: StripeBillingEventType;
  /** event.created as ISO */
  created: string;
  /** client_reference_id, else metadata.clientId of the session / subscription / invoice parent.subscription_details.metadata */
  clientId?: string;
  customerId?: string;
  subscriptionId?: string;
  /** subscription items[0].price.id, else metadata.priceId */
  priceId?: string;
  /** metadata.tier when present */
  tierHint?: string;
  /** subscription status; 'active' for a paid checkout / paid invoice */
  status?: string;
  /** checkout: payment_status paid|no_payment_required; invoice.paid: true; payment_failed: false */
  paid?: boolean;
  currentPeriodEnd?: string;
  cancelAtPeriodEnd?: boolean;
  customerEmail?: string;
}

/** The Stripe event types we act on, and the object schema each one carries. */
export const STRIPE_BILLING_EVENT_TYPES = {
  'checkout.session.completed': 'checkout_completed',
  'checkout.session.async_payment_succeeded': 'checkout_completed',
  'invoice.paid': 'invoice_paid',
  'invoice.payment_failed': 'invoice_payment_failed',
  'customer.subscription.created': 'subscription_created',
  'customer.subscription.updated': 'subscription_updated',
  'customer.subscription.deleted': 'subscription_deleted',
} as const satisfies Record<string, StripeBillingEventType>;

export function isKnownStripeBillingEvent(type: string): type is keyof typeof STRIPE_BILLING_EVENT_TYPES {
  return Object.prototype.hasOwnProperty.call(STRIPE_BILLING_EVENT_TYPES, type);
}

const iso = (seconds: number | null | undefined): string | undefined =>
  seconds === null || seconds === undefined ? undefined : new Date(seconds * 1000).toISOString();

/** Drops undefined values, so facts compare cleanly and serialise without holes. */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const nonEmpty = (s: string | null | undefined): string | undefined => (s ? s : undefined);

/**
 * The billing facts of a (signature-checked, envelope-parsed) event; null for a type we ignore.
 * Throws a ZodError (paths relative to `data.object`) when the object of a KNOWN type does not
 * have the shape we read: use parseStripeEvent to get readable issues instead.
 */
export function stripeBillingFacts(event: StripeEventLike): StripeBillingFacts | null {
  if (!isKnownStripeBillingEvent(event.type)) return null;
  const type = STRIPE_BILLING_EVENT_TYPES[event.type];
  const base = { eventId: event.id, stripeType: event.type, type, created: new Date(event.created * 1000).toISOString() };
  switch (type) {
    case 'checkout_completed': {
      const s = StripeCheckoutSessionSchema.parse(event.data.object);
      const paid = s.payment_status === 'paid' || s.payment_status === 'no_payment_required';
      return compact<StripeBillingFacts>({
        ...base,
        clientId: nonEmpty(s.client_reference_id) ?? nonEmpty(s.metadata.clientId),
        customerId: s.customer ?? undefined,
        subscriptionId: s.subscription ?? undefined,
        priceId: nonEmpty(s.metadata.priceId),
        tierHint: nonEmpty(s.metadata.tier),
        status: paid ? 'active' : undefined,
        paid,
        customerEmail: nonEmpty(s.customer_details?.email) ?? nonEmpty(s.customer_email),
      });
    }
    case 'invoice_paid':
    case 'invoice_payment_failed': {
      const inv = StripeInvoiceSchema.parse(event.data.object);
      const details = inv.parent?.subscription_details ?? undefined;
      const lines = inv.lines?.data ?? [];
      const periodEnds = lines.map((l) => l.period?.end).filter((n): n is number => typeof n === 'number');
      const linePrice = lines.map((l) => l.pricing?.price_details?.price).find((p): p is string => typeof p === 'string');
      const paid = type === 'invoice_paid';
      return compact<StripeBillingFacts>({
        ...base,
        clientId: nonEmpty(details?.metadata.clientId),
        customerId: inv.customer ?? undefined,
        subscriptionId: details?.subscription,
        priceId: linePrice ?? nonEmpty(details?.metadata.priceId),
        tierHint: nonEmpty(details?.metadata.tier),
        status: paid ? 'active' : undefined,
        paid,
        currentPeriodEnd: periodEnds.length ? iso(Math.max(...periodEnds)) : undefined,
        customerEmail: nonEmpty(inv.customer_email),
      });
    }
    case 'subscription_created':
    case 'subscription_updated':
    case 'subscription_deleted': {
      const sub = StripeSubscriptionSchema.parse(event.data.object);
      const first = sub.items.data[0];
      return compact<StripeBillingFacts>({
        ...base,
        clientId: nonEmpty(sub.metadata.clientId),
        customerId: sub.customer,
        subscriptionId: sub.id,
        priceId: first?.price.id ?? nonEmpty(sub.metadata.priceId),
        tierHint: nonEmpty(sub.metadata.tier),
        status: sub.status,
        currentPeriodEnd: iso(first?.current_period_end ?? sub.current_period_end),
        cancelAtPeriodEnd: sub.cancel_at_period_end ?? undefined,
      });
    }
  }
}

export type ParsedStripeEvent = { ok: true; event: StripeEvent; facts: StripeBillingFacts | null } | { ok: false; issues: string[] };

function formatIssues(err: z.ZodError, prefix: (string | number)[] = []): string[] {
  return err.issues.map((i) => {
    const path = [...prefix, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))].join('.');
    return `${path || '(root)'}: ${i.message}`;
  });
}

/**
 * Parses a webhook event (the object `constructEvent` returned, or its JSON text): the envelope
 * for every type, the object for the types we act on. `{ ok: false, issues }` lists each problem
 * as '<path>: <message>' (e.g. 'data.object.items.data.0.price.id: Invalid input: expected
 * string, received undefined'): the route answers 400 with them, which Stripe shows in the
 * dashboard and retries. Unknown types parse with `facts: null` (acknowledge and ignore).
 */
export function parseStripeEvent(json: unknown): ParsedStripeEvent {
  let input = json;
  if (typeof json === 'string' || json instanceof Uint8Array) {
    try {
      input = JSON.parse(typeof json === 'string' ? json : Buffer.from(json).toString('utf8'));
    } catch {
      return { ok: false, issues: ['(root): body is not JSON'] };
    }
  }
  const envelope = StripeEventSchema.safeParse(input);
  if (!envelope.success) return { ok: false, issues: formatIssues(envelope.error) };
  try {
    return { ok: true, event: envelope.data, facts: stripeBillingFacts(envelope.data) };
  } catch (err) {
    if (err instanceof z.ZodError) return { ok: false, issues: formatIssues(err, ['data', 'object']) };
    throw err;
  }
}
