/**
 * The admin console's API, clients (SYS-006, RP-002, RP-010, ED-004): one client in full (its
 * subscription, what it holds of the pool, its churn hold, its API keys without hashes, its
 * counts) and the client list's counts. Every admin console route is the admin's: a client key
 * is refused. test/api/admin-records.test.ts has campaigns and leads across clients.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Client } from '@temporalio/client';
import { ADMIN_KEY, auth, createTestTenant, temporalClient, testConfig, testDb } from '../helpers/context.js';
import { buildTestApp } from '../helpers/app.js';
import type { Services } from '../../services/index.js';

const config = testConfig();
const db = testDb(config);
let app: FastifyInstance & { services: Services };
let temporal: Client;

beforeAll(async () => {
  temporal = await temporalClient();
  app = await buildTestApp(config, { db, temporal });
});
afterAll(async () => {
  await app?.close();
  await temporal?.connection.close();
  await db.close();
});

const DAY = 86_400_000;
const get = (url: string, key = ADMIN_KEY) => app.inject({ method: 'GET', url, headers: auth(key) });
const tag = () => randomUUID().slice(0, 8);
/** A whole second (what Stripe's `created` carries), `daysAgo` days before now. */
const secondsAgo = (daysAgo: number) => new Date(Math.floor(Date.now() / 1000) * 1000 - daysAgo * DAY);

async function stripe(clientId: string, subId: string, e: { type: string; created: Date; [k: string]: unknown }) {
  await app.services.subscriptions.system.merge(clientId, {
    eventId: `evt_${randomUUID()}`,
    subscriptionId: subId,
    customerId: `cus_${subId}`,
    ...e,
    created: e.created.toISOString(),
  } as Parameters<Services['subscriptions']['system']['merge']>[1]);
}

