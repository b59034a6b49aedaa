/**
 * Importing pool numbers into Vapi (RP-007, VO-001): providers/vapi/phone-numbers.ts with the
 * real `@vapi-ai/server-sdk` client against test/fakes/vapi-fake.ts (a real HTTP server), and
 * the sandbox registry.
 */
import { describe, expect, it } from 'vitest';
import { createMemoryRecorder } from '../../../providers/sandbox/recorder.js';
import {
  createSandboxVoiceNumberRegistry,
  createVapiNumberRegistry,
  sandboxVapiNumberId,
  VAPI_NUMBER_PAGE_SIZE,
} from '../../../providers/vapi/phone-numbers.js';
import { VapiFake } from '../../fakes/vapi-fake.js';
import { rejection, useFake } from '../../helpers/assertions.js';

const fake = new VapiFake();
const fakeAt = useFake(fake);

const registry = () => createVapiNumberRegistry({ apiKey: fake.apiKey, baseUrl: fakeAt.baseUrl });

const TWILIO_SID = `AC${'a1'.repeat(16)}`;
const TWILIO_TOKEN = 'twilio-auth-token-never-logged-0f3e';
const input = { e164: '+61400123456', twilioAccountSid: TWILIO_SID, twilioAuthToken: TWILIO_TOKEN, name: 'Acme pool AU 1' };

const posts = () => fake.requestsTo('POST', '/phone-number');
const lists = () => fake.requestsTo('GET', '/phone-number');

