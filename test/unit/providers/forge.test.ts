/**
 * The Forge adapters against their wire-format fakes (test/fakes/infraforge-fake.ts,
 * test/fakes/warmforge-fake.ts, real HTTP servers on 127.0.0.1): InfraForge domains (RP-004) and
 * mailboxes (RP-005), Warmforge warmup (RP-006), domain retirement (RP-009: auto-renew off at
 * InfraForge, warmup off at Warmforge), the shared HTTP client's auth fallback and error
 * classification; and the sandbox resource pool (domains, mailboxes, warmup, numbers, seats).
 */
import { createServer } from 'node:net';
import { once } from 'node:events';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { classifyForgeError, createForgeHttpClient, parseRetryAfter } from '../../../providers/forge/http.js';
import {
  createInfraForgeRegistrar,
  extractInfraForgeCredentials,
  INFRAFORGE_AVAILABILITY_BATCH,
  infraForgeDomainId,
  type InfraForgeContact,
  type InfraForgeRegistrar,
} from '../../../providers/forge/infraforge.js';
import {
  clampWarmupSettings,
  createWarmforgeService,
  mapWarmforgeMailbox,
  type WarmforgeService,
} from '../../../providers/forge/warmforge.js';
import {
  createSandboxDomainRegistrar,
  createSandboxNumberProvider,
  createSandboxSeatProvider,
  createSandboxWarmupService,
  SANDBOX_MAILBOX_HOST,
} from '../../../providers/sandbox/pool.js';
import { createMemoryRecorder } from '../../../providers/sandbox/recorder.js';
import type { MailboxCredentials, WarmupSettings } from '../../../providers/ports.js';
import {
  INFRAFORGE_FAKE_IMAP_HOST,
  INFRAFORGE_FAKE_PRICE_USD,
  INFRAFORGE_FAKE_SMTP_HOST,
  InfraForgeFake,
} from '../../fakes/infraforge-fake.js';
import { WarmforgeFake } from '../../fakes/warmforge-fake.js';
import { rejection } from '../../helpers/assertions.js';

const IF_KEY = 'if-key-123';
const WF_KEY = 'wf-key-456';
const WORKSPACE = 'ws-agency-1';
const CONTACT: InfraForgeContact = {
  firstName: 'Ava',
  lastName: 'Ops',
  email: 'ops@agency.example',
  phone: '+61290000000',
  organization: 'Agency Pty Ltd',
  address1: '1 George St',
  city: 'Sydney',
  province: 'NSW',
  postalCode: '2000',
  country: 'AU',
};
const DAY = 86_400_000;

/** A fetch that never answers until its signal aborts (our timeout). */
const hangingFetch: typeof fetch = (_input, init) =>
  new Promise((_resolve, reject) => {
    const signal = init?.signal;
    signal?.addEventListener('abort', () => reject(signal.reason as Error));
  });

