/**
 * Seeded fuzz of the whole API (SYS-009, SYS-008, SYS-010): every route Fastify has, with and
 * without valid client and admin keys (and keys presented oddly), gets thousands of hostile
 * requests: NUL and unpaired surrogates in path, query, headers and body, huge strings, deep
 * nesting, wrong types, bodies shaped like the route's own schema but hostile inside, bad JSON,
 * wrong or malformed content types (multipart without a boundary), odd methods. Provider
 * webhooks are fuzzed unsigned and validly signed. No answer may be a 5xx.
 *
 * Runs against a database of its own (its admin calls create clients and pool resources).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import type { Client } from '@temporalio/client';
import type { InjectOptions } from 'light-my-request';
import { buildTestApp } from '../helpers/app.js';
import { ADMIN_KEY, createTestTenant, temporalClient, testConfig, testDb } from '../helpers/context.js';
import { createScratchDatabase } from '../helpers/scratch-db.js';
import {
  deepJson,
  formEncode,
  hostileJson,
  hostileString,
  mutate,
  percentEncode,
  shaped,
  UNSTORABLE,
  type JsonSchema,
} from '../helpers/hostile.js';
import { apiSeeds, webhookSeeds, type FuzzIds, type Seed } from '../helpers/fuzz-seeds.js';
import { signStripe, STRIPE_TEST_WEBHOOK_SECRET } from '../helpers/stripe-events.js';
import { signCalcomBody } from '../../providers/booking/calcom.js';
import { signCalendlyBody } from '../../providers/booking/calendly.js';
import { parseTwilioForm, signTwilioRequest } from '../../providers/twilio/webhooks.js';
import { signVapiHmac } from '../../providers/vapi/webhooks.js';
import type { Db } from '../../db/client.js';
import { openApiPath, routesOf, type Route } from '../helpers/routes.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const RUNS = Number(process.env.FUZZ_RUNS ?? 2500);
const PUBLIC = 'https://api.fuzz.test';
const ACCOUNT_SID = `AC${'2'.repeat(32)}`;
const SECRETS = {
  twilio: 'fuzz-twilio-token-0123456789abcdefghij',
  vapi: 'fuzz-vapi-secret-0123456789abcdefghijk',
  unipile: 'fuzz-unipile-secret-0123456789abcdefgh',
  email: 'fuzz-email-secret-0123456789abcdefghij',
  calcom: 'fuzz-calcom-secret-0123456789abcdefghi',
  calendly: 'fuzz-calendly-key-0123456789abcdefghij',
};

let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
let db: Db;
let temporal: Client;
let app: FastifyInstance;
let doc: JsonSchema;
const keys: Record<'a' | 'b', string> = { a: '', b: '' };
let seeds: Record<string, Seed> = {};
let fuzzIds: FuzzIds;
let hooks: Record<string, unknown> = {};
const ids: string[] = [randomUUID(), '00000000-0000-0000-0000-000000000000'];

beforeAll(async () => {
  scratch = await createScratchDatabase('fuzz');
  const config = testConfig({
    DATABASE_URL: scratch.databaseUrl,
    APP_DATABASE_URL: scratch.tenantDatabaseUrl,
    PUBLIC_BASE_URL: PUBLIC,
    API_RATE_LIMIT_PER_MINUTE: '1000000',
    API_AUTH_LOOKUPS_PER_MINUTE: '1000000',
    TWILIO_AUTH_TOKEN: SECRETS.twilio,
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    VAPI_WEBHOOK_SECRET: SECRETS.vapi,
    UNIPILE_WEBHOOK_SECRET: SECRETS.unipile,
    STRIPE_WEBHOOK_SECRET: STRIPE_TEST_WEBHOOK_SECRET,
    CALCOM_WEBHOOK_SECRET: SECRETS.calcom,
    CALENDLY_WEBHOOK_SIGNING_KEY: SECRETS.calendly,
    // Live Twilio credentials (webhook signatures) but nothing is sent here.
    AU_CALLS_AND_SMS: 'off',
    EMAIL_DELIVERY: 'sandbox',
  });
  db = testDb(config);
  temporal = await temporalClient();
  app = await buildTestApp(config, { db, temporal, webhooks: 'providers', webhookOptions: { inboundEmailSecret: SECRETS.email } });
  await app.ready();
  doc = app.swagger() as JsonSchema;
  // Two clients; A has a campaign and a lead, B's ids are fuzzed with A's key.
  for (const who of ['a', 'b'] as const) {
    const t = await createTestTenant(db, `Fuzz ${who}`);
    keys[who] = t.apiKey;
    const campaign = await db.system.campaign.create({ data: { clientId: t.client.id, name: 'fuzz', icp: {} } });
    const lead = await db.system.lead.create({
      data: { clientId: t.client.id, campaignId: campaign.id, sourceRow: 1, email: `${who}@example.com`, status: 'in_sequence' },
    });
    ids.push(t.client.id, campaign.id, lead.id);
    if (who === 'a') fuzzIds = { clientA: t.client.id, campaignA: campaign.id, leadA: lead.id, accountSid: ACCOUNT_SID };
  }
  seeds = apiSeeds(fuzzIds);
  hooks = webhookSeeds(fuzzIds);
});
afterAll(async () => {
  await app?.close();
  await temporal?.connection.close();
  await db?.close();
  await scratch?.drop();
});

const operation = (r: Route): JsonSchema | undefined => doc.paths?.[openApiPath(r.path)]?.[r.method.toLowerCase()];

// ---- requests --------------------------------------------------------------------------------

type Auth = 'none' | 'a' | 'a-lower' | 'a-spaces' | 'a-x-api-key' | 'b' | 'admin' | 'bogus' | 'hostile';

function authHeaders(auth: Auth, hostile: string): Record<string, string> {
  switch (auth) {
    case 'none':
      return {};
    case 'a':
      return { authorization: `Bearer ${keys.a}` };
    case 'a-lower':
      return { authorization: `bearer ${keys.a}` };
    case 'a-spaces':
      return { authorization: `Bearer   ${keys.a} ` };
    case 'a-x-api-key':
      return { 'x-api-key': keys.a };
    case 'b':
      return { authorization: `Bearer ${keys.b}` };
    case 'admin':
      return { authorization: `Bearer ${ADMIN_KEY}` };
    case 'bogus':
      return { authorization: 'Bearer aos_bogus' };
    case 'hostile':
      return { authorization: `Bearer ${hostile}`, 'x-api-key': hostile };
  }
}

type Body =
  { kind: 'none' } | { kind: 'json' | 'form'; value: unknown } | { kind: 'raw'; contentType: string | undefined; payload: string };

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=latin1',
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'multipart/form-data; boundary=',
  'multipart/form-data; boundary=xyz',
  'application/octet-stream',
  'invalid',
  undefined,
];

const rawBody: fc.Arbitrary<Body> = fc
  .tuple(
    fc.constantFrom(...CONTENT_TYPES),
    fc.oneof(
      hostileString,
      fc.constantFrom(
        '{',
        '{"a":1',
        'null',
        '[]',
        '"s"',
        '\ufeff{}',
        '{"__proto__":{"x":1}}',
        '{"name":"a\u0000b"}',
        '--xyz\r\n\r\n--xyz--',
      ),
      fc.constantFrom(65, 2_000, 200_000).chain((n) => fc.constantFrom(deepJson(n, 'array'), deepJson(n, 'object'))),
      fc.dictionary(hostileString, hostileString, { maxKeys: 3 }).map(formEncode),
    ),
  )
  .map<Body>(([contentType, payload]) => ({ kind: 'raw', contentType, payload }));

const CSV_HEADER = 'email,first_name,last_name,title,company,city,state,country,phone';
const CSV_ROW = 'ann@example.com,Ann,Lee,CEO,Acme,Sydney,NSW,AU,0412345678';

/** POST /v1/campaigns as multipart: a campaign field and a CSV, either or the framing broken. */
const multipartBody: fc.Arbitrary<Body> = fc
  .record({
    campaign: fc.oneof(fc.constant<unknown>({ name: 'Q4', icp: {} }), mutate({ name: 'Q4', icp: { titles: ['CEO'] } })),
    bad: fc.constantFrom(...UNSTORABLE, ''),
    at: fc.nat({ max: CSV_ROW.length }),
    framing: fc.constantFrom(
      'ok',
      'ok',
      'ok',
      'no-boundary',
      'empty-boundary',
      'truncate',
      'bad-header',
      'extra-field',
      'lf-only',
      'no-leads',
    ),
    cut: fc.nat({ max: 400 }),
  })
  .map<Body>(({ campaign, bad, at, framing, cut }) => {
    const b = 'fuzzboundary';
    const csv = `${CSV_HEADER}\r\n${CSV_ROW.slice(0, at)}${bad}${CSV_ROW.slice(at)}\r\n`;
    const parts = [
      `--${b}\r\nContent-Disposition: form-data; name="campaign"\r\n\r\n${JSON.stringify(campaign)}\r\n`,
      framing === 'no-leads'
        ? ''
        : `--${b}\r\nContent-Disposition: form-data; name="leads"; filename="l.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n`,
      framing === 'extra-field' ? `--${b}\r\nContent-Disposition: form-data; name="other"\r\n\r\nx\r\n` : '',
      framing === 'bad-header' ? `--${b}\r\nContent-Dispositio\u0000n form-data\r\n\r\nx\r\n` : '',
      `--${b}--\r\n`,
    ];
    let payload = parts.join('');
    if (framing === 'truncate') payload = payload.slice(0, cut);
    if (framing === 'lf-only') payload = payload.replaceAll('\r\n', '\n');
    const contentType =
      framing === 'no-boundary'
        ? 'multipart/form-data'
        : framing === 'empty-boundary'
          ? 'multipart/form-data; boundary='
          : `multipart/form-data; boundary=${b}`;
    return { kind: 'raw', contentType, payload };
  });

