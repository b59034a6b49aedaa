/**
 * Admin pool API (RP-002, ED-004): the buffer per resource type, domains with their mailboxes,
 * allocation and 30-day bounce / complaint rates, numbers and seats, the buffer and health
 * history, adding resources an operator owns, and running the pool monitor now. The database is
 * shared with other test files running in parallel: every row here has a random suffix and the
 * assertions look at these rows (the pool totals are compared before and after adding a known
 * batch). The console that shows them is tested in Chromium (test/e2e/admin-console.e2e.test.ts).
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createWorkflowGateway } from '../../services/workflow-gateway.js';
import { triggerScheduleNow } from '../../api/routes/admin-pool.js';
import { HttpError } from '../../api/errors.js';
import { bufferStatus, RESOURCE_TYPES } from '../../domain/index.js';
import { ADMIN_KEY, auth, createTestTenant, testConfig, testDb, waitFor } from '../helpers/context.js';
import { apiBed } from '../helpers/workflow-bed.js';
import { randomMobile } from '../helpers/webhook-fixtures.js';

const config = testConfig();
const db = testDb(config);
const bed = apiBed(config, db);

const sfx = () => randomUUID().slice(0, 8);
const admin = auth(ADMIN_KEY);
const DAY_MS = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function get(url: string, headers: Record<string, string> = admin) {
  const res = await bed.app.inject({ method: 'GET', url, headers });
  const isJson = String(res.headers['content-type'] ?? '').startsWith('application/json');
  return { status: res.statusCode, body: res.body, json: isJson ? (res.json() as any) : null, headers: res.headers };
}
async function post(url: string, payload?: unknown, headers: Record<string, string> = admin) {
  const res = await bed.app.inject({ method: 'POST', url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: res.statusCode, body: res.body, json: res.body ? (res.json() as any) : null };
}

async function seedDomain(
  name: string,
  opts: {
    status?: 'warming' | 'ready' | 'paused';
    healthClass?: string;
    criticalSince?: Date;
    mailboxes?: { email: string; status?: 'warming' | 'ready'; smtp?: object }[];
  } = {},
) {
  return db.system.domain.create({
    data: {
      name,
      status: opts.status ?? 'ready',
      healthClass: opts.healthClass ?? 'good',
      criticalSince: opts.criticalSince ?? null,
      heatScore: 90,
      purchasedAt: new Date('2026-01-05T00:00:00.000Z'),
      readyAt: opts.status === 'ready' || !opts.status ? new Date('2026-02-01T00:00:00.000Z') : null,
      mailboxes: {
        create: (opts.mailboxes ?? []).map((m) => ({
          email: m.email,
          status: m.status ?? 'ready',
          dailyLimit: 30,
          ...(m.smtp ? { smtp: m.smtp } : {}),
        })),
      },
    },
    include: { mailboxes: true },
  });
}

const allocate = (clientId: string, resourceType: 'domain' | 'mailbox' | 'phone_number' | 'linkedin_seat', resourceId: string) =>
  db.system.resourceAllocation.create({ data: { clientId, resourceType, resourceId } });

describe('admin pool API: authentication (RP-002)', () => {
  const routes: [string, string][] = [
    ['GET', '/v1/admin/pool'],
    ['GET', '/v1/admin/pool/domains'],
    ['GET', '/v1/admin/pool/phone-numbers'],
    ['GET', '/v1/admin/pool/linkedin-seats'],
    ['GET', '/v1/admin/pool/snapshots'],
    ['GET', '/v1/admin/pool/health'],
    ['POST', '/v1/admin/pool/domains'],
    ['POST', '/v1/admin/pool/phone-numbers'],
    ['POST', '/v1/admin/pool/linkedin-seats'],
    ['POST', '/v1/admin/pool/monitor/run'],
  ];

  it('RP-002: every pool route answers 401 without a key, with a client key and with a wrong key', async () => {
    const tenant = await createTestTenant(db, 'Not an admin');
    for (const [method, url] of routes) {
      for (const headers of [{}, auth(tenant.apiKey), auth('not-the-admin-key')]) {
        const res = await bed.app.inject({ method: method as 'GET' | 'POST', url, headers, ...(method === 'POST' ? { payload: {} } : {}) });
        expect(res.statusCode, `${method} ${url}`).toBe(401);
        expect(res.json()).toMatchObject({ error: 'unauthorized' });
      }
    }
  });
});

describe('GET /v1/admin/pool (RP-002, RP-003)', () => {
  /** One known batch: what it adds to each type's figures. */
  async function addBatch(clientId: string) {
    const s = sfx();
    const ready = await seedDomain(`rp002-ready-${s}.test`, {
      mailboxes: [{ email: `a@rp002-ready-${s}.test` }, { email: `b@rp002-ready-${s}.test` }],
    });
    const held = await seedDomain(`rp002-held-${s}.test`, { mailboxes: [{ email: `a@rp002-held-${s}.test` }] });
    await seedDomain(`rp002-warm-${s}.test`, { status: 'warming', mailboxes: [{ email: `a@rp002-warm-${s}.test`, status: 'warming' }] });
    await allocate(clientId, 'domain', held.id);
    await allocate(clientId, 'mailbox', held.mailboxes[0]!.id);
    const n1 = await db.system.phoneNumber.create({ data: { e164: randomMobile(), country: 'AU', status: 'ready' } });
    const n2 = await db.system.phoneNumber.create({ data: { e164: randomMobile(), country: 'AU', status: 'ready' } });
    await allocate(clientId, 'phone_number', n2.id);
    await db.system.linkedInSeat.create({ data: { accountRef: `rp002-seat-ready-${s}`, status: 'ready', health: 'ok' } });
    await db.system.linkedInSeat.create({ data: { accountRef: `rp002-seat-warm-${s}`, status: 'warming' } });
    const heldSeat = await db.system.linkedInSeat.create({ data: { accountRef: `rp002-seat-held-${s}`, status: 'ready', health: 'ok' } });
    await allocate(clientId, 'linkedin_seat', heldSeat.id);
    const tag = `rp002-seat-request-${s}`;
    await db.system.poolPurchase.create({
      data: {
        tag,
        resourceType: 'linkedin_seat',
        status: 'awaiting_operator',
        reason: 'admin-pool.test',
        details: { url: `https://account.unipile.test/connect/${s}`, expiresAt: '2099-01-01T00:00:00.000Z' },
      },
    });
    await db.system.alert.create({ data: { kind: 'test.pool', severity: 'info', message: `batch ${s}`, dedupeKey: `test:rp002:${s}` } });
    void ready;
    void n1;
    return {
      tag,
      delta: {
        domains: { readyUnallocated: 1, allocated: 1, pending: 1 },
        mailboxes: { readyUnallocated: 2, allocated: 1, pending: 1 },
        phoneNumbers: { readyUnallocated: 1, allocated: 1, pending: 0 },
        // the open seat request counts as pending too
        linkedinSeats: { readyUnallocated: 1, allocated: 1, pending: 2 },
      },
    };
  }

  it('RP-002 RP-003: the buffer per type has the documented shape, level and shortfall, and moves by exactly the batch added', async () => {
    const tenant = await createTestTenant(db, 'Pool holder');
    let lastDiff: unknown;
    // Other files change the shared pool concurrently: a clean before/after pair is retried.
    for (let attempt = 0; attempt < 4; attempt++) {
      const before = await get('/v1/admin/pool');
      expect(before.status).toBe(200);
      const batch = await addBatch(tenant.client.id);
      const after = await get('/v1/admin/pool');
      expect(after.status).toBe(200);

      const p = after.json;
      expect(Object.keys(p).sort()).toEqual(['openAlerts', 'purchases', 'takenAt', 'types']);
      expect(Date.parse(p.takenAt)).not.toBeNaN();
      expect(Object.keys(p.types).sort()).toEqual([...RESOURCE_TYPES].sort());
      for (const t of RESOURCE_TYPES) {
        const b = p.types[t];
        expect(Object.keys(b).sort()).toEqual(['allocated', 'bufferPercent', 'level', 'pending', 'readyUnallocated', 'shortfall']);
        expect(b.bufferPercent).toBe(b.allocated > 0 ? Math.round((100 * b.readyUnallocated) / b.allocated) : null);
        const s = bufferStatus(b);
        expect(b.level).toBe(s.level);
        expect(b.shortfall).toBe(s.shortfall);
      }
      expect(p.purchases.awaitingOperator).toContainEqual({
        tag: batch.tag,
        url: expect.stringContaining('https://account.unipile.test/connect/'),
        expiresAt: '2099-01-01T00:00:00.000Z',
      });

      const diff = {
        types: Object.fromEntries(
          RESOURCE_TYPES.map((t) => [
            t,
            {
              readyUnallocated: p.types[t].readyUnallocated - before.json.types[t].readyUnallocated,
              allocated: p.types[t].allocated - before.json.types[t].allocated,
              pending: p.types[t].pending - before.json.types[t].pending,
            },
          ]),
        ),
        openPurchases: p.purchases.open - before.json.purchases.open,
        openAlerts: p.openAlerts - before.json.openAlerts,
      };
      lastDiff = diff;
      const expected = { types: batch.delta, openPurchases: 1, openAlerts: 1 };
      if (JSON.stringify(diff) === JSON.stringify(expected)) return;
    }
    throw new Error(`the pool figures never moved by exactly the batch added; last difference ${JSON.stringify(lastDiff)}`);
  });
});

