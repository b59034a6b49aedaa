/**
 * Stripe billing (SYS-005, RP-001) with the real `stripe` SDK against test/fakes/stripe-fake.ts
 * (a real HTTP server): Checkout Session creation (metadata, idempotency, error classification),
 * the sandbox checkout, webhook event schemas and billing facts, and webhook signatures made by
 * the SDK's own test helper.
 */
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { createSandboxCheckout, createStripeCheckout, sandboxCheckoutSessionId } from '../../../providers/stripe/checkout.js';
import { classifyStripeError, createStripeClient } from '../../../providers/stripe/client.js';
import { parseStripeEvent, stripeBillingFacts, StripeEventSchema } from '../../../providers/stripe/events.js';
import { createMemoryRecorder } from '../../../providers/sandbox/recorder.js';
import type { CheckoutRequest } from '../../../providers/ports.js';
import { parseStripeForm, StripeFake } from '../../fakes/stripe-fake.js';
import {
  checkoutCompleted,
  invoiceObject,
  signStripe,
  signStripeEvent,
  STRIPE_TEST_WEBHOOK_SECRET,
  stripeEvent,
  subscriptionObject,
} from '../../helpers/stripe-events.js';
import { rejection, useFake } from '../../helpers/assertions.js';

const fake = new StripeFake();
const fakeAt = useFake(fake);

const checkout = () => createStripeCheckout({ secretKey: fake.secretKey, baseUrl: fakeAt.baseUrl });
const request: CheckoutRequest = {
  clientId: '6f1c2a9e-3b7d-4e55-9a10-2f4b8c7d1e01',
  tier: 'velocity',
  priceId: 'price_1QvelocityAUDmonthly',
  successUrl: 'https://app.example.com/billing/done?session_id={CHECKOUT_SESSION_ID}',
  cancelUrl: 'https://app.example.com/billing/cancelled',
  customerEmail: 'owner@acme-fitouts.example',
  idempotencyKey: 'checkout:6f1c2a9e-3b7d-4e55-9a10-2f4b8c7d1e01:velocity:1',
};
const metadata = { clientId: request.clientId, tier: 'velocity', priceId: request.priceId };

