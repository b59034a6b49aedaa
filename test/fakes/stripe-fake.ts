/**
 * A fake Stripe API (the Checkout part) on test/fakes/http-fake.ts, for the real `stripe` SDK
 * (createStripeClient({ baseUrl })) in provider, workflow and end-to-end tests.
 *
 *   const stripe = new StripeFake();                     // or new StripeFake({ secretKey, prices })
 *   const { baseUrl } = await stripe.start();            // http://127.0.0.1:PORT
 *   stripe.sessions;  stripe.session(id);  stripe.paramsOf(id);   // what was created, and with what
 *   stripe.failNext({ status: 500 });                    // Stripe error bodies filled in by status
 *   stripe.failNext({ drop: true }) / { afterEffect: true } // no answer (the SDK reconnects once!)
 *   const evt = stripe.completeSession(id);              // checkout.session.completed event (paid)
 *   stripe.subscriptions;                                // the subscriptions completion created
 *   stripe.requests;   stripe.reset();   await stripe.stop();
 *
 * Wire format, as the SDK speaks it (verified in node_modules/stripe 23.1.0):
 *   - `Authorization: Bearer <secretKey>`; otherwise 401 `{ error: { type: 'invalid_request_error', message } }`.
 *   - Form-encoded bodies in bracket notation (`line_items[0][price]`, `metadata[clientId]`,
 *     `subscription_data[metadata][tier]`), parsed here into nested objects / arrays.
 *   - `Idempotency-Key`: the same key with the same parameters replays the first answer
 *     (`Idempotent-Replayed: true`), with other parameters or on another endpoint answers 400
 *     `idempotency_error`. Only successful answers are kept (like Stripe, a request that failed
 *     validation is not stored). The SDK adds its own `stripe-node-retry-<uuid>` key when the
 *     caller passes none.
 *   - Answers carry `Request-Id`. NOTE the SDK decides failure from an `error` key in the JSON
 *     body, not from the status: a scripted failure without a Stripe error body would read as a
 *     success, so failNext fills one in.
 *
 * Routes: POST /v1/checkout/sessions, GET /v1/checkout/sessions (list), GET
 * /v1/checkout/sessions/:id, POST /v1/checkout/sessions/:id/expire, GET /v1/subscriptions/:id.
 * Anything else: 404 "Unrecognized request URL".
 */
import { randomBytes } from 'node:crypto';
import { RoutedFake, type FakeRequest, type FakeResponse, type ScriptedFailure } from './http-fake.js';
import { checkoutSessionObject, stripeEvent, stripeId, subscriptionObject, type StripeEventEnvelope } from '../helpers/stripe-events.js';

export type StripeFakeSession = Record<string, unknown> & {
  id: string;
  object: 'checkout.session';
  status: 'open' | 'complete' | 'expired';
  payment_status: 'paid' | 'unpaid' | 'no_payment_required';
  customer: string | null;
  subscription: string | null;
  metadata: Record<string, string>;
  url: string | null;
};

export type StripeFakeSubscription = Record<string, unknown> & {
  id: string;
  status: string;
  customer: string;
  metadata: Record<string, string>;
};

export interface StripeErrorBody {
  error: {
    type: string;
    message: string;
    code?: string;
    param?: string;
    decline_code?: string;
    doc_url?: string;
    request_log_url?: string;
  };
}

export function stripeErrorBody(
  type: string,
  message: string,
  extra: { code?: string; param?: string; decline_code?: string } = {},
): StripeErrorBody {
  return {
    error: {
      type,
      message,
      ...extra,
      ...(extra.code ? { doc_url: `https://stripe.com/docs/error-codes/${extra.code.replace(/_/g, '-')}` } : {}),
    },
  };
}

/** The error body Stripe answers with for a status (used to fill in scripted failures). */
export function defaultStripeErrorBody(status: number): StripeErrorBody {
  if (status === 400) return stripeErrorBody('invalid_request_error', 'Invalid request (scripted).', { code: 'parameter_invalid_empty' });
  if (status === 401) return stripeErrorBody('invalid_request_error', 'Invalid API Key provided: sk_test_********');
  if (status === 402)
    return stripeErrorBody('card_error', 'Your card was declined.', { code: 'card_declined', decline_code: 'generic_decline' });
  if (status === 403)
    return stripeErrorBody('invalid_request_error', 'The provided key does not have the required permissions for this endpoint.', {
      code: 'secret_key_required',
    });
  if (status === 404) return stripeErrorBody('invalid_request_error', 'No such object (scripted).', { code: 'resource_missing' });
  if (status === 409) {
    return stripeErrorBody(
      'invalid_request_error',
      'This object cannot be accessed right now because another API request or Stripe process is currently accessing it.',
      { code: 'lock_timeout' },
    );
  }
  if (status === 429)
    return stripeErrorBody(
      'invalid_request_error',
      'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
      { code: 'rate_limit' },
    );
  return stripeErrorBody('api_error', 'Something went wrong on our end (scripted).');
}