const isForm = (r: Route) => r.path.startsWith('/webhooks/twilio');

function bodyArb(r: Route): fc.Arbitrary<Body> {
  const schema = operation(r)?.requestBody?.content?.['application/json']?.schema as JsonSchema | undefined;
  const seed = r.path.startsWith('/webhooks/') ? hooks[r.path] : seeds[`${r.method} ${r.path}`]?.body;
  const kind = isForm(r) ? 'form' : 'json';
  const variants: fc.WeightedArbitrary<Body>[] = [
    { weight: 1, arbitrary: fc.constant<Body>({ kind: 'none' }) },
    { weight: 3, arbitrary: shaped(schema ?? { type: 'object' }, doc).map<Body>((value) => ({ kind: 'json', value })) },
    { weight: 1, arbitrary: hostileJson.map<Body>((value) => ({ kind: 'json', value })) },
    { weight: 2, arbitrary: rawBody },
  ];
  if (seed !== undefined) {
    variants.push({ weight: 12, arbitrary: mutate(seed).map<Body>((value) => ({ kind, value })) });
    variants.push({ weight: 1, arbitrary: fc.constant<Body>({ kind, value: seed }) });
  }
  if (r.method === 'POST' && r.path === '/v1/campaigns') variants.push({ weight: 6, arbitrary: multipartBody });
  return fc.oneof(...variants);
}