describe('domains and their health (RP-002, ED-004)', () => {
  const s = sfx();
  const smtpPass = `smtp-secret-${randomUUID()}`;
  let tenantId: string;
  let held: Awaited<ReturnType<typeof seedDomain>>;
  let warming: Awaited<ReturnType<typeof seedDomain>>;
  let critical: Awaited<ReturnType<typeof seedDomain>>;
  const now = Date.now();

  beforeAll(async () => {
    tenantId = (await createTestTenant(db, 'Domain holder')).client.id;
    held = await seedDomain(`ed004-held-${s}.test`, {
      mailboxes: [
        {
          email: `alex@ed004-held-${s}.test`,
          smtp: { host: 'smtp.ed004.test', port: 587, secure: false, user: `alex@ed004-held-${s}.test`, pass: smtpPass },
        },
        { email: `sam@ed004-held-${s}.test` },
      ],
    });
    warming = await seedDomain(`ed004-warm-${s}.test`, {
      status: 'warming',
      mailboxes: [{ email: `a@ed004-warm-${s}.test`, status: 'warming' }],
    });
    critical = await seedDomain(`ed004-crit-${s}.test`, {
      status: 'paused',
      healthClass: 'critical',
      criticalSince: new Date(now - 2 * DAY_MS),
    });
    await allocate(tenantId, 'domain', held.id);
    await allocate(tenantId, 'mailbox', held.mailboxes.find((m) => m.email.startsWith('alex'))!.id);
    const snap = (resourceId: string, day: string, healthClass: string, m: object) =>
      db.system.healthSnapshot.create({
        data: { resourceType: 'domain', resourceId, day, healthClass, metrics: m, takenAt: new Date(`${day}T19:00:00.000Z`) },
      });
    // older snapshots first: the list must carry the latest day's figures
    await snap(held.id, dayOf(now - 10 * DAY_MS), 'good', {
      sent: 100,
      bounced: 1,
      complaints: 0,
      bounceRate: 0.01,
      complaintRate: 0,
      heatScore: 90,
    });
    await snap(held.id, dayOf(now - 40 * DAY_MS), 'good', {
      sent: 10,
      bounced: 0,
      complaints: 0,
      bounceRate: 0,
      complaintRate: 0,
      heatScore: 80,
    });
    await snap(held.id, dayOf(now), 'warning', {
      sent: 400,
      bounced: 12,
      complaints: 1,
      bounceRate: 0.03,
      complaintRate: 0.0025,
      heatScore: 91,
    });
    await snap(critical.id, dayOf(now), 'critical', {
      sent: 200,
      bounced: 14,
      complaints: 0,
      bounceRate: 0.07,
      complaintRate: 0,
      heatScore: 70,
    });
  });

  const mine = (domains: any[]) => domains.filter((d) => d.name.endsWith(`-${s}.test`));

  it('ED-004 RP-002: the domain list carries status, heat, health class, mailboxes, allocation and the latest 30-day rates', async () => {
    const res = await get('/v1/admin/pool/domains');
    expect(res.status).toBe(200);
    const byName = new Map(mine(res.json.domains).map((d: any) => [d.name, d]));
    expect([...byName.keys()].sort()).toEqual([`ed004-crit-${s}.test`, `ed004-held-${s}.test`, `ed004-warm-${s}.test`]);

    const h = byName.get(`ed004-held-${s}.test`);
    expect(h).toMatchObject({
      id: held.id,
      status: 'ready',
      heatScore: 90,
      healthClass: 'good',
      criticalSince: null,
      purchasedAt: '2026-01-05T00:00:00.000Z',
      readyAt: '2026-02-01T00:00:00.000Z',
      retiredAt: null,
      allocatedTo: tenantId,
      health: { day: dayOf(now), healthClass: 'warning', sent: 400, bounced: 12, complaints: 1, bounceRate: 0.03, complaintRate: 0.0025 },
    });
    expect(h.mailboxes).toEqual([
      {
        id: expect.any(String),
        email: `alex@ed004-held-${s}.test`,
        status: 'ready',
        dailyLimit: 30,
        senderName: null,
        smtp: { host: 'smtp.ed004.test', port: 587, secure: false, user: `alex@ed004-held-${s}.test` },
        allocatedTo: tenantId,
      },
      {
        id: expect.any(String),
        email: `sam@ed004-held-${s}.test`,
        status: 'ready',
        dailyLimit: 30,
        senderName: null,
        smtp: null,
        allocatedTo: null,
      },
    ]);
    expect(byName.get(`ed004-warm-${s}.test`)).toMatchObject({ id: warming.id, status: 'warming', allocatedTo: null, health: null });
    expect(byName.get(`ed004-crit-${s}.test`)).toMatchObject({
      status: 'paused',
      healthClass: 'critical',
      criticalSince: new Date(now - 2 * DAY_MS).toISOString(),
      health: { sent: 200, bounceRate: 0.07 },
    });
  });

  it('ED-004: the list filters by status and by health class', async () => {
    const warm = mine((await get('/v1/admin/pool/domains?status=warming')).json.domains).map((d: any) => d.name);
    expect(warm).toEqual([`ed004-warm-${s}.test`]);
    const crit = mine((await get('/v1/admin/pool/domains?health=critical')).json.domains).map((d: any) => d.name);
    expect(crit).toEqual([`ed004-crit-${s}.test`]);
    const both = mine((await get('/v1/admin/pool/domains?status=ready&health=good')).json.domains).map((d: any) => d.name);
    expect(both).toEqual([`ed004-held-${s}.test`]);
    const bad = await get('/v1/admin/pool/domains?health=purple');
    expect(bad.status).toBe(400);
    expect(bad.json.issues[0].field).toBe('querystring.health');
  });

  it('ED-004: health history of a domain over the last days, newest first', async () => {
    const res = await get(`/v1/admin/pool/health?resourceType=domain&resourceId=${held.id}&days=30`);
    expect(res.status).toBe(200);
    expect(res.json.snapshots.map((x: any) => x.day)).toEqual([dayOf(now), dayOf(now - 10 * DAY_MS)]);
    expect(res.json.snapshots[0]).toMatchObject({
      resourceType: 'domain',
      resourceId: held.id,
      healthClass: 'warning',
      metrics: { bounceRate: 0.03, complaintRate: 0.0025, sent: 400 },
    });
    const longer = await get(`/v1/admin/pool/health?resourceId=${held.id}&days=60`);
    expect(longer.json.snapshots).toHaveLength(3);
    expect((await get('/v1/admin/pool/health?resourceId=not-a-uuid')).status).toBe(400);
  });

  it('RP-002: SMTP passwords never appear in any response', async () => {
    const added = sfx();
    const addedPass = `added-secret-${randomUUID()}`;
    const created = await post('/v1/admin/pool/domains', {
      name: `rp002-smtp-${added}.test`,
      mailboxes: [
        {
          email: `alex@rp002-smtp-${added}.test`,
          smtp: { host: 'smtp.rp002.test', port: 465, secure: true, user: 'alex', pass: addedPass },
        },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.json.domain.mailboxes[0].smtp).toEqual({ host: 'smtp.rp002.test', port: 465, secure: true, user: 'alex' });
    // the password is stored for sending
    expect((await db.system.mailbox.findUniqueOrThrow({ where: { email: `alex@rp002-smtp-${added}.test` } })).smtp).toMatchObject({
      pass: addedPass,
    });
    const bodies = [created.body];
    for (const url of [
      '/v1/admin/pool',
      '/v1/admin/pool/domains',
      `/v1/admin/pool/domains?status=ready`,
      '/v1/admin/pool/phone-numbers',
      '/v1/admin/pool/linkedin-seats',
      '/v1/admin/pool/snapshots',
      '/v1/admin/pool/health?days=400',
      '/admin',
    ]) {
      const res = await get(url);
      expect(res.status, url).toBe(200);
      bodies.push(res.body);
    }
    for (const body of bodies) {
      expect(body).not.toContain(smtpPass);
      expect(body).not.toContain(addedPass);
      expect(body).not.toMatch(/"pass"/);
    }
  });
});

describe('numbers, seats and the buffer history (RP-002)', () => {
  it('RP-002: phone numbers and LinkedIn seats are listed with status, health, accept rate and allocation', async () => {
    const s = sfx();
    const tenant = await createTestTenant(db, 'Number holder');
    const n = await db.system.phoneNumber.create({ data: { e164: randomMobile(), country: 'AU', status: 'ready', voiceRef: `vapi-${s}` } });
    await allocate(tenant.client.id, 'phone_number', n.id);
    const seat = await db.system.linkedInSeat.create({
      data: { accountRef: `li-${s}`, displayName: `Seat ${s}`, status: 'paused', health: 'restricted', acceptRate: 0.18 },
    });
    await allocate(tenant.client.id, 'linkedin_seat', seat.id);

    const numbers = (await get('/v1/admin/pool/phone-numbers')).json.phoneNumbers;
    expect(numbers.find((x: any) => x.id === n.id)).toEqual({
      id: n.id,
      e164: n.e164,
      country: 'AU',
      status: 'ready',
      providerRef: null,
      voiceRef: `vapi-${s}`,
      allocatedTo: tenant.client.id,
      createdAt: n.createdAt.toISOString(),
    });
    const seats = (await get('/v1/admin/pool/linkedin-seats')).json.linkedinSeats;
    expect(seats.find((x: any) => x.id === seat.id)).toEqual({
      id: seat.id,
      accountRef: `li-${s}`,
      displayName: `Seat ${s}`,
      timezone: 'Australia/Sydney',
      status: 'paused',
      health: 'restricted',
      acceptRate: 0.18,
      allocatedTo: tenant.client.id,
      createdAt: seat.createdAt.toISOString(),
    });

    await db.system.healthSnapshot.create({
      data: {
        resourceType: 'linkedin_seat',
        resourceId: seat.id,
        day: dayOf(Date.now()),
        healthClass: 'restricted',
        metrics: { providerStatus: 'RESTRICTED', rate: 0.18 },
        takenAt: new Date(),
      },
    });
    const health = await get(`/v1/admin/pool/health?resourceType=linkedin_seat&resourceId=${seat.id}`);
    expect(health.json.snapshots).toEqual([
      {
        resourceType: 'linkedin_seat',
        resourceId: seat.id,
        day: dayOf(Date.now()),
        healthClass: 'restricted',
        metrics: { providerStatus: 'RESTRICTED', rate: 0.18 },
        takenAt: expect.any(String),
      },
    ]);
  });

  it('RP-002: pool snapshots (the buffer history) come newest first, filtered by type and time, limited', async () => {
    // A far-future time of our own, so rows from other files do not interleave.
    const base = Date.parse('2090-01-01T00:00:00.000Z') + Math.floor(Math.random() * 1e6) * 60_000;
    const made: { id: string }[] = [];
    for (let i = 0; i < 3; i++) {
      made.push(
        await db.system.poolSnapshot.create({
          data: {
            takenAt: new Date(base + i * 3_600_000),
            resourceType: 'phone_number',
            readyUnallocated: 5 - i,
            allocated: 10,
            pending: i,
            buffer: (5 - i) / 10,
            level: i === 2 ? 'warning' : 'ok',
          },
        }),
      );
    }
    await db.system.poolSnapshot.create({
      data: {
        takenAt: new Date(base + 7_200_000),
        resourceType: 'domain',
        readyUnallocated: 0,
        allocated: 0,
        pending: 0,
        buffer: null,
        level: 'ok',
      },
    });
    const since = new Date(base).toISOString();
    const res = await get(`/v1/admin/pool/snapshots?resourceType=phone_number&since=${encodeURIComponent(since)}&limit=50`);
    expect(res.status).toBe(200);
    const ours = res.json.snapshots.filter((x: any) => made.some((m) => m.id === x.id));
    expect(ours.map((x: any) => x.id)).toEqual([made[2]!.id, made[1]!.id, made[0]!.id]);
    expect(ours[0]).toEqual({
      id: made[2]!.id,
      takenAt: new Date(base + 7_200_000).toISOString(),
      resourceType: 'phone_number',
      readyUnallocated: 3,
      allocated: 10,
      pending: 2,
      buffer: 0.3,
      level: 'warning',
    });
    expect(res.json.snapshots.every((x: any) => x.resourceType === 'phone_number' && Date.parse(x.takenAt) >= base)).toBe(true);
    const later = await get(
      `/v1/admin/pool/snapshots?resourceType=phone_number&since=${encodeURIComponent(new Date(base + 3_600_000).toISOString())}`,
    );
    expect(later.json.snapshots.filter((x: any) => made.some((m) => m.id === x.id)).map((x: any) => x.id)).toEqual([
      made[2]!.id,
      made[1]!.id,
    ]);
    const limited = await get(`/v1/admin/pool/snapshots?since=${encodeURIComponent(since)}&limit=2`);
    expect(limited.json.snapshots).toHaveLength(2);
    const times = limited.json.snapshots.map((x: any) => Date.parse(x.takenAt));
    expect(times[0]).toBeGreaterThanOrEqual(times[1]);
    expect((await get('/v1/admin/pool/snapshots?since=yesterday')).json.issues[0].field).toBe('querystring.since');
    expect((await get('/v1/admin/pool/snapshots?resourceType=printer')).status).toBe(400);
  });
});

describe('adding resources (RP-002)', () => {
  it('RP-002: an operator adds a domain with its mailboxes (201), a second time is 409', async () => {
    const s = sfx();
    const name = `rp002-add-${s}.test`;
    const res = await post('/v1/admin/pool/domains', {
      name: `  RP002-ADD-${s}.TEST `,
      mailboxes: [
        { email: `Alex.Morgan@${name}`, senderName: 'Alex Morgan' },
        {
          email: `sam.taylor@${name}`,
          senderName: 'Sam Taylor',
          smtp: { host: 'smtp.add.test', port: 587, secure: false, user: `sam.taylor@${name}`, pass: 'pw' },
        },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.json.domain).toMatchObject({
      name,
      status: 'warming',
      heatScore: null,
      healthClass: 'good',
      readyAt: null,
      purchasedAt: null,
      allocatedTo: null,
      health: null,
    });
    expect(res.json.domain.mailboxes).toEqual([
      {
        id: expect.any(String),
        email: `alex.morgan@${name}`,
        status: 'warming',
        dailyLimit: 5,
        senderName: 'Alex Morgan',
        smtp: null,
        allocatedTo: null,
      },
      {
        id: expect.any(String),
        email: `sam.taylor@${name}`,
        status: 'warming',
        dailyLimit: 5,
        senderName: 'Sam Taylor',
        smtp: { host: 'smtp.add.test', port: 587, secure: false, user: `sam.taylor@${name}` },
        allocatedTo: null,
      },
    ]);
    const row = await db.system.domain.findUniqueOrThrow({ where: { name }, include: { mailboxes: true } });
    expect(row.mailboxes).toHaveLength(2);

    const again = await post('/v1/admin/pool/domains', { name, mailboxes: [] });
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ error: 'conflict', message: expect.stringContaining(name) });
  });

  it('RP-002: a ready domain keeps its heat score and purchase date; its mailboxes are ready', async () => {
    const s = sfx();
    const name = `rp002-ready-add-${s}.test`;
    const res = await post('/v1/admin/pool/domains', {
      name,
      status: 'ready',
      heatScore: 88,
      purchasedAt: '2025-11-01T00:00:00+11:00',
      mailboxes: [{ email: `a@${name}` }],
    });
    expect(res.status).toBe(201);
    expect(res.json.domain).toMatchObject({
      status: 'ready',
      heatScore: 88,
      purchasedAt: '2025-10-31T13:00:00.000Z',
      readyAt: expect.any(String),
    });
    expect(res.json.domain.mailboxes[0].status).toBe('ready');
    // Bought in 2025: past the warmup ramp's last step (day 22+: 50 a day, ED-001).
    expect(res.json.domain.mailboxes[0].dailyLimit).toBe(50);
  });

  it.each([
    // DOMAIN.md's ramp by the domain's age: days 1-3: 5; 4-7: 10; 8-14: 20; 15-21: 35; 22+: 50.
    ['warming, bought 9 days ago (day 10)', { status: 'warming', purchasedDaysAgo: 9 }, 20],
    ['warming, bought 16 days ago (day 17)', { status: 'warming', purchasedDaysAgo: 16 }, 35],
    ['warming, no purchase date (bought today)', { status: 'warming' }, 5],
    ['ready, bought 5 days ago (day 6)', { status: 'ready', purchasedDaysAgo: 5 }, 10],
    ['ready, no purchase date (past its ramp)', { status: 'ready' }, 50],
  ] as const)("ED-001 RP-002: an added domain's mailboxes get the ramp's daily limit for its age: %s -> %i", async (_n, o, limit) => {
    const name = `ed001-add-${sfx()}.test`;
    const purchasedAt =
      'purchasedDaysAgo' in o ? new Date(Date.now() - o.purchasedDaysAgo * 86_400_000 - 3_600_000).toISOString() : undefined;
    const res = await post('/v1/admin/pool/domains', {
      name,
      status: o.status,
      ...(purchasedAt ? { purchasedAt } : {}),
      mailboxes: [{ email: `a@${name}` }, { email: `b@${name}` }],
    });
    expect(res.status).toBe(201);
    expect(res.json.domain.mailboxes.map((m: { dailyLimit: number }) => m.dailyLimit)).toEqual([limit, limit]);
  });

  it('RP-002: 409 when one of the mailboxes already exists, and nothing is written', async () => {
    const s = sfx();
    const name = `rp002-mbx-${s}.test`;
    await seedDomain(`rp002-other-${s}.test`, { mailboxes: [{ email: `taken@${name}` }] });
    const res = await post('/v1/admin/pool/domains', { name, mailboxes: [{ email: `free@${name}` }, { email: `taken@${name}` }] });
    expect(res.status).toBe(409);
    expect(res.json.message).toContain(`taken@${name}`);
    expect(await db.system.domain.findUnique({ where: { name } })).toBeNull();
    expect(await db.system.mailbox.findUnique({ where: { email: `free@${name}` } })).toBeNull();
  });

  it('RP-002: 400 naming the field for a mailbox not on the domain, a bad domain name, too many mailboxes', async () => {
    const s = sfx();
    const name = `rp002-bad-${s}.test`;
    const offDomain = await post('/v1/admin/pool/domains', { name, mailboxes: [{ email: `a@${name}` }, { email: 'b@elsewhere.test' }] });
    expect(offDomain.status).toBe(400);
    expect(offDomain.json.error).toBe('validation_failed');
    expect(offDomain.json.issues).toEqual([{ field: 'body.mailboxes.1.email', message: `b@elsewhere.test is not on the domain ${name}` }]);
    expect(offDomain.json.message).toContain('body.mailboxes.1.email');

    const notEmail = await post('/v1/admin/pool/domains', { name, mailboxes: [{ email: 'nope' }] });
    expect(notEmail.status).toBe(400);
    expect(notEmail.json.issues[0].field).toBe('body.mailboxes.0.email');

    const twice = await post('/v1/admin/pool/domains', { name, mailboxes: [{ email: `a@${name}` }, { email: `A@${name}` }] });
    expect(twice.status).toBe(400);
    expect(twice.json.issues[0]).toEqual({ field: 'body.mailboxes.1.email', message: `a@${name} is listed twice` });

    for (const bad of ['localhost', 'has space.test', '-dash.test', 'https://x.test']) {
      const r = await post('/v1/admin/pool/domains', { name: bad });
      expect(r.status, bad).toBe(400);
      expect(r.json.issues[0].field).toBe('body.name');
    }
    const many = await post('/v1/admin/pool/domains', {
      name,
      mailboxes: Array.from({ length: 11 }, (_, i) => ({ email: `m${i}@${name}` })),
    });
    expect(many.status).toBe(400);
    expect(many.json.issues[0].field).toBe('body.mailboxes');
    expect(await db.system.domain.findUnique({ where: { name } })).toBeNull();
  });

  it('RP-002 RP-007: a phone number is validated and stored in E.164 (201), the same number again is 409, a bad one 400', async () => {
    const e164 = randomMobile();
    const national = `0${e164.slice(3, 6)} ${e164.slice(6, 9)} ${e164.slice(9)}`;
    const res = await post('/v1/admin/pool/phone-numbers', { e164: national, country: 'au', voiceRef: 'vapi-phone-1' });
    expect(res.status).toBe(201);
    expect(res.json.phoneNumber).toMatchObject({ e164, country: 'AU', status: 'ready', voiceRef: 'vapi-phone-1', allocatedTo: null });
    expect(await db.system.phoneNumber.findUnique({ where: { e164 } })).toMatchObject({ country: 'AU', status: 'ready' });

    const again = await post('/v1/admin/pool/phone-numbers', { e164 });
    expect(again.status).toBe(409);
    expect(again.json.message).toContain(e164);

    const e164Only = randomMobile();
    const inferred = await post('/v1/admin/pool/phone-numbers', { e164: e164Only });
    expect(inferred.status).toBe(201);
    expect(inferred.json.phoneNumber).toMatchObject({ e164: e164Only, country: 'AU', voiceRef: null });

    const bad = await post('/v1/admin/pool/phone-numbers', { e164: '+61 12' });
    expect(bad.status).toBe(400);
    expect(bad.json.issues).toEqual([{ field: 'body.e164', message: expect.stringContaining('not a valid phone number') }]);
    const noPlus = await post('/v1/admin/pool/phone-numbers', { e164: '0412 000' });
    expect(noPlus.status).toBe(400);
    expect(noPlus.json.issues[0].field).toBe('body.e164');
    const badCountry = await post('/v1/admin/pool/phone-numbers', { e164: randomMobile(), country: 'Australia' });
    expect(badCountry.json.issues[0].field).toBe('body.country');
  });

  it('RP-002 RP-008: a LinkedIn seat is added ready (201), the same account again is 409, a bad time zone 400', async () => {
    const accountRef = `unipile-${sfx()}`;
    const res = await post('/v1/admin/pool/linkedin-seats', { accountRef, displayName: 'Jordan Lee', timezone: 'Australia/Perth' });
    expect(res.status).toBe(201);
    expect(res.json.linkedinSeat).toMatchObject({
      accountRef,
      displayName: 'Jordan Lee',
      timezone: 'Australia/Perth',
      status: 'ready',
      health: 'ok',
      acceptRate: null,
      allocatedTo: null,
    });
    const again = await post('/v1/admin/pool/linkedin-seats', { accountRef });
    expect(again.status).toBe(409);
    expect(again.json.message).toContain(accountRef);
    const badTz = await post('/v1/admin/pool/linkedin-seats', { accountRef: `unipile-${sfx()}`, timezone: 'Mars/Olympus' });
    expect(badTz.status).toBe(400);
    expect(badTz.json.issues[0]).toEqual({ field: 'body.timezone', message: 'not an IANA time zone such as Australia/Sydney' });
    const defaults = await post('/v1/admin/pool/linkedin-seats', { accountRef: `unipile-${sfx()}` });
    expect(defaults.json.linkedinSeat).toMatchObject({ displayName: null, timezone: 'Australia/Sydney', status: 'ready' });
  });
});

describe('running the pool monitor now (RP-002, RP-003)', () => {
  it('RP-002: a schedule that does not exist is a 409 that says how to create it', async () => {
    const id = `missing-${randomUUID()}`;
    const err = await triggerScheduleNow(createWorkflowGateway(bed.temporal, 'unused'), id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(err).toMatchObject({ statusCode: 409, code: 'schedule_not_found' });
    expect((err as Error).message).toContain(`"${id}" does not exist in Temporal namespace "default"`);
    expect((err as Error).message).toContain('schedules:sync');
  });

  it('RP-002: an existing schedule is triggered', async () => {
    const scheduleId = `admin-pool-test-${randomUUID()}`;
    const handle = await bed.temporal.schedule.create({
      scheduleId,
      spec: { intervals: [{ every: '365 days' }] },
      action: {
        type: 'startWorkflow',
        workflowType: 'noSuchWorkflow',
        workflowId: scheduleId,
        taskQueue: `unused-${randomUUID()}`,
        workflowExecutionTimeout: '1 minute',
      },
      state: { paused: true },
    });
    try {
      await expect(triggerScheduleNow(createWorkflowGateway(bed.temporal, 'unused'), scheduleId)).resolves.toBeUndefined();
      const started = await waitFor(async () => (await handle.describe()).info.recentActions.length > 0, {
        timeoutMs: 120_000,
        what: 'the triggered run',
      });
      expect(started).toBe(true);
    } finally {
      await handle.delete();
    }
  });

  it('RP-002: POST /v1/admin/pool/monitor/run answers 202, or 409 with the reason when this namespace has no pool-monitor schedule', async () => {
    const res = await post('/v1/admin/pool/monitor/run');
    expect([202, 409]).toContain(res.status);
    if (res.status === 202) expect(res.json).toEqual({ triggered: true, scheduleId: 'pool-monitor' });
    else
      expect(res.json).toEqual({
        error: 'schedule_not_found',
        message: expect.stringContaining('the schedule "pool-monitor" does not exist'),
      });
  });
});

describe('the admin dashboard page (RP-002, ED-004)', () => {
  it('RP-002: the pool routes are in the OpenAPI document (their schemas convert)', async () => {
    const res = await bed.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    for (const p of [
      '/v1/admin/pool',
      '/v1/admin/pool/domains',
      '/v1/admin/pool/snapshots',
      '/v1/admin/pool/health',
      '/v1/admin/pool/phone-numbers',
      '/v1/admin/pool/linkedin-seats',
      '/v1/admin/pool/monitor/run',
    ]) {
      expect(paths).toContain(p);
    }
  });
});