/** Stripe's bracket notation (`a[b][0][c]=v`) into nested objects; all-numeric keys become arrays. */
export function parseStripeForm(raw: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
    const path = m ? [m[1]!, ...[...m[2]!.matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1]!)] : [key];
    let node: Record<string, unknown> = root;
    path.forEach((part, i) => {
      if (i === path.length - 1) {
        node[part] = value;
        return;
      }
      const next = node[part];
      if (next === null || typeof next !== 'object') node[part] = {};
      node = node[part] as Record<string, unknown>;
    });
  }
  return arrayify(root) as Record<string, unknown>;
}

function arrayify(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  for (const k of keys) o[k] = arrayify(o[k]);
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((k) => o[k]);
  }
  return o;
}

/** Stable text of parsed parameters (key order does not matter, like Stripe's comparison). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export interface StripeFakeOptions {
  secretKey?: string;
  /** When given, only these price ids exist (others: 400 resource_missing); by default any price_... does. */
  prices?: string[];
}

export class StripeFake extends RoutedFake {
  readonly secretKey: string;
  readonly prices?: Set<string>;
  private readonly store = new Map<string, { session: StripeFakeSession; params: Record<string, unknown> }>();
  private readonly subs = new Map<string, StripeFakeSubscription>();
  private readonly idempotency = new Map<string, { endpoint: string; params: string; answer: FakeResponse }>();

  constructor(opts: StripeFakeOptions = {}) {
    super();
    this.secretKey = opts.secretKey ?? `sk_test_${randomBytes(12).toString('hex')}`;
    if (opts.prices) this.prices = new Set(opts.prices);
  }

  /** Checkout Sessions created, in order. */
  get sessions(): StripeFakeSession[] {
    return [...this.store.values()].map((s) => s.session);
  }

  session(id: string): StripeFakeSession | undefined {
    return this.store.get(id)?.session;
  }

  /** The parameters the session was created with, nested (line_items, metadata, subscription_data...). */
  paramsOf(id: string): Record<string, unknown> | undefined {
    return this.store.get(id)?.params;
  }

  get subscriptions(): StripeFakeSubscription[] {
    return [...this.subs.values()];
  }

  /**
   * The next matching request fails (HttpFake semantics: status, drop, afterEffect). A missing
   * body becomes Stripe's error body for the status (see defaultStripeErrorBody). Remember the
   * SDK reconnects ONCE after a dropped connection (ECONNRESET) even with maxNetworkRetries 0.
   */
  failNext(failure: ScriptedFailure = {}): void {
    const status = failure.status ?? 500;
    this.http.failNext({ ...failure, status, body: failure.body ?? defaultStripeErrorBody(status) });
  }

  /** Clears sessions, subscriptions, idempotency keys and recorded requests (not pending failNext scripts). */
  reset(): void {
    this.store.clear();
    this.subs.clear();
    this.idempotency.clear();
    this.http.requests.length = 0;
  }