const asText = (v: unknown) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));

function queryArb(r: Route): fc.Arbitrary<Record<string, string>> {
  const generic = fc.dictionary(
    fc.oneof(fc.constantFrom('limit', 'state', 'status', 'severity', 'kind', 'cursor', 'clientId', 'secret'), hostileString),
    fc.oneof(hostileString, fc.constantFrom('10', '-1', '1e9', 'open', 'all')),
    { maxKeys: 3 },
  );
  const seed = seeds[`${r.method} ${r.path}`]?.query;
  if (!seed) return generic;
  const mutated = mutate(seed).map((q) =>
    q && typeof q === 'object' && !Array.isArray(q)
      ? Object.fromEntries(Object.entries(q).map(([k, v]) => [k, asText(v)]))
      : { q: asText(q) },
  );
  return fc.oneof({ weight: 1, arbitrary: generic }, { weight: 4, arbitrary: mutated });
}

function fittingAuthOf(r: Route): Auth {
  if (r.path.startsWith('/v1/admin')) return 'admin';
  return r.path.startsWith('/v1/') ? 'a' : 'none';
}

/** The key the route takes (admin, a client's, presented in any of the accepted ways), mostly. */
function fittingAuth(r: Route): fc.Arbitrary<Auth> {
  if (r.path.startsWith('/v1/admin')) return fc.constant<Auth>('admin');
  if (r.path.startsWith('/v1/')) return fc.constantFrom<Auth>('a', 'a-lower', 'a-spaces', 'a-x-api-key');
  return fc.constant<Auth>('none');
}