describe('one client in full (SYS-006, RP-002, ED-004)', () => {
  it('SYS-006 RP-002 ED-004: subscription, held resources with health and mailbox counts, API keys without hashes, counts', async () => {
    const t = await createTestTenant(db, 'Console client');
    const other = await createTestTenant(db, 'Someone else');
    await db.system.client.update({ where: { id: t.client.id }, data: { tier: 'velocity', status: 'active' } });
    const paid = secondsAgo(10);
    const periodEnd = new Date(paid.getTime() + 30 * DAY);
    const sub = `sub_${tag()}`;
    await stripe(t.client.id, sub, { type: 'checkout_completed', created: paid, paid: true, tier: 'Velocity', priceId: 'price_velocity' });
    await stripe(t.client.id, sub, {
      type: 'subscription_created',
      created: new Date(paid.getTime() + 1000),
      status: 'active',
      tier: 'Velocity',
      currentPeriodEnd: periodEnd.toISOString(),
      cancelAtPeriodEnd: false,
    });

    // Pool: d1 (the client's) with three mailboxes of which it holds two; a mailbox of d2 (not its domain); a number, a seat.
    const x = tag();
    const d1 = await db.system.domain.create({ data: { name: `d1-${x}.test`, status: 'ready', healthClass: 'warning', heatScore: 72 } });
    const d2 = await db.system.domain.create({ data: { name: `d2-${x}.test`, status: 'ready' } });
    const mb = (domainId: string, local: string, domain: string) =>
      db.system.mailbox.create({ data: { domainId, email: `${local}@${domain}`, status: 'ready', dailyLimit: 20 } });
    const m1 = await mb(d1.id, 'ann', d1.name);
    const m2 = await mb(d1.id, 'bob', d1.name);
    await mb(d1.id, 'cat', d1.name);
    const m4 = await mb(d2.id, 'dan', d2.name);
    const e164 = `+6129${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    const number = await db.system.phoneNumber.create({ data: { e164, country: 'AU', status: 'ready' } });
    const released = await db.system.phoneNumber.create({
      data: { e164: `${e164.slice(0, -1)}${(Number(e164.at(-1)) + 1) % 10}`, country: 'AU' },
    });
    const seat = await db.system.linkedInSeat.create({
      data: { accountRef: `acc-${x}`, displayName: 'Seat One', status: 'ready', health: 'ok', acceptRate: 0.31 },
    });
    const at = new Date('2026-03-01T00:00:00.000Z');
    const hold = new Date('2026-05-01T00:00:00.000Z');
    const allocate = (
      clientId: string,
      resourceType: 'domain' | 'mailbox' | 'phone_number' | 'linkedin_seat',
      resourceId: string,
      extra = {},
    ) => db.system.resourceAllocation.create({ data: { clientId, resourceType, resourceId, allocatedAt: at, ...extra } });
    await allocate(t.client.id, 'domain', d1.id);
    await allocate(t.client.id, 'mailbox', m1.id);
    await allocate(t.client.id, 'mailbox', m2.id);
    await allocate(t.client.id, 'mailbox', m4.id);
    await allocate(t.client.id, 'phone_number', number.id, { holdUntil: hold });
    await allocate(t.client.id, 'linkedin_seat', seat.id);
    await allocate(t.client.id, 'phone_number', released.id, { releasedAt: at });
    await allocate(other.client.id, 'domain', d2.id);

    // Keys: the first (test) one, a second one revoked.
    const issued = await app.inject({
      method: 'POST',
      url: `/v1/admin/clients/${t.client.id}/api-keys`,
      headers: auth(ADMIN_KEY),
      payload: { name: 'ci' },
    });
    const second = issued.json();
    expect((await app.inject({ method: 'DELETE', url: `/v1/admin/api-keys/${second.id}`, headers: auth(ADMIN_KEY) })).statusCode).toBe(204);

    // Counts: 2 campaigns, 3 leads, 2 open alerts (one acknowledged, still open); a resolved one and another client's do not count.
    const c1 = await db.system.campaign.create({ data: { clientId: t.client.id, name: 'A', icp: {} } });
    await db.system.campaign.create({ data: { clientId: t.client.id, name: 'B', icp: {} } });
    await db.system.lead.createMany({ data: [1, 2, 3].map((sourceRow) => ({ clientId: t.client.id, campaignId: c1.id, sourceRow })) });
    const alert = (clientId: string, extra = {}) =>
      db.system.alert.create({
        data: { clientId, kind: 'k', severity: 'warning', message: 'm', dedupeKey: `k:${randomUUID()}`, ...extra },
      });
    await alert(t.client.id);
    await alert(t.client.id, { acknowledgedAt: new Date() });
    await alert(t.client.id, { resolvedAt: new Date() });
    await alert(other.client.id);

    const res = await get(`/v1/admin/clients/${t.client.id}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      id: t.client.id,
      name: 'Console client',
      slug: t.client.slug,
      status: 'active',
      tier: 'velocity',
      defaultTimezone: 'Australia/Sydney',
      defaultCountry: 'AU',
      createdAt: t.client.createdAt.toISOString(),
    });
    expect(body.subscription).toEqual({
      id: expect.any(String),
      stripeSubscriptionId: sub,
      stripeCustomerId: `cus_${sub}`,
      status: 'active',
      tier: 'velocity',
      currentPeriodEnd: periodEnd.toISOString(),
      cancelAtPeriodEnd: false,
      paidAt: paid.toISOString(),
      cancelledAt: null,
      createdAt: expect.any(String),
    });
    expect(body.churnHold).toBeNull();
    const held = { allocatedAt: at.toISOString(), holdUntil: null };
    expect(body.resources).toEqual({
      counts: { domains: 1, mailboxes: 3, phoneNumbers: 1, linkedinSeats: 1 },
      domains: [{ id: d1.id, name: d1.name, status: 'ready', healthClass: 'warning', heatScore: 72, mailboxes: 2, ...held }],
      mailboxes: [
        { id: m1.id, email: m1.email, domainId: d1.id, status: 'ready', dailyLimit: 20, ...held },
        { id: m2.id, email: m2.email, domainId: d1.id, status: 'ready', dailyLimit: 20, ...held },
        { id: m4.id, email: m4.email, domainId: d2.id, status: 'ready', dailyLimit: 20, ...held },
      ],
      phoneNumbers: [{ id: number.id, e164, country: 'AU', status: 'ready', allocatedAt: at.toISOString(), holdUntil: hold.toISOString() }],
      linkedinSeats: [
        { id: seat.id, accountRef: `acc-${x}`, displayName: 'Seat One', status: 'ready', health: 'ok', acceptRate: 0.31, ...held },
      ],
    });
    const stored = await db.system.apiKey.findMany({ where: { clientId: t.client.id }, orderBy: { createdAt: 'asc' } });
    expect(body.apiKeys).toEqual([
      {
        id: stored[0]!.id,
        name: 'test',
        prefix: stored[0]!.prefix,
        createdAt: stored[0]!.createdAt.toISOString(),
        lastUsedAt: null,
        revokedAt: null,
      },
      {
        id: second.id,
        name: 'ci',
        prefix: second.prefix,
        createdAt: stored[1]!.createdAt.toISOString(),
        lastUsedAt: null,
        revokedAt: expect.any(String),
      },
    ]);
    for (const k of stored) expect(res.body).not.toContain(k.keyHash);
    expect(res.body).not.toContain(second.apiKey);
    expect(res.body).not.toContain(t.apiKey);
    expect(body.counts).toEqual({ campaigns: 2, leads: 3, openAlerts: 2 });

    const keys = await get(`/v1/admin/clients/${t.client.id}/api-keys`);
    expect(keys.json()).toEqual({ apiKeys: body.apiKeys });

    // The client list: each row's campaigns and leads.
    const list = (await get('/v1/admin/clients')).json().clients as { id: string; counts: unknown }[];
    expect(list.find((c) => c.id === t.client.id)?.counts).toEqual({ campaigns: 2, leads: 3 });
    expect(list.find((c) => c.id === other.client.id)?.counts).toEqual({ campaigns: 0, leads: 0 });
  });

  it('RP-010: a cancelled client is on churn hold until the cancellation + 30 days (DOMAIN.md), then released', async () => {
    for (const [daysAgo, state] of [
      [5, 'holding'],
      [40, 'released'],
    ] as const) {
      const t = await createTestTenant(db);
      const cancelled = secondsAgo(daysAgo);
      const sub = `sub_${tag()}`;
      await stripe(t.client.id, sub, { type: 'checkout_completed', created: secondsAgo(daysAgo + 20), paid: true, tier: 'Ignition' });
      await stripe(t.client.id, sub, { type: 'subscription_deleted', created: cancelled, status: 'canceled' });
      const body = (await get(`/v1/admin/clients/${t.client.id}`)).json();
      expect(body.subscription).toMatchObject({ stripeSubscriptionId: sub, status: 'canceled', cancelledAt: cancelled.toISOString() });
      expect(body.churnHold).toEqual({
        cancelledAt: cancelled.toISOString(),
        releaseAt: new Date(cancelled.getTime() + 30 * DAY).toISOString(),
        state,
      });
    }
    // Never paid, or paying again: no hold.
    const fresh = await createTestTenant(db);
    expect((await get(`/v1/admin/clients/${fresh.client.id}`)).json()).toMatchObject({ subscription: null, churnHold: null });
  });

  it('SYS-006 SYS-010: a client key (or none) is refused on every admin console route; unknown ids are 404', async () => {
    const t = await createTestTenant(db);
    const campaign = await db.system.campaign.create({ data: { clientId: t.client.id, name: 'x', icp: {} } });
    const lead = await db.system.lead.create({ data: { clientId: t.client.id, campaignId: campaign.id, sourceRow: 1 } });
    for (const url of [
      `/v1/admin/clients/${t.client.id}`,
      `/v1/admin/clients/${t.client.id}/api-keys`,
      `/v1/admin/campaigns?clientId=${t.client.id}`,
      `/v1/admin/leads?clientId=${t.client.id}`,
      `/v1/admin/leads/${lead.id}`,
    ]) {
      const refused = await get(url, t.apiKey);
      expect(refused.statusCode, url).toBe(401);
      expect(refused.body).not.toContain(t.client.id);
      expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(401);
      expect((await get(url)).statusCode, url).toBe(200);
    }
    for (const url of [
      `/v1/admin/clients/${randomUUID()}`,
      `/v1/admin/clients/${randomUUID()}/api-keys`,
      `/v1/admin/leads/${randomUUID()}`,
    ]) {
      expect((await get(url)).statusCode, url).toBe(404);
    }
    expect((await get('/v1/admin/clients/not-a-uuid')).statusCode).toBe(400);
  });
});
