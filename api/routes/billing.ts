/**
 * Billing (SYS-005, RP-001): a Checkout Session for a client and tier (the client itself, or an
 * admin on its behalf), the client's billing state, and, for admins, the resources a client holds.
 * Payment itself arrives by the Stripe webhook (api/webhooks/providers/stripe.ts).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireClientId } from '../plugins/auth.js';
import { ErrorBody, IdParams } from '../schemas.js';
import { notFound } from '../errors.js';
import type { AppDeps } from '../deps.js';
import { BILLING_TIERS, type BillingTier } from '../../domain/config.js';
import { tierResources } from '../../domain/pool.js';

const TierName = z.string().transform((t, ctx) => {
  const tier = BILLING_TIERS.find((x) => x.toLowerCase() === t.trim().toLowerCase());
  if (!tier) {
    ctx.addIssue({ code: 'custom', message: `unknown tier "${t}": one of ${BILLING_TIERS.join(', ')}` });
    return z.NEVER;
  }
  return tier;
});

const CheckoutBody = z.strictObject({
  tier: TierName,
  successUrl: z.url({ protocol: /^https?$/ }).optional(),
  cancelUrl: z.url({ protocol: /^https?$/ }).optional(),
  email: z.email().optional(),
});
const CheckoutOut = z.object({
  sessionId: z.string(),
  url: z.string(),
  tier: z.string(),
  priceId: z.string(),
  resources: z.record(z.string(), z.number()),
});

const Counts = z.object({ domains: z.number(), mailboxes: z.number(), phoneNumbers: z.number(), linkedinSeats: z.number() });
const Allocation = z.object({
  id: z.string(),
  resourceType: z.string(),
  resourceId: z.string(),
  name: z.string().nullable(),
  status: z.string().nullable(),
  allocatedAt: z.string(),
  holdUntil: z.string().nullable(),
});
const SubscriptionOut = z.object({
  stripeSubscriptionId: z.string(),
  stripeCustomerId: z.string().nullable(),
  tier: z.string().nullable(),
  status: z.string(),
  paidAt: z.string().nullable(),
  currentPeriodEnd: z.string().nullable(),
  cancelAtPeriodEnd: z.boolean(),
});

export const billingRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  const { config, checkout } = deps;
  const { subscriptions, allocations, clients } = deps.services;
  const base = config.api.publicBaseUrlOrDefault.replace(/\/+$/, '');

  async function createCheckout(clientId: string, body: z.output<typeof CheckoutBody>, idempotencyHeader: string | undefined) {
    const tier: BillingTier = body.tier;
    const priceId = config.providers.stripe.prices[tier];
    const customerId = await subscriptions.system.customerOf(clientId);
    // A retried request (same key, or the same client and tier within 10 minutes) gets the same session.
    const key = idempotencyHeader ?? `checkout:${clientId}:${tier}:${Math.floor(Date.now() / 600_000)}`;
    const session = await checkout.createCheckoutSession({
      clientId,
      tier,
      priceId,
      successUrl: body.successUrl ?? `${base}/billing/success?session_id={CHECKOUT_SESSION_ID}`,
      cancelUrl: body.cancelUrl ?? `${base}/billing/cancelled`,
      ...(customerId ? { customerId } : body.email ? { customerEmail: body.email } : {}),
      idempotencyKey: createHash('sha256').update(key).digest('hex').slice(0, 40),
    });
    return { sessionId: session.id, url: session.url, tier, priceId, resources: { ...tierResources(tier) } };
  }

  const resourcesOf = (clientId: string) => allocations.system.describe(clientId);

  const subscriptionsOf = async (clientId: string) =>
    (await subscriptions.system.list(clientId)).map((s) => ({
      stripeSubscriptionId: s.stripeSubscriptionId,
      stripeCustomerId: s.stripeCustomerId,
      tier: s.tier,
      status: s.status,
      paidAt: s.paidAt?.toISOString() ?? null,
      currentPeriodEnd: s.currentPeriodEnd?.toISOString() ?? null,
      cancelAtPeriodEnd: s.cancelAtPeriodEnd,
    }));

  app.post(
    '/v1/billing/checkout',
    {
      schema: {
        tags: ['billing'],
        summary: 'Create a Stripe Checkout Session for a tier (Ignition, Velocity, Dominance); pay at the returned url',
        body: CheckoutBody,
        response: { 201: CheckoutOut, 400: ErrorBody },
      },
    },
    async (req, reply) => {
      const clientId = requireClientId(req);
      const key = typeof req.headers['idempotency-key'] === 'string' ? `${clientId}:${req.headers['idempotency-key']}` : undefined;
      return reply.status(201).send(await createCheckout(clientId, req.body, key));
    },
  );

  app.get(
    '/v1/billing',
    {
      schema: {
        tags: ['billing'],
        summary: "The client's tier, subscriptions and the resources it holds",
        response: {
          200: z.object({ tier: z.string().nullable(), status: z.string(), subscriptions: z.array(SubscriptionOut), resources: Counts }),
        },
      },
    },
    async (req) => {
      const clientId = requireClientId(req);
      const client = await clients.forTenant(clientId).get();
      if (!client) throw notFound('client');
      return {
        tier: client.tier,
        status: client.status,
        subscriptions: await subscriptionsOf(clientId),
        resources: (await resourcesOf(clientId)).counts,
      };
    },
  );

  app.post(
    '/v1/admin/clients/:id/checkout',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Create a Checkout Session on behalf of a client',
        params: IdParams,
        body: CheckoutBody,
        response: { 201: CheckoutOut, 404: ErrorBody },
      },
    },
    async (req, reply) => {
      const client = await clients.system.get(req.params.id);
      if (!client) throw notFound('client');
      return reply.status(201).send(await createCheckout(client.id, req.body, undefined));
    },
  );

  app.get(
    '/v1/admin/clients/:id/resources',
    {
      config: { auth: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'What a client holds: tier, subscriptions, open allocations (with hold dates during a churn hold)',
        params: IdParams,
        response: {
          200: z.object({
            clientId: z.string(),
            status: z.string(),
            tier: z.string().nullable(),
            subscriptions: z.array(SubscriptionOut),
            counts: Counts,
            allocations: z.array(Allocation),
          }),
          404: ErrorBody,
        },
      },
    },
    async (req) => {
      const client = await clients.system.get(req.params.id);
      if (!client) throw notFound('client');
      const r = await resourcesOf(client.id);
      return {
        clientId: client.id,
        status: client.status,
        tier: client.tier,
        subscriptions: await subscriptionsOf(client.id),
        counts: r.counts,
        allocations: r.allocations,
      };
    },
  );
};