const pathParam = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ids) },
  { weight: 2, arbitrary: hostileString.map(percentEncode) },
  { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%ED%A0%80', '%00', '..', 'a'.repeat(120)) },
);

/** One request of a route (built once per route: the schema-shaped and seeded arbitraries are not cheap). */
const routeRequestArb = (r: Route) =>
  fc.record({
    route: fc.constant(r),
    method: fc.oneof(
      { weight: 9, arbitrary: fc.constant(r.method) },
      { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'PROPFIND') },
    ),
    params: fc.array(pathParam, { minLength: 3, maxLength: 3 }),
    auth: fc.oneof(
      { weight: 7, arbitrary: fittingAuth(r) },
      { weight: 3, arbitrary: fc.constantFrom<Auth>('none', 'a', 'b', 'admin', 'bogus', 'hostile') },
    ),
    hostile: fc.constantFrom(...UNSTORABLE).chain((u) => fc.string({ maxLength: 6 }).map((s) => `${s}${u}`)),
    query: queryArb(r),
    header: fc.option(fc.tuple(fc.constantFrom('x-custom', 'user-agent', 'accept', 'x-forwarded-for', 'content-length'), hostileString)),
    body: bodyArb(r),
    signed: fc.boolean(),
  });

const requestArb = (routes: Route[]) => {
  const perRoute = new Map(routes.map((r) => [r, routeRequestArb(r)]));
  return fc.constantFrom(...routes).chain((r) => perRoute.get(r)!);
};

type Req = ReturnType<typeof routeRequestArb> extends fc.Arbitrary<infer T> ? T : never;

/** Signs a webhook body as its provider would (some fuzzed webhook deliveries are valid). */
function webhookSignature(
  path: string,
  payload: string,
  contentType: string | undefined,
): { headers: Record<string, string>; query: string } {
  if (path.startsWith('/webhooks/twilio')) {
    return {
      headers: { 'x-twilio-signature': signTwilioRequest(SECRETS.twilio, `${PUBLIC}${path}`, parseTwilioForm(payload)) },
      query: '',
    };
  }
  if (path === '/webhooks/vapi') {
    const ts = String(Date.now());
    return { headers: { 'x-signature': signVapiHmac(SECRETS.vapi, payload, ts), 'x-timestamp': ts }, query: '' };
  }
  if (path === '/webhooks/unipile') return { headers: { 'unipile-auth': SECRETS.unipile }, query: '' };
  if (path === '/webhooks/email') return { headers: {}, query: `secret=${SECRETS.email}` };
  if (path === '/webhooks/stripe') return { headers: { 'stripe-signature': signStripe(payload, STRIPE_TEST_WEBHOOK_SECRET) }, query: '' };
  if (path === '/webhooks/calcom') return { headers: { 'x-cal-signature-256': signCalcomBody(SECRETS.calcom, payload) }, query: '' };
  if (path === '/webhooks/calendly')
    return { headers: { 'calendly-webhook-signature': signCalendlyBody(SECRETS.calendly, payload, Date.now()) }, query: '' };
  void contentType;
  return { headers: {}, query: '' };
}

function toInject(q: Req): InjectOptions {
  let i = 0;
  const path = q.route.path.replace(/:\w+/g, () => q.params[i++]!).replace('*', 'x');
  const headers: Record<string, string> = { ...authHeaders(q.auth, q.hostile) };
  if (q.header) headers[q.header[0]] = q.header[1];
  let payload: string | undefined;
  if (q.body.kind === 'json') {
    payload = JSON.stringify(q.body.value) ?? 'null';
    headers['content-type'] = 'application/json';
  } else if (q.body.kind === 'form') {
    const v = q.body.value;
    payload =
      v && typeof v === 'object' && !Array.isArray(v)
        ? formEncode(Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asText(x)])))
        : asText(v);
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else if (q.body.kind === 'raw') {
    payload = q.body.payload;
    if (q.body.contentType) headers['content-type'] = q.body.contentType;
  }
  let query = Object.entries(q.query)
    .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
    .join('&');
  if (q.signed && path.startsWith('/webhooks/')) {
    const signed = webhookSignature(path, payload ?? '', headers['content-type']);
    Object.assign(headers, signed.headers);
    query = signed.query; // Twilio signs the URL: keep it exact
  }
  return {
    method: q.method as InjectOptions['method'],
    url: `${path}${query ? `?${query}` : ''}`,
    headers,
    ...(payload !== undefined ? { payload } : {}),
  };
}

