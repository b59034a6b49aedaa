/**
 * GET /v1/leads (SYS-007, SYS-010): the client's leads across campaigns, newest first (created
 * time, then id), filtered by campaign, tier (or unscored), status, zone, a channel the lead has a
 * sent touch on, and a case-insensitive piece of email, names or company (% and _ are plain
 * characters); keyset pages that neither skip nor repeat a lead. Another client sees none of them;
 * GET /v1/leads/:id still answers.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { auth, createTestTenant, testConfig, testDb } from '../helpers/context.js';
import { apiBed } from '../helpers/workflow-bed.js';

const config = testConfig();
const db = testDb(config);
const bed = apiBed(config, db);

type Tenant = Awaited<ReturnType<typeof createTestTenant>>;
let t: Tenant;
let other: Tenant;
const c = { alpha: '', beta: '' };
const L: Record<'a' | 'b' | 'c' | 'd' | 'e', string> = { a: '', b: '', c: '', d: '', e: '' };
/** The five leads newest first: e, then c and d (made at the same instant: the larger id first), b, a. */
let newestFirst: string[] = [];

beforeAll(async () => {
  t = await createTestTenant(db, 'Search A');
  other = await createTestTenant(db, 'Search B');
  c.alpha = (await db.system.campaign.create({ data: { clientId: t.client.id, name: 'Alpha', icp: {} } })).id;
  c.beta = (await db.system.campaign.create({ data: { clientId: t.client.id, name: 'Beta', icp: {} } })).id;
  const base = { clientId: t.client.id };
  const mk = async (data: Record<string, unknown>) => (await db.system.lead.create({ data: { ...base, ...data } as never })).id;
  L.a = await mk({
    campaignId: c.alpha,
    sourceRow: 1,
    email: 'ann.lee@acme.example',
    firstName: 'Ann',
    lastName: 'Lee',
    company: 'Acme Pty',
    title: 'CEO',
    tier: 'Hot',
    score: 91,
    status: 'in_sequence',
    timezone: 'Australia/Sydney',
    phoneE164: '+61412000001',
    createdAt: new Date('2026-03-01T00:00:00.001Z'),
  });
  L.b = await mk({
    campaignId: c.alpha,
    sourceRow: 2,
    email: 'bob@stone.example',
    firstName: 'Bob',
    lastName: 'Stone',
    company: 'Stone & Co',
    tier: 'Warm',
    score: 70,
    status: 'replied',
    timezone: 'Australia/Perth',
    repliedAt: new Date('2026-03-04T01:00:00Z'),
    createdAt: new Date('2026-03-02T00:00:00Z'),
  });
  L.c = await mk({
    campaignId: c.beta,
    sourceRow: 1,
    email: 'CAROL@Example.com',
    firstName: 'Carol',
    lastName: 'Acmeson',
    tier: 'Cool',
    status: 'scored',
    timezone: 'Australia/Perth',
    createdAt: new Date('2026-03-03T00:00:00Z'),
  });
  L.d = await mk({
    campaignId: c.beta,
    sourceRow: 2,
    firstName: 'Dan',
    company: 'ACME Holdings',
    status: 'imported',
    createdAt: new Date('2026-03-03T00:00:00Z'),
  });
  L.e = await mk({
    campaignId: c.beta,
    sourceRow: 3,
    email: 'eve_x@ex.example',
    firstName: 'Eve',
    lastName: '100%',
    tier: 'Cold',
    status: 'opted_out',
    timezone: 'Australia/Sydney',
    optedOutAt: new Date('2026-03-05T00:00:00Z'),
    createdAt: new Date('2026-03-04T00:00:00Z'),
  });
  newestFirst = [L.e, ...[L.c, L.d].sort().reverse(), L.b, L.a];

  const touch = (leadId: string, campaignId: string, channel: string, status: string, sentAt: Date | null) =>
    db.system.touch.create({
      data: {
        ...base,
        campaignId,
        leadId,
        step: 1,
        channel: channel as never,
        status: status as never,
        idempotencyKey: randomUUID(),
        sentAt,
      },
    });
  await touch(L.a, c.alpha, 'email', 'sent', new Date('2026-03-02T00:00:00Z'));
  await touch(L.b, c.alpha, 'sms', 'delivered', new Date('2026-03-03T00:00:00Z'));
  await touch(L.b, c.alpha, 'email', 'reserved', null);
  await touch(L.c, c.beta, 'voice', 'failed', null);
  await touch(L.e, c.beta, 'email', 'sent', new Date('2026-03-04T01:00:00Z'));

  // The other client: a lead that would match every search above.
  const oc = await db.system.campaign.create({ data: { clientId: other.client.id, name: 'Other', icp: {} } });
  await db.system.lead.create({
    data: {
      clientId: other.client.id,
      campaignId: oc.id,
      sourceRow: 1,
      email: 'acme_100%@other.example',
      tier: 'Hot',
      status: 'in_sequence',
      timezone: 'Australia/Sydney',
    },
  });
});

const search = (key: string, query = '') => bed.app.inject({ method: 'GET', url: `/v1/leads?${query}`, headers: auth(key) });
const idsOf = async (query: string, key = t.apiKey) => {
  const res = await search(key, query);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().leads.map((l: { id: string }) => l.id) as string[];
};

