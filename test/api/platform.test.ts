/**
 * The API's platform behaviour: authentication, the central error handler, health and
 * readiness, OpenAPI, admin client management.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { buildTestApp } from '../helpers/app.js';
import { ADMIN_KEY, auth, createTestTenant, testConfig, testDb, waitFor } from '../helpers/context.js';
import { apiBed } from '../helpers/workflow-bed.js';

const config = testConfig();
const db = testDb(config);
const bed = apiBed(config, db);

beforeAll(async () => {
  bed.app.get('/v1/test-boom', async () => {
    throw new Error('connection to postgres://admin:hunter2@db failed');
  });
});

describe('authentication', () => {
  it('SYS-010: a client route without a key is 401', async () => {
    const res = await bed.app.inject({ method: 'GET', url: '/v1/me' });
    expect(res.statusCode).toBe(401);
    expect(res.json().message).toMatch(/missing API key/);
  });

  it('SYS-010: a wrong or revoked key is 401', async () => {
    expect((await bed.app.inject({ method: 'GET', url: '/v1/me', headers: auth('aos_wrong') })).statusCode).toBe(401);
    const t = await createTestTenant(db);
    expect((await bed.app.inject({ method: 'GET', url: '/v1/me', headers: auth(t.apiKey) })).statusCode).toBe(200);
    await db.system.apiKey.updateMany({ where: { clientId: t.client.id }, data: { revokedAt: new Date() } });
    expect((await bed.app.inject({ method: 'GET', url: '/v1/me', headers: auth(t.apiKey) })).statusCode).toBe(401);
  });

  it('SYS-010: a client key answers as its own client only, also through X-Api-Key', async () => {
    const t = await createTestTenant(db, 'Key owner');
    const res = await bed.app.inject({ method: 'GET', url: '/v1/me', headers: { 'x-api-key': t.apiKey } });
    expect(res.json()).toMatchObject({ id: t.client.id, name: 'Key owner' });
  });

  it('admin routes need the admin key; a client key is not enough', async () => {
    const t = await createTestTenant(db);
    expect((await bed.app.inject({ method: 'GET', url: '/v1/admin/clients', headers: auth(t.apiKey) })).statusCode).toBe(401);
    expect((await bed.app.inject({ method: 'GET', url: '/v1/admin/clients', headers: auth(ADMIN_KEY) })).statusCode).toBe(200);
  });

  it('an admin creates a client whose new key works at once and is stored only as a hash', async () => {
    const slug = `acme-${Date.now()}`;
    const res = await bed.app.inject({
      method: 'POST',
      url: '/v1/admin/clients',
      headers: auth(ADMIN_KEY),
      payload: { name: 'Acme', slug, defaultTimezone: 'Australia/Perth', defaultCountry: 'au' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { client, apiKey } = res.json();
    expect(client).toMatchObject({ slug, defaultTimezone: 'Australia/Perth', defaultCountry: 'AU' });
    const me = await bed.app.inject({ method: 'GET', url: '/v1/me', headers: auth(apiKey.apiKey) });
    expect(me.json().id).toBe(client.id);
    const stored = await db.system.apiKey.findMany({ where: { clientId: client.id } });
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(apiKey.apiKey);
    const dup = await bed.app.inject({
      method: 'POST',
      url: '/v1/admin/clients',
      headers: auth(ADMIN_KEY),
      payload: { name: 'Acme', slug },
    });
    expect(dup.statusCode).toBe(409);
  });
});

describe('errors', () => {
  it('a zod validation error is a 400 naming each field', async () => {
    const res = await bed.app.inject({
      method: 'POST',
      url: '/v1/admin/clients',
      headers: auth(ADMIN_KEY),
      payload: { name: '', slug: 'NO SPACES', defaultTimezone: 'Mars/Olympus' },
    });
    expect(res.statusCode).toBe(400);
    const fields = res
      .json()
      .issues.map((i: { field: string }) => i.field)
      .sort();
    expect(fields).toEqual(['body.defaultTimezone', 'body.name', 'body.slug']);
    expect(res.json().message).toMatch(/body\.slug: lowercase letters/);
  });

  it('malformed JSON is a 400 with a message', async () => {
    const res = await bed.app.inject({
      method: 'POST',
      url: '/v1/admin/clients',
      headers: { ...auth(ADMIN_KEY), 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/JSON/i);
  });

  it('an unknown route is a 404', async () => {
    const res = await bed.app.inject({ method: 'GET', url: '/v1/nothing-here', headers: auth(ADMIN_KEY) });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'not_found', message: 'no route GET /v1/nothing-here' });
  });

  it('a 5xx never shows internals', async () => {
    const t = await createTestTenant(db);
    const res = await bed.app.inject({ method: 'GET', url: '/v1/test-boom', headers: auth(t.apiKey) });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toMatch(/hunter2|postgres|stack/);
    expect(res.json()).toMatchObject({ error: 'internal_error', requestId: expect.any(String) });
  });
});

describe('health, readiness and docs', () => {
  it('/healthz answers without a key', async () => {
    const res = await bed.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('/readyz is 200 when Postgres and Temporal answer', async () => {
    // Each check has 2 s to answer: a busy machine may miss that once, and a probe asks again.
    const res = await waitFor(
      async () => {
        const r = await bed.app.inject({ method: 'GET', url: '/readyz' });
        return r.statusCode === 200 && r;
      },
      { what: '/readyz to answer 200' },
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ready', checks: { postgres: { ok: true }, temporal: { ok: true } } });
  });

  it('/readyz is 503 when Temporal is unreachable', async () => {
    const dead = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 300 }) });
    const deadApp = await buildTestApp(config, { db, temporal: dead });
    const res = await deadApp.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'not_ready', checks: { postgres: { ok: true }, temporal: { ok: false } } });
    await deadApp.close();
  });

  it('OpenAPI is served at /docs without a key and documents the campaign routes', async () => {
    const res = await bed.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/campaigns', '/v1/campaigns/{id}', '/healthz', '/readyz']));
    expect((await bed.app.inject({ method: 'GET', url: '/docs' })).statusCode).toBeLessThan(400);
  });
});