function jsonOf(text: string): { error?: unknown; status?: unknown } | undefined {
  try {
    return JSON.parse(text) as { error?: unknown; status?: unknown };
  } catch {
    return undefined;
  }
}

/**
 * A 503 the API gives when Temporal has not answered within a route's deadline (/readyz's 2 s
 * checks, a campaign's start or control signal, the schedules' description: 5 s), which a busy
 * machine may miss: not a fault of the request.
 */
function temporalDeadlineMissed(res: { statusCode: number; body: string }, url: string): boolean {
  if (res.statusCode !== 503) return false;
  const body = jsonOf(res.body);
  if (url.split('?')[0] === '/readyz') return body?.status === 'not_ready';
  return body?.error === 'workflow_unavailable' || body?.error === 'temporal_unavailable';
}

/**
 * The app's answer to a request, sent again while it is such a 503 (for a minute at most: a request
 * that keeps failing so is still reported), as a client retries a 503.
 */
async function answerOf(opts: InjectOptions) {
  const until = Date.now() + 60_000;
  for (;;) {
    const res = await app.inject(opts);
    if (!temporalDeadlineMissed(res, String(opts.url)) || Date.now() > until) return res;
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('SYS-009 fuzz', () => {
  it('the seeds the fuzz mutates are valid requests (so one change reaches the code behind validation)', async () => {
    const routes = routesOf(app);
    const answers: Record<string, number> = {};
    for (const r of routes) {
      const seed = r.path.startsWith('/webhooks/') ? { body: hooks[r.path] } : seeds[`${r.method} ${r.path}`];
      if (!seed) continue;
      const body: Body = seed.body === undefined ? { kind: 'none' } : { kind: isForm(r) ? 'form' : 'json', value: seed.body };
      const param = r.path.includes('/leads/:id')
        ? fuzzIds.leadA
        : r.path.startsWith('/v1/campaigns/')
          ? fuzzIds.campaignA
          : fuzzIds.clientA;
      const res = await answerOf(
        toInject({
          route: r,
          method: r.method,
          params: [param, param, param],
          auth: fittingAuthOf(r),
          hostile: '',
          query: seed.query ?? {},
          header: null,
          body,
          signed: true,
        }),
      );
      answers[`${r.method} ${r.path}`] = res.statusCode;
    }
    // Creating, listing, campaign control and webhook seeds are accepted; pausing a lead with no
    // running sequence is a 409 and acknowledging an alert id that does not exist a 404 (the fuzz ids are random).
    const expected = Object.fromEntries(
      Object.keys(answers).map((k) => [
        k,
        /leads\/:id\/(pause|resume)/.test(k) ? 409 : /acknowledge/.test(k) ? 404 : expect.toSatisfy((s: number) => s < 300),
      ]),
    );
    expect(Object.keys(answers).length).toBeGreaterThanOrEqual(23);
    expect(answers).toEqual(expected);
  });

  it('SYS-009, SYS-008, SYS-010: thousands of hostile requests over every route: no 5xx', async () => {
    const routes = routesOf(app);
    // The enumeration is the router's: every documented operation is in it.
    const documented = Object.entries(doc.paths as Record<string, object>).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.map((r) => `${r.method} ${openApiPath(r.path)}`)).toEqual(expect.arrayContaining(documented));

    const failures: { request: string; status: number; body: string }[] = [];
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(requestArb(routes), async (q) => {
        const opts = toInject(q);
        const res = await answerOf(opts);
        seen.add(`${q.route.method} ${q.route.path}`);
        if (res.statusCode >= 500) {
          failures.push({
            request: `${opts.method} ${String(opts.url).slice(0, 200)} ${JSON.stringify(opts.headers).slice(0, 200)} ${String(opts.payload ?? '').slice(0, 300)}`,
            status: res.statusCode,
            body: res.body.slice(0, 300),
          });
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(failures).toEqual([]);
    // Every route was exercised.
    expect(routes.filter((r) => !seen.has(`${r.method} ${r.path}`))).toEqual([]);
  });
});
