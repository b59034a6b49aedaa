/**
 * Resource-pool adapters against the wire-format fakes, with the real SDKs:
 * - RP-007 phone numbers: providers/twilio/numbers.ts (twilio SDK) against test/fakes/twilio-fake.ts;
 * - RP-008 / LI-001 LinkedIn seats: providers/unipile/seats.ts (unipile-node-sdk + our transport)
 *   against test/fakes/unipile-fake.ts.
 * Neither purchase has an idempotency key: a lost answer must leave exactly one purchase, found
 * again by listing.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTwilioNumberProvider, type TwilioNumberProviderOptions } from '../../../providers/twilio/numbers.js';
import { createUnipileLinkedInClient } from '../../../providers/unipile/client.js';
import { createUnipileSeatProvider } from '../../../providers/unipile/seats.js';
import { TWILIO_ERRORS, TwilioFake, twilioErrorBody } from '../../fakes/twilio-fake.js';
import { createUnipileFake, type UnipileFake } from '../../fakes/unipile-fake.js';
import { rejection } from '../../helpers/assertions.js';

// ---- RP-007: phone numbers (Twilio) ------------------------------------------------------------

const twilio = new TwilioFake();
let twilioUrl: string;
const numbers = (extra: Partial<TwilioNumberProviderOptions> = {}) =>
  createTwilioNumberProvider({ accountSid: twilio.accountSid, authToken: twilio.authToken, baseUrl: twilioUrl, ...extra });
const SMS_URL = 'https://app.example.com/webhooks/twilio/sms';
const STATUS_URL = 'https://app.example.com/webhooks/twilio/status';
const BUY_PATH = /\/IncomingPhoneNumbers\.json$/;

// ---- RP-008 / LI-001: LinkedIn seats (Unipile) -------------------------------------------------

const API_KEY = 'k-seats-test';
let unipile: UnipileFake;
let unipileUrl: string;
const seats = () => createUnipileSeatProvider({ dsn: unipileUrl, apiKey: API_KEY, timeoutMs: 2_000 });

beforeAll(async () => {
  ({ baseUrl: twilioUrl } = await twilio.start());
  unipile = createUnipileFake({ apiKey: API_KEY, accountsPageSize: 2 });
  ({ baseUrl: unipileUrl } = await unipile.start());
});
afterAll(async () => {
  await Promise.all([twilio.stop(), unipile.stop()]);
});
beforeEach(() => {
  twilio.reset();
  unipile.reset();
});

describe('Twilio number provider (RP-007)', () => {
  it('RP-007: buys the first SMS+voice mobile number found in the country, tagged, with one search and one create', async () => {
    const bought = await numbers().buyNumber({ country: 'AU', tag: 'rp007-client-a-1', smsUrl: SMS_URL, statusCallback: STATUS_URL });

    expect(bought).toEqual({ ref: expect.stringMatching(/^PN[0-9a-f]{32}$/), e164: '+61491570006', tag: 'rp007-client-a-1' });
    expect(twilio.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /2010-04-01/Accounts/${twilio.accountSid}/AvailablePhoneNumbers/AU/Mobile.json`,
      `POST /2010-04-01/Accounts/${twilio.accountSid}/IncomingPhoneNumbers.json`,
    ]);
    expect(twilio.requests[0]!.query).toMatchObject({ SmsEnabled: 'true', VoiceEnabled: 'true', PageSize: '5' });
    expect(twilio.requests[1]!.body).toEqual({
      PhoneNumber: '+61491570006',
      FriendlyName: 'rp007-client-a-1',
      SmsUrl: SMS_URL,
      StatusCallback: STATUS_URL,
    });
    expect(twilio.requests[1]!.auth).toEqual({ username: twilio.accountSid, password: twilio.authToken });
    expect(twilio.purchasedNumbers).toHaveLength(1);
    expect(twilio.purchasedNumbers[0]).toMatchObject({
      sid: bought.ref,
      phoneNumber: '+61491570006',
      friendlyName: 'rp007-client-a-1',
      smsUrl: SMS_URL,
    });
  });

  it('RP-007: passes AddressSid and BundleSid, and searches Local numbers when asked', async () => {
    const provider = numbers({ numberType: 'local', addressSid: 'AD0123', bundleSid: 'BU0456' });
    const bought = await provider.buyNumber({ country: 'au', tag: 'rp007-local' });
    expect(bought.e164).toBe('+61255500001');
    expect(twilio.requests[0]!.path).toMatch(/\/AvailablePhoneNumbers\/AU\/Local\.json$/);
    expect(twilio.requests[1]!.body).toEqual({
      PhoneNumber: '+61255500001',
      FriendlyName: 'rp007-local',
      AddressSid: 'AD0123',
      BundleSid: 'BU0456',
    });
    expect(twilio.purchasedNumbers[0]).toMatchObject({ addressSid: 'AD0123', bundleSid: 'BU0456', numberType: 'local' });
  });

  it('RP-007: findNumbers(tag) finds the numbers bought with that tag (FriendlyName filter), and only those', async () => {
    const provider = numbers();
    const a = await provider.buyNumber({ country: 'AU', tag: 'tag-a' });
    await provider.buyNumber({ country: 'AU', tag: 'tag-b' });

    twilio.requests.length = 0;
    expect(await provider.findNumbers('tag-a')).toEqual([a]);
    expect(twilio.requests).toHaveLength(1);
    expect(twilio.requests[0]).toMatchObject({
      method: 'GET',
      path: `/2010-04-01/Accounts/${twilio.accountSid}/IncomingPhoneNumbers.json`,
      query: { FriendlyName: 'tag-a' },
    });
    expect(await provider.findNumbers('tag-none')).toEqual([]);
  });

  it('RP-007: findNumbers follows next_page_uri over every page', async () => {
    const paged = new TwilioFake({ defaultPageSize: 2 });
    const { baseUrl } = await paged.start();
    try {
      paged.setAvailableNumbers('AU', ['+61400000001', '+61400000002', '+61400000003', '+61400000004', '+61400000005']);
      const provider = createTwilioNumberProvider({ accountSid: paged.accountSid, authToken: paged.authToken, baseUrl });
      for (let i = 0; i < 5; i++) await provider.buyNumber({ country: 'AU', tag: 'pool-7' });
      paged.requests.length = 0;
      const found = await provider.findNumbers('pool-7');
      expect(found.map((n) => n.e164)).toEqual(['+61400000001', '+61400000002', '+61400000003', '+61400000004', '+61400000005']);
      expect(paged.requests).toHaveLength(3);
    } finally {
      await paged.stop();
    }
  });

  it('RP-007: a create whose answer is lost is not re-sent: retryable, exactly one purchase, and findNumbers(tag) finds it', async () => {
    const provider = numbers();
    twilio.script({ status: 0, afterEffect: true, match: { method: 'POST', path: BUY_PATH } });

    const err = await rejection(provider.buyNumber({ country: 'AU', tag: 'rp007-lost', smsUrl: SMS_URL }));
    expect(err).toMatchObject({ provider: 'twilio', code: 'network_error', retryable: true });
    expect(twilio.requestsTo('POST', BUY_PATH)).toHaveLength(1);
    expect(twilio.purchasedNumbers).toHaveLength(1);

    // The caller reconciles before buying again: the number is there, so nothing more is bought.
    const found = await provider.findNumbers('rp007-lost');
    expect(found).toEqual([{ ref: twilio.purchasedNumbers[0]!.sid, e164: '+61491570006', tag: 'rp007-lost' }]);
    expect(twilio.purchasedNumbers).toHaveLength(1);
  });

  it('RP-007: a create that times out is a retryable timeout, sent once', async () => {
    const provider = numbers({ timeoutMs: 200 });
    twilio.script({ status: 201, delayMs: 1_000, match: { method: 'POST', path: BUY_PATH } });
    const err = await rejection(provider.buyNumber({ country: 'AU', tag: 'rp007-slow' }));
    expect(err).toMatchObject({ code: 'timeout', retryable: true });
    expect(twilio.requestsTo('POST', BUY_PATH)).toHaveLength(1);
  });

  it('RP-007: no number available is a non-retryable no_numbers_available, and nothing is bought', async () => {
    twilio.setAvailableNumbers('AU', []);
    const err = await rejection(numbers().buyNumber({ country: 'AU', tag: 'rp007-none' }));
    expect(err).toMatchObject({ provider: 'twilio', code: 'no_numbers_available', retryable: false });
    expect(twilio.requestsTo('POST', BUY_PATH)).toHaveLength(0);
  });

  it('RP-007: a country (or type) Twilio does not offer (404) is no_numbers_available, not retryable', async () => {
    const err = await rejection(numbers().buyNumber({ country: 'NZ', tag: 'rp007-nz' }));
    expect(err).toMatchObject({ code: 'no_numbers_available', retryable: false, status: 404 });
  });

  it('RP-007: numbers already bought are no longer offered', async () => {
    twilio.setAvailableNumbers('AU', ['+61400000001']);
    const provider = numbers();
    expect((await provider.buyNumber({ country: 'AU', tag: 'first' })).e164).toBe('+61400000001');
    expect(twilio.availableNumbers('AU')).toEqual([]);
    const err = await rejection(provider.buyNumber({ country: 'AU', tag: 'second' }));
    expect(err).toMatchObject({ code: 'no_numbers_available', retryable: false });
    expect(twilio.purchasedNumbers.map((n) => n.friendlyName)).toEqual(['first']);
  });

  it('RP-007: the search asks for SMS and voice capability (a voice-only number is not offered)', async () => {
    twilio.setAvailableNumbers('AU', [{ phoneNumber: '+61400000009', sms: false }, '+61400000010']);
    expect((await numbers().buyNumber({ country: 'AU', tag: 'caps' })).e164).toBe('+61400000010');
  });

  it('RP-007: a number taken between search and create (21422) moves on to the next candidate; nothing is bought twice', async () => {
    twilio.script({
      status: 400,
      body: twilioErrorBody(400, 21422, 'PhoneNumber is not available'),
      match: { method: 'POST', path: BUY_PATH },
    });
    const bought = await numbers().buyNumber({ country: 'AU', tag: 'rp007-race' });
    expect(bought.e164).toBe('+61491570156');
    expect(twilio.requestsTo('POST', BUY_PATH).map((r) => (r.body as Record<string, string>).PhoneNumber)).toEqual([
      '+61491570006',
      '+61491570156',
    ]);
    expect(twilio.purchasedNumbers).toHaveLength(1);
  });

  it('RP-007: the fake itself answers 21422 for a number that is not available, which the adapter reports retryable once every candidate is gone', async () => {
    twilio.setAvailableNumbers('AU', ['+61400000001']);
    twilio.script({
      status: 400,
      body: twilioErrorBody(400, 21422, 'PhoneNumber is not available'),
      match: { method: 'POST', path: BUY_PATH },
    });
    const err = await rejection(numbers().buyNumber({ country: 'AU', tag: 'rp007-gone' }));
    expect(err).toMatchObject({ code: 'number_unavailable', retryable: true, status: 400 });
    expect(twilio.purchasedNumbers).toHaveLength(0);

    // The wire-level 21422 of the fake (no script): a number outside every pool.
    const res = await fetch(`${twilioUrl}/2010-04-01/Accounts/${twilio.accountSid}/IncomingPhoneNumbers.json`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ PhoneNumber: '+61499999999', FriendlyName: 'x' }).toString(),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 21422, status: 400 });
  });

  it('RP-007: 5xx is retryable (search: nothing sent to create; create: sent once, nothing bought)', async () => {
    twilio.failNext(503, TWILIO_ERRORS[20500]());
    expect(await rejection(numbers().buyNumber({ country: 'AU', tag: 'rp007-5xx' }))).toMatchObject({
      code: 'provider_unavailable',
      retryable: true,
      status: 503,
    });
    expect(twilio.requestsTo('POST', BUY_PATH)).toHaveLength(0);

    twilio.script({ status: 500, body: TWILIO_ERRORS[20500](), match: { method: 'POST', path: BUY_PATH } });
    expect(await rejection(numbers().buyNumber({ country: 'AU', tag: 'rp007-5xx' }))).toMatchObject({
      code: 'provider_unavailable',
      retryable: true,
      status: 500,
    });
    expect(twilio.requestsTo('POST', BUY_PATH)).toHaveLength(1);
    expect(twilio.purchasedNumbers).toHaveLength(0);
  });

  it('RP-007: 429 on the create is retryable with Retry-After, sent once', async () => {
    twilio.script({
      status: 429,
      body: TWILIO_ERRORS[20429](),
      headers: { 'Retry-After': '9' },
      match: { method: 'POST', path: BUY_PATH },
    });
    const err = await rejection(numbers().buyNumber({ country: 'AU', tag: 'rp007-429' }));
    expect(err).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterSeconds: 9 });
    expect(twilio.requestsTo('POST', BUY_PATH)).toHaveLength(1);
  });

  it('RP-007: bad input and bad credentials are permanent', async () => {
    expect(await rejection(numbers().buyNumber({ country: 'Australia', tag: 't' }))).toMatchObject({
      code: 'invalid_input',
      retryable: false,
    });
    expect(await rejection(numbers().buyNumber({ country: 'AU', tag: 'x'.repeat(65) }))).toMatchObject({
      code: 'invalid_input',
      retryable: false,
    });
    expect(twilio.requests).toHaveLength(0);
    const bad = createTwilioNumberProvider({ accountSid: twilio.accountSid, authToken: 'wrong', baseUrl: twilioUrl });
    expect(await rejection(bad.findNumbers('t'))).toMatchObject({ code: 'auth_failed', retryable: false, status: 401 });
  });
});

describe('Unipile seat provider (RP-008, LI-001)', () => {
  it('RP-008/LI-001: lists the LinkedIn accounts over every page (cursor), with the worst source status', async () => {
    unipile.setAccount('acc-1', { name: 'Sam Seller', status: 'OK' });
    unipile.setAccount('acc-2', { name: 'Wa Account', status: 'OK', type: 'WHATSAPP' });
    unipile.setAccount('acc-3', { name: 'Kim Closer', status: 'CREDENTIALS' });
    unipile.setAccount('acc-4', { status: 'CONNECTING' });
    unipile.setAccount('acc-5', { status: 'STOPPED' });

    const list = await seats().listLinkedInAccounts();

    expect(list).toEqual([
      { accountRef: 'acc-1', name: 'Sam Seller', status: 'OK', restricted: false, needsReconnect: false },
      { accountRef: 'acc-3', name: 'Kim Closer', status: 'CREDENTIALS', restricted: true, needsReconnect: true },
      { accountRef: 'acc-4', name: 'Seat acc-4', status: 'CONNECTING', restricted: false, needsReconnect: false },
      { accountRef: 'acc-5', name: 'Seat acc-5', status: 'STOPPED', restricted: true, needsReconnect: false },
    ]);
    // Page size 2 in the fake: 3 GETs, the 2nd and 3rd with the cursor of the previous page.
    const gets = unipile.requests.filter((r) => r.path === '/api/v1/accounts');
    expect(gets).toHaveLength(3);
    expect(gets[0]!.query).toEqual({ limit: '100' });
    expect(gets[1]!.query.cursor).toEqual(expect.any(String));
    expect(gets[2]!.query.cursor).not.toBe(gets[1]!.query.cursor);
    expect(gets.every((r) => r.method === 'GET' && r.headers['x-api-key'] === API_KEY)).toBe(true);
  });

  it('RP-008: no account connected is an empty list', async () => {
    expect(await seats().listLinkedInAccounts()).toEqual([]);
  });

  it('RP-008/LI-001: requests a hosted-auth link for a new LinkedIn seat', async () => {
    const { url } = await seats().requestSeatLink({
      name: 'seat-req-42',
      expiresAt: '2026-12-01T10:00:00Z',
      notifyUrl: 'https://app.example.com/webhooks/unipile/hosted',
    });

    expect(url).toBe(unipile.hostedAuthLinks[0]!.url);
    const req = unipile.requests.at(-1)!;
    expect(req).toMatchObject({ method: 'POST', path: '/api/v1/hosted/accounts/link', status: 201 });
    expect(req.headers['content-type']).toContain('application/json');
    expect(req.json).toEqual({
      type: 'create',
      providers: ['LINKEDIN'],
      api_url: unipileUrl,
      expiresOn: '2026-12-01T10:00:00.000Z',
      name: 'seat-req-42',
      notify_url: 'https://app.example.com/webhooks/unipile/hosted',
    });
  });

  it('RP-008: an unreadable expiry is refused before any request', async () => {
    expect(await rejection(seats().requestSeatLink({ name: 'x', expiresAt: 'next tuesday' }))).toMatchObject({
      code: 'bad_request',
      retryable: false,
    });
    expect(unipile.requests).toHaveLength(0);
  });

  it('RP-008/LI-001: once the operator connects an account through the link, it is listed', async () => {
    const provider = seats();
    unipile.setAccount('acc-old', { status: 'OK' });
    await provider.requestSeatLink({ name: 'seat-req-1', expiresAt: '2026-12-01T10:00:00.000Z' });
    await provider.requestSeatLink({ name: 'seat-req-2', expiresAt: '2026-12-01T10:00:00.000Z' });
    expect((await provider.listLinkedInAccounts()).map((s) => s.accountRef)).toEqual(['acc-old']);

    const notify = unipile.completeHostedAuth('seat-req-2', 'acc-new-2');
    expect(notify).toEqual({ status: 'CREATION_SUCCESS', account_id: 'acc-new-2', name: 'seat-req-2' });
    unipile.completeHostedAuth(0, 'acc-new-1');

    const list = await provider.listLinkedInAccounts();
    expect(list.map((s) => [s.accountRef, s.status])).toEqual([
      ['acc-old', 'OK'],
      ['acc-new-2', 'OK'],
      ['acc-new-1', 'OK'],
    ]);
    expect(unipile.hostedAuthLinks.map((l) => l.accountId)).toEqual(['acc-new-1', 'acc-new-2']);
  });

  it('RP-008: cancels a pending invitation of the seat (DELETE /users/invite/sent/:id?account_id=)', async () => {
    unipile.setProfile({ providerId: 'ACoAAAJane', publicIdentifier: 'jane-doe' });
    const li = createUnipileLinkedInClient({ dsn: unipileUrl, apiKey: API_KEY });
    const { invitationId } = await li.sendInvitation({ accountId: 'acc-1', providerId: 'ACoAAAJane' });

    await seats().cancelInvitation('acc-1', invitationId);

    expect(unipile.requests.at(-1)).toMatchObject({
      method: 'DELETE',
      path: `/api/v1/users/invite/sent/${invitationId}`,
      query: { account_id: 'acc-1' },
      status: 200,
    });
    expect(unipile.cancelledInvitations).toEqual([{ invitationId, accountId: 'acc-1', cancelledAt: expect.any(Date) }]);
    expect(unipile.invitations[0]!.status).toBe('WITHDRAWN');
    expect((await li.getProfile('acc-1', 'jane-doe')).invitationPending).toBe(false);
  });

  it('RP-008: an invitation already gone (404) resolves: cancelling twice or an unknown id is fine', async () => {
    unipile.setProfile({ providerId: 'ACoAAABob', publicIdentifier: 'bob' });
    const li = createUnipileLinkedInClient({ dsn: unipileUrl, apiKey: API_KEY });
    const { invitationId } = await li.sendInvitation({ accountId: 'acc-1', providerId: 'ACoAAABob' });
    const provider = seats();

    await provider.cancelInvitation('acc-1', invitationId);
    await expect(provider.cancelInvitation('acc-1', invitationId)).resolves.toBeUndefined();
    await expect(provider.cancelInvitation('acc-1', 'inv_unknown')).resolves.toBeUndefined();
    // Another seat cannot withdraw acc-1's invitation: a 404 for it too.
    await expect(provider.cancelInvitation('acc-2', invitationId)).resolves.toBeUndefined();
    expect(unipile.cancelledInvitations).toHaveLength(1);
    expect(unipile.requests.filter((r) => r.method === 'DELETE').map((r) => r.status)).toEqual([200, 404, 404, 404]);
  });

  it('RP-008: transient failures stay retryable, permanent ones do not', async () => {
    unipile.failNext({ method: 'DELETE', path: '/api/v1/users/invite/sent', status: 503 });
    expect(await rejection(seats().cancelInvitation('acc-1', 'inv_1'))).toMatchObject({
      provider: 'unipile',
      code: 'provider_unavailable',
      retryable: true,
      status: 503,
    });

    unipile.failNext({ method: 'GET', path: '/api/v1/accounts', status: 429, retryAfter: '12' });
    expect(await rejection(seats().listLinkedInAccounts())).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterSeconds: 12 });

    unipile.failNext({ method: 'POST', path: '/api/v1/hosted/accounts/link', status: 500 });
    expect(await rejection(seats().requestSeatLink({ name: 'n', expiresAt: '2026-12-01T00:00:00Z' }))).toMatchObject({
      code: 'provider_unavailable',
      retryable: true,
    });

    const wrongKey = createUnipileSeatProvider({ dsn: unipileUrl, apiKey: 'wrong' });
    expect(await rejection(wrongKey.listLinkedInAccounts())).toMatchObject({ code: 'auth_failed', retryable: false, status: 401 });
  });
});
