/**
 * Billing to provisioned infrastructure, end to end through real HTTP, the run's Temporal dev
 * server, a worker and Postgres (its own database: it measures the whole pool): a Checkout
 * Session through the real Stripe SDK against a wire-format fake, Stripe events signed exactly as
 * Stripe signs them (replayed twice and out of order), the tier's resources allocated and visible
 * through the admin API, and the pool-monitor and health-monitor Schedules created idempotently
 * and run on the dev server (SYS-005, RP-001, RP-002, RP-003, SYS-008).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { ScheduleNotFoundError } from '@temporalio/client';
import { startServer } from '../../server.js';
import { startWorker, type RunningWorker } from '../../worker.js';
import { createDb } from '../../db/client.js';
import { syncSchedules, SCHEDULES } from '../../lib/schedules.js';
import { ADMIN_KEY, temporalClient, testConfig, waitFor } from '../helpers/context.js';
import { seedPool, startPoolFakes, type PoolFakes } from '../helpers/pool-fakes.js';
import { StripeFake } from '../fakes/stripe-fake.js';
import { invoiceObject, signStripeEvent, stripeEvent, subscriptionObject } from '../helpers/stripe-events.js';
import { httpApi } from '../helpers/http-api.js';

const WEBHOOK_SECRET = 'whsec_e2e_billing_0123456789abcdef';
const stripe = new StripeFake();
let fakes: PoolFakes;
let server: Awaited<ReturnType<typeof startServer>>;
let worker: RunningWorker;
let config: ReturnType<typeof testConfig>;
let db: ReturnType<typeof createDb>;
let temporal: Awaited<ReturnType<typeof temporalClient>>;

beforeAll(async () => {
  const { baseUrl } = await stripe.start();
  fakes = await startPoolFakes();
  config = testConfig({
    DATABASE_URL: inject('billingDatabaseUrl'),
    APP_DATABASE_URL: inject('billingTenantDatabaseUrl'),
    STRIPE_SECRET_KEY: stripe.secretKey,
    STRIPE_API_BASE_URL: baseUrl,
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    EMAIL_DELIVERY: 'sandbox', // live Stripe (its fake); this test sends no email
    TEMPORAL_NAMESPACE: inject('billingNamespace'),
  });
  db = createDb({ systemUrl: config.databaseUrl, tenantUrl: config.tenantDatabaseUrl, poolSize: 5 });
  temporal = await temporalClient(undefined, config.temporal.namespace);
  worker = await startWorker(config, { db, bundlePath: inject('workflowBundlePath'), providers: fakes.providers });
  server = await startServer(config, { db });
});
afterAll(async () => {
  for (const s of SCHEDULES)
    await temporal?.schedule
      .getHandle(s.id)
      .delete()
      .catch(() => undefined);
  await server?.close();
  await worker?.shutdown();
  await temporal?.connection.close();
  await fakes?.stop();
  await stripe.stop();
  await db?.close();
});

const api = httpApi(() => server.url);

async function postStripe(event: object, opts: { secret?: string; header?: string } = {}) {
  const { payload, header } = signStripeEvent(event, opts.secret ?? WEBHOOK_SECRET);
  const res = await fetch(`${server.url}/webhooks/stripe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(opts.header !== '' ? { 'stripe-signature': opts.header ?? header } : {}) },
    body: payload,
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe('billing end to end (SYS-005, RP-001, SYS-008)', () => {
  let clientId = '';
  let clientKey = '';

  it('SYS-005 RP-001: checkout, then signed Stripe events (twice, out of order) allocate the Velocity tier, visible through the admin API', async () => {
    // A pool that just fits Velocity (5/10/2/7) with one domain to spare.
    await seedPool(db, { domains: 6, numbers: 2, seats: 7 });
    const created = await api('POST', '/v1/admin/clients', ADMIN_KEY, { name: 'Billing client', slug: `billing-${Date.now()}` });
    expect(created.status).toBe(201);
    clientId = created.body.client.id;
    clientKey = created.body.apiKey.apiKey;

    // The checkout: a Stripe Checkout Session for the tier, idempotent for a retried request.
    const bad = await api('POST', '/v1/billing/checkout', clientKey, { tier: 'platinum' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/tier.*unknown tier "platinum"/);
    const checkout = await api('POST', '/v1/billing/checkout', clientKey, { tier: 'velocity' }, { 'idempotency-key': 'try-1' });
    expect(checkout.status, JSON.stringify(checkout.body)).toBe(201);
    expect(checkout.body).toMatchObject({
      tier: 'Velocity',
      priceId: 'price_velocity',
      resources: { domains: 5, mailboxes: 10, phoneNumbers: 2, linkedinSeats: 7 },
    });
    expect(checkout.body.url).toMatch(/^https:\/\/checkout\.stripe\.test\//);
    const again = await api('POST', '/v1/billing/checkout', clientKey, { tier: 'velocity' }, { 'idempotency-key': 'try-1' });
    expect(again.body.sessionId).toBe(checkout.body.sessionId);
    expect(stripe.sessions).toHaveLength(1);
    expect(stripe.paramsOf(checkout.body.sessionId)).toMatchObject({
      client_reference_id: clientId,
      metadata: { clientId, tier: 'Velocity' },
      subscription_data: { metadata: { clientId } },
    });

    // The client pays: Stripe sends the session completed, the subscription and the invoice.
    const completed = stripe.completeSession(checkout.body.sessionId);
    const sessionObject = completed.data.object as { customer: string; subscription: string };
    const periodEnd = new Date(Date.now() + 30 * 86_400_000);
    const subCreated = stripeEvent(
      'customer.subscription.created',
      subscriptionObject({
        id: sessionObject.subscription,
        customerId: sessionObject.customer,
        clientId,
        priceId: 'price_velocity',
        tier: 'Velocity',
        status: 'active',
        periodEnd,
      }),
    );
    const invoicePaid = stripeEvent(
      'invoice.paid',
      invoiceObject({
        id: 'in_e2e_1',
        customerId: sessionObject.customer,
        subscriptionId: sessionObject.subscription,
        clientId,
        paid: true,
        periodEnd,
        priceId: 'price_velocity',
        tier: 'Velocity',
      }),
    );

    // Unsigned, wrongly signed, malformed: refused, nothing recorded.
    expect((await postStripe(completed, { header: '' })).status).toBe(401);
    expect((await postStripe(completed, { secret: 'whsec_wrong' })).status).toBe(401);
    const malformed = await postStripe({
      ...subCreated,
      id: 'evt_malformed',
      data: { object: { id: 'sub_x', object: 'subscription', items: { data: [{}] } } },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.message).toMatch(/data\.object/);
    // The malformed one is kept (raw bytes, reason) and never acted on; the refused ones are not.
    expect(await db.system.webhookEvent.count({ where: { provider: 'stripe' } })).toBe(1);
    expect(await db.system.webhookEvent.count({ where: { provider: 'stripe', type: 'invalid', processedAt: null } })).toBe(1);

    // Out of order (invoice first), each delivered twice.
    for (const e of [invoicePaid, subCreated, completed]) {
      const first = await postStripe(e);
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      const repeat = await postStripe(e);
      expect(repeat.body).toMatchObject({ received: true, duplicate: true });
    }
    expect(await db.system.webhookEvent.count({ where: { provider: 'stripe', NOT: { type: 'invalid' } } })).toBe(3);

    const held = await waitFor(
      async () => {
        const r = await api('GET', `/v1/admin/clients/${clientId}/resources`, ADMIN_KEY);
        return r.body.tier === 'velocity' && r.body.counts?.linkedinSeats === 7 && r.body.counts.domains === 5 && r.body;
      },
      { what: 'the Velocity allocation', timeoutMs: 60_000 },
    );
    expect(held).toMatchObject({
      status: 'active',
      tier: 'velocity',
      counts: { domains: 5, mailboxes: 10, phoneNumbers: 2, linkedinSeats: 7 },
    });
    expect(held.subscriptions).toEqual([
      expect.objectContaining({ stripeSubscriptionId: sessionObject.subscription, status: 'active', tier: 'velocity' }),
    ]);
    const mine = await api('GET', '/v1/billing', clientKey);
    expect(mine.body).toMatchObject({
      tier: 'velocity',
      status: 'active',
      resources: { domains: 5, mailboxes: 10, phoneNumbers: 2, linkedinSeats: 7 },
    });

    // A later redelivery of everything changes nothing.
    for (const e of [completed, invoicePaid, subCreated]) expect((await postStripe(e)).body.duplicate).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(await db.system.resourceAllocation.count({ where: { clientId } })).toBe(5 + 10 + 2 + 7);
  });

  it('RP-003 RP-002: the Schedules are created once however often they are synced, and the pool monitor they run raises the low-pool alerts and buys', async () => {
    const first = await syncSchedules(temporal, config.temporal.taskQueue);
    const second = await syncSchedules(temporal, config.temporal.taskQueue);
    const names = ['pool-monitor', 'health-monitor', 'mailbox-reading', 'recording-retention', 'outreach-prep-zones'];
    expect(first).toEqual(names.map((id) => ({ id, outcome: 'created' })));
    expect(second).toEqual(names.map((id) => ({ id, outcome: 'updated' })));
    const ids: string[] = [];
    for await (const s of temporal.schedule.list()) ids.push(s.scheduleId);
    for (const name of names)
      expect(
        ids.filter((id) => id === name),
        name,
      ).toHaveLength(1);
    const desc = await temporal.schedule.getHandle('pool-monitor').describe();
    expect(desc.action).toMatchObject({ type: 'startWorkflow', workflowType: 'poolMonitorWorkflow', taskQueue: config.temporal.taskQueue });
    expect(desc.policies.overlap).toBe('SKIP');

    // Run it now, as an operator would from the dashboard.
    const run = await api('POST', '/v1/admin/pool/monitor/run', ADMIN_KEY);
    expect(run.status).toBe(202);
    const alerts = await waitFor(
      async () => {
        const r = await api('GET', '/v1/admin/alerts?state=open', ADMIN_KEY);
        const keys = (r.body.alerts as { dedupeKey?: string; kind: string; data: { resourceType?: string } }[]).filter((a) =>
          a.kind.startsWith('pool_buffer'),
        );
        return keys.length >= 6 && keys;
      },
      { what: 'the pool alerts', timeoutMs: 60_000 },
    );
    // 1 of 5 domains and 2 of 10 mailboxes spare (20%: warning); no number or seat spare (critical).
    const byType = (kind: string) =>
      alerts
        .filter((a) => a.kind === kind)
        .map((a) => a.data.resourceType)
        .sort();
    expect(byType('pool_buffer_low')).toEqual(['domains', 'linkedinSeats', 'mailboxes', 'phoneNumbers']);
    expect(byType('pool_buffer_critical')).toEqual(['linkedinSeats', 'phoneNumbers']);
    // The shortfall is bought: 40% of 5 domains = 2 (1 spare -> 1), of 2 numbers = 1, of 7 seats = 3.
    // A seat request is recorded awaiting the operator after Unipile gave its link (the seats are
    // bought last): wait for the last of those writes, not only for the providers' calls.
    await waitFor(
      async () =>
        fakes.unipile.hostedAuthLinks.length === 3 &&
        fakes.twilio.purchasedNumbers.length === 1 &&
        fakes.infraforge.purchases.length === 1 &&
        (await db.system.poolPurchase.count({ where: { resourceType: 'linkedin_seat', status: 'awaiting_operator' } })) === 3,
      { what: 'the purchases', timeoutMs: 60_000 },
    );
    const pool = await api('GET', '/v1/admin/pool', ADMIN_KEY);
    expect(pool.body.types.domains).toMatchObject({ allocated: 5, readyUnallocated: 1, pending: 1, level: 'warning' });
    expect(pool.body.purchases.awaitingOperator).toHaveLength(3);

    // Deleting and syncing again recreates exactly one.
    await temporal.schedule.getHandle('health-monitor').delete();
    await expect(temporal.schedule.getHandle('health-monitor').describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    expect(await syncSchedules(temporal, config.temporal.taskQueue)).toEqual(
      names.map((id) => ({ id, outcome: id === 'health-monitor' ? 'created' : 'updated' })),
    );
  });
});
