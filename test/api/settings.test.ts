/**
 * Client settings over the API (SYS-006, SYS-007): the client's own routes and the admin's, a JSON
 * merge patch validated field by field (400 naming the field, nothing changed), every change
 * recorded (who, when, each field old -> new), and no way to reach another client's settings (SYS-010).
 */
import { describe, expect, it } from 'vitest';
import { settingsOf } from '../../services/clients.js';
import { ADMIN_KEY, auth, createTestTenant, testConfig, testDb } from '../helpers/context.js';
import { apiBed } from '../helpers/workflow-bed.js';

const config = testConfig();
const db = testDb(config);
const bed = apiBed(config, db);

const get = (url: string, key: string) => bed.app.inject({ method: 'GET', url, headers: auth(key) });
const patch = (url: string, key: string, payload: unknown) =>
  bed.app.inject({ method: 'PATCH', url, headers: auth(key), payload: payload as object });

/** The settings of a client nobody has changed (DOMAIN.md defaults apply where null). */
const untouched = (clientId: string) => ({
  clientId,
  senderName: null,
  pitch: null,
  bookingLink: null,
  smsConsentBasis: null,
  voice: { assistantId: null, knowledgeBaseId: null, voicemail: null, voicemailMessage: null, recordingNotice: null },
  defaultTimezone: 'Australia/Sydney',
  defaultCountry: 'AU',
  domainConfig: {},
});

async function changeRows(clientId: string) {
  return db.system.$queryRaw<{ actor: string; api_key_id: string | null; api_key_prefix: string | null; changes: unknown }[]>`
    SELECT actor, api_key_id, api_key_prefix, changes FROM client_settings_changes WHERE client_id = ${clientId}::uuid ORDER BY created_at, id`;
}

