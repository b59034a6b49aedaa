/**
 * Rate limits and API keys (SYS-010, security). One reading of the presented key for
 * authentication and the limit: `Bearer KEY` in any case and spacing, and `X-Api-Key: KEY`, are
 * one key with one allowance. Requests without a key or with a key never seen valid share their
 * IP's allowance, and each IP may have only API_AUTH_LOOKUPS_PER_MINUTE keys looked up that were
 * not seen valid: guessing keys cannot multiply database lookups. X-Forwarded-For is believed
 * only from API_TRUSTED_PROXIES.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Client } from '@temporalio/client';
import { buildTestApp } from '../helpers/app.js';
import { createTestTenant, temporalClient, testConfig, testDb } from '../helpers/context.js';
import { presentedApiKey } from '../../api/api-keys.js';
import type { Services } from '../../services/index.js';

const db = testDb(testConfig());
let temporal: Client;
const apps: FastifyInstance[] = [];

beforeAll(async () => {
  temporal = await temporalClient();
});
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  await temporal.connection.close();
  await db.close();
});

/** An app with these limits; `lookups` counts the API-key lookups that reach the database. */
async function appWith(env: Record<string, string>) {
  const app = await buildTestApp(testConfig(env), { db, temporal });
  apps.push(app);
  const clients = (app as unknown as { services: Services }).services.clients.system;
  const lookups = { count: 0 };
  const authenticate = clients.authenticate.bind(clients);
  clients.authenticate = async (hash: string) => {
    lookups.count++;
    return authenticate(hash);
  };
  const me = (ip: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url: '/v1/me', remoteAddress: ip, headers });
  return { app, lookups, me };
}

describe('the presented key', () => {
  it.each([
    [{ authorization: 'Bearer aos_k' }, 'aos_k'],
    [{ authorization: 'bearer aos_k' }, 'aos_k'],
    [{ authorization: 'BEARER   aos_k  ' }, 'aos_k'],
    [{ authorization: 'Bearer\taos_k' }, 'aos_k'],
    [{ 'x-api-key': ' aos_k ' }, 'aos_k'],
    [{ authorization: 'Basic abc', 'x-api-key': 'aos_k' }, 'aos_k'],
    [{ authorization: 'Bearer ', 'x-api-key': 'aos_k' }, 'aos_k'],
    [{ authorization: 'Bearer aos_a', 'x-api-key': 'aos_b' }, 'aos_a'],
    [{ authorization: 'Bearer' }, undefined],
    [{ authorization: 'Bearer   ' }, undefined],
    [{ 'x-api-key': '' }, undefined],
    [{}, undefined],
  ])('SYS-010: %j presents %s', (headers, key) => {
    expect(presentedApiKey(headers)).toBe(key);
  });
});

describe('one allowance per key', () => {
  it('SYS-010: Bearer, bearer, extra spaces and X-Api-Key are one key: together they get one allowance', async () => {
    const { me } = await appWith({ API_RATE_LIMIT_PER_MINUTE: '5', API_AUTH_LOOKUPS_PER_MINUTE: '50' });
    const { apiKey } = await createTestTenant(db);
    expect((await me('10.0.0.1', { authorization: `Bearer ${apiKey}` })).statusCode).toBe(200); // seen valid from elsewhere
    const variants: Record<string, string>[] = [
      { authorization: `Bearer ${apiKey}` },
      { authorization: `bearer ${apiKey}` },
      { authorization: `Bearer  ${apiKey}` },
      { authorization: `BEARER ${apiKey} ` },
      { 'x-api-key': apiKey },
    ];
    for (const v of variants) expect((await me('10.0.0.2', v)).statusCode).toBe(200);
    for (const v of variants) {
      const res = await me('10.0.0.3', v);
      expect(res.statusCode, JSON.stringify(v)).toBe(429);
    }
    // The IP's own allowance (no key) is untouched.
    expect((await me('10.0.0.2')).statusCode).toBe(401);
  });

  it("SYS-010: two clients' keys have their own allowances", async () => {
    const { me } = await appWith({ API_RATE_LIMIT_PER_MINUTE: '3', API_AUTH_LOOKUPS_PER_MINUTE: '50' });
    const a = await createTestTenant(db);
    const b = await createTestTenant(db);
    for (const k of [a.apiKey, b.apiKey])
      expect((await me(k === a.apiKey ? '10.1.0.1' : '10.1.0.2', { 'x-api-key': k })).statusCode).toBe(200);
    for (let i = 0; i < 3; i++) expect((await me('10.1.0.9', { 'x-api-key': a.apiKey })).statusCode).toBe(200);
    expect((await me('10.1.0.9', { 'x-api-key': a.apiKey })).statusCode).toBe(429);
    expect((await me('10.1.0.9', { 'x-api-key': b.apiKey })).statusCode).toBe(200);
  });
});

