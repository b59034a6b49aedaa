/**
 * Stripe webhooks (SYS-005, RP-001, RP-010) at POST /webhooks/stripe.
 *
 * Verified on the raw body with the SDK's own `Stripe.webhooks.constructEvent` (HMAC-SHA256 of
 * `t.payload`, 5-minute tolerance), and a timestamp more than 5 minutes in the future is refused
 * too (providers/stripe/webhook-signature.ts); without STRIPE_WEBHOOK_SECRET every request is 401. The event
 * is recorded once by the registry (unique on the Stripe event id), then, for the billing types,
 * signalled to provisioning:{clientId} with signalWithStart. Events of other types are recorded
 * and acknowledged.
 *
 * The client is the checkout's client_reference_id / metadata.clientId (set by our checkout), else
 * the owner of the Stripe subscription or customer already on record. An event for a client we
 * cannot identify is recorded and answered 409 (RetryLater), so Stripe retries it (it usually
 * means the checkout event that names the client has not arrived yet): nothing is lost, and
 * nothing is acted on twice.
 */
import { z } from 'zod';
import type { AppConfig } from '../../../config/index.js';
import type { Subscriptions } from '../../../services/subscriptions.js';
import type { WorkflowGateway } from '../../../services/workflow-gateway.js';
import { verifyStripeSignature } from '../../../providers/stripe/webhook-signature.js';
import { parseStripeEvent, type ParsedStripeEvent, type StripeBillingFacts } from '../../../providers/stripe/events.js';
import { BILLING_TIERS, parseDomainConfig, type BillingTier, type DomainConfig } from '../../../domain/config.js';
import { tierForStripePrice } from '../../../domain/pool.js';
import {
  WORKFLOW_TYPES,
  billingEventSignal,
  workflowIds,
  type BillingEventSignal,
  type ProvisioningInput,
} from '../../../workflows/contracts.js';
import { RetryLater, type WebhookProvider } from '../registry.js';

export const STRIPE_PATH = '/webhooks/stripe';

type Parsed = Extract<ParsedStripeEvent, { ok: true }>;

const StripeWebhookSchema: z.ZodType<Parsed> = z.unknown().transform((value, ctx) => {
  const r = parseStripeEvent(value);
  if (!r.ok) {
    for (const message of r.issues) ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  }
  return r;
}) as unknown as z.ZodType<Parsed>;

/** The domain configuration that maps the configured Stripe prices to tiers (SYS-005). */
export function priceTierConfig(prices: Readonly<Record<BillingTier, string>>) {
  return parseDomainConfig({ pool: { stripePriceTiers: Object.fromEntries(BILLING_TIERS.map((t) => [prices[t], t])) } });
}

/**
 * The tier of an event: its price through tierForStripePrice (domain/pool.ts), else, for an event
 * without a price, the checkout's metadata.tier; null for a price of no tier (an alert is raised).
 */
export function tierOfFacts(facts: Pick<StripeBillingFacts, 'priceId' | 'tierHint'>, config: DomainConfig): BillingTier | null | undefined {
  if (facts.priceId) {
    const byPrice = tierForStripePrice(facts.priceId, config);
    if (byPrice) return byPrice;
  }
  const hint = facts.tierHint ? BILLING_TIERS.find((t) => t.toLowerCase() === facts.tierHint!.toLowerCase()) : undefined;
  if (hint && !facts.priceId) return hint;
  return facts.priceId ? null : undefined;
}

export interface StripeWebhookDeps {
  config: Readonly<AppConfig>;
  subscriptions: Subscriptions;
  gateway: WorkflowGateway;
  /** Our clock for the signature's timestamp (tests). */
  now?: () => number;
}

export function stripeWebhook({ config, subscriptions, gateway, now = Date.now }: StripeWebhookDeps): WebhookProvider<Parsed> {
  const tiers = priceTierConfig(config.providers.stripe.prices);

  return {
    provider: 'stripe',
    path: STRIPE_PATH,
    verify: (req) =>
      verifyStripeSignature({
        rawBody: req.rawBody,
        header: req.headers['stripe-signature'],
        secret: config.providers.stripe.webhookSecret,
        nowMs: now(),
      }).ok,
    schema: StripeWebhookSchema,
    describe: (payload) => ({ eventId: payload.event.id, type: payload.event.type, payload }),
    async dispatch(event) {
      const facts = event.payload.facts;
      if (!facts) return; // a type we do not act on: recorded only
      const clientId = await subscriptions.system.clientOf(facts);
      if (!clientId)
        throw new RetryLater(`Stripe event ${facts.eventId} (${facts.stripeType}) names no known client yet; Stripe will retry it`);
      const tier = tierOfFacts(facts, tiers);
      const signal: BillingEventSignal = {
        eventId: facts.eventId,
        type: facts.type,
        created: facts.created,
        ...(facts.customerId ? { customerId: facts.customerId } : {}),
        ...(facts.subscriptionId ? { subscriptionId: facts.subscriptionId } : {}),
        ...(facts.priceId ? { priceId: facts.priceId } : {}),
        ...(tier !== undefined ? { tier } : {}),
        ...(facts.status ? { status: facts.status } : {}),
        ...(facts.paid !== undefined ? { paid: facts.paid } : {}),
        ...(facts.currentPeriodEnd ? { currentPeriodEnd: facts.currentPeriodEnd } : {}),
        ...(facts.cancelAtPeriodEnd !== undefined ? { cancelAtPeriodEnd: facts.cancelAtPeriodEnd } : {}),
      };
      const input: ProvisioningInput = { version: 1, clientId };
      await gateway.signalWithStart(WORKFLOW_TYPES.provisioning, workflowIds.provisioning(clientId), [input], billingEventSignal, signal);
    },
  };
}