describe('Stripe Checkout (SYS-005 / RP-001)', () => {
  it('SYS-005: creates a subscription-mode session with clientId, tier and priceId in its and the subscription metadata', async () => {
    const session = await checkout().createCheckoutSession(request);

    expect(session.id).toMatch(/^cs_test_/);
    expect(session.url).toBe(`https://checkout.stripe.test/c/pay/${session.id}`);
    expect(fake.requests).toHaveLength(1);
    const req = fake.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v1/checkout/sessions');
    expect(req.headers.authorization).toBe(`Bearer ${fake.secretKey}`);
    expect(req.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(req.headers['idempotency-key']).toBe(request.idempotencyKey);
    expect(req.headers['x-stripe-client-telemetry']).toBeUndefined();
    // Stripe's bracket notation, as the SDK encodes it.
    expect(req.rawBody).toContain(`line_items[0][price]=${request.priceId}`);
    expect(req.rawBody).toContain('subscription_data[metadata][tier]=velocity');
    expect(fake.paramsOf(session.id)).toEqual({
      mode: 'subscription',
      line_items: [{ price: request.priceId, quantity: '1' }],
      success_url: request.successUrl,
      cancel_url: request.cancelUrl,
      client_reference_id: request.clientId,
      customer_email: request.customerEmail,
      metadata,
      subscription_data: { metadata },
    });
    expect(fake.session(session.id)).toMatchObject({
      object: 'checkout.session',
      mode: 'subscription',
      status: 'open',
      payment_status: 'unpaid',
      client_reference_id: request.clientId,
      metadata,
      customer: null,
      customer_email: request.customerEmail,
      subscription: null,
    });
  });

  it('SYS-005: an existing customer is passed as customer (never together with customer_email)', async () => {
    const session = await checkout().createCheckoutSession({ ...request, customerId: 'cus_Existing123' });
    expect(fake.paramsOf(session.id)).toMatchObject({ customer: 'cus_Existing123' });
    expect(fake.paramsOf(session.id)).not.toHaveProperty('customer_email');
  });

  it('RP-001: the same idempotency key twice is one session (Stripe replays the first answer)', async () => {
    const first = await checkout().createCheckoutSession(request);
    const second = await checkout().createCheckoutSession(request);

    expect(second).toEqual(first);
    expect(fake.sessions).toHaveLength(1);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests.map((r) => r.headers['idempotency-key'])).toEqual([request.idempotencyKey, request.idempotencyKey]);
  });

  it('RP-001: the same key with other parameters is a permanent idempotency_conflict', async () => {
    await checkout().createCheckoutSession(request);
    const err = await rejection(checkout().createCheckoutSession({ ...request, tier: 'dominance', priceId: 'price_1QdominanceAUD' }));
    expect(err).toMatchObject({ provider: 'stripe', code: 'idempotency_conflict', retryable: false, status: 400 });
    expect(fake.sessions).toHaveLength(1);
  });

  it('RP-001: an answer lost after the session was made: the SDK reconnects once with the same key and gets the same session', async () => {
    fake.failNext({ afterEffect: true });
    const session = await checkout().createCheckoutSession(request);
    expect(fake.requests).toHaveLength(2);
    expect(fake.sessions.map((s) => s.id)).toEqual([session.id]);
  });

  it('SYS-005: a wrong secret key is a permanent auth_failed (401)', async () => {
    const bad = createStripeCheckout({ secretKey: 'sk_test_wrong_key_000000', baseUrl: fakeAt.baseUrl });
    const err = await rejection(bad.createCheckoutSession(request));
    expect(err).toMatchObject({ provider: 'stripe', code: 'auth_failed', retryable: false, status: 401 });
    expect(err.message).toContain('Invalid API Key provided');
    expect(fake.requests).toHaveLength(1);
    expect(fake.sessions).toHaveLength(0);
  });

  it('SYS-005: HTTP 500 is exactly one request (SDK retries off) and a transient error', async () => {
    fake.failNext({ status: 500 });
    const err = await rejection(checkout().createCheckoutSession(request));
    expect(err).toMatchObject({ code: 'provider_unavailable', retryable: true, status: 500 });
    expect(fake.requests).toHaveLength(1);
    expect(fake.sessions).toHaveLength(0);
  });

  it('SYS-005: HTTP 429 is transient with Retry-After kept; 409 lock_timeout is transient', async () => {
    fake.failNext({ status: 429, headers: { 'Retry-After': '3' } });
    expect(await rejection(checkout().createCheckoutSession(request))).toMatchObject({
      code: 'rate_limited',
      retryable: true,
      status: 429,
      retryAfterSeconds: 3,
    });
    fake.failNext({ status: 409 });
    expect(await rejection(checkout().createCheckoutSession(request))).toMatchObject({
      code: 'lock_timeout',
      retryable: true,
      status: 409,
    });
    expect(fake.requests).toHaveLength(2);
  });

  it('SYS-005: Stripe refusing the request (unknown price, 403) is permanent', async () => {
    const strict = new StripeFake({ secretKey: fake.secretKey, prices: ['price_known'] });
    const { baseUrl: strictUrl } = await strict.start();
    try {
      const err = await rejection(createStripeCheckout({ secretKey: fake.secretKey, baseUrl: strictUrl }).createCheckoutSession(request));
      expect(err).toMatchObject({ code: 'not_found', retryable: false, status: 400 });
      expect(err.message).toContain(`No such price: '${request.priceId}'`);
      expect(err.message).toContain('param line_items[0][price]');
    } finally {
      await strict.stop();
    }
    fake.failNext({ status: 403 });
    expect(await rejection(checkout().createCheckoutSession(request))).toMatchObject({
      code: 'permission_denied',
      retryable: false,
      status: 403,
    });
  });

  it('SYS-005: nothing listening, or no answer in time, is transient', async () => {
    const dead = new StripeFake();
    const { baseUrl: deadUrl } = await dead.start();
    await dead.stop();
    expect(
      await rejection(createStripeCheckout({ secretKey: 'sk_test_x', baseUrl: deadUrl }).createCheckoutSession(request)),
    ).toMatchObject({
      code: 'network_error',
      retryable: true,
    });

    const silent = createServer(() => undefined);
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      const err = await rejection(
        createStripeCheckout({ secretKey: 'sk_test_x', baseUrl: url, timeoutMs: 300 }).createCheckoutSession(request),
      );
      expect(err).toMatchObject({ code: 'timeout', retryable: true });
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('classifies Stripe SDK errors by type, status and code', () => {
    const { errors } = Stripe;
    const c = (e: unknown) => classifyStripeError(e);
    expect(c(new errors.StripeCardError({ statusCode: 402, code: 'card_declined', message: 'Your card was declined.' }))).toMatchObject({
      code: 'card_declined',
      retryable: false,
      status: 402,
    });
    expect(
      c(
        new errors.StripeInvalidRequestError({
          statusCode: 400,
          code: 'parameter_missing',
          param: 'mode',
          message: 'Missing required param: mode.',
        }),
      ),
    ).toMatchObject({
      code: 'invalid_request',
      retryable: false,
    });
    expect(c(new errors.StripeAuthenticationError({ statusCode: 401, message: 'Invalid API Key' }))).toMatchObject({
      code: 'auth_failed',
      retryable: false,
    });
    expect(c(new errors.StripePermissionError({ statusCode: 403, message: 'no' }))).toMatchObject({
      code: 'permission_denied',
      retryable: false,
    });
    expect(c(new errors.StripeRateLimitError({ statusCode: 429, code: 'rate_limit', message: 'slow down' }))).toMatchObject({
      code: 'rate_limited',
      retryable: true,
    });
    expect(c(new errors.StripeAPIError({ statusCode: 409, code: 'lock_timeout', message: 'locked' }))).toMatchObject({
      code: 'lock_timeout',
      retryable: true,
    });
    expect(c(new errors.StripeAPIError({ statusCode: 503, message: 'down' }))).toMatchObject({
      code: 'provider_unavailable',
      retryable: true,
    });
    expect(c(new errors.StripeAPIError({ statusCode: 500, message: 'x', headers: { 'stripe-should-retry': 'false' } }))).toMatchObject({
      retryable: false,
    });
    expect(c(new errors.StripeConnectionError({ message: 'An error occurred with our connection to Stripe.' }))).toMatchObject({
      code: 'network_error',
      retryable: true,
    });
    expect(c(new errors.StripeConnectionError({ message: 'Request aborted due to timeout being reached (80000ms)' }))).toMatchObject({
      code: 'timeout',
      retryable: true,
    });
  });

  it('rejects a base URL it cannot honour and an incomplete request before calling Stripe', async () => {
    expect(() => createStripeClient({ secretKey: 'sk_test_x', baseUrl: 'http://127.0.0.1:1/prefix' })).toThrow(/cannot carry a path/);
    expect(() => createStripeClient({ secretKey: '' })).toThrow(/secretKey/);
    const err = await rejection(checkout().createCheckoutSession({ ...request, priceId: '' }));
    expect(err).toMatchObject({ code: 'invalid_request', retryable: false });
    expect(fake.requests).toHaveLength(0);
  });

  it('the fake answers retrieve and list through the SDK, and completeSession completes the session', async () => {
    const stripe = createStripeClient({ secretKey: fake.secretKey, baseUrl: fakeAt.baseUrl });
    const { id } = await checkout().createCheckoutSession(request);
    const event = fake.completeSession(id);
    const retrieved = await stripe.checkout.sessions.retrieve(id);
    expect(retrieved).toMatchObject({ id, status: 'complete', payment_status: 'paid', url: null });
    expect(retrieved.customer).toMatch(/^cus_/);
    expect(retrieved.subscription).toMatch(/^sub_/);
    expect((await stripe.checkout.sessions.list()).data.map((s) => s.id)).toEqual([id]);
    const sub = await stripe.subscriptions.retrieve(retrieved.subscription as string);
    expect(sub).toMatchObject({ status: 'active', customer: retrieved.customer, metadata });
    expect(sub.items.data[0]!.price.id).toBe(request.priceId);
    expect(event).toMatchObject({ object: 'event', type: 'checkout.session.completed', data: { object: { id, payment_status: 'paid' } } });
    expect(
      await rejection(stripe.checkout.sessions.retrieve('cs_test_missing').catch((e) => Promise.reject(classifyStripeError(e)))),
    ).toMatchObject({
      code: 'not_found',
      status: 404,
    });
  });

  it('parses Stripe bracket notation into nested objects and arrays', () => {
    expect(parseStripeForm('a=1&line_items[0][price]=p&line_items[1][price]=q&metadata[k]=v&subscription_data[metadata][tier]=t')).toEqual({
      a: '1',
      line_items: [{ price: 'p' }, { price: 'q' }],
      metadata: { k: 'v' },
      subscription_data: { metadata: { tier: 't' } },
    });
  });
});

describe('Sandbox checkout (SYS-005)', () => {
  it('SYS-005: deterministic per idempotency key, recorded with the session parameters', async () => {
    const recorder = createMemoryRecorder();
    const sandbox = createSandboxCheckout(recorder, 'https://app.example.com/');
    const a = await sandbox.createCheckoutSession(request);
    const again = await sandbox.createCheckoutSession(request);
    const other = await sandbox.createCheckoutSession({ ...request, idempotencyKey: 'checkout:other' });

    expect(a.id).toMatch(/^cs_sandbox_[0-9a-f]{24}$/);
    expect(a.id).toBe(sandboxCheckoutSessionId(request.idempotencyKey));
    expect(a.url).toBe(`https://app.example.com/sandbox/checkout/${a.id}`);
    expect(again).toEqual(a);
    expect(other.id).not.toBe(a.id);
    const entries = recorder.filter('stripe', 'checkout_session');
    expect(entries).toHaveLength(3);
    expect(entries[0]).toMatchObject({
      provider: 'stripe',
      kind: 'checkout_session',
      to: request.clientId,
      payload: {
        id: a.id,
        url: a.url,
        idempotencyKey: request.idempotencyKey,
        mode: 'subscription',
        line_items: [{ price: request.priceId, quantity: 1 }],
        client_reference_id: request.clientId,
        metadata,
        subscription_data: { metadata },
      },
    });
    await expect(sandbox.createCheckoutSession({ ...request, clientId: '' })).rejects.toMatchObject({
      code: 'invalid_request',
      retryable: false,
    });
  });
});

describe('Stripe webhook events (SYS-005 / RP-001)', () => {
  const ids = { customerId: 'cus_R2d2C3po000001', subscriptionId: 'sub_1QAgencyOs000001' };
  const periodEnd = '2027-01-15T03:00:00.000Z';

  it('RP-001: checkout.session.completed from the fake: paid, with client, customer, subscription, price and tier', async () => {
    const { id } = await checkout().createCheckoutSession(request);
    const event = fake.completeSession(id, { eventId: 'evt_1QcheckoutDone001', created: '2026-12-01T00:00:00Z' });
    const parsed = parseStripeEvent(event);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.facts).toEqual({
      eventId: 'evt_1QcheckoutDone001',
      stripeType: 'checkout.session.completed',
      type: 'checkout_completed',
      created: '2026-12-01T00:00:00.000Z',
      clientId: request.clientId,
      customerId: fake.session(id)!.customer,
      subscriptionId: fake.session(id)!.subscription,
      priceId: request.priceId,
      tierHint: 'velocity',
      status: 'active',
      paid: true,
      customerEmail: request.customerEmail,
    });
    // Loose objects: fields we do not read are kept.
    expect(parsed.event.data.object).toHaveProperty('adaptive_pricing');
  });

  it('RP-001: async_payment_succeeded is a checkout completion; an unpaid completion is not paid; metadata.clientId without client_reference_id', () => {
    const base = { clientId: 'client-1', tier: 'ignition', priceId: 'price_ign', ...ids };
    const unpaid = checkoutCompleted({ ...base, paid: false, withoutClientReference: true });
    expect(stripeBillingFacts(StripeEventSchema.parse(unpaid))).toMatchObject({
      type: 'checkout_completed',
      clientId: 'client-1',
      paid: false,
    });
    expect(stripeBillingFacts(StripeEventSchema.parse(unpaid))).not.toHaveProperty('status');

    const later = stripeEvent('checkout.session.async_payment_succeeded', {
      ...checkoutCompleted(base).data.object,
      payment_status: 'paid',
    });
    expect(stripeBillingFacts(StripeEventSchema.parse(later))).toMatchObject({
      type: 'checkout_completed',
      stripeType: 'checkout.session.async_payment_succeeded',
      paid: true,
      status: 'active',
    });

    const free = stripeEvent('checkout.session.completed', {
      ...checkoutCompleted(base).data.object,
      payment_status: 'no_payment_required',
    });
    expect(stripeBillingFacts(StripeEventSchema.parse(free))).toMatchObject({ paid: true });

    const expanded = stripeEvent('checkout.session.completed', {
      ...checkoutCompleted(base).data.object,
      customer: { id: ids.customerId, object: 'customer' },
    });
    expect(stripeBillingFacts(StripeEventSchema.parse(expanded))).toMatchObject({ customerId: ids.customerId });
  });

  it('RP-001: invoice.paid reads the subscription from parent.subscription_details, the client from its metadata, the period end from the lines', () => {
    const inv = invoiceObject({
      id: 'in_1QpaidInvoice0001',
      ...ids,
      clientId: 'client-7',
      tier: 'dominance',
      priceId: 'price_dom',
      paid: true,
      periodEnd,
    });
    expect(inv).not.toHaveProperty('subscription');
    const parsed = parseStripeEvent(stripeEvent('invoice.paid', inv, { id: 'evt_invoicePaid01', created: 1_796_000_000 }));
    expect(parsed).toEqual({
      ok: true,
      event: expect.anything(),
      facts: {
        eventId: 'evt_invoicePaid01',
        stripeType: 'invoice.paid',
        type: 'invoice_paid',
        created: new Date(1_796_000_000_000).toISOString(),
        clientId: 'client-7',
        customerId: ids.customerId,
        subscriptionId: ids.subscriptionId,
        priceId: 'price_dom',
        tierHint: 'dominance',
        status: 'active',
        paid: true,
        currentPeriodEnd: periodEnd,
        customerEmail: 'billing@client.example',
      },
    });
  });

  it('RP-001: invoice.payment_failed is not paid; priceId falls back to the metadata snapshot', () => {
    const inv = invoiceObject({
      id: 'in_1QfailedInvoice01',
      ...ids,
      metadata: { clientId: 'client-7', priceId: 'price_meta' },
      paid: false,
      periodEnd,
      attemptCount: 2,
    });
    const facts = stripeBillingFacts(StripeEventSchema.parse(stripeEvent('invoice.payment_failed', inv)));
    expect(facts).toMatchObject({
      type: 'invoice_payment_failed',
      paid: false,
      clientId: 'client-7',
      subscriptionId: ids.subscriptionId,
      priceId: 'price_meta',
    });
    expect(facts).not.toHaveProperty('status');
    expect(facts).not.toHaveProperty('tierHint');
  });

  it.each([
    ['customer.subscription.created', 'subscription_created', 'active', false],
    ['customer.subscription.updated', 'subscription_updated', 'past_due', true],
    ['customer.subscription.deleted', 'subscription_deleted', 'canceled', false],
  ] as const)('SYS-005: %s -> %s with status, price and period end from the items', (stripeType, type, status, cancelAtPeriodEnd) => {
    const sub = subscriptionObject({
      id: ids.subscriptionId,
      customerId: ids.customerId,
      clientId: 'client-9',
      tier: 'velocity',
      priceId: 'price_vel',
      status,
      periodEnd,
      cancelAtPeriodEnd,
    });
    expect(sub).not.toHaveProperty('current_period_end');
    const event = stripeEvent(
      stripeType,
      sub,
      stripeType === 'customer.subscription.updated' ? { previousAttributes: { status: 'active' } } : {},
    );
    const parsed = parseStripeEvent(event);
    expect(parsed.ok && parsed.facts).toMatchObject({
      stripeType,
      type,
      clientId: 'client-9',
      customerId: ids.customerId,
      subscriptionId: ids.subscriptionId,
      priceId: 'price_vel',
      tierHint: 'velocity',
      status,
      currentPeriodEnd: periodEnd,
      cancelAtPeriodEnd,
    });
    expect(parsed.ok && parsed.facts).not.toHaveProperty('paid');
  });

  it('SYS-005: an unknown type parses with facts null (acknowledged and ignored)', () => {
    const parsed = parseStripeEvent(stripeEvent('payment_intent.succeeded', { id: 'pi_123', object: 'payment_intent', amount: 100 }));
    expect(parsed).toMatchObject({ ok: true, facts: null, event: { type: 'payment_intent.succeeded' } });
    const failedAsync = parseStripeEvent(stripeEvent('checkout.session.async_payment_failed', { id: 'cs_x', object: 'checkout.session' }));
    expect(failedAsync).toMatchObject({ ok: true, facts: null });
  });

  it('SYS-005: a malformed object of a known type is reported with field paths', () => {
    const inv = invoiceObject({ id: 'in_1Qbroken', ...ids, paid: true, periodEnd }) as Record<string, unknown>;
    (inv.parent as { subscription_details: { subscription: unknown } }).subscription_details.subscription = 42;
    const badInvoice = parseStripeEvent(stripeEvent('invoice.paid', inv));
    expect(badInvoice.ok).toBe(false);
    expect(!badInvoice.ok && badInvoice.issues.join('\n')).toContain('data.object.parent.subscription_details.subscription');

    const sub = subscriptionObject({
      id: ids.subscriptionId,
      customerId: ids.customerId,
      priceId: 'price_vel',
      status: 'active',
      periodEnd,
    });
    delete (sub.items as { data: { price: Record<string, unknown> }[] }).data[0]!.price.id;
    delete (sub as Record<string, unknown>).status;
    const badSub = parseStripeEvent(stripeEvent('customer.subscription.updated', sub));
    expect(badSub.ok).toBe(false);
    if (badSub.ok) return;
    expect(badSub.issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^data\.object\.items\.data\.0\.price\.id: /),
        expect.stringMatching(/^data\.object\.status: /),
      ]),
    );

    const badSession = parseStripeEvent(stripeEvent('checkout.session.completed', { id: 'cs_test_1', object: 'checkout.session' }));
    expect(!badSession.ok && badSession.issues).toEqual([expect.stringMatching(/^data\.object\.payment_status: /)]);
  });

  it('SYS-005: a malformed envelope, or a body that is not JSON, is reported', () => {
    const bad = parseStripeEvent({ ...stripeEvent('invoice.paid', {}), id: 'not-an-event', created: 'yesterday' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.issues).toEqual(expect.arrayContaining([expect.stringMatching(/^id: /), expect.stringMatching(/^created: /)]));
    expect(parseStripeEvent('{nope')).toEqual({ ok: false, issues: ['(root): body is not JSON'] });
    const fromText = parseStripeEvent(JSON.stringify(checkoutCompleted({ clientId: 'c', tier: 't', priceId: 'price_p', ...ids })));
    expect(fromText).toMatchObject({ ok: true, facts: { clientId: 'c' } });
  });
});