describe('GET /v1/leads', () => {
  it('SYS-007: every lead of the client, newest first, with its campaign name and the fields the dashboard shows', async () => {
    const res = await search(t.apiKey);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.leads.map((l: { id: string }) => l.id)).toEqual(newestFirst);
    expect(body.nextCursor).toBeNull();
    expect(body.leads.find((l: { id: string }) => l.id === L.a)).toEqual({
      id: L.a,
      campaignId: c.alpha,
      campaignName: 'Alpha',
      email: 'ann.lee@acme.example',
      firstName: 'Ann',
      lastName: 'Lee',
      company: 'Acme Pty',
      title: 'CEO',
      tier: 'Hot',
      score: 91,
      status: 'in_sequence',
      timezone: 'Australia/Sydney',
      phoneE164: '+61412000001',
      repliedAt: null,
      optedOutAt: null,
      createdAt: '2026-03-01T00:00:00.001Z',
    });
    expect(body.leads.find((l: { id: string }) => l.id === L.e)).toMatchObject({
      optedOutAt: '2026-03-05T00:00:00.000Z',
      campaignName: 'Beta',
    });
    expect(body.leads.find((l: { id: string }) => l.id === L.b)).toMatchObject({ repliedAt: '2026-03-04T01:00:00.000Z' });
  });

  it('SYS-007: filters by campaign, tier (unscored: none yet), status, zone and a channel with a sent touch', async () => {
    expect(await idsOf(`campaignId=${c.alpha}`)).toEqual([L.b, L.a]);
    expect(await idsOf('tier=Hot')).toEqual([L.a]);
    expect(await idsOf('tier=unscored')).toEqual([L.d]);
    expect(await idsOf('status=opted_out')).toEqual([L.e]);
    expect(await idsOf('timezone=Australia/Sydney')).toEqual([L.e, L.a]);
    expect(await idsOf('timezone=Australia/Perth&tier=Warm')).toEqual([L.b]);
    expect(await idsOf('channel=email')).toEqual([L.e, L.a]); // b's email is only reserved
    expect(await idsOf('channel=sms')).toEqual([L.b]);
    expect(await idsOf('channel=voice')).toEqual([]); // c's call never went out
    expect(await idsOf('channel=linkedin')).toEqual([]);
  });

  it('SYS-007: q is a case-insensitive piece of email, first or last name or company; % _ and \\ match only themselves', async () => {
    expect(await idsOf('q=acme')).toEqual(newestFirst.filter((id) => [L.a, L.c, L.d].includes(id)));
    expect(await idsOf('q=carol%40example')).toEqual([L.c]);
    expect(await idsOf('q=STONE')).toEqual([L.b]);
    expect(await idsOf('q=%25')).toEqual([L.e]);
    expect(await idsOf('q=_')).toEqual([L.e]);
    expect(await idsOf('q=%5C')).toEqual([]); // a backslash is no escape either
    expect(await idsOf('q=nobody-here')).toEqual([]);
    expect(await idsOf(`q=acme&campaignId=${c.beta}`)).toEqual(newestFirst.filter((id) => [L.c, L.d].includes(id)));
  });

  it('SYS-007: keyset pages: each lead once, in order, the last page without a cursor (also across leads made at the same instant)', async () => {
    for (const limit of [1, 2, 4]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await search(t.apiKey, `limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(res.statusCode, res.body).toBe(200);
        const body: { leads: { id: string }[]; nextCursor: string | null } = res.json();
        seen.push(...body.leads.map((l) => l.id));
        cursor = body.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(seen, `limit ${limit}`).toEqual(newestFirst);
      expect(pages).toBe(Math.ceil(5 / limit));
    }
    // Filters apply on every page.
    const first = (await search(t.apiKey, 'q=acme&limit=2')).json();
    expect(first.leads.map((l: { id: string }) => l.id)).toEqual(newestFirst.filter((id) => [L.a, L.c, L.d].includes(id)).slice(0, 2));
    const second = (await search(t.apiKey, `q=acme&limit=2&cursor=${first.nextCursor}`)).json();
    expect(second).toEqual({ leads: [expect.objectContaining({ id: L.a })], nextCursor: null });
  });

  it('SYS-007: 400 for a cursor it did not give, a limit over 200, an unknown tier, status, zone or channel; 404 for an unknown campaign', async () => {
    for (const q of [
      'cursor=bm9wZQ',
      `cursor=${Buffer.from('2026-03-01T00:00:00.000Z|x').toString('base64url')}`,
      'limit=201',
      'limit=0',
      'tier=A',
      'status=happy',
      'timezone=Mars/Base',
      'channel=fax',
      'q=',
      'campaignId=nope',
      'clientId=x',
    ])
      expect((await search(t.apiKey, q)).statusCode, q).toBe(400);
    expect((await search(t.apiKey, `campaignId=${randomUUID()}`)).statusCode).toBe(404);
  });

  it("SYS-010: another client sees only its own lead, 404 for this client's campaign, and nothing of it through a cursor", async () => {
    const mine = await idsOf('', other.apiKey);
    expect(mine).toHaveLength(1);
    expect(mine).not.toContain(L.a);
    expect(await idsOf('q=acme', other.apiKey)).toEqual(mine);
    expect((await search(other.apiKey, `campaignId=${c.alpha}`)).statusCode).toBe(404);
    const cursor = (await search(t.apiKey, 'limit=1')).json().nextCursor;
    const res = await search(other.apiKey, `cursor=${cursor}`);
    expect(res.statusCode).toBe(200);
    expect(
      res
        .json()
        .leads.map((l: { id: string }) => l.id)
        .filter((id: string) => Object.values(L).includes(id)),
    ).toEqual([]);
  });

  it('SYS-007: GET /v1/leads/:id still answers one lead (and 404 for another client)', async () => {
    const res = await bed.app.inject({ method: 'GET', url: `/v1/leads/${L.a}`, headers: auth(t.apiKey) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: L.a, email: 'ann.lee@acme.example', tier: 'Hot' });
    expect((await bed.app.inject({ method: 'GET', url: `/v1/leads/${L.a}`, headers: auth(other.apiKey) })).statusCode).toBe(404);
  });
});
