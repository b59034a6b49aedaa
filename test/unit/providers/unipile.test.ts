/**
 * Unipile LinkedIn adapter against the Unipile fake (real unipile-node-sdk resources over HTTP),
 * error classification, and webhook verification/parsing (LI-002, LI-003, LI-004, LI-006, SYS-008);
 * withdrawing an unanswered request (LI-002).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UnipileClient } from 'unipile-node-sdk';
import { ProviderError } from '../../../providers/ports.js';
import {
  classifyUnipileError,
  createUnipileLinkedInClient,
  linkedInIdentifier,
  normalizeUnipileBaseUrl,
  parseRetryAfter,
  type UnipileLinkedInClient,
} from '../../../providers/unipile/client.js';
import {
  describeUnipileEvent,
  parseUnipileWebhook,
  UnipileAccountStatusSchema,
  UnipileMessageEventSchema,
  UnipileNewRelationSchema,
  UnipileWebhookSchema,
  verifyUnipileSecret,
} from '../../../providers/unipile/webhooks.js';
import { createUnipileFake, type UnipileFake } from '../../fakes/unipile-fake.js';
import { rejection } from '../../helpers/assertions.js';

const API_KEY = 'k-test-123';
const ACC = 'acc-seat-1';
const JANE = { providerId: 'ACoAAAJane', publicIdentifier: 'jane-doe', firstName: 'Jane', lastName: 'Doe', headline: 'CTO' };
const BOB = {
  providerId: 'ACoAAABob',
  publicIdentifier: 'bob-smith',
  firstName: 'Bob',
  lastName: 'Smith',
  networkDistance: 'THIRD_DEGREE' as const,
};

let fake: UnipileFake;
let baseUrl: string;
let li: UnipileLinkedInClient;

beforeAll(async () => {
  fake = createUnipileFake({ apiKey: API_KEY });
  ({ baseUrl } = await fake.start());
  li = createUnipileLinkedInClient({ dsn: baseUrl, apiKey: API_KEY, timeoutMs: 2_000 });
});
afterAll(async () => {
  await fake.stop();
});
beforeEach(() => {
  fake.reset();
  fake.setProfile(JANE);
  fake.setProfile(BOB);
});

describe('SDK wiring (verified against unipile-node-sdk 1.9.3)', () => {
  it('the unmodified SDK builds /api/v1/... URLs from the base URL and sends X-API-KEY', async () => {
    const sdk = new UnipileClient(baseUrl, API_KEY);
    const profile = (await sdk.users.getProfile({ account_id: ACC, identifier: 'jane-doe' })) as { provider_id: string };
    expect(profile.provider_id).toBe(JANE.providerId);
    const req = fake.requests.at(-1)!;
    expect(req.method).toBe('GET');
    expect(req.path).toBe('/api/v1/users/jane-doe');
    expect(req.query).toEqual({ account_id: ACC });
    expect(req.headers['x-api-key']).toBe(API_KEY);
    expect(req.headers['accept']).toBe('application/json');
  });

  it('the unmodified SDK loses the HTTP status and Retry-After on errors (why we use our transport)', async () => {
    fake.failNext({ status: 429, retryAfter: '42' });
    const sdk = new UnipileClient(baseUrl, API_KEY);
    const err = (await sdk.users.getProfile({ account_id: ACC, identifier: 'jane-doe' }).catch((e: unknown) => e)) as {
      body: unknown;
      status?: unknown;
    };
    expect(err.body).toMatchObject({ status: 429, type: 'errors/too_many_requests' });
    expect(err.status).toBeUndefined();
    expect(fake.requests).toHaveLength(1); // and no retry
  });

  it('normalises the DSN: scheme added, trailing slash and /api/v1 removed', () => {
    expect(normalizeUnipileBaseUrl('api8.unipile.com:13851')).toBe('https://api8.unipile.com:13851');
    expect(normalizeUnipileBaseUrl('https://api8.unipile.com:13851/')).toBe('https://api8.unipile.com:13851');
    expect(normalizeUnipileBaseUrl('https://api8.unipile.com:13851/api/v1/')).toBe('https://api8.unipile.com:13851');
    expect(normalizeUnipileBaseUrl('http://127.0.0.1:9999')).toBe('http://127.0.0.1:9999');
  });

  it('takes a slug, an ACo id or a profile URL as identifier', () => {
    expect(linkedInIdentifier('jane-doe')).toBe('jane-doe');
    expect(linkedInIdentifier('https://www.linkedin.com/in/jane-doe/?trk=x')).toBe('jane-doe');
    expect(linkedInIdentifier('linkedin.com/in/j%C3%A9r%C3%B4me')).toBe('jérôme');
    expect(linkedInIdentifier('ACoAAAJane')).toBe('ACoAAAJane');
  });
});

describe('getProfile (LI-002)', () => {
  it('maps the profile: ids, name, network distance, no pending invitation', async () => {
    const p = await li.getProfile(ACC, 'https://www.linkedin.com/in/jane-doe/');
    expect(p).toMatchObject({
      providerId: JANE.providerId,
      publicIdentifier: 'jane-doe',
      name: 'Jane Doe',
      networkDistance: 'SECOND_DEGREE',
      invitationPending: false,
      headline: 'CTO',
    });
    expect(fake.requests.at(-1)).toMatchObject({ path: '/api/v1/users/jane-doe', query: { account_id: ACC } });
  });

  it('LI-002: detects an invitation already pending from this account (so no second invite is needed)', async () => {
    fake.setInvitation(ACC, JANE.providerId, 'PENDING');
    const p = await li.getProfile(ACC, 'jane-doe');
    expect(p.invitationPending).toBe(true);
    expect(p.invitation).toEqual({ type: 'SENT', status: 'PENDING' });
    // Another seat sees no pending invitation of its own.
    expect((await li.getProfile('acc-seat-2', 'jane-doe')).invitationPending).toBe(false);
  });

  it('LI-002: an IGNORED or WITHDRAWN invitation, or one RECEIVED from the lead, is not pending', async () => {
    fake.setInvitation(ACC, JANE.providerId, 'IGNORED');
    expect((await li.getProfile(ACC, 'jane-doe')).invitationPending).toBe(false);
    fake.setInvitation(ACC, JANE.providerId, 'WITHDRAWN');
    expect((await li.getProfile(ACC, 'jane-doe')).invitationPending).toBe(false);
    fake.setInvitation(ACC, JANE.providerId, null);
    fake.setProfile({ ...JANE, extra: { invitation: { type: 'RECEIVED', status: 'PENDING' } } });
    const p = await li.getProfile(ACC, 'jane-doe');
    expect(p.invitationPending).toBe(false);
    expect(p.invitation).toEqual({ type: 'RECEIVED', status: 'PENDING' });
  });

  it('LI-002: after the invite is sent the profile shows it pending; after acceptance FIRST_DEGREE', async () => {
    await li.sendInvitation({ accountId: ACC, providerId: JANE.providerId });
    expect((await li.getProfile(ACC, 'jane-doe')).invitationPending).toBe(true);
    fake.acceptInvitation(ACC, JANE.providerId);
    const p = await li.getProfile(ACC, 'jane-doe');
    expect(p).toMatchObject({ invitationPending: false, networkDistance: 'FIRST_DEGREE' });
  });

  it('an unknown member is a permanent not_found', async () => {
    const err = await rejection(li.getProfile(ACC, 'nobody-here'));
    expect(err).toMatchObject({ code: 'not_found', retryable: false, status: 404 });
  });

  it('encodes the identifier in the path', async () => {
    fake.setProfile({ providerId: 'ACoAAAJer', publicIdentifier: 'jérôme-x' });
    const p = await li.getProfile(ACC, 'https://www.linkedin.com/in/j%C3%A9r%C3%B4me-x');
    expect(p.providerId).toBe('ACoAAAJer');
    expect(fake.requests.at(-1)!.path).toBe('/api/v1/users/j%C3%A9r%C3%B4me-x');
  });
});

describe('sendInvitation (LI-002, LI-004)', () => {
  it('LI-002: POST /api/v1/users/invite with exactly {account_id, provider_id, message}', async () => {
    const note = 'Hi Jane, loved your talk on durable workflows. Happy to connect.';
    const r = await li.sendInvitation({ accountId: ACC, providerId: JANE.providerId, message: note });
    expect(r.invitationId).toMatch(/^inv_/);
    const req = fake.requests.at(-1)!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/api/v1/users/invite');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['x-api-key']).toBe(API_KEY);
    expect(req.json).toEqual({ account_id: ACC, provider_id: JANE.providerId, message: note });
    expect(fake.invitations).toEqual([
      expect.objectContaining({ invitationId: r.invitationId, accountId: ACC, providerId: JANE.providerId, message: note }),
    ]);
  });

  it('without a note, no message field is sent', async () => {
    await li.sendInvitation({ accountId: ACC, providerId: JANE.providerId });
    expect(fake.requests.at(-1)!.json).toEqual({ account_id: ACC, provider_id: JANE.providerId });
  });

  it('a 300-character note is sent; 301 is refused before any request (too_many_characters)', async () => {
    await li.sendInvitation({ accountId: ACC, providerId: JANE.providerId, message: 'x'.repeat(300) });
    expect(fake.invitations).toHaveLength(1);
    const before = fake.requests.length;
    const err = await rejection(li.sendInvitation({ accountId: ACC, providerId: BOB.providerId, message: 'x'.repeat(301) }));
    expect(err).toMatchObject({ code: 'too_many_characters', retryable: false });
    expect(fake.requests.length).toBe(before);
  });

  it('a second invite while one is pending: permanent already_invited (never a retry)', async () => {
    await li.sendInvitation({ accountId: ACC, providerId: JANE.providerId });
    const err = await rejection(li.sendInvitation({ accountId: ACC, providerId: JANE.providerId }));
    expect(err).toMatchObject({ code: 'already_invited', retryable: false, status: 422 });
    expect(fake.invitations).toHaveLength(1);
  });

  it('LI-004: LinkedIn weekly limit (errors/limit_exceeded) is permanent; 429 is transient with Retry-After', async () => {
    fake.failNext({ path: '/api/v1/users/invite', status: 422, type: 'errors/limit_exceeded', title: 'Limit exceeded' });
    expect(await rejection(li.sendInvitation({ accountId: ACC, providerId: JANE.providerId }))).toMatchObject({
      code: 'limit_exceeded',
      retryable: false,
    });
    fake.failNext({ path: '/api/v1/users/invite', status: 429, retryAfter: '120' });
    expect(await rejection(li.sendInvitation({ accountId: ACC, providerId: JANE.providerId }))).toMatchObject({
      code: 'rate_limited',
      retryable: true,
      status: 429,
      retryAfterSeconds: 120,
    });
    expect(fake.invitations).toHaveLength(0);
    // One call = one request: the adapter never retries by itself.
    expect(fake.requests.filter((r) => r.path === '/api/v1/users/invite')).toHaveLength(2);
  });

  it('an unknown member is a permanent invalid_recipient', async () => {
    const err = await rejection(li.sendInvitation({ accountId: ACC, providerId: 'ACoNobody' }));
    expect(err).toMatchObject({ code: 'invalid_recipient', retryable: false });
  });
});

describe('sendMessage (LI-003)', () => {
  it('LI-003: starts a chat with POST /api/v1/chats as multipart (account_id, attendees_ids, text)', async () => {
    fake.acceptInvitation(ACC, JANE.providerId);
    const text = 'Thanks for connecting, Jane! Worth a quick chat about your outbound stack?';
    const r = await li.sendMessage({ accountId: ACC, attendeeProviderId: JANE.providerId, text });
    expect(r.chatId).toMatch(/^chat_/);
    expect(r.messageId).toMatch(/^msg_/);
    const req = fake.requests.at(-1)!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/api/v1/chats');
    expect(String(req.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
    expect(req.json).toBeUndefined();
    expect(req.form).toEqual({ account_id: [ACC], attendees_ids: [JANE.providerId], text: [text] });
    expect(fake.chats).toEqual([expect.objectContaining({ chatId: r.chatId, attendeesIds: [JANE.providerId], text })]);
  });

  it('LI-003: messaging someone who has not accepted is a permanent not_connected', async () => {
    const err = await rejection(li.sendMessage({ accountId: ACC, attendeeProviderId: BOB.providerId, text: 'Hello' }));
    expect(err).toMatchObject({ code: 'not_connected', retryable: false, status: 422 });
    expect(fake.chats).toHaveLength(0);
  });

  it('an empty message is refused before any request', async () => {
    const before = fake.requests.length;
    expect(await rejection(li.sendMessage({ accountId: ACC, attendeeProviderId: JANE.providerId, text: '  ' }))).toMatchObject({
      code: 'bad_request',
    });
    expect(fake.requests.length).toBe(before);
  });
});

describe('withdrawInvitation (LI-002)', () => {
  const deletes = () => fake.requests.filter((r) => r.method === 'DELETE');

  it('LI-002: withdraws by id with DELETE /api/v1/users/invite/sent/{id}?account_id=; the profile no longer shows it pending', async () => {
    const { invitationId } = await li.sendInvitation({ accountId: ACC, providerId: JANE.providerId });
    const r = await li.withdrawInvitation({ accountId: ACC, providerId: JANE.providerId, invitationId });
    expect(r).toEqual({ result: 'withdrawn', invitationId });
    expect(deletes()).toEqual([
      expect.objectContaining({ path: `/api/v1/users/invite/sent/${invitationId}`, query: { account_id: ACC }, status: 200 }),
    ]);
    expect(fake.cancelledInvitations).toEqual([{ invitationId, accountId: ACC, cancelledAt: expect.any(Date) }]);
    expect((await li.getProfile(ACC, 'jane-doe')).invitationPending).toBe(false);
  });

  it('LI-002: idempotent: a second withdrawal (404 at Unipile) and one of an accepted request are not_pending, never an error', async () => {
    const { invitationId } = await li.sendInvitation({ accountId: ACC, providerId: JANE.providerId });
    await li.withdrawInvitation({ accountId: ACC, providerId: JANE.providerId, invitationId });
    expect(await li.withdrawInvitation({ accountId: ACC, providerId: JANE.providerId, invitationId })).toEqual({
      result: 'not_pending',
      invitationId,
    });
    const bob = await li.sendInvitation({ accountId: ACC, providerId: BOB.providerId });
    fake.acceptInvitation(ACC, BOB.providerId);
    expect((await li.withdrawInvitation({ accountId: ACC, providerId: BOB.providerId, invitationId: bob.invitationId })).result).toBe(
      'not_pending',
    );
    expect(deletes().map((r) => r.status)).toEqual([200, 404, 404]);
    expect(fake.cancelledInvitations).toHaveLength(1);
  });

  it("LI-002: without the invitation's id, finds it among the account's sent invitations (GET /users/invite/sent, every page)", async () => {
    // Jane was invited before anything else (the oldest: on the second page of 100, newest first).
    fake.setInvitation(ACC, JANE.providerId, 'PENDING');
    for (let i = 0; i < 120; i++) fake.setInvitation(ACC, `ACoOther${i}`, 'PENDING');
    fake.setInvitation('acc-other-seat', JANE.providerId, 'PENDING');

    const r = await li.withdrawInvitation({ accountId: ACC, providerId: JANE.providerId });
    expect(r.result).toBe('withdrawn');
    const lists = fake.requests.filter((q) => q.method === 'GET' && q.path === '/api/v1/users/invite/sent');
    expect(lists).toHaveLength(2);
    expect(lists[0]!.query).toEqual({ account_id: ACC, limit: '100' });
    expect(lists[1]!.query).toMatchObject({ account_id: ACC, limit: '100', cursor: expect.any(String) });
    expect(fake.cancelledInvitations).toEqual([{ invitationId: r.invitationId, accountId: ACC, cancelledAt: expect.any(Date) }]);
    expect((await li.getProfile(ACC, 'jane-doe')).invitationPending).toBe(false);
    // The other seat's invitation to Jane is not touched.
    expect((await li.getProfile('acc-other-seat', 'jane-doe')).invitationPending).toBe(true);
  });

  it('LI-002: without an id and nothing pending to the member: not_pending, no DELETE', async () => {
    fake.setInvitation(ACC, BOB.providerId, 'PENDING');
    expect(await li.withdrawInvitation({ accountId: ACC, providerId: JANE.providerId })).toEqual({ result: 'not_pending' });
    expect(deletes()).toHaveLength(0);
  });

  it('LI-002: a transient failure is retryable; a disconnected seat is a permanent refusal', async () => {
    fake.failNext({ method: 'DELETE', path: '/api/v1/users/invite/sent', status: 503 });
    expect(await rejection(li.withdrawInvitation({ accountId: ACC, providerId: JANE.providerId, invitationId: 'inv_1' }))).toMatchObject({
      code: 'provider_unavailable',
      retryable: true,
    });
    fake.failNext({ method: 'GET', path: '/api/v1/users/invite/sent', status: 429, retryAfter: '30' });
    expect(await rejection(li.withdrawInvitation({ accountId: ACC, providerId: JANE.providerId }))).toMatchObject({
      code: 'rate_limited',
      retryable: true,
      retryAfterSeconds: 30,
    });
    fake.failNext({ status: 401, type: 'errors/disconnected_account', title: 'Disconnected account' });
    expect(await rejection(li.withdrawInvitation({ accountId: ACC, providerId: JANE.providerId, invitationId: 'inv_1' }))).toMatchObject({
      code: 'account_disconnected',
      retryable: false,
    });
  });
});

describe('getAccountHealth (LI-006)', () => {
  it('LI-006: OK is healthy; CREDENTIALS/ERROR/STOPPED/PERMISSIONS are restricted; CONNECTING is not', async () => {
    fake.setAccount(ACC, { name: 'Sam Seller', status: 'OK' });
    expect(await li.getAccountHealth(ACC)).toMatchObject({
      accountId: ACC,
      status: 'OK',
      restricted: false,
      needsReconnect: false,
      type: 'LINKEDIN',
      name: 'Sam Seller',
    });
    expect(fake.requests.at(-1)).toMatchObject({ method: 'GET', path: `/api/v1/accounts/${ACC}` });
    for (const status of ['CREDENTIALS', 'ERROR', 'STOPPED', 'PERMISSIONS'] as const) {
      fake.setAccount(ACC, { status });
      expect(await li.getAccountHealth(ACC)).toMatchObject({ status, restricted: true, needsReconnect: status === 'CREDENTIALS' });
    }
    fake.setAccount(ACC, { status: 'CONNECTING' });
    expect(await li.getAccountHealth(ACC)).toMatchObject({ status: 'CONNECTING', restricted: false });
  });

  it('LI-006: a deleted account is a permanent account_not_found', async () => {
    const strict = createUnipileFake({ apiKey: API_KEY, autoAccounts: false });
    const { baseUrl: url } = await strict.start();
    try {
      const c = createUnipileLinkedInClient({ dsn: url, apiKey: API_KEY });
      expect(await rejection(c.getAccountHealth('gone'))).toMatchObject({ code: 'account_not_found', retryable: false });
    } finally {
      await strict.stop();
    }
  });

  it('LI-006: a disconnected seat surfaces as permanent account_disconnected on any call', async () => {
    fake.failNext({ status: 401, type: 'errors/disconnected_account', title: 'Disconnected account' });
    expect(await rejection(li.getProfile(ACC, 'jane-doe'))).toMatchObject({ code: 'account_disconnected', retryable: false, status: 401 });
  });
});

describe('error classification', () => {
  it.each([
    [401, 'errors/disconnected_account', 'account_disconnected', false],
    [401, 'errors/expired_credentials', 'account_disconnected', false],
    [401, 'errors/checkpoint_error', 'account_disconnected', false],
    [403, 'errors/account_restricted', 'account_restricted', false],
    [401, 'errors/missing_credentials', 'auth_failed', false],
    [401, undefined, 'auth_failed', false],
    [403, undefined, 'auth_failed', false],
    [403, 'errors/feature_not_subscribed', 'subscription_required', false],
    [422, 'errors/invalid_recipient', 'invalid_recipient', false],
    [400, 'errors/too_many_characters', 'too_many_characters', false],
    [422, 'errors/too_many_characters', 'too_many_characters', false],
    [422, 'errors/no_connection_with_recipient', 'not_connected', false],
    [422, 'errors/already_invited_recently', 'already_invited', false],
    [422, 'errors/already_connected', 'already_connected', false],
    [422, 'errors/cannot_resend_yet', 'cannot_resend_yet', false],
    [422, 'errors/limit_exceeded', 'limit_exceeded', false],
    [422, 'errors/insufficient_credits', 'insufficient_credits', false],
    [422, 'errors/something_new', 'bad_request', false],
    [400, 'errors/invalid_parameters', 'bad_request', false],
    [404, 'errors/resource_not_found', 'not_found', false],
    [409, undefined, 'provider_rejected', false],
    [429, 'errors/too_many_requests', 'rate_limited', true],
    [429, undefined, 'rate_limited', true],
    [500, 'errors/unexpected_error', 'provider_unavailable', true],
    [502, undefined, 'provider_unavailable', true],
    [503, 'errors/provider_unreachable', 'provider_unavailable', true],
    [504, undefined, 'provider_unavailable', true],
  ] as const)('HTTP %s %s -> %s (retryable %s)', (status, type, code, retryable) => {
    const err = classifyUnipileError({ status, body: type ? { status, type, title: 't', detail: 'd' } : {} });
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ provider: 'unipile', code, retryable, status });
  });

  it('Retry-After in seconds or as an HTTP date; only on retryable errors', () => {
    expect(parseRetryAfter('30')).toBe(30);
    expect(parseRetryAfter(new Date(Date.UTC(2026, 0, 1, 0, 1, 0)).toUTCString(), Date.UTC(2026, 0, 1))).toBe(60);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(classifyUnipileError({ status: 429, body: {}, retryAfter: '7' }).retryAfterSeconds).toBe(7);
    expect(
      classifyUnipileError({ status: 422, body: { type: 'errors/invalid_recipient' }, retryAfter: '7' }).retryAfterSeconds,
    ).toBeUndefined();
  });

  it('over HTTP: 500 and an HTML 502 are transient; 429 without Retry-After has none', async () => {
    fake.failNext({ status: 500 });
    expect(await rejection(li.getProfile(ACC, 'jane-doe'))).toMatchObject({ code: 'provider_unavailable', retryable: true, status: 500 });
    fake.failNext({ status: 502, rawBody: '<html>Bad gateway</html>' });
    expect(await rejection(li.getProfile(ACC, 'jane-doe'))).toMatchObject({ code: 'provider_unavailable', retryable: true, status: 502 });
    fake.failNext({ status: 429 });
    const e = await rejection(li.getProfile(ACC, 'jane-doe'));
    expect(e).toMatchObject({ code: 'rate_limited', retryable: true });
    expect(e.retryAfterSeconds).toBeUndefined();
  });

  it('a wrong API key is a permanent auth_failed; the key never appears in messages', async () => {
    const bad = createUnipileLinkedInClient({ dsn: baseUrl, apiKey: 'wrong-key' });
    const err = await rejection(bad.getProfile(ACC, 'jane-doe'));
    expect(err).toMatchObject({ code: 'auth_failed', retryable: false, status: 401 });
    expect(err.message).not.toContain('wrong-key');
  });

  it('network failure and timeout are transient', async () => {
    const dead = createUnipileLinkedInClient({ dsn: 'http://127.0.0.1:1', apiKey: API_KEY });
    expect(await rejection(dead.getProfile(ACC, 'jane-doe'))).toMatchObject({ code: 'network_error', retryable: true });
    fake.failNext({ status: 200, delayMs: 1_000 });
    const slow = createUnipileLinkedInClient({ dsn: baseUrl, apiKey: API_KEY, timeoutMs: 100 });
    expect(await rejection(slow.getProfile(ACC, 'jane-doe'))).toMatchObject({ code: 'timeout', retryable: true });
  });
});

// ---- Webhooks (SYS-008) ------------------------------------------------------------------------

const NEW_RELATION = {
  event: 'new_relation',
  account_id: 'acc-seat-1',
  account_type: 'LINKEDIN',
  webhook_name: 'agency-os users',
  user_full_name: 'Jane Doe',
  user_provider_id: 'ACoAAAJane',
  user_public_identifier: 'jane-doe',
  user_profile_url: 'https://www.linkedin.com/in/jane-doe',
  user_picture_url: 'https://media.licdn.com/dms/image/jane.jpg',
};

const MESSAGE_RECEIVED = {
  account_id: 'acc-seat-1',
  account_type: 'LINKEDIN',
  account_info: { type: 'LINKEDIN', feature: 'classic', user_id: 'ACoSEATOWNER' },
  event: 'message_received',
  chat_id: 'chat_abc',
  timestamp: '2026-11-03T09:15:22.000Z',
  webhook_name: 'agency-os messaging',
  message_id: 'msg_123',
  message: 'Sure, happy to chat next week.',
  sender: {
    attendee_id: 'att_1',
    attendee_name: 'Jane Doe',
    attendee_provider_id: 'ACoAAAJane',
    attendee_profile_url: 'https://www.linkedin.com/in/jane-doe',
  },
  attendees: [
    {
      attendee_id: 'att_1',
      attendee_name: 'Jane Doe',
      attendee_provider_id: 'ACoAAAJane',
      attendee_profile_url: 'https://www.linkedin.com/in/jane-doe',
    },
  ],
  attachments: [],
  is_sender: false,
};

const ACCOUNT_STATUS = { AccountStatus: { account_id: 'acc-seat-1', account_type: 'LINKEDIN', message: 'CREDENTIALS' } };

describe('verifyUnipileSecret (SYS-008)', () => {
  const secret = 's3cr3t-value-0123456789';

  it('SYS-008: accepts the right secret from Node headers, Fetch Headers or any key case', () => {
    expect(verifyUnipileSecret({ headers: { 'unipile-auth': secret }, secret })).toBe(true);
    expect(verifyUnipileSecret({ headers: { 'Unipile-Auth': secret }, secret })).toBe(true);
    expect(verifyUnipileSecret({ headers: new Headers({ 'Unipile-Auth': secret }), secret })).toBe(true);
    expect(verifyUnipileSecret({ headers: { 'x-hook': secret }, secret, headerName: 'X-Hook' })).toBe(true);
  });

  it('SYS-008: rejects a wrong, shorter, longer, missing, empty or repeated header, and an empty secret', () => {
    expect(verifyUnipileSecret({ headers: { 'unipile-auth': 'nope' }, secret })).toBe(false);
    expect(verifyUnipileSecret({ headers: { 'unipile-auth': secret.slice(0, -1) }, secret })).toBe(false);
    expect(verifyUnipileSecret({ headers: { 'unipile-auth': `${secret}x` }, secret })).toBe(false);
    expect(verifyUnipileSecret({ headers: {}, secret })).toBe(false);
    expect(verifyUnipileSecret({ headers: new Headers(), secret })).toBe(false);
    expect(verifyUnipileSecret({ headers: { 'unipile-auth': '' }, secret })).toBe(false);
    expect(verifyUnipileSecret({ headers: { 'unipile-auth': [secret, secret] }, secret })).toBe(false);
    expect(verifyUnipileSecret({ headers: { 'unipile-auth': '' }, secret: '' })).toBe(false);
    expect(verifyUnipileSecret({ headers: { 'unipile-auth': 'x' }, secret: '' })).toBe(false);
  });
});

describe('webhook schemas and event ids (SYS-008, LI-002, LI-003, LI-006)', () => {
  it('LI-002: parses new_relation and gives a stable id per (seat, member)', () => {
    const parsed = UnipileNewRelationSchema.parse(NEW_RELATION);
    expect(parsed.user_provider_id).toBe('ACoAAAJane');
    const d = describeUnipileEvent(UnipileWebhookSchema.parse(NEW_RELATION));
    expect(d).toEqual({
      eventId: 'new_relation:acc-seat-1:ACoAAAJane',
      type: 'new_relation',
      accountId: 'acc-seat-1',
      providerId: 'ACoAAAJane',
    });
    // A redelivery (same body) has the same id.
    expect(describeUnipileEvent(UnipileWebhookSchema.parse(structuredClone(NEW_RELATION))).eventId).toBe(d.eventId);
  });

  it('the fake builds new_relation bodies that parse', () => {
    fake.setProfile(JANE);
    const body = fake.acceptInvitation(ACC, JANE.providerId);
    expect(parseUnipileWebhook(body)).toMatchObject({ ok: true, description: { type: 'new_relation', providerId: JANE.providerId } });
  });

  it('LI-003: parses message_received; id per (seat, message); a reply from the lead is not fromSelf', () => {
    expect(UnipileMessageEventSchema.parse(MESSAGE_RECEIVED).sender.attendee_provider_id).toBe('ACoAAAJane');
    const d = describeUnipileEvent(UnipileWebhookSchema.parse(MESSAGE_RECEIVED));
    expect(d).toEqual({
      eventId: 'message:acc-seat-1:msg_123',
      type: 'message_received',
      accountId: 'acc-seat-1',
      providerId: 'ACoAAAJane',
      chatId: 'chat_abc',
      messageId: 'msg_123',
      fromSelf: false,
    });
  });

  it('LI-003: messages the seat owner sent from another device are fromSelf (is_sender, or owner id)', () => {
    expect(describeUnipileEvent(UnipileWebhookSchema.parse({ ...MESSAGE_RECEIVED, is_sender: true })).fromSelf).toBe(true);
    const { is_sender: _ignored, ...noFlag } = MESSAGE_RECEIVED;
    const own = { ...noFlag, sender: { ...MESSAGE_RECEIVED.sender, attendee_provider_id: 'ACoSEATOWNER' } };
    expect(describeUnipileEvent(UnipileWebhookSchema.parse(own)).fromSelf).toBe(true);
    expect(describeUnipileEvent(UnipileWebhookSchema.parse(noFlag)).fromSelf).toBe(false);
  });

  it('read and reaction events on the same message get ids distinct from message_received', () => {
    const read = describeUnipileEvent(UnipileWebhookSchema.parse({ ...MESSAGE_RECEIVED, event: 'message_read' }));
    const reaction = describeUnipileEvent(
      UnipileWebhookSchema.parse({
        ...MESSAGE_RECEIVED,
        event: 'message_reaction',
        reaction: '👍',
        reaction_sender: { attendee_provider_id: 'ACoAAAJane' },
      }),
    );
    expect(read.eventId).toBe('message_read:acc-seat-1:msg_123:2026-11-03T09:15:22.000Z');
    expect(reaction.eventId).toBe('message_reaction:acc-seat-1:msg_123:ACoAAAJane:👍');
    expect(new Set([read.eventId, reaction.eventId, 'message:acc-seat-1:msg_123']).size).toBe(3);
  });

  it('LI-006: parses account_status; the id is the state (flagged stateEvent), timestamp appended when present', () => {
    expect(UnipileAccountStatusSchema.parse(ACCOUNT_STATUS).AccountStatus.message).toBe('CREDENTIALS');
    expect(describeUnipileEvent(UnipileWebhookSchema.parse(ACCOUNT_STATUS))).toEqual({
      eventId: 'account_status:acc-seat-1:CREDENTIALS',
      type: 'account_status',
      accountId: 'acc-seat-1',
      status: 'CREDENTIALS',
      stateEvent: true,
    });
    const withTs = { AccountStatus: { ...ACCOUNT_STATUS.AccountStatus, timestamp: '2026-11-03T10:00:00Z' } };
    expect(describeUnipileEvent(UnipileWebhookSchema.parse(withTs)).eventId).toBe(
      'account_status:acc-seat-1:CREDENTIALS:2026-11-03T10:00:00Z',
    );
  });

  it('keeps unknown fields and rejects bodies that match nothing', () => {
    const parsed = UnipileWebhookSchema.parse({ ...NEW_RELATION, brand_new_field: 1 }) as Record<string, unknown>;
    expect(parsed.brand_new_field).toBe(1);
    expect(parseUnipileWebhook({ event: 'new_relation', account_id: 'a' }).ok).toBe(false);
    expect(parseUnipileWebhook({ event: 'message_received', account_id: 'a', chat_id: 'c' }).ok).toBe(false);
    expect(parseUnipileWebhook({ hello: 'world' }).ok).toBe(false);
    expect(parseUnipileWebhook({ AccountStatus: { account_id: 'a' } }).ok).toBe(false);
  });
});