describe('Vapi number import (RP-007, VO-001)', () => {
  it('RP-007/VO-001: importTwilioNumber lists first, then POSTs /phone-number once with provider, number, Twilio credentials and name', async () => {
    const imported = await registry().importTwilioNumber(input);

    expect(fake.phoneNumbers).toHaveLength(1);
    const created = fake.phoneNumbers[0]!;
    expect(imported).toEqual({ id: created.id });
    expect(created).toMatchObject({
      provider: 'twilio',
      number: '+61400123456',
      name: 'Acme pool AU 1',
      orgId: fake.orgId,
      status: 'active',
      twilioAccountSid: TWILIO_SID,
    });
    expect(created.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);

    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /phone-number', 'POST /phone-number']);
    expect(lists()[0]!.query).toEqual({ limit: String(VAPI_NUMBER_PAGE_SIZE) });
    const post = posts()[0]!;
    expect(post.status).toBe(201);
    expect(post.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(post.headers['content-type']).toContain('application/json');
    expect(post.body).toEqual({
      provider: 'twilio',
      number: '+61400123456',
      twilioAccountSid: TWILIO_SID,
      twilioAuthToken: TWILIO_TOKEN,
      name: 'Acme pool AU 1',
    });
  });

  it('RP-007: findByNumber finds the import by exact E.164 match, and null for other numbers', async () => {
    const { id } = await registry().importTwilioNumber(input);
    fake.addPhoneNumber({ number: '+614001234567', name: 'longer number, same prefix' });

    expect(await registry().findByNumber('+61400123456')).toEqual({ id });
    expect(await registry().findByNumber('+6140012345')).toBeNull();
    expect(await registry().findByNumber('+61400999999')).toBeNull();
  });

  it('RP-007: an already imported number is returned without a second POST', async () => {
    const existing = fake.addPhoneNumber({ number: '+61400123456', name: 'imported last week' });
    expect(await registry().importTwilioNumber(input)).toEqual({ id: existing.id });
    expect(posts()).toHaveLength(0);
    expect(fake.phoneNumbers).toHaveLength(1);
  });

  it('RP-007/VO-001: an import whose answer is lost after Vapi created it is found by findByNumber; importing again creates nothing', async () => {
    fake.loseNextAnswer({ method: 'POST', path: '/phone-number' });
    const err = await rejection(registry().importTwilioNumber(input));
    expect(err).toMatchObject({ provider: 'vapi', code: 'network_error', retryable: true });
    expect(posts()).toHaveLength(1); // no SDK retry
    expect(fake.phoneNumbers).toHaveLength(1); // ...but Vapi did import it

    const found = await registry().findByNumber(input.e164);
    expect(found).toEqual({ id: fake.phoneNumbers[0]!.id });
    expect(await registry().importTwilioNumber(input)).toEqual(found);
    expect(posts()).toHaveLength(1);
    expect(fake.phoneNumbers).toHaveLength(1);
  });

  it("RP-007: the name is cut to Vapi's 40 characters", async () => {
    await registry().importTwilioNumber({ ...input, name: `  ${'Very long client name '.repeat(4)}` });
    const name = (posts()[0]!.body as { name: string }).name;
    expect(name).toHaveLength(40);
    expect(name.startsWith('Very long client name')).toBe(true);
    expect(fake.phoneNumbers[0]!.name).toBe(name);
  });

  it('RP-007: findByNumber pages through more numbers than one page (newest first, createdAtLe cursor)', async () => {
    const target = fake.addPhoneNumber({ number: '+61400000000', name: 'oldest' });
    for (let i = 1; i <= 2 * VAPI_NUMBER_PAGE_SIZE + 20; i++) fake.addPhoneNumber({ number: `+6140${String(i).padStart(7, '0')}` });

    expect(await registry().findByNumber('+61400000000')).toEqual({ id: target.id });
    const pages = lists();
    expect(pages).toHaveLength(3);
    expect(pages[0]!.query).toEqual({ limit: '100' });
    expect(pages[1]!.query).toMatchObject({ limit: '100', createdAtLe: expect.any(String) });
    expect(Date.parse(pages[2]!.query.createdAtLe!)).toBeLessThan(Date.parse(pages[1]!.query.createdAtLe!));

    fake.reset();
    for (let i = 1; i <= VAPI_NUMBER_PAGE_SIZE + 1; i++) fake.addPhoneNumber({ number: `+6140${String(i).padStart(7, '0')}` });
    expect(await registry().findByNumber('+61499999999')).toBeNull();
    expect(lists()).toHaveLength(2);
  });

  it('RP-007: a list answered oldest first is paged with createdAtGe', async () => {
    const t0 = Date.UTC(2026, 0, 1);
    const page = Array.from({ length: VAPI_NUMBER_PAGE_SIZE }, (_, i) => ({
      id: `pn-${i}`,
      orgId: fake.orgId,
      provider: 'twilio',
      number: `+6140${String(i).padStart(7, '0')}`,
      createdAt: new Date(t0 + i * 1000).toISOString(),
      updatedAt: new Date(t0 + i * 1000).toISOString(),
    }));
    fake.script({ status: 200, body: page, match: { method: 'GET', path: '/phone-number' } });
    fake.script({
      status: 200,
      body: [page[99], { ...page[99], id: 'pn-target', number: '+61400123456' }],
      match: { method: 'GET', path: '/phone-number' },
    });

    expect(await registry().findByNumber('+61400123456')).toEqual({ id: 'pn-target' });
    expect(lists()[1]!.query).toEqual({ limit: '100', createdAtGe: page[99]!.createdAt });
  });
});

describe('Vapi number import errors (RP-007, VO-001)', () => {
  it('VO-001: a wrong API key is a permanent auth_failed (401), for list and import', async () => {
    const wrong = createVapiNumberRegistry({ apiKey: 'wrong', baseUrl: fakeAt.baseUrl });
    expect(await rejection(wrong.findByNumber(input.e164))).toMatchObject({ code: 'auth_failed', retryable: false, status: 401 });
    expect(await rejection(wrong.importTwilioNumber(input))).toMatchObject({ code: 'auth_failed', retryable: false, status: 401 });
    expect(posts()).toHaveLength(0);
    expect(fake.phoneNumbers).toHaveLength(0);
  });

  it('RP-007: a number that is not E.164 is a permanent invalid_number (400); the auth token is not in the error', async () => {
    const err = await rejection(registry().importTwilioNumber({ ...input, e164: '0400 123 456' }));
    expect(err).toMatchObject({ code: 'invalid_number', retryable: false, status: 400 });
    expect(err.message).toContain('E.164');
    expect(err.message).not.toContain(TWILIO_TOKEN);
    expect(fake.phoneNumbers).toHaveLength(0);
  });

  it('RP-007: missing Twilio credentials are a permanent invalid_request (400)', async () => {
    const err = await rejection(registry().importTwilioNumber({ ...input, twilioAuthToken: '' }));
    expect(err).toMatchObject({ code: 'invalid_request', retryable: false, status: 400 });
    expect(fake.phoneNumbers).toHaveLength(0);
  });

  it.each([
    [500, 'provider_unavailable'],
    [503, 'provider_unavailable'],
    [429, 'rate_limited'],
  ] as const)('VO-001: HTTP %i on the import is transient (%s) and sent once', async (status, code) => {
    fake.script({
      status,
      match: { method: 'POST', path: '/phone-number' },
      ...(status === 429 ? { headers: { 'Retry-After': '7' } } : {}),
    });
    const err = await rejection(registry().importTwilioNumber(input));
    expect(err).toMatchObject({ provider: 'vapi', code, status, retryable: true });
    if (status === 429) expect(err.retryAfterSeconds).toBe(7);
    expect(posts()).toHaveLength(1);
    expect(fake.phoneNumbers).toHaveLength(0);
  });

  it('VO-001: HTTP 5xx and 429 on the list are transient, sent once, and nothing is imported', async () => {
    fake.script({ status: 502, match: { method: 'GET', path: '/phone-number' } });
    expect(await rejection(registry().importTwilioNumber(input))).toMatchObject({
      code: 'provider_unavailable',
      status: 502,
      retryable: true,
    });
    fake.script({ status: 429, match: { method: 'GET', path: '/phone-number' } });
    expect(await rejection(registry().findByNumber(input.e164))).toMatchObject({ code: 'rate_limited', status: 429, retryable: true });
    expect(lists()).toHaveLength(2);
    expect(posts()).toHaveLength(0);
  });

  it('VO-001: a timeout (timeoutMs) is transient', async () => {
    fake.script({ status: 200, body: [], delayMs: 1500, match: { method: 'GET', path: '/phone-number' } });
    const err = await rejection(
      createVapiNumberRegistry({ apiKey: fake.apiKey, baseUrl: fakeAt.baseUrl, timeoutMs: 200 }).findByNumber(input.e164),
    );
    expect(err).toMatchObject({ code: 'timeout', retryable: true });
    expect(lists()).toHaveLength(1);
  });

  it('requires an API key', () => {
    expect(() => createVapiNumberRegistry({ apiKey: '', baseUrl: fakeAt.baseUrl })).toThrow(/apiKey/);
  });
});

describe('Vapi fake phone numbers (RP-007)', () => {
  const post = (body: unknown, apiKey = fake.apiKey) =>
    fetch(`${fakeAt.baseUrl}/phone-number`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('RP-007: rejects other providers, unknown properties and a duplicate import like Vapi (400 with a Vapi error body)', async () => {
    const ok = { provider: 'twilio', number: '+61400123456', twilioAccountSid: TWILIO_SID, twilioAuthToken: TWILIO_TOKEN };
    const vonage = await post({ ...ok, provider: 'vonage' });
    expect(vonage.status).toBe(400);
    const unknown = await post({ ...ok, metadata: {} });
    expect(await unknown.json()).toEqual({ message: ['property metadata should not exist'], error: 'Bad Request', statusCode: 400 });
    const noSid = await post({ ...ok, twilioAccountSid: undefined });
    expect(((await noSid.json()) as { message: string[] }).message).toContain('twilioAccountSid must be a string');

    const created = await post(ok);
    expect(created.status).toBe(201);
    expect(await created.json()).not.toHaveProperty('twilioAuthToken');
    expect((await post(ok)).status).toBe(400);
    expect(fake.phoneNumbers).toHaveLength(1);
  });

  it('RP-007: GET /phone-number honours limit and the createdAt filters, newest first', async () => {
    const a = fake.addPhoneNumber({ number: '+61400000001' });
    const b = fake.addPhoneNumber({ number: '+61400000002' });
    const c = fake.addPhoneNumber({ number: '+61400000003' });
    const get = async (q: string) =>
      (await (await fetch(`${fakeAt.baseUrl}/phone-number${q}`, { headers: { authorization: `Bearer ${fake.apiKey}` } })).json()) as Array<{
        id: string;
      }>;
    expect((await get('')).map((n) => n.id)).toEqual([c.id, b.id, a.id]);
    expect((await get('?limit=2')).map((n) => n.id)).toEqual([c.id, b.id]);
    expect((await get(`?createdAtLt=${encodeURIComponent(c.createdAt)}`)).map((n) => n.id)).toEqual([b.id, a.id]);
    expect((await get(`?createdAtGe=${encodeURIComponent(b.createdAt)}&limit=1`)).map((n) => n.id)).toEqual([c.id]);
  });
});

describe('Sandbox Vapi number registry (RP-007)', () => {
  it('RP-007: deterministic sandbox-vapi ids, one phone_number_import record with the name only (no Twilio token)', async () => {
    const recorder = createMemoryRecorder();
    const sandbox = createSandboxVoiceNumberRegistry(recorder);

    expect(await sandbox.findByNumber(input.e164)).toBeNull();
    const { id } = await sandbox.importTwilioNumber(input);
    expect(id).toMatch(/^sandbox-vapi-[0-9a-f]{24}$/);
    expect(id).toBe(sandboxVapiNumberId(input.e164));
    expect(await createSandboxVoiceNumberRegistry(createMemoryRecorder()).importTwilioNumber(input)).toEqual({ id });
    expect((await sandbox.importTwilioNumber({ ...input, e164: '+61400654321' })).id).not.toBe(id);

    expect(await sandbox.findByNumber(input.e164)).toEqual({ id });
    expect(await sandbox.importTwilioNumber(input)).toEqual({ id });

    expect(recorder.entries).toEqual([
      { provider: 'vapi', kind: 'phone_number_import', to: '+61400123456', payload: { name: 'Acme pool AU 1' } },
      { provider: 'vapi', kind: 'phone_number_import', to: '+61400654321', payload: { name: 'Acme pool AU 1' } },
    ]);
    expect(JSON.stringify(recorder.entries)).not.toContain(TWILIO_TOKEN);
  });

  it('RP-007: a number that is not E.164 is a permanent invalid_number and records nothing', async () => {
    const recorder = createMemoryRecorder();
    const err = await rejection(createSandboxVoiceNumberRegistry(recorder).importTwilioNumber({ ...input, e164: '0400123456' }));
    expect(err).toMatchObject({ provider: 'vapi', code: 'invalid_number', retryable: false, status: 400 });
    expect(recorder.entries).toHaveLength(0);
  });
});