describe('Stripe webhook signatures (SYS-005)', () => {
  const stripe = createStripeClient({ secretKey: 'sk_test_signatures' });
  const event = checkoutCompleted({
    clientId: 'client-1',
    tier: 'velocity',
    priceId: 'price_vel',
    customerId: 'cus_1',
    subscriptionId: 'sub_1',
  });

  it('SYS-005: constructEvent verifies what signStripe signed, byte for byte', () => {
    const { payload, header } = signStripeEvent(event);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const t = /^t=(\d+)/.exec(header)![1]!;
    expect(header.split('v1=')[1]).toBe(createHmac('sha256', STRIPE_TEST_WEBHOOK_SECRET).update(`${t}.${payload}`).digest('hex'));

    const constructed = stripe.webhooks.constructEvent(payload, header, STRIPE_TEST_WEBHOOK_SECRET);
    expect(constructed).toEqual(event);
    expect(parseStripeEvent(constructed)).toMatchObject({ ok: true, facts: { type: 'checkout_completed', clientId: 'client-1' } });
    // Also with a Buffer, as a raw-body route hands it over.
    expect(stripe.webhooks.constructEvent(Buffer.from(payload), header, STRIPE_TEST_WEBHOOK_SECRET).id).toBe(event.id);
  });

  it('SYS-005: a tampered payload, another secret or an old timestamp fail verification', () => {
    const payload = JSON.stringify(event);
    const header = signStripe(payload, STRIPE_TEST_WEBHOOK_SECRET);
    const tampered = payload.replace('client-1', 'client-2');
    expect(() => stripe.webhooks.constructEvent(tampered, header, STRIPE_TEST_WEBHOOK_SECRET)).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
    expect(() => stripe.webhooks.constructEvent(payload, signStripe(payload, 'whsec_other'), STRIPE_TEST_WEBHOOK_SECRET)).toThrow(
      /signature/i,
    );
    const old = signStripe(payload, STRIPE_TEST_WEBHOOK_SECRET, Math.floor(Date.now() / 1000) - 600);
    expect(() => stripe.webhooks.constructEvent(payload, old, STRIPE_TEST_WEBHOOK_SECRET)).toThrow(/tolerance/i);
    expect(stripe.webhooks.constructEvent(payload, old, STRIPE_TEST_WEBHOOK_SECRET, 900).id).toBe(event.id);
  });
});
