/**
 * SYS-008 webhook plumbing with a provider defined here (HMAC-SHA256 over the raw body, like
 * Cal.com's): unsigned or wrongly signed -> 401 and nothing recorded; bad payload -> 400, recorded
 * as invalid with its raw bytes and an alert;
 * first delivery recorded and dispatched once; duplicates -> 200 and nothing; a failed dispatch
 * is retried by the next delivery.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { buildTestApp } from '../helpers/app.js';
import type { WebhookProvider } from '../../api/webhooks/registry.js';
import { temporalClient, testConfig, testDb } from '../helpers/context.js';

const SECRET = 'whsec_test';
const config = testConfig();
const db = testDb(config);
let temporal: Client;
let app: FastifyInstance;
const dispatched: string[] = [];
/** What each dispatch was given by the lookup run alongside the record. */
const lookedUp = new Map<string, number>();
let failNext = false;
let failLookup = false;

const provider: WebhookProvider<{ id: string; type: string; data: { n: number } }, number> = {
  provider: `testprov-${randomUUID().slice(0, 8)}`,
  path: '/webhooks/testprov',
  verify: ({ rawBody, headers }) => {
    const sig = headers['x-test-signature'];
    return typeof sig === 'string' && sig === createHmac('sha256', SECRET).update(rawBody).digest('hex');
  },
  schema: z.object({ id: z.string().min(1), type: z.string(), data: z.object({ n: z.number() }) }),
  describe: (p) => ({ eventId: p.id, type: p.type, payload: p }),
  // type 'sql': a read carried by the record's own statement (its $1 numbered after the record's).
  prepare: (e) =>
    e.type === 'sql'
      ? { text: 'SELECT $1::int * 10 AS v, $2::text AS w', params: [e.payload.data.n, e.eventId], read: (rows) => Number(rows[0]!.v) }
      : failLookup
        ? ((failLookup = false), Promise.reject(new Error('database unavailable')))
        : Promise.resolve(e.payload.data.n * 10),
  dispatch: async (e, prepared) => {
    lookedUp.set(e.eventId, prepared);
    if (failNext) {
      failNext = false;
      throw new Error('temporal unavailable');
    }
    dispatched.push(e.eventId);
  },
};

beforeAll(async () => {
  temporal = await temporalClient();
  app = await buildTestApp(config, { db, temporal, webhooks: [provider] });
});
afterAll(async () => {
  await app.close();
  await temporal.connection.close();
  await db.close();
});

const sign = (body: string) => createHmac('sha256', SECRET).update(body).digest('hex');
const post = (body: string, signature?: string) =>
  app.inject({
    method: 'POST',
    url: '/webhooks/testprov',
    headers: { 'content-type': 'application/json', ...(signature ? { 'x-test-signature': signature } : {}) },
    payload: body,
  });
const recorded = (eventId: string) => db.system.webhookEvent.count({ where: { provider: provider.provider, eventId } });

describe('SYS-008 webhook plumbing', () => {
  it('SYS-008: an unsigned or wrongly signed delivery is 401 and records nothing', async () => {
    const body = JSON.stringify({ id: 'evt_unsigned', type: 't', data: { n: 1 } });
    expect((await post(body)).statusCode).toBe(401);
    expect((await post(body, sign(body + ' '))).statusCode).toBe(401);
    expect(await recorded('evt_unsigned')).toBe(0);
    expect(dispatched).not.toContain('evt_unsigned');
  });

  it('SYS-008: the signature is checked over the raw bytes (re-serialised JSON would not match)', async () => {
    const body = '{"id":"evt_raw",  "type":"t","data":{"n":1}}';
    const res = await post(body, sign(body));
    expect(res.statusCode).toBe(200);
    expect(dispatched).toContain('evt_raw');
  });

  it('SYS-008: a signed but malformed payload is 400 naming the field, recorded once with its raw bytes, never dispatched', async () => {
    const body = JSON.stringify({ id: 'evt_bad', type: 't', data: { n: 'one' } });
    const res = await post(body, sign(body));
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/data\.n/);
    const again = await post(body, sign(body)); // the provider redelivers: same answer, nothing new
    expect(again.statusCode).toBe(400);
    const rows = await db.system.webhookEvent.findMany({ where: { provider: provider.provider, type: 'invalid' } });
    const mine = rows.filter((r) => Buffer.from(r.rawBody!).toString('utf8') === body);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.error).toMatch(/data\.n/);
    expect(mine[0]!.processedAt).toBeNull();
    expect(await recorded('evt_bad')).toBe(0);
    expect(dispatched).not.toContain('evt_bad');
    const alert = await db.system.alert.findFirst({ where: { dedupeKey: `webhook_invalid:${provider.provider}`, resolvedAt: null } });
    expect(alert).toMatchObject({ kind: 'webhook_invalid', severity: 'warning' });
  });

  it('SYS-008: a duplicate delivery answers 200 and does nothing', async () => {
    const body = JSON.stringify({ id: 'evt_dup', type: 't', data: { n: 2 } });
    const first = await post(body, sign(body));
    const second = await post(body, sign(body));
    expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
    expect(second.json()).toEqual({ received: true, duplicate: true });
    expect(dispatched.filter((id) => id === 'evt_dup')).toHaveLength(1);
    expect(await recorded('evt_dup')).toBe(1);
  });

  it('SYS-008: a delivery whose dispatch failed is kept and acted on when the provider retries', async () => {
    const body = JSON.stringify({ id: 'evt_retry', type: 't', data: { n: 3 } });
    failNext = true;
    expect((await post(body, sign(body))).statusCode).toBe(500);
    const row = await db.system.webhookEvent.findFirstOrThrow({ where: { provider: provider.provider, eventId: 'evt_retry' } });
    expect(row.processedAt).toBeNull();
    expect((await post(body, sign(body))).statusCode).toBe(200);
    expect((await post(body, sign(body))).json()).toEqual({ received: true, duplicate: true });
    expect(dispatched.filter((id) => id === 'evt_retry')).toHaveLength(1);
  });

  it('SYS-008: the lookup run while the delivery is recorded reaches the dispatch; when it fails, the delivery is kept and acted on when retried', async () => {
    const body = JSON.stringify({ id: 'evt_lookup', type: 't', data: { n: 7 } });
    failLookup = true;
    expect((await post(body, sign(body))).statusCode).toBe(500);
    const row = await db.system.webhookEvent.findFirstOrThrow({ where: { provider: provider.provider, eventId: 'evt_lookup' } });
    expect(row.processedAt).toBeNull();
    expect(row.error).toContain('database unavailable');
    expect(dispatched).not.toContain('evt_lookup');
    expect((await post(body, sign(body))).statusCode).toBe(200);
    expect(dispatched.filter((id) => id === 'evt_lookup')).toHaveLength(1);
    expect(lookedUp.get('evt_lookup')).toBe(70);
  });

  it('SYS-008: a lookup carried by the statement that records the delivery reaches the dispatch, for a first delivery and not for its duplicate', async () => {
    const body = JSON.stringify({ id: 'evt_carried', type: 'sql', data: { n: 4 } });
    expect((await post(body, sign(body))).statusCode).toBe(200);
    expect(lookedUp.get('evt_carried')).toBe(40);
    expect((await post(body, sign(body))).json()).toEqual({ received: true, duplicate: true });
    expect(dispatched.filter((id) => id === 'evt_carried')).toHaveLength(1);
    expect(await recorded('evt_carried')).toBe(1);
  });
});