/** A base URL nothing listens on. */
async function deadBaseUrl(): Promise<string> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  await new Promise<void>((r) => probe.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

let infra: InfraForgeFake;
let registrar: InfraForgeRegistrar;
let warm: WarmforgeFake;
let warmup: WarmforgeService;

beforeAll(async () => {
  infra = new InfraForgeFake({ apiKey: IF_KEY, workspaceId: WORKSPACE });
  warm = new WarmforgeFake({ apiKey: WF_KEY, workspaceId: WORKSPACE });
  await Promise.all([infra.start(), warm.start()]);
});
afterAll(async () => {
  await Promise.all([infra.stop(), warm.stop()]);
});
beforeEach(() => {
  infra.reset();
  infra.listShape = 'data';
  warm.reset();
  registrar = createInfraForgeRegistrar({
    baseUrl: `${infra.baseUrl}/`,
    apiKey: IF_KEY,
    workspaceId: WORKSPACE,
    contact: CONTACT,
    timeoutMs: 2_000,
  });
  warmup = createWarmforgeService({ baseUrl: warm.baseUrl, apiKey: WF_KEY, workspaceId: WORKSPACE, timeoutMs: 2_000 });
});

describe('RP-004 domain purchase (InfraForge)', () => {
  it('RP-004: availability in chunks of at most 100, taken names unavailable, price in USD', async () => {
    infra.markTaken('taken-7.com');
    const names = Array.from({ length: 150 }, (_, i) => `Brand-${i}.com`);
    names.push('taken-7.com', 'brand-0.com'); // a duplicate is asked once
    const offers = await registrar.checkAvailability(names);
    expect(offers).toHaveLength(151);
    expect(offers[0]).toEqual({ domain: 'brand-0.com', available: true, priceUsd: INFRAFORGE_FAKE_PRICE_USD });
    expect(offers.find((o) => o.domain === 'taken-7.com')).toMatchObject({ available: false });
    const calls = infra.requests.filter((r) => r.path === '/check-domain-availability-bulk');
    expect(calls.map((r) => (r.body as { domains: string[] }).domains.length)).toEqual([INFRAFORGE_AVAILABILITY_BATCH, 51]);
  });

  it('RP-004: buys with workspaceId, domains and contactDetails; findDomains then finds exactly those names', async () => {
    infra.addDomain('acme-mail.com.au'); // a name containing another one: not an exact match
    const bought = await registrar.buyDomains(['acme-mail.com', 'Acme-Outreach.com']);
    expect(bought.map((d) => [d.name, d.status])).toEqual([
      ['acme-mail.com', 'active'],
      ['acme-outreach.com', 'active'],
    ]);
    expect(bought.every((d) => typeof d.ref === 'string' && d.ref !== '')).toBe(true);

    const buy = infra.requests.find((r) => r.method === 'POST' && r.path === '/domains')!;
    expect(buy.body).toEqual({ workspaceId: WORKSPACE, domains: ['acme-mail.com', 'acme-outreach.com'], contactDetails: CONTACT });
    expect(infra.purchases).toHaveLength(1);
    expect(infra.purchases[0]!.names).toEqual(['acme-mail.com', 'acme-outreach.com']);

    const found = await registrar.findDomains(['acme-mail.com', 'ACME-OUTREACH.COM.', 'never-bought.com']);
    expect(found.map((d) => d.name).sort()).toEqual(['acme-mail.com', 'acme-outreach.com']);
    expect(found.map((d) => d.ref).sort()).toEqual(bought.map((d) => d.ref).sort());
    const searches = infra.requests.filter((r) => r.method === 'GET' && r.path === '/domains').map((r) => r.query.get('search'));
    expect(searches).toEqual(['acme-mail.com', 'acme-outreach.com', 'never-bought.com']);
  });

  it('RP-004: a purchase whose answer is lost after the effect is retryable, sent once, and findDomains then shows it', async () => {
    infra.failNext({ method: 'POST', path: '/domains', afterEffect: true });
    const err = await rejection(registrar.buyDomains(['lost-answer.com']));
    expect(err).toMatchObject({ provider: 'infraforge', code: 'network_error', retryable: true });
    // The adapter did not re-send the purchase...
    expect(infra.requests.filter((r) => r.method === 'POST' && r.path === '/domains')).toHaveLength(1);
    // ...and the caller's reconciliation finds the domain, so it does not buy twice.
    const found = await registrar.findDomains(['lost-answer.com']);
    expect(found).toEqual([expect.objectContaining({ name: 'lost-answer.com', status: 'active' })]);
    expect(infra.purchases).toHaveLength(1);
  });

  it('RP-004: a purchase that times out is a retryable timeout (the caller reconciles)', async () => {
    const slow = createInfraForgeRegistrar({
      baseUrl: infra.baseUrl,
      apiKey: IF_KEY,
      workspaceId: WORKSPACE,
      contact: CONTACT,
      timeoutMs: 50,
      fetchImpl: hangingFetch,
    });
    expect(await rejection(slow.buyDomains(['slow.com']))).toMatchObject({ code: 'timeout', retryable: true });
  });

  it('RP-004: list answers given as bare arrays are read the same way', async () => {
    infra.listShape = 'array';
    await registrar.buyDomains(['bare-array.com']);
    expect((await registrar.findDomains(['bare-array.com'])).map((d) => d.name)).toEqual(['bare-array.com']);
    expect(await registrar.checkAvailability(['free.io'])).toEqual([
      { domain: 'free.io', available: true, priceUsd: INFRAFORGE_FAKE_PRICE_USD },
    ]);
  });

  it('RP-004: a refused purchase is permanent with the Forge message; malformed names never reach the API', async () => {
    infra.markTaken('taken.com');
    const err = await rejection(registrar.buyDomains(['taken.com']));
    expect(err).toMatchObject({ code: 'invalid_request', retryable: false, status: 422 });
    expect(err.message).toContain('Some domains are not available');
    expect(err.message).toContain('taken.com');
    expect(infra.purchases).toHaveLength(0);

    const before = infra.requests.length;
    expect(await rejection(registrar.buyDomains(['not a domain']))).toMatchObject({ code: 'invalid_request', retryable: false });
    expect(infra.requests.length).toBe(before);
    expect(await registrar.buyDomains([])).toEqual([]);
  });

  it('RP-004: Authorization carries the raw key (no Bearer)', async () => {
    await registrar.findDomains(['a.com']);
    expect(infra.requests.map((r) => r.headers.authorization)).toEqual([IF_KEY]);
    expect(registrar.http.authScheme).toBe('raw');
  });

  it('RP-004: on a 401 it retries once with Bearer and keeps using what worked', async () => {
    const bearerOnly = new InfraForgeFake({ apiKey: IF_KEY, workspaceId: WORKSPACE, auth: 'bearer' });
    const { baseUrl } = await bearerOnly.start();
    try {
      const r = createInfraForgeRegistrar({ baseUrl, apiKey: IF_KEY, workspaceId: WORKSPACE, contact: CONTACT });
      expect(await r.buyDomains(['bearer.com'])).toHaveLength(1);
      expect(await r.findDomains(['bearer.com'])).toHaveLength(1);
      expect(bearerOnly.requests.map((q) => [q.method, q.headers.authorization, q.status])).toEqual([
        ['POST', IF_KEY, 401],
        ['POST', `Bearer ${IF_KEY}`, 201],
        ['GET', `Bearer ${IF_KEY}`, 200],
      ]);
      expect(r.http.authScheme).toBe('bearer');
      expect(bearerOnly.purchases).toHaveLength(1);
    } finally {
      await bearerOnly.stop();
    }
  });

  it('RP-004: a wrong key is a permanent auth_failed after both schemes were tried', async () => {
    const wrong = createInfraForgeRegistrar({ baseUrl: infra.baseUrl, apiKey: 'nope', workspaceId: WORKSPACE, contact: CONTACT });
    const err = await rejection(wrong.findDomains(['a.com']));
    expect(err).toMatchObject({ provider: 'infraforge', code: 'auth_failed', retryable: false, status: 401 });
    expect(err.message).toContain('Unauthorized');
    expect(infra.requests.map((r) => r.headers.authorization)).toEqual(['nope', 'Bearer nope']);
    expect(wrong.http.authScheme).toBe('raw');
  });

  it('RP-004: 5xx and 429 are retryable with retryAfterSeconds; 4xx are permanent with stable codes', async () => {
    infra.failNext({ path: '/domains', status: 429, headers: { 'retry-after': '9' }, body: { message: 'Too many requests', data: null } });
    expect(await rejection(registrar.findDomains(['x.com']))).toMatchObject({
      code: 'rate_limited',
      retryable: true,
      status: 429,
      retryAfterSeconds: 9,
    });
    infra.failNext({ path: '/domains', status: 503, headers: { 'retry-after': '30' } });
    expect(await rejection(registrar.findDomains(['x.com']))).toMatchObject({
      code: 'provider_unavailable',
      retryable: true,
      status: 503,
      retryAfterSeconds: 30,
    });
    infra.failNext({ path: '/domains', status: 500, body: '<html>oops</html>' });
    const e500 = await rejection(registrar.findDomains(['x.com']));
    expect(e500).toMatchObject({ code: 'provider_unavailable', retryable: true, status: 500 });
    expect(e500.retryAfterSeconds).toBeUndefined();
    infra.failNext({ path: '/domains', status: 403, body: { message: 'Workspace access denied', data: { workspaceId: WORKSPACE } } });
    const e403 = await rejection(registrar.findDomains(['x.com']));
    expect(e403).toMatchObject({ code: 'auth_failed', retryable: false, status: 403 });
    expect(e403.message).toContain('Workspace access denied');
    expect(e403.message).toContain(WORKSPACE);
    // A dropped connection without an effect is retryable too.
    infra.failNext({ path: '/domains', drop: true });
    expect(await rejection(registrar.findDomains(['x.com']))).toMatchObject({ code: 'network_error', retryable: true });
    // And it works again afterwards.
    await expect(registrar.findDomains(['x.com'])).resolves.toEqual([]);
  });

  it('RP-004: classification table, Retry-After forms and connection refused', async () => {
    const table: Array<[number, string, boolean]> = [
      [400, 'invalid_request', false],
      [401, 'auth_failed', false],
      [403, 'auth_failed', false],
      [404, 'not_found', false],
      [408, 'provider_unavailable', true],
      [409, 'conflict', false],
      [418, 'provider_rejected', false],
      [422, 'invalid_request', false],
      [429, 'rate_limited', true],
      [500, 'provider_unavailable', true],
      [502, 'provider_unavailable', true],
    ];
    for (const [status, code, retryable] of table) {
      expect(classifyForgeError({ provider: 'warmforge', status, body: { message: 'm', data: null } }), String(status)).toMatchObject({
        code,
        retryable,
        status,
      });
    }
    expect(classifyForgeError({ provider: 'infraforge', status: 409, body: {}, retryAfter: '5' }).retryAfterSeconds).toBeUndefined();
    expect(parseRetryAfter('12')).toBe(12);
    expect(parseRetryAfter(new Date(Date.now() + 20_000).toUTCString())).toBeGreaterThanOrEqual(19);
    expect(parseRetryAfter('soon')).toBeUndefined();

    const dead = createInfraForgeRegistrar({ baseUrl: await deadBaseUrl(), apiKey: IF_KEY, workspaceId: WORKSPACE, contact: CONTACT });
    expect(await rejection(dead.checkAvailability(['a.com']))).toMatchObject({ code: 'network_error', retryable: true });
    expect(() => createForgeHttpClient({ provider: 'infraforge', baseUrl: 'http://x', apiKey: '' })).toThrow(/No InfraForge API key/);
  });
});

describe('RP-005 mailbox creation (InfraForge)', () => {
  const PEOPLE = [
    { email: 'Jane@acme-mail.com', firstName: 'Jane', lastName: 'Doe' },
    { email: 'sam@acme-mail.com', firstName: 'Sam', lastName: 'Lee' },
  ];

  it('RP-005: creates mailboxes on a bought domain, lists them (only @domain) and reads their credentials', async () => {
    await registrar.buyDomains(['acme-mail.com', 'acme-mail.co']);
    const created = await registrar.createMailboxes('acme-mail.com', PEOPLE);
    expect(created.map((m) => [m.email, m.status])).toEqual([
      ['jane@acme-mail.com', 'active'],
      ['sam@acme-mail.com', 'active'],
    ]);
    const post = infra.requests.find((r) => r.method === 'POST' && r.path === '/mailboxes')!;
    expect(post.body).toEqual({
      domains: [
        {
          domain: 'acme-mail.com',
          mailboxes: [
            { email: 'jane@acme-mail.com', firstName: 'Jane', lastName: 'Doe' },
            { email: 'sam@acme-mail.com', firstName: 'Sam', lastName: 'Lee' },
          ],
        },
      ],
    });
    // A mailbox on acme-mail.co also matches the search "acme-mail.co": it must not be listed.
    await registrar.createMailboxes('acme-mail.co', [{ email: 'x@acme-mail.co', firstName: 'X', lastName: 'Y' }]);
    const listed = await registrar.listMailboxes('acme-mail.co');
    expect(listed.map((m) => m.email)).toEqual(['x@acme-mail.co']);
    const list = infra.requests.filter((r) => r.method === 'GET' && r.path === '/mailboxes').at(-1)!;
    expect(Object.fromEntries(list.query)).toEqual({ workspace_id: WORKSPACE, search: 'acme-mail.co' });
    expect((await registrar.listMailboxes('acme-mail.com')).map((m) => m.ref)).toEqual(created.map((m) => m.ref));

    const creds = await registrar.mailboxCredentials(created[0]!.ref);
    const stored = infra.mailboxByEmail('jane@acme-mail.com')!.credentials;
    expect(creds).toEqual<MailboxCredentials>({
      smtp: { host: INFRAFORGE_FAKE_SMTP_HOST, port: 587, secure: false, user: 'jane@acme-mail.com', pass: stored.smtp.password },
      imap: { host: INFRAFORGE_FAKE_IMAP_HOST, port: 993, secure: true, user: 'jane@acme-mail.com', pass: stored.imap.password },
    });
    const get = infra.requests.at(-1)!;
    expect([get.method, get.path, get.query.get('with_credentials')]).toEqual(['GET', `/mailboxes/${created[0]!.ref}`, 'true']);
  });

  it('RP-005: permanent errors for a foreign email, an existing mailbox, an unknown domain or mailbox', async () => {
    await registrar.buyDomains(['acme-mail.com']);
    expect(
      await rejection(registrar.createMailboxes('acme-mail.com', [{ email: 'a@other.com', firstName: 'A', lastName: 'B' }])),
    ).toMatchObject({
      code: 'invalid_request',
      retryable: false,
    });
    await registrar.createMailboxes('acme-mail.com', PEOPLE.slice(0, 1));
    expect(await rejection(registrar.createMailboxes('acme-mail.com', PEOPLE))).toMatchObject({
      code: 'conflict',
      retryable: false,
      status: 409,
    });
    expect(infra.mailboxes.size).toBe(1);
    expect(
      await rejection(registrar.createMailboxes('not-ours.com', [{ email: 'a@not-ours.com', firstName: 'A', lastName: 'B' }])),
    ).toMatchObject({
      code: 'not_found',
      retryable: false,
    });
    expect(await rejection(registrar.mailboxCredentials('mb_404'))).toMatchObject({ code: 'not_found', retryable: false, status: 404 });
  });

  it('RP-005: credentials of a mailbox still provisioning are a retryable credentials_not_ready', async () => {
    await registrar.buyDomains(['acme-mail.com']);
    const [mb] = await registrar.createMailboxes('acme-mail.com', PEOPLE.slice(0, 1));
    infra.setMailboxStatus('jane@acme-mail.com', 'processing');
    expect(await rejection(registrar.mailboxCredentials(mb!.ref))).toMatchObject({ code: 'credentials_not_ready', retryable: true });
    infra.setMailboxStatus('jane@acme-mail.com', 'active');
    await expect(registrar.mailboxCredentials(mb!.ref)).resolves.toMatchObject({ smtp: { host: INFRAFORGE_FAKE_SMTP_HOST } });
  });

  it('RP-005: other credential layouts (flat camelCase, top-level smtp/imap, implicit TLS on 465)', () => {
    expect(
      extractInfraForgeCredentials({
        email: 'a@b.com',
        smtpHost: 'smtp.b.com',
        smtpPort: '465',
        smtpPassword: 's3',
        imap_host: 'imap.b.com',
        imap_port: 143,
        imap_username: 'a-imap',
        imap_password: 'i3',
      }),
    ).toEqual({
      smtp: { host: 'smtp.b.com', port: 465, secure: true, user: 'a@b.com', pass: 's3' },
      imap: { host: 'imap.b.com', port: 143, secure: false, user: 'a-imap', pass: 'i3' },
    });
    expect(
      extractInfraForgeCredentials({
        address: 'c@d.com',
        smtp: { server: 's.d.com', user: 'c', pass: 'p' },
        imap: { hostname: 'i.d.com', login: 'c', password: 'p' },
      }),
    ).toEqual({
      smtp: { host: 's.d.com', port: 587, secure: false, user: 'c', pass: 'p' },
      imap: { host: 'i.d.com', port: 993, secure: true, user: 'c', pass: 'p' },
    });
    expect(extractInfraForgeCredentials({ email: 'a@b.com', credentials: { smtp: { host: 'h' } } })).toBeUndefined();
  });
});

describe('RP-006 warmup start (Warmforge)', () => {
  const CREDS: MailboxCredentials = {
    smtp: { host: 'smtp.infraforge.test', port: 587, secure: false, user: 'jane@acme-mail.com', pass: 'smtp-pw' },
    imap: { host: 'imap.infraforge.test', port: 993, secure: true, user: 'jane@acme-mail.com', pass: 'imap-pw' },
  };
  const connect = (address = 'jane@acme-mail.com') =>
    warmup.connectMailbox({ address, firstName: 'Jane', lastName: 'Doe', credentials: CREDS, externalReference: 'mbx_42' });
  const SETTINGS: WarmupSettings = {
    startDate: '2026-11-02',
    minEmailsPerDay: 0,
    maxEmailsPerDay: 40,
    emailRampUp: 25,
    replyRatePercent: 80,
  };

  it('RP-006: connects over SMTP/IMAP with warmup off and the external reference', async () => {
    const mb = await connect();
    expect(mb).toEqual({ address: 'jane@acme-mail.com', status: 'active', warmupEnabled: false, heatScore: null, warmupDaysCompleted: 0 });
    const req = warm.requests[0]!;
    expect([req.method, req.path, req.headers.authorization]).toEqual(['POST', `/workspaces/${WORKSPACE}/mailboxes/connect-smtp`, WF_KEY]);
    expect(req.body).toEqual({
      address: 'jane@acme-mail.com',
      firstName: 'Jane',
      lastName: 'Doe',
      smtpHost: 'smtp.infraforge.test',
      smtpPort: 587,
      smtpUsername: 'jane@acme-mail.com',
      smtpPassword: 'smtp-pw',
      imapHost: 'imap.infraforge.test',
      imapPort: 993,
      imapUsername: 'jane@acme-mail.com',
      imapPassword: 'imap-pw',
      warmupEnabled: false,
      externalReference: 'mbx_42',
    });
    expect(warm.connected.get('jane@acme-mail.com')).toMatchObject({ workspaceId: WORKSPACE, externalReference: 'mbx_42' });
  });

  it('RP-006: connecting twice gets a 409 and returns the mailbox already there', async () => {
    await connect();
    await warmup.enableWarmup('jane@acme-mail.com', SETTINGS);
    warm.setHeatScore('jane@acme-mail.com', 37);
    const again = await connect();
    expect(again).toMatchObject({ address: 'jane@acme-mail.com', warmupEnabled: true, heatScore: 37 });
    expect(warm.requests.map((r) => [r.method, r.status])).toEqual([
      ['POST', 201],
      ['PATCH', 200],
      ['POST', 409],
      ['GET', 200],
    ]);
    expect(warm.connected.size).toBe(1);
  });

  it('RP-006: an address connected in another workspace is a permanent conflict', async () => {
    warm.connectElsewhere('bob@acme-mail.com');
    const err = await rejection(connect('bob@acme-mail.com'));
    expect(err).toMatchObject({ provider: 'warmforge', code: 'conflict', retryable: false, status: 409 });
    expect(err.message).toContain('another workspace');
  });

  it('RP-006: enableWarmup PATCHes the encoded address with the settings clamped to Warmforge ranges', async () => {
    await connect('jane+1@acme-mail.com');
    await warmup.enableWarmup('jane+1@acme-mail.com', SETTINGS);
    const patch = warm.requests.at(-1)!;
    expect([patch.method, patch.path]).toEqual(['PATCH', `/workspaces/${WORKSPACE}/mailboxes/jane%2B1%40acme-mail.com`]);
    const expected = {
      warmupEnabled: true,
      warmupStartDate: '2026-11-02',
      minEmailsPerDay: 1,
      maxEmailsPerDay: 20,
      emailRampUp: 20,
      replyRatePercent: 50,
    };
    expect(patch.body).toEqual(expected);
    expect(warm.warmupSettings.get('jane+1@acme-mail.com')).toEqual(expected);
    expect(await warmup.findMailbox('jane+1@acme-mail.com')).toMatchObject({ warmupEnabled: true });
    // Idempotent: the same call again succeeds.
    await expect(warmup.enableWarmup('jane+1@acme-mail.com', SETTINGS)).resolves.toBeUndefined();
    // Unknown mailbox: permanent not_found; a bad date never reaches the API.
    expect(await rejection(warmup.enableWarmup('ghost@acme-mail.com', SETTINGS))).toMatchObject({ code: 'not_found', retryable: false });
    const before = warm.requests.length;
    expect(await rejection(warmup.enableWarmup('jane+1@acme-mail.com', { ...SETTINGS, startDate: '2026-02-30' }))).toMatchObject({
      code: 'invalid_request',
    });
    expect(warm.requests.length).toBe(before);
  });

  it('RP-006: findMailbox searches the workspace and matches the exact address; the heat score is read', async () => {
    await connect('jane@acme-mail.com');
    await connect('jane@acme-mail.com.au');
    expect(await warmup.findMailbox('JANE@acme-mail.com')).toMatchObject({ address: 'jane@acme-mail.com', heatScore: null });
    const get = warm.requests.at(-1)!;
    expect(Object.fromEntries(get.query)).toEqual({ page: '1', page_size: '50', search: 'JANE@acme-mail.com', status: 'all' });
    expect(await warmup.findMailbox('nobody@acme-mail.com')).toBeNull();

    warm.setHeatScore('jane@acme-mail.com', 71);
    warm.setMailbox('jane@acme-mail.com', { warmupDaysCompleted: 9 });
    expect(await warmup.findMailbox('jane@acme-mail.com')).toMatchObject({ heatScore: 71, warmupDaysCompleted: 9 });

    // Heat tied to simulated time through the hook.
    let day = 3;
    warm.heatScoreOf = (address) => (address === 'jane@acme-mail.com' ? Math.min(100, 4 * day) : null);
    expect((await warmup.findMailbox('jane@acme-mail.com'))?.heatScore).toBe(12);
    day = 22;
    expect((await warmup.findMailbox('jane@acme-mail.com'))?.heatScore).toBe(88);
    expect((await warmup.findMailbox('jane@acme-mail.com.au'))?.heatScore).toBeNull();
  });

  it('RP-006: Bearer fallback and retryable 503 with Retry-After on Warmforge too', async () => {
    const bearerOnly = new WarmforgeFake({ apiKey: WF_KEY, workspaceId: WORKSPACE, auth: 'bearer' });
    const { baseUrl } = await bearerOnly.start();
    try {
      const svc = createWarmforgeService({ baseUrl, apiKey: WF_KEY, workspaceId: WORKSPACE });
      expect(await svc.findMailbox('a@b.com')).toBeNull();
      expect(await svc.findMailbox('a@b.com')).toBeNull();
      expect(bearerOnly.requests.map((r) => [r.headers.authorization, r.status])).toEqual([
        [WF_KEY, 401],
        [`Bearer ${WF_KEY}`, 200],
        [`Bearer ${WF_KEY}`, 200],
      ]);
    } finally {
      await bearerOnly.stop();
    }
    warm.failNext({ method: 'GET', status: 503, headers: { 'retry-after': '4' }, body: { message: 'Maintenance', data: null } });
    const err = await rejection(warmup.findMailbox('a@b.com'));
    expect(err).toMatchObject({ code: 'provider_unavailable', retryable: true, retryAfterSeconds: 4 });
    expect(err.message).toContain('Maintenance');
  });

  it('RP-006: mailbox mapping (warm flag, health report) and settings clamping', () => {
    expect(mapWarmforgeMailbox({ email: 'a@b.com', warm: true, healthReport: { heatScore: '90', warmupDays: 14 } })).toEqual({
      address: 'a@b.com',
      status: 'pending',
      warmupEnabled: true,
      heatScore: 90,
      warmupDaysCompleted: 14,
    });
    expect(
      mapWarmforgeMailbox({ address: 'a@b.com', status: 'ACCESS_LOST', warmupEnabled: false, warm: true, healthReport: null }),
    ).toEqual({
      address: 'a@b.com',
      status: 'access_lost',
      warmupEnabled: false,
      heatScore: null,
    });
    expect(mapWarmforgeMailbox({ id: 1 })).toBeUndefined();
    expect(
      clampWarmupSettings({ startDate: '2026-01-31', minEmailsPerDay: 30, maxEmailsPerDay: 8.6, emailRampUp: -3, replyRatePercent: 12.4 }),
    ).toEqual({
      startDate: '2026-01-31',
      minEmailsPerDay: 9,
      maxEmailsPerDay: 9,
      emailRampUp: 0,
      replyRatePercent: 12,
    });
    expect(() => clampWarmupSettings({ ...SETTINGS, maxEmailsPerDay: Number.NaN })).toThrow(/maxEmailsPerDay/);
  });
});

describe('RP-004 RP-005 RP-006 sandbox resource pool', () => {
  it('RP-004 RP-005: sandbox domains are available, bought active, found after buying; mailboxes get sandbox SMTP', async () => {
    const recorder = createMemoryRecorder();
    const reg = createSandboxDomainRegistrar(recorder);
    expect(await reg.checkAvailability(['acme-mail.com'])).toEqual([{ domain: 'acme-mail.com', available: true, priceUsd: 12 }]);
    expect(await reg.findDomains(['acme-mail.com'])).toEqual([]);
    const [d] = await reg.buyDomains(['Acme-Mail.com']);
    expect(d).toMatchObject({ name: 'acme-mail.com', status: 'active' });
    expect(d!.ref).toMatch(/^sandbox_domain_/);
    expect(await reg.findDomains(['acme-mail.com', 'other.com'])).toEqual([d]);
    expect(await reg.buyDomains(['acme-mail.com'])).toEqual([d]); // not bought twice
    expect(recorder.filter('infraforge', 'domain_purchase')).toEqual([
      { provider: 'infraforge', kind: 'domain_purchase', to: 'acme-mail.com', payload: { ...d, priceUsd: 12 } },
    ]);
    expect((await reg.checkAvailability(['acme-mail.com']))[0]!.available).toBe(false);
    await expect(reg.buyDomains(['bad name'])).rejects.toMatchObject({ code: 'invalid_request', retryable: false });

    const [mb] = await reg.createMailboxes('acme-mail.com', [{ email: 'jane@acme-mail.com', firstName: 'Jane', lastName: 'Doe' }]);
    expect(mb).toMatchObject({ email: 'jane@acme-mail.com', status: 'active' });
    expect(await reg.listMailboxes('acme-mail.com')).toEqual([mb]);
    const creds = await reg.mailboxCredentials(mb!.ref);
    expect(creds.smtp).toMatchObject({ host: SANDBOX_MAILBOX_HOST, user: 'jane@acme-mail.com' });
    expect(creds.imap.host).toBe(SANDBOX_MAILBOX_HOST);
    expect(recorder.filter('infraforge', 'mailbox_creation')).toHaveLength(1);
    expect(JSON.stringify(recorder.entries)).not.toContain(creds.smtp.pass);
    await expect(reg.createMailboxes('unbought.com', [{ email: 'a@unbought.com', firstName: 'A', lastName: 'B' }])).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('RP-006: sandbox heat score grows 4 a day from enableWarmup: 4 on day 1, 84 on day 21, 88 (>= 85) on day 22', async () => {
    const recorder = createMemoryRecorder();
    let now = Date.UTC(2026, 10, 2, 9);
    const svc = createSandboxWarmupService(recorder, { now: () => now });
    const creds: MailboxCredentials = {
      smtp: { host: 'sandbox', port: 587, secure: false, user: 'jane@acme-mail.com', pass: 'x' },
      imap: { host: 'sandbox', port: 993, secure: true, user: 'jane@acme-mail.com', pass: 'x' },
    };
    expect(await svc.findMailbox('jane@acme-mail.com')).toBeNull();
    const mb = await svc.connectMailbox({
      address: 'jane@acme-mail.com',
      firstName: 'Jane',
      lastName: 'Doe',
      credentials: creds,
      externalReference: 'm1',
    });
    expect(mb).toEqual({ address: 'jane@acme-mail.com', status: 'active', warmupEnabled: false, heatScore: null });
    await svc.enableWarmup('jane@acme-mail.com', {
      startDate: '2026-11-02',
      minEmailsPerDay: 2,
      maxEmailsPerDay: 40,
      emailRampUp: 2,
      replyRatePercent: 30,
    });
    expect((await svc.findMailbox('jane@acme-mail.com'))?.heatScore).toBe(0);
    now += 1 * DAY;
    expect(await svc.findMailbox('jane@acme-mail.com')).toMatchObject({ warmupEnabled: true, heatScore: 4, warmupDaysCompleted: 1 });
    now += 20 * DAY;
    expect((await svc.findMailbox('jane@acme-mail.com'))?.heatScore).toBe(84);
    // Updating the settings does not restart the clock.
    await svc.enableWarmup('jane@acme-mail.com', {
      startDate: '2026-11-02',
      minEmailsPerDay: 2,
      maxEmailsPerDay: 10,
      emailRampUp: 2,
      replyRatePercent: 30,
    });
    now += DAY;
    expect((await svc.findMailbox('jane@acme-mail.com'))?.heatScore).toBe(88);
    now += 30 * DAY;
    expect((await svc.findMailbox('jane@acme-mail.com'))?.heatScore).toBe(100);
    const enables = recorder.filter('warmforge', 'warmup_enable');
    expect(enables.map((e) => (e.payload as { firstEnabled: boolean }).firstEnabled)).toEqual([true, false]);
    expect((enables[0]!.payload as { settings: WarmupSettings }).settings.maxEmailsPerDay).toBe(20);
    expect(recorder.filter('warmforge', 'mailbox_connect')).toHaveLength(1);
    await expect(
      svc.enableWarmup('ghost@acme-mail.com', {
        startDate: '2026-11-02',
        minEmailsPerDay: 1,
        maxEmailsPerDay: 1,
        emailRampUp: 0,
        replyRatePercent: 0,
      }),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('RP-007: sandbox numbers are valid AU mobiles, unique, and found by their tag after buying', async () => {
    const recorder = createMemoryRecorder();
    const numbers = createSandboxNumberProvider(recorder);
    expect(await numbers.findNumbers('client-1:n1')).toEqual([]);
    const a = await numbers.buyNumber({ country: 'AU', tag: 'client-1:n1', smsUrl: 'https://app.example/sms' });
    const b = await numbers.buyNumber({ country: 'au', tag: 'client-1:n2' });
    const c = await numbers.buyNumber({ country: 'AU', tag: 'client-1:n1' });
    for (const n of [a, b, c]) {
      expect(n.e164).toMatch(/^\+61400\d{6}$/);
      const parsed = parsePhoneNumberFromString(n.e164);
      expect(parsed?.isValid()).toBe(true);
      expect(parsed?.getType()).toBe('MOBILE');
    }
    expect(new Set([a.e164, b.e164, c.e164]).size).toBe(3);
    expect(await numbers.findNumbers('client-1:n1')).toEqual([a, c]);
    expect(await numbers.findNumbers('client-1:n2')).toEqual([b]);
    expect(recorder.filter('twilio', 'number_purchase').map((e) => e.to)).toEqual([a.e164, b.e164, c.e164]);
    expect(recorder.filter('twilio', 'number_purchase')[0]!.payload).toMatchObject({
      tag: 'client-1:n1',
      smsUrl: 'https://app.example/sms',
    });
    await expect(numbers.buyNumber({ country: 'US', tag: 'x' })).rejects.toMatchObject({ code: 'unsupported_country', retryable: false });
  });

  it('RP-008: sandbox seats: no accounts, a sandbox hosted-auth link, cancellations recorded', async () => {
    const recorder = createMemoryRecorder();
    const seats = createSandboxSeatProvider(recorder);
    expect(await seats.listLinkedInAccounts()).toEqual([]);
    const { url } = await seats.requestSeatLink({ name: 'client-1 seat 2', expiresAt: '2026-11-03T00:00:00.000Z' });
    expect(url).toMatch(/^https:\/\/sandbox\.invalid\/unipile\/hosted-auth\/sandbox_seat_link_[0-9a-f]{24}$/);
    await seats.cancelInvitation('acc-1', 'inv-9');
    expect(recorder.entries.map((e) => [e.provider, e.kind, e.to])).toEqual([
      ['unipile', 'seat_link', 'client-1 seat 2'],
      ['unipile', 'invitation_cancel', 'inv-9'],
    ]);
  });
});

describe('RP-009 domain retirement (InfraForge auto-renew off, Warmforge warmup off)', () => {
  const DISABLE = '/domains/bulk-disable-autorenew';
  const CREDS: MailboxCredentials = {
    smtp: { host: 'smtp.infraforge.test', port: 587, secure: false, user: 'jane+1@old-mail.com', pass: 'p' },
    imap: { host: 'imap.infraforge.test', port: 993, secure: true, user: 'jane+1@old-mail.com', pass: 'p' },
  };
  const SETTINGS: WarmupSettings = {
    startDate: '2026-11-02',
    minEmailsPerDay: 2,
    maxEmailsPerDay: 20,
    emailRampUp: 2,
    replyRatePercent: 30,
  };
  const disableCalls = () => infra.requests.filter((r) => r.method === 'POST' && r.path === DISABLE);

  it('RP-009: disableAutoRenew sends numeric domainIds once, flips autoRenew at the fake and is idempotent', async () => {
    const [oldA, oldB, keep] = await registrar.buyDomains(['old-a.com', 'old-b.com', 'keep.com']);
    expect([...infra.domains.values()].every((d) => d.autoRenew)).toBe(true); // default on
    await registrar.disableAutoRenew([oldA!.ref, ` ${oldB!.ref} `, oldA!.ref]);
    expect(disableCalls().map((r) => [r.body, r.status, r.headers.authorization])).toEqual([
      [{ domainIds: [Number(oldA!.ref), Number(oldB!.ref)] }, 200, IF_KEY],
    ]);
    expect(infra.domains.get('old-a.com')!.autoRenew).toBe(false);
    expect(infra.domains.get('old-b.com')!.autoRenew).toBe(false);
    expect(infra.domains.get(keep!.name)!.autoRenew).toBe(true);
    expect(infra.autoRenewChanges).toEqual([
      { autoRenew: false, domainIds: [Number(oldA!.ref), Number(oldB!.ref)], updated: 2, at: expect.any(Date) },
    ]);

    // Again: succeeds, state unchanged.
    await expect(registrar.disableAutoRenew([oldA!.ref, oldB!.ref])).resolves.toBeUndefined();
    expect(infra.domains.get('old-a.com')!.autoRenew).toBe(false);
    expect(disableCalls()).toHaveLength(2);
    // Unknown ids are ignored by InfraForge; no refs means no request.
    await expect(registrar.disableAutoRenew(['999999'])).resolves.toBeUndefined();
    expect(infra.autoRenewChanges.at(-1)).toMatchObject({ domainIds: [999999], updated: 0 });
    const before = infra.requests.length;
    await registrar.disableAutoRenew([]);
    await registrar.disableAutoRenew(['  ']);
    expect(infra.requests.length).toBe(before);
  });

  it('RP-009: a 404 (domain already gone) resolves; a batch refused with 404 is re-sent one ref at a time', async () => {
    const [a, b] = await registrar.buyDomains(['gone-a.com', 'gone-b.com']);
    infra.failNext({ method: 'POST', path: DISABLE, status: 404, body: { message: 'Domain not found', data: null } });
    await expect(registrar.disableAutoRenew([a!.ref, b!.ref])).resolves.toBeUndefined();
    expect(disableCalls().map((r) => [r.body, r.status])).toEqual([
      [{ domainIds: [Number(a!.ref), Number(b!.ref)] }, 404],
      [{ domainIds: [Number(a!.ref)] }, 200],
      [{ domainIds: [Number(b!.ref)] }, 200],
    ]);
    expect(infra.domains.get('gone-a.com')!.autoRenew).toBe(false);
    expect(infra.domains.get('gone-b.com')!.autoRenew).toBe(false);
    // A single ref answered 404: resolved, not re-sent.
    infra.failNext({ method: 'POST', path: DISABLE, status: 404 });
    await expect(registrar.disableAutoRenew([a!.ref])).resolves.toBeUndefined();
    expect(disableCalls()).toHaveLength(4);
  });

  it('RP-009: auto-renew and warmup calls: 5xx and 429 are retryable, other 4xx permanent', async () => {
    const [d] = await registrar.buyDomains(['flaky.com']);
    infra.failNext({
      method: 'POST',
      path: DISABLE,
      status: 503,
      headers: { 'retry-after': '7' },
      body: { message: 'Maintenance', data: null },
    });
    const e503 = await rejection(registrar.disableAutoRenew([d!.ref]));
    expect(e503).toMatchObject({
      provider: 'infraforge',
      code: 'provider_unavailable',
      retryable: true,
      status: 503,
      retryAfterSeconds: 7,
    });
    expect(infra.domains.get('flaky.com')!.autoRenew).toBe(true);
    expect(disableCalls()).toHaveLength(1); // not re-sent by the adapter
    infra.failNext({ method: 'POST', path: DISABLE, status: 429 });
    expect(await rejection(registrar.disableAutoRenew([d!.ref]))).toMatchObject({ code: 'rate_limited', retryable: true });
    infra.failNext({ method: 'POST', path: DISABLE, status: 422, body: { message: 'domainIds invalid', data: null } });
    expect(await rejection(registrar.disableAutoRenew([d!.ref]))).toMatchObject({ code: 'invalid_request', retryable: false });
    await registrar.disableAutoRenew([d!.ref]);
    expect(infra.domains.get('flaky.com')!.autoRenew).toBe(false);

    await warmup.connectMailbox({ address: 'jane@flaky.com', firstName: 'J', lastName: 'D', credentials: CREDS, externalReference: 'm' });
    await warmup.enableWarmup('jane@flaky.com', SETTINGS);
    warm.failNext({ method: 'PATCH', status: 502, headers: { 'retry-after': '3' } });
    expect(await rejection(warmup.disableWarmup('jane@flaky.com'))).toMatchObject({
      provider: 'warmforge',
      code: 'provider_unavailable',
      retryable: true,
      retryAfterSeconds: 3,
    });
    expect(warm.connected.get('jane@flaky.com')!.warmupEnabled).toBe(true);
    warm.failNext({ method: 'PATCH', drop: true });
    expect(await rejection(warmup.disableWarmup('jane@flaky.com'))).toMatchObject({ code: 'network_error', retryable: true });
    await warmup.disableWarmup('jane@flaky.com');
    expect(warm.connected.get('jane@flaky.com')!.warmupEnabled).toBe(false);
  });

  it('RP-009: infraForgeDomainId sends canonical integers as numbers, anything else as the string', () => {
    expect(infraForgeDomainId('1001')).toBe(1001);
    expect(infraForgeDomainId(' 0 ')).toBe(0);
    expect(infraForgeDomainId('01001')).toBe('01001');
    expect(infraForgeDomainId('9007199254740993')).toBe('9007199254740993');
    expect(infraForgeDomainId('dom_3f2a')).toBe('dom_3f2a');
    expect(infraForgeDomainId('-4')).toBe('-4');
  });

  it('RP-009: the InfraForge fake also enables auto-renew, matches string ids and refuses bad bodies', async () => {
    const [d] = await registrar.buyDomains(['back.com']);
    await registrar.disableAutoRenew([d!.ref]);
    const on = await registrar.http.request({
      method: 'POST',
      path: '/domains/bulk-enable-autorenew',
      body: { domainIds: [d!.ref, 'nope'] },
    });
    expect(on.body).toEqual({ updated: 1 });
    expect(infra.domains.get('back.com')!.autoRenew).toBe(true);
    expect(infra.autoRenewChanges.map((c) => [c.autoRenew, c.updated])).toEqual([
      [false, 1],
      [true, 1],
    ]);
    expect((await registrar.findDomains(['back.com']))[0]).toMatchObject({ name: 'back.com' });
    expect(infra.requests.filter((r) => r.method === 'GET' && r.path === '/domains').at(-1)!.status).toBe(200);
    expect(await rejection(registrar.http.request({ method: 'POST', path: DISABLE, body: { domainIds: [] } }))).toMatchObject({
      code: 'invalid_request',
    });
    expect(await rejection(registrar.http.request({ method: 'POST', path: DISABLE, body: { domainIds: [{ id: 1 }] } }))).toMatchObject({
      code: 'invalid_request',
    });
    expect(infra.autoRenewChanges).toHaveLength(2);
    infra.setAutoRenew('back.com', false);
    expect(infra.domains.get('back.com')!.autoRenew).toBe(false);
  });

  it('RP-009: disableWarmup PATCHes the encoded address with only {warmupEnabled: false}; idempotent', async () => {
    await warmup.connectMailbox({
      address: 'jane+1@old-mail.com',
      firstName: 'Jane',
      lastName: 'Doe',
      credentials: CREDS,
      externalReference: 'm1',
    });
    await warmup.enableWarmup('jane+1@old-mail.com', SETTINGS);
    warm.setHeatScore('jane+1@old-mail.com', 40);
    await warmup.disableWarmup(' jane+1@old-mail.com ');
    const patch = warm.requests.at(-1)!;
    expect([patch.method, patch.path, patch.status, patch.body]).toEqual([
      'PATCH',
      `/workspaces/${WORKSPACE}/mailboxes/jane%2B1%40old-mail.com`,
      200,
      { warmupEnabled: false },
    ]);
    expect(warm.connected.get('jane+1@old-mail.com')!.warmupEnabled).toBe(false);
    expect(await warmup.findMailbox('jane+1@old-mail.com')).toMatchObject({ warmupEnabled: false, heatScore: 40 });
    // Again: accepted, still off.
    await expect(warmup.disableWarmup('jane+1@old-mail.com')).resolves.toBeUndefined();
    expect(warm.warmupToggles.map((t) => [t.address, t.warmupEnabled, t.was])).toEqual([
      ['jane+1@old-mail.com', true, false],
      ['jane+1@old-mail.com', false, true],
      ['jane+1@old-mail.com', false, false],
    ]);
    expect(warm.warmupSettings.get('jane+1@old-mail.com')).toEqual({ warmupEnabled: false });
  });

  it('RP-009: disableWarmup of an unknown mailbox (404) resolves; an empty address is never sent', async () => {
    await expect(warmup.disableWarmup('ghost@old-mail.com')).resolves.toBeUndefined();
    expect(warm.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ['PATCH', `/workspaces/${WORKSPACE}/mailboxes/ghost%40old-mail.com`, 404],
    ]);
    // In another workspace: 404 here too, so resolved and left alone.
    warm.connectElsewhere('theirs@old-mail.com');
    await expect(warmup.disableWarmup('theirs@old-mail.com')).resolves.toBeUndefined();
    expect(warm.warmupToggles).toEqual([]);
    expect(await rejection(warmup.disableWarmup('  '))).toMatchObject({ code: 'invalid_request', retryable: false });
    expect(warm.requests).toHaveLength(2);
    // The fake refuses a non-boolean warmupEnabled.
    await warmup.connectMailbox({ address: 'x@old-mail.com', firstName: 'X', lastName: 'Y', credentials: CREDS, externalReference: 'm2' });
    const bad = warmup.http.request({
      method: 'PATCH',
      path: `/workspaces/${WORKSPACE}/mailboxes/x%40old-mail.com`,
      body: { warmupEnabled: 'no' },
    });
    expect(await rejection(bad)).toMatchObject({ code: 'invalid_request', status: 422 });
  });

  it('RP-009: sandbox registrar records autorenew_disabled and turns renewal off (unknown refs ignored)', async () => {
    const recorder = createMemoryRecorder();
    const reg = createSandboxDomainRegistrar(recorder);
    const [a, b] = await reg.buyDomains(['old-a.com', 'old-b.com']);
    expect(reg.sandboxAutoRenew('old-a.com')).toBe(true);
    await reg.disableAutoRenew([a!.ref, 'sandbox_domain_unknown', a!.ref]);
    expect(reg.sandboxAutoRenew('old-a.com')).toBe(false);
    expect(reg.sandboxAutoRenew(a!.ref)).toBe(false);
    expect(reg.sandboxAutoRenew('old-b.com')).toBe(true);
    expect(reg.sandboxAutoRenew('never.com')).toBeUndefined();
    await reg.disableAutoRenew([a!.ref, b!.ref]);
    await reg.disableAutoRenew([]);
    expect(recorder.filter('infraforge', 'autorenew_disabled')).toEqual([
      {
        provider: 'infraforge',
        kind: 'autorenew_disabled',
        to: `${a!.ref},sandbox_domain_unknown`,
        payload: { domainRefs: [a!.ref, 'sandbox_domain_unknown'], changed: [a!.ref], unknown: ['sandbox_domain_unknown'] },
      },
      {
        provider: 'infraforge',
        kind: 'autorenew_disabled',
        to: `${a!.ref},${b!.ref}`,
        payload: { domainRefs: [a!.ref, b!.ref], changed: [b!.ref], unknown: [] },
      },
    ]);
    // The domain itself is still owned (it lapses later, at the registrar).
    expect(await reg.findDomains(['old-a.com'])).toEqual([a]);
  });

  it('RP-009: sandbox warmup records warmup_disabled, freezes the heat score, tolerates unknown mailboxes', async () => {
    const recorder = createMemoryRecorder();
    let now = Date.UTC(2026, 10, 2, 9);
    const svc = createSandboxWarmupService(recorder, { now: () => now });
    await svc.connectMailbox({
      address: 'Jane@old-mail.com',
      firstName: 'Jane',
      lastName: 'Doe',
      credentials: CREDS,
      externalReference: 'm1',
    });
    await svc.enableWarmup('jane@old-mail.com', SETTINGS);
    now += 10 * DAY;
    await svc.disableWarmup('jane@old-mail.com');
    now += 5 * DAY;
    expect(await svc.findMailbox('jane@old-mail.com')).toEqual({
      address: 'Jane@old-mail.com',
      status: 'active',
      warmupEnabled: false,
      heatScore: 40,
      warmupDaysCompleted: 10,
    });
    await svc.disableWarmup('jane@old-mail.com'); // idempotent
    await expect(svc.disableWarmup('ghost@old-mail.com')).resolves.toBeUndefined();
    expect(recorder.filter('warmforge', 'warmup_disabled')).toEqual([
      { provider: 'warmforge', kind: 'warmup_disabled', to: 'Jane@old-mail.com', payload: { known: true, wasEnabled: true } },
      { provider: 'warmforge', kind: 'warmup_disabled', to: 'Jane@old-mail.com', payload: { known: true, wasEnabled: false } },
      { provider: 'warmforge', kind: 'warmup_disabled', to: 'ghost@old-mail.com', payload: { known: false, wasEnabled: false } },
    ]);
    // Re-enabling after a disable restarts the clock.
    await svc.enableWarmup('jane@old-mail.com', SETTINGS);
    expect(await svc.findMailbox('jane@old-mail.com')).toMatchObject({ warmupEnabled: true, heatScore: 0, warmupDaysCompleted: 0 });
    now += 2 * DAY;
    expect((await svc.findMailbox('jane@old-mail.com'))?.heatScore).toBe(8);
  });
});