describe('client settings: GET and PATCH /v1/settings', () => {
  it('SYS-007: a new client has no settings set; a PATCH round-trips every field', async () => {
    const t = await createTestTenant(db);
    expect((await get('/v1/settings', t.apiKey)).json()).toEqual(untouched(t.client.id));

    const all = {
      senderName: 'Alex Rivera',
      pitch: 'We help clinics fill their calendars.',
      bookingLink: 'https://cal.com/acme/intro',
      smsConsentBasis: 'express',
      voice: {
        assistantId: 'asst_123',
        knowledgeBaseId: 'tool_kb_9',
        voicemail: 'hang_up',
        voicemailMessage: 'Hi, Alex from Acme here. I will follow up by email.',
        recordingNotice: 'This call is recorded for training.',
      },
      defaultTimezone: 'America/New_York',
      defaultCountry: 'US',
      domainConfig: { email: { clientDailyCap: 150 }, voice: { concurrentPerClient: 3 } },
    };
    const res = await patch('/v1/settings', t.apiKey, all);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ clientId: t.client.id, ...all });
    expect((await get('/v1/settings', t.apiKey)).json()).toEqual({ clientId: t.client.id, ...all });
    // The zone and country are the client's own (used where a lead has none).
    const me = (await get('/v1/me', t.apiKey)).json();
    expect(me).toMatchObject({ defaultTimezone: 'America/New_York', defaultCountry: 'US' });
  });

  it('SYS-007: a partial PATCH changes only what it names: voice and domainConfig merge, null clears one field', async () => {
    const t = await createTestTenant(db);
    await patch('/v1/settings', t.apiKey, {
      senderName: 'Alex',
      voice: { assistantId: 'asst_1', recordingNotice: 'This call is recorded.' },
      domainConfig: { email: { clientDailyCap: 120 } },
    });
    const res = await patch('/v1/settings', t.apiKey, {
      voice: { knowledgeBaseId: 'tool_kb', recordingNotice: null },
      domainConfig: { voice: { concurrentPerClient: 2 } },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      senderName: 'Alex',
      voice: { assistantId: 'asst_1', knowledgeBaseId: 'tool_kb', recordingNotice: null, voicemail: null },
      domainConfig: { email: { clientDailyCap: 120 }, voice: { concurrentPerClient: 2 } },
    });
    const cleared = await patch('/v1/settings', t.apiKey, { senderName: null, domainConfig: { email: null } });
    expect(cleared.json()).toMatchObject({ senderName: null, domainConfig: { voice: { concurrentPerClient: 2 } } });
    expect(cleared.json().domainConfig).not.toHaveProperty('email');
    // Values are normalised: the zone's canonical name, the country upper case.
    const norm = await patch('/v1/settings', t.apiKey, { defaultTimezone: 'australia/perth', defaultCountry: 'nz' });
    expect(norm.json()).toMatchObject({ defaultTimezone: 'Australia/Perth', defaultCountry: 'NZ' });
  });

  const invalid: [string, unknown, string][] = [
    ['an unknown zone', { defaultTimezone: 'Mars/Olympus_Mons' }, 'body.defaultTimezone'],
    ['a UTC offset instead of a zone', { defaultTimezone: '+10:00' }, 'body.defaultTimezone'],
    ['a country without a holiday calendar', { defaultCountry: 'XX' }, 'body.defaultCountry'],
    ['UK instead of GB', { defaultCountry: 'UK' }, 'body.defaultCountry'],
    ['a three-letter country', { defaultCountry: 'AUS' }, 'body.defaultCountry'],
    ['an http booking link', { bookingLink: 'http://cal.com/acme' }, 'body.bookingLink'],
    ['a booking link that is not a URL', { bookingLink: 'cal.com/acme' }, 'body.bookingLink'],
    ['a booking link with credentials', { bookingLink: 'https://user:pw@cal.com/acme' }, 'body.bookingLink'],
    ['an unknown consent basis', { smsConsentBasis: 'implied' }, 'body.smsConsentBasis'],
    ['an unknown voicemail behaviour', { voice: { voicemail: 'skip' } }, 'body.voice.voicemail'],
    ['a notice with template tags', { voice: { recordingNotice: 'Recorded for {{ customer.number }}' } }, 'body.voice.recordingNotice'],
    ['an empty notice', { voice: { recordingNotice: '   ' } }, 'body.voice.recordingNotice'],
    ['an assistant id with a slash', { voice: { assistantId: '../assistant' } }, 'body.voice.assistantId'],
    ['a sender name with a line break', { senderName: 'Alex\r\nBcc: x@y.z' }, 'body.senderName'],
    ['an unknown field', { senderEmail: 'a@b.c' }, 'body.senderEmail'],
    ['an unknown voice field', { voice: { language: 'en' } }, 'body.voice.language'],
    ['a negative daily cap override', { domainConfig: { email: { clientDailyCap: -1 } } }, 'body.domainConfig.email.clientDailyCap'],
    ['an override of the sequence (AD-002)', { domainConfig: { sequence: { steps: [] } } }, 'body.domainConfig.sequence.steps'],
    ['an unknown scoring weight', { domainConfig: { scoring: { luck: 5 } } }, 'body.domainConfig.scoring.luck'],
    [
      'the zone under domainConfig (set defaultTimezone)',
      { domainConfig: { client: { defaultZone: 'Europe/London' } } },
      'body.domainConfig.client.defaultZone',
    ],
    [
      'the voicemail under domainConfig (set voice.voicemail)',
      { domainConfig: { voice: { voicemail: 'hang_up' } } },
      'body.domainConfig.voice.voicemail',
    ],
  ];
  it.each(invalid)('SYS-007: %s is a 400 naming the field, and nothing changes', async (_what, body, field) => {
    const t = await createTestTenant(db);
    await patch('/v1/settings', t.apiKey, { senderName: 'Before', voice: { assistantId: 'asst_keep' } });
    const res = await patch('/v1/settings', t.apiKey, { ...(body as object), pitch: 'Would be set too' });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error).toBe('validation_failed');
    expect(res.json().issues.map((i: { field: string }) => i.field)).toContain(field);
    const after = (await get('/v1/settings', t.apiKey)).json();
    expect(after).toMatchObject({ senderName: 'Before', pitch: null, voice: { assistantId: 'asst_keep' } });
    expect(await changeRows(t.client.id)).toHaveLength(1);
  });

  it('SYS-010: without a key, or with an unknown key, settings are 401; a client key cannot use the admin routes', async () => {
    const t = await createTestTenant(db);
    expect((await bed.app.inject({ method: 'GET', url: '/v1/settings' })).statusCode).toBe(401);
    expect((await bed.app.inject({ method: 'PATCH', url: '/v1/settings', payload: { senderName: 'x' } })).statusCode).toBe(401);
    expect((await patch('/v1/settings', 'aos_not_a_key', { senderName: 'x' })).statusCode).toBe(401);
    expect((await get(`/v1/admin/clients/${t.client.id}/settings`, t.apiKey)).statusCode).toBe(401);
    expect((await patch(`/v1/admin/clients/${t.client.id}/settings`, t.apiKey, { senderName: 'x' })).statusCode).toBe(401);
    expect((await get(`/v1/admin/clients/${t.client.id}/settings/changes`, t.apiKey)).statusCode).toBe(401);
    // The admin key is not a client: it has no settings of its own.
    expect((await get('/v1/settings', ADMIN_KEY)).statusCode).toBe(401);
  });

  it("SYS-010: a client reads and changes only its own settings and changes: another client's stay untouched and unseen", async () => {
    const a = await createTestTenant(db, 'Client A');
    const b = await createTestTenant(db, 'Client B');
    await patch('/v1/settings', b.apiKey, { senderName: 'B sender', voice: { assistantId: 'asst_b' } });
    await patch('/v1/settings', a.apiKey, { senderName: 'A sender' });
    // A's key only ever reaches A: no field names another client.
    expect((await get('/v1/settings', a.apiKey)).json()).toMatchObject({ clientId: a.client.id, senderName: 'A sender' });
    const smuggled = await patch('/v1/settings', a.apiKey, { clientId: b.client.id, senderName: 'hijacked' });
    expect(smuggled.statusCode).toBe(400);
    expect(smuggled.json().issues.map((i: { field: string }) => i.field)).toContain('body.clientId');
    expect((await get('/v1/settings', b.apiKey)).json()).toMatchObject({ senderName: 'B sender', voice: { assistantId: 'asst_b' } });
    const aChanges = (await get('/v1/settings/changes', a.apiKey)).json().changes;
    expect(aChanges).toHaveLength(1);
    expect(JSON.stringify(aChanges)).not.toContain('B sender');
    // Under row-level security A's session sees none of B's change rows, even asking for them by client id.
    const seen = await db.asTenant(
      a.client.id,
      (tx) => tx.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM client_settings_changes WHERE client_id = ${b.client.id}::uuid`,
    );
    expect(Number(seen[0]!.n)).toBe(0);
  });

  it('SYS-007: every change is recorded with its key (id and prefix, never the key), the time, and each field old -> new', async () => {
    const t = await createTestTenant(db);
    const key = await db.system.apiKey.findFirstOrThrow({ where: { clientId: t.client.id } });
    await patch('/v1/settings', t.apiKey, { smsConsentBasis: 'inferred_business', voice: { assistantId: 'asst_1' } });
    await patch('/v1/settings', t.apiKey, { smsConsentBasis: 'express', voice: { assistantId: null }, defaultCountry: 'NZ' });
    await patch('/v1/settings', t.apiKey, { smsConsentBasis: 'express' }); // no change: nothing recorded
    const rows = await changeRows(t.client.id);
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => [r.actor, r.api_key_id, r.api_key_prefix])).toEqual([
      ['api_key', key.id, key.prefix],
      ['api_key', key.id, key.prefix],
    ]);
    expect(rows[1]!.changes).toEqual([
      { field: 'defaultCountry', old: 'AU', new: 'NZ' },
      { field: 'smsConsentBasis', old: 'inferred_business', new: 'express' },
      { field: 'voice.assistantId', old: 'asst_1', new: null },
    ]);
    expect(JSON.stringify(rows)).not.toContain(t.apiKey);
    const listed = (await get('/v1/settings/changes', t.apiKey)).json().changes;
    expect(listed).toHaveLength(2);
    expect(listed[0]).toMatchObject({ actor: { kind: 'api_key', apiKeyId: key.id, apiKeyPrefix: key.prefix }, changes: rows[1]!.changes });
    expect(Date.parse(listed[0].at)).toBeGreaterThanOrEqual(Date.parse(listed[1].at));
    expect((await get('/v1/settings/changes?limit=1', t.apiKey)).json().changes).toHaveLength(1);
    expect((await get('/v1/settings/changes?limit=0', t.apiKey)).statusCode).toBe(400);
  });
});

describe('client settings: a document written past the API', () => {
  it('SYS-007 SYS-009: an invalid stored field reads as unset, a PATCH repairs the document, and the sequences refuse it until then (BadInput)', async () => {
    const t = await createTestTenant(db);
    await db.system.client.update({
      where: { id: t.client.id },
      data: { settings: { senderName: 'Alex', smsConsentBasis: 'yes please' } },
    });
    const services = (bed.app as unknown as { services: import('../../services/index.js').Services }).services;
    // The sequences read it strictly: a permanent BadInput naming the field (recorded, never retried).
    const before = await db.system.client.findUniqueOrThrow({ where: { id: t.client.id } });
    expect(() => settingsOf(before)).toThrow(/smsConsentBasis/);
    expect(() => settingsOf(before)).toThrow(expect.objectContaining({ type: 'BadInput' }));
    expect((await get('/v1/settings', t.apiKey)).json()).toMatchObject({ senderName: 'Alex', smsConsentBasis: null });
    const fixed = await patch('/v1/settings', t.apiKey, { smsConsentBasis: 'express' });
    expect(fixed.statusCode, fixed.body).toBe(200);
    const stored = await db.system.client.findUniqueOrThrow({ where: { id: t.client.id } });
    expect(stored.settings).toEqual({ senderName: 'Alex', smsConsentBasis: 'express' });
    expect((await services.clientSettings.system.get(t.client.id))!.smsConsentBasis).toBe('express');
  });
});

describe('client settings: the admin routes', () => {
  it('SYS-006: an admin creates a client through the API, sets its settings, and the change is recorded as the admin', async () => {
    const created = await bed.app.inject({
      method: 'POST',
      url: '/v1/admin/clients',
      headers: auth(ADMIN_KEY),
      payload: { name: 'Admin made', slug: `admin-made-${Date.now()}` },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { client, apiKey } = created.json();
    const url = `/v1/admin/clients/${client.id}/settings`;
    expect((await get(url, ADMIN_KEY)).json()).toEqual(untouched(client.id));
    const res = await patch(url, ADMIN_KEY, { smsConsentBasis: 'inferred_business', voice: { assistantId: 'asst_admin' } });
    expect(res.statusCode, res.body).toBe(200);
    // The client sees what the admin set.
    expect((await get('/v1/settings', apiKey.apiKey)).json()).toMatchObject({
      smsConsentBasis: 'inferred_business',
      voice: { assistantId: 'asst_admin' },
    });
    const changes = (await get(`${url}/changes`, ADMIN_KEY)).json().changes;
    expect(changes).toEqual([
      {
        id: expect.any(String),
        at: expect.any(String),
        actor: { kind: 'admin' },
        changes: [
          { field: 'smsConsentBasis', old: null, new: 'inferred_business' },
          { field: 'voice.assistantId', old: null, new: 'asst_admin' },
        ],
      },
    ]);
    expect((await get('/v1/settings/changes', apiKey.apiKey)).json().changes).toEqual(changes);
  });

  it('SYS-006: the admin routes answer 404 for an unknown client and 400 for a bad id or a bad field', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await get(`/v1/admin/clients/${missing}/settings`, ADMIN_KEY)).statusCode).toBe(404);
    expect((await patch(`/v1/admin/clients/${missing}/settings`, ADMIN_KEY, { senderName: 'x' })).statusCode).toBe(404);
    expect((await get(`/v1/admin/clients/${missing}/settings/changes`, ADMIN_KEY)).statusCode).toBe(404);
    expect((await get('/v1/admin/clients/not-a-uuid/settings', ADMIN_KEY)).statusCode).toBe(400);
    const t = await createTestTenant(db);
    const bad = await patch(`/v1/admin/clients/${t.client.id}/settings`, ADMIN_KEY, { defaultCountry: 'ZZ' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues).toEqual([{ field: 'body.defaultCountry', message: expect.stringMatching(/ISO 3166-1 alpha-2/) }]);
    // Creating a client follows the same rules for its zone and country.
    const created = await bed.app.inject({
      method: 'POST',
      url: '/v1/admin/clients',
      headers: auth(ADMIN_KEY),
      payload: { name: 'Bad', slug: `bad-${Date.now()}`, defaultCountry: 'XX', defaultTimezone: 'Nowhere/Land' },
    });
    expect(created.statusCode).toBe(400);
    expect(
      created
        .json()
        .issues.map((i: { field: string }) => i.field)
        .sort(),
    ).toEqual(['body.defaultCountry', 'body.defaultTimezone']);
  });

  it('SYS-006 VO-001: setting an assistant resolves the open "calls skipped" alert of the client', async () => {
    const t = await createTestTenant(db);
    const services = (bed.app as unknown as { services: import('../../services/index.js').Services }).services;
    const dedupeKey = `voice:no-assistant:${t.client.id}`;
    await services.alerts.system.raise({
      kind: 'voice_assistant_missing',
      severity: 'warning',
      clientId: t.client.id,
      dedupeKey,
      message: 'x',
    });
    await patch('/v1/settings', t.apiKey, { senderName: 'Not about voice' });
    expect(await db.system.alert.count({ where: { dedupeKey, resolvedAt: null } })).toBe(1);
    await patch(`/v1/admin/clients/${t.client.id}/settings`, ADMIN_KEY, { voice: { assistantId: 'asst_now' } });
    expect(await db.system.alert.count({ where: { dedupeKey, resolvedAt: null } })).toBe(0);
  });

  it('SYS-006 SYS-007: the settings routes are in the OpenAPI document', async () => {
    const doc = (await bed.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/settings',
        '/v1/settings/changes',
        '/v1/admin/clients/{id}/settings',
        '/v1/admin/clients/{id}/settings/changes',
      ]),
    );
    const body = doc.paths['/v1/settings'].patch.requestBody.content['application/json'].schema;
    expect(Object.keys(body.properties)).toEqual(
      expect.arrayContaining([
        'senderName',
        'bookingLink',
        'smsConsentBasis',
        'voice',
        'defaultTimezone',
        'defaultCountry',
        'domainConfig',
      ]),
    );
    expect(body.properties.smsConsentBasis.anyOf ?? body.properties.smsConsentBasis.enum).toBeDefined();
  });
});