  /**
   * The customer pays: the session becomes complete and paid (unless `paymentStatus` says
   * otherwise), gets a customer (the one it was created with, or a new cus_...) and a new
   * subscription (sub_..., metadata from subscription_data.metadata, stored in `subscriptions`),
   * and the checkout.session.completed event Stripe would send is returned.
   */
  completeSession(
    id: string,
    opts: {
      customerId?: string;
      subscriptionId?: string;
      email?: string;
      paymentStatus?: 'paid' | 'unpaid' | 'no_payment_required';
      eventId?: string;
      created?: Date | string | number;
      /** The new subscription's first period end (default: created + 30 days). */
      periodEnd?: Date | string | number;
    } = {},
  ): StripeEventEnvelope<StripeFakeSession> {
    const stored = this.store.get(id);
    if (!stored) throw new Error(`StripeFake: no checkout session ${id}`);
    const { session, params } = stored;
    if (session.status !== 'open') throw new Error(`StripeFake: checkout session ${id} is ${session.status}, not open`);
    const created =
      opts.created === undefined
        ? Math.floor(Date.now() / 1000)
        : typeof opts.created === 'number'
          ? opts.created
          : Math.floor(new Date(opts.created).getTime() / 1000);
    const paymentStatus = opts.paymentStatus ?? 'paid';
    const customerId = opts.customerId ?? session.customer ?? stripeId('cus', 14);
    const email = opts.email ?? str(session.customer_email) ?? 'billing@client.example';
    let subscriptionId: string | null = null;
    if (session.mode === 'subscription') {
      subscriptionId = opts.subscriptionId ?? stripeId('sub');
      const lineItems = Array.isArray(params.line_items) ? (params.line_items as Record<string, unknown>[]) : [];
      const subData = (params.subscription_data ?? {}) as { metadata?: Record<string, string> };
      const periodEnd = opts.periodEnd ?? created + 30 * 86_400;
      const sub = subscriptionObject({
        id: subscriptionId,
        customerId,
        priceId: str(lineItems[0]?.price) ?? 'price_unknown',
        status: paymentStatus === 'unpaid' ? 'incomplete' : 'active',
        periodStart: created,
        periodEnd,
        metadata: { ...(subData.metadata ?? {}) },
        created,
      }) as StripeFakeSubscription;
      this.subs.set(subscriptionId, sub);
    }
    Object.assign(session, {
      status: 'complete',
      payment_status: paymentStatus,
      customer: customerId,
      customer_details: { address: null, email, name: null, phone: null, tax_exempt: 'none', tax_ids: [] },
      subscription: subscriptionId,
      url: null,
    });
    return stripeEvent('checkout.session.completed', structuredClone(session), { id: opts.eventId, created });
  }

  // ---- HTTP ------------------------------------------------------------------------------

  protected route(req: FakeRequest): FakeResponse {
    const requestId = `req_${randomBytes(7).toString('hex')}`;
    const withId = (a: FakeResponse): FakeResponse => ({ ...a, headers: { 'request-id': requestId, ...a.headers } });
    const auth = req.headers.authorization;
    if (!auth) {
      return withId({
        status: 401,
        body: stripeErrorBody(
          'invalid_request_error',
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
        ),
      });
    }
    if (auth !== `Bearer ${this.secretKey}`) {
      const given = auth.replace(/^Bearer\s+/i, '');
      return withId({
        status: 401,
        body: stripeErrorBody(
          'invalid_request_error',
          `Invalid API Key provided: ${given.slice(0, 8)}${'*'.repeat(Math.max(0, given.length - 12))}${given.slice(-4)}`,
        ),
      });
    }
    const params = req.method === 'GET' ? parseStripeForm(req.query.toString()) : parseStripeForm(req.rawBody);
    const endpoint = `${req.method} ${req.path}`;

    const key = req.headers['idempotency-key'];
    const idemKey = Array.isArray(key) ? key[0] : key;
    if (req.method === 'POST' && idemKey) {
      const prior = this.idempotency.get(idemKey);
      if (prior) {
        if (prior.endpoint !== endpoint || prior.params !== canonical(params)) {
          return withId({
            status: 400,
            body: stripeErrorBody(
              'idempotency_error',
              `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idemKey}' if you meant to execute a different request.`,
            ),
          });
        }
        return withId({
          ...prior.answer,
          headers: { ...prior.answer.headers, 'idempotent-replayed': 'true', 'original-request': requestId },
        });
      }
    }
    const answer = withId(this.handle(req.method, req.path, params));
    if (req.method === 'POST' && idemKey && answer.status >= 200 && answer.status < 300) {
      this.idempotency.set(idemKey, {
        endpoint,
        params: canonical(params),
        answer: { status: answer.status, body: structuredClone(answer.body) },
      });
    }
    return answer;
  }