describe('unknown and invalid keys', () => {
  it('SYS-010: every invalid key counts against the caller IP allowance, not a bucket of its own', async () => {
    const { me } = await appWith({ API_RATE_LIMIT_PER_MINUTE: '4', API_AUTH_LOOKUPS_PER_MINUTE: '50' });
    for (let i = 0; i < 4; i++) expect((await me('10.2.0.1', { authorization: `Bearer aos_guess_${i}` })).statusCode).toBe(401);
    for (const headers of [{ authorization: 'Bearer aos_guess_new' }, { 'x-api-key': 'aos_other' }, {}] as Record<string, string>[]) {
      expect((await me('10.2.0.1', headers)).statusCode).toBe(429);
    }
    expect((await me('10.2.0.2', { authorization: 'Bearer aos_guess_0' })).statusCode).toBe(401); // another IP
  });

  it('SYS-010: an IP gets a small allowance of lookups of keys never seen valid; past it no lookup is made (429); known keys still work', async () => {
    const { me, lookups } = await appWith({ API_RATE_LIMIT_PER_MINUTE: '1000', API_AUTH_LOOKUPS_PER_MINUTE: '3' });
    const known = await createTestTenant(db);
    expect((await me('10.3.0.1', { authorization: `Bearer ${known.apiKey}` })).statusCode).toBe(200);
    lookups.count = 0;
    const answers: number[] = [];
    for (let i = 0; i < 20; i++) answers.push((await me('10.3.0.2', { authorization: `Bearer aos_guess_${i}` })).statusCode);
    expect(answers).toEqual([401, 401, 401, ...Array(17).fill(429)]);
    expect(lookups.count).toBe(3);
    const refused = await me('10.3.0.2', { 'x-api-key': 'aos_guess_x' });
    expect(refused.json()).toMatchObject({ error: 'too_many_unknown_keys' });
    // A key seen valid is not an unknown key: it is looked up and answered, from the same IP.
    expect((await me('10.3.0.2', { 'x-api-key': known.apiKey })).statusCode).toBe(200);
    expect(lookups.count).toBe(4);
    // A new client's key from that IP waits like any unknown key; from another IP it works.
    const fresh = await createTestTenant(db);
    expect((await me('10.3.0.2', { authorization: `Bearer ${fresh.apiKey}` })).statusCode).toBe(429);
    expect((await me('10.3.0.3', { authorization: `Bearer ${fresh.apiKey}` })).statusCode).toBe(200);
  });

  it('SYS-010: a revoked key loses its own allowance and counts against the IP again', async () => {
    const { me } = await appWith({ API_RATE_LIMIT_PER_MINUTE: '3', API_AUTH_LOOKUPS_PER_MINUTE: '50' });
    const t = await createTestTenant(db);
    expect((await me('10.4.0.1', { 'x-api-key': t.apiKey })).statusCode).toBe(200);
    await db.system.apiKey.updateMany({ where: { clientId: t.client.id }, data: { revokedAt: new Date() } });
    expect((await me('10.4.0.2', { 'x-api-key': t.apiKey })).statusCode).toBe(401); // key bucket, then forgotten
    expect((await me('10.4.0.2', { 'x-api-key': t.apiKey })).statusCode).toBe(401); // IP bucket: 1
    expect((await me('10.4.0.2', {})).statusCode).toBe(401); // 2
    expect((await me('10.4.0.2', {})).statusCode).toBe(401); // 3
    expect((await me('10.4.0.2', { 'x-api-key': t.apiKey })).statusCode).toBe(429);
  });
});

describe('the caller address', () => {
  it('SYS-010: X-Forwarded-For is ignored unless the proxy is trusted (API_TRUSTED_PROXIES)', async () => {
    const direct = await appWith({ API_RATE_LIMIT_PER_MINUTE: '2', API_AUTH_LOOKUPS_PER_MINUTE: '50' });
    const spoofed = (n: number) => direct.me('10.5.0.1', { 'x-forwarded-for': `203.0.113.${n}` });
    expect([(await spoofed(1)).statusCode, (await spoofed(2)).statusCode, (await spoofed(3)).statusCode]).toEqual([401, 401, 429]);

    const proxied = await appWith({ API_RATE_LIMIT_PER_MINUTE: '2', API_AUTH_LOOKUPS_PER_MINUTE: '50', API_TRUSTED_PROXIES: '1' });
    const via = (n: number) => proxied.me('10.5.0.1', { 'x-forwarded-for': `203.0.113.${n}` });
    expect([(await via(1)).statusCode, (await via(2)).statusCode, (await via(3)).statusCode]).toEqual([401, 401, 401]);
    expect([(await via(1)).statusCode, (await via(1)).statusCode]).toEqual([401, 429]);
  });
});
