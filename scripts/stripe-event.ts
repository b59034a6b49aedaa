/**
 * `npm run stripe:event -- <kind> --client <slug|id> [--tier Velocity] [--api URL]`
 * Posts a Stripe event, signed exactly as Stripe signs it (STRIPE_WEBHOOK_SECRET, else the
 * sandbox secret npm start keeps in .data/stripe-webhook-secret), to the running stack: the
 * sandbox stand-in for paying through Stripe Checkout.
 *   checkout         checkout.session.completed (paid) for a new subscription of --tier
 *   paid             invoice.paid for the client's subscription (a renewal)
 *   payment-failed   invoice.payment_failed
 *   change           customer.subscription.updated to --tier (upgrade at once, downgrade at period end)
 *   cancel           customer.subscription.deleted (churn: 30-day hold, then release)
 * The admin key comes from ADMIN_API_KEY or .data/admin-api-key; the client's subscription
 * from GET /v1/admin/clients/:id/resources.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  checkoutCompleted,
  invoiceObject,
  signStripeEvent,
  stripeEvent,
  stripeId,
  subscriptionObject,
} from '../providers/stripe/simulated-events.js';
import { BILLING_TIERS } from '../domain/config.js';
import { loadConfig } from '../config/index.js';

const dataDir = path.resolve(process.env.DATA_DIR ?? '.data');
const fromFile = (name: string) =>
  existsSync(path.join(dataDir, name)) ? readFileSync(path.join(dataDir, name), 'utf8').trim() : undefined;
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { client: { type: 'string' }, tier: { type: 'string', default: 'Ignition' }, api: { type: 'string' } },
});
const kind = positionals[0];
const kinds = ['checkout', 'paid', 'payment-failed', 'change', 'cancel'];
if (!kind || !kinds.includes(kind) || !values.client) {
  console.error(`usage: npm run stripe:event -- <${kinds.join('|')}> --client <slug|id> [--tier ${BILLING_TIERS.join('|')}] [--api URL]`);
  process.exit(2);
}
const config = loadConfig();
const api = (values.api ?? `http://localhost:${config.api.port}`).replace(/\/+$/, '');
const adminKey = process.env.ADMIN_API_KEY ?? fromFile('admin-api-key');
const secret = process.env.STRIPE_WEBHOOK_SECRET ?? fromFile('stripe-webhook-secret');
if (!adminKey || !secret)
  throw new Error('no admin key or webhook secret: start the stack with npm start first, or set ADMIN_API_KEY and STRIPE_WEBHOOK_SECRET');
const tier = BILLING_TIERS.find((t) => t.toLowerCase() === values.tier!.toLowerCase());
if (!tier) throw new Error(`unknown tier ${values.tier}`);
const priceId = config.providers.stripe.prices[tier];

async function admin<T>(p: string): Promise<T> {
  const res = await fetch(`${api}${p}`, { headers: { authorization: `Bearer ${adminKey}` } });
  if (!res.ok) throw new Error(`GET ${p}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
const { clients } = await admin<{ clients: { id: string; slug: string }[] }>('/v1/admin/clients');
const client = clients.find((c) => c.slug === values.client || c.id === values.client);
if (!client) throw new Error(`no client ${values.client}`);
const held = await admin<{ subscriptions: { stripeSubscriptionId: string; stripeCustomerId: string | null; status: string }[] }>(
  `/v1/admin/clients/${client.id}/resources`,
);
const current = [...held.subscriptions].reverse().find((s) => s.status !== 'canceled') ?? held.subscriptions.at(-1);
const now = new Date();
const periodEnd = new Date(now.getTime() + 30 * 86_400_000);

let event: object;
if (kind === 'checkout') {
  event = checkoutCompleted({
    clientId: client.id,
    tier,
    priceId,
    customerId: current?.stripeCustomerId ?? stripeId('cus'),
    subscriptionId: stripeId('sub'),
    created: now,
  });
} else {
  if (!current) throw new Error(`client ${values.client} has no subscription yet: send "checkout" first`);
  const base = {
    id: current.stripeSubscriptionId,
    customerId: current.stripeCustomerId ?? stripeId('cus'),
    clientId: client.id,
    priceId,
    tier,
    periodEnd,
    created: now,
  };
  if (kind === 'paid' || kind === 'payment-failed') {
    event = stripeEvent(
      kind === 'paid' ? 'invoice.paid' : 'invoice.payment_failed',
      invoiceObject({
        id: stripeId('in'),
        customerId: base.customerId,
        subscriptionId: base.id,
        clientId: client.id,
        paid: kind === 'paid',
        periodEnd,
        priceId,
        tier,
      }),
      { created: now },
    );
  } else if (kind === 'change') {
    event = stripeEvent('customer.subscription.updated', subscriptionObject({ ...base, status: 'active' }), { created: now });
  } else {
    event = stripeEvent('customer.subscription.deleted', subscriptionObject({ ...base, status: 'canceled' }), { created: now });
  }
}
const { payload, header } = signStripeEvent(event, secret);
const res = await fetch(`${api}/webhooks/stripe`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'stripe-signature': header },
  body: payload,
});
console.log(`${(event as { type: string }).type} ${(event as { id: string }).id} -> ${res.status} ${await res.text()}`);
console.log(`see: curl -s -H "Authorization: Bearer <admin key>" ${api}/v1/admin/clients/${client.id}/resources`);