  private handle(method: string, path: string, params: Record<string, unknown>): FakeResponse {
    if (path === '/v1/checkout/sessions' && method === 'POST') return this.createSession(params);
    if (path === '/v1/checkout/sessions' && method === 'GET') {
      const data = this.sessions.slice().reverse();
      const limit = Math.min(100, Number(params.limit) || 10);
      return {
        status: 200,
        body: { object: 'list', data: data.slice(0, limit), has_more: data.length > limit, url: '/v1/checkout/sessions' },
      };
    }
    let m = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path);
    if (m && method === 'GET') {
      const s = this.store.get(decodeURIComponent(m[1]!));
      return s ? { status: 200, body: s.session } : notFound('checkout.session', m[1]!);
    }
    m = /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/.exec(path);
    if (m && method === 'POST') {
      const s = this.store.get(decodeURIComponent(m[1]!));
      if (!s) return notFound('checkout.session', m[1]!);
      if (s.session.status !== 'open') {
        return {
          status: 400,
          body: stripeErrorBody(
            'invalid_request_error',
            `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${s.session.status}".`,
          ),
        };
      }
      Object.assign(s.session, { status: 'expired', url: null });
      return { status: 200, body: s.session };
    }
    m = /^\/v1\/subscriptions\/([^/]+)$/.exec(path);
    if (m && method === 'GET') {
      const sub = this.subs.get(decodeURIComponent(m[1]!));
      return sub ? { status: 200, body: sub } : notFound('subscription', m[1]!);
    }
    return {
      status: 404,
      body: stripeErrorBody(
        'invalid_request_error',
        `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
      ),
    };
  }

  private createSession(p: Record<string, unknown>): FakeResponse {
    const bad = (message: string, code: string, param?: string): FakeResponse => ({
      status: 400,
      body: stripeErrorBody('invalid_request_error', message, { code, ...(param ? { param } : {}) }),
    });
    const mode = str(p.mode);
    if (!mode) return bad('Missing required param: mode.', 'parameter_missing', 'mode');
    if (!['payment', 'setup', 'subscription'].includes(mode))
      return bad(`Invalid mode: must be one of payment, setup, or subscription`, 'parameter_invalid_string', 'mode');
    const lineItems = p.line_items;
    if (mode !== 'setup') {
      if (!Array.isArray(lineItems) || lineItems.length === 0)
        return bad('You must specify `line_items` when using `mode=' + mode + '`.', 'parameter_missing', 'line_items');
      for (const [i, raw] of lineItems.entries()) {
        const item = (raw ?? {}) as Record<string, unknown>;
        const price = str(item.price);
        if (!price && !item.price_data)
          return bad(`Missing required param: line_items[${i}][price].`, 'parameter_missing', `line_items[${i}][price]`);
        if (price && (!price.startsWith('price_') || (this.prices && !this.prices.has(price)))) {
          return bad(`No such price: '${price}'`, 'resource_missing', `line_items[${i}][price]`);
        }
        if (item.quantity !== undefined && !(Number(item.quantity) >= 1))
          return bad(`Invalid integer: ${String(item.quantity)}`, 'parameter_invalid_integer', `line_items[${i}][quantity]`);
      }
    }
    if (str(p.customer) && str(p.customer_email))
      return bad('You may only specify one of these parameters: customer, customer_email.', 'parameter_unknown');
    if (str(p.customer) && !str(p.customer)!.startsWith('cus_'))
      return bad(`No such customer: '${str(p.customer)}'`, 'resource_missing', 'customer');
    for (const k of ['success_url', 'cancel_url'] as const) {
      const url = str(p[k]);
      if (url !== undefined && !/^https?:\/\/[^\s]+$/i.test(url)) return bad(`Not a valid URL`, 'url_invalid', k);
    }
    const clientRef = str(p.client_reference_id);
    if (clientRef && clientRef.length > 200)
      return bad(
        'Invalid string: client_reference_id must be at most 200 characters',
        'string_length_exceeds_maximum',
        'client_reference_id',
      );
    const metadata = (p.metadata && typeof p.metadata === 'object' ? p.metadata : {}) as Record<string, string>;
    const session = checkoutSessionObject({
      mode: mode as 'payment' | 'setup' | 'subscription',
      status: 'open',
      paymentStatus: 'unpaid',
      metadata: { ...metadata },
      customerId: str(p.customer) ?? null,
      customerEmail: str(p.customer_email) ?? null,
      successUrl: str(p.success_url) ?? null,
      cancelUrl: str(p.cancel_url) ?? null,
    }) as StripeFakeSession;
    session.client_reference_id = clientRef ?? null;
    this.store.set(session.id, { session, params: p });
    return { status: 200, body: session };
  }
}

function notFound(kind: string, id: string): FakeResponse {
  return {
    status: 404,
    body: stripeErrorBody('invalid_request_error', `No such ${kind}: '${decodeURIComponent(id)}'`, {
      code: 'resource_missing',
      param: 'id',
    }),
  };
}
