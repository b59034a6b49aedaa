/**
 * GET /v1/exports/leads.csv and /v1/exports/touches.csv (SYS-007, SYS-010): text/csv attachments
 * with a header row, RFC 4180 quoting (comma, double quote, CR, LF), formula injection neutralised
 * (a text cell starting with = + - @ tab or CR gets a leading single quote), read page by page from
 * the database (more than one page of rows arrives whole, each row once, in keyset order, one
 * tenant transaction per page). Another client exports none of it and gets 404 for its campaign.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'csv-parse/sync';
import { auth, createTestTenant, testConfig, testDb } from '../helpers/context.js';
import { apiBed } from '../helpers/workflow-bed.js';
import { EXPORT_PAGE_SIZE } from '../../services/reports/index.js';

const config = testConfig();
const db = testDb(config);
const bed = apiBed(config, db);

type Tenant = Awaited<ReturnType<typeof createTestTenant>>;
let t: Tenant;
let big: Tenant;
let other: Tenant;
const ids = { hostileCampaign: '', plainCampaign: '', hostileLead: '', plainLead: '', otherCampaign: '' };
const LEAD_HEADER = 'id,campaign,email,first_name,last_name,title,company,phone,timezone,tier,score,status,replied_at,opted_out_at';
const TOUCH_HEADER = 'lead_id,email,step,channel,status,planned_at,sent_at,provider,provider_ref';
/** More than two pages of leads for `big`. */
const BIG = EXPORT_PAGE_SIZE * 2 + 7;

beforeAll(async () => {
  t = await createTestTenant(db, 'Export A');
  big = await createTestTenant(db, 'Export big');
  other = await createTestTenant(db, 'Export B');
  ids.hostileCampaign = (await db.system.campaign.create({ data: { clientId: t.client.id, name: 'Q1, "founders"', icp: {} } })).id;
  ids.plainCampaign = (await db.system.campaign.create({ data: { clientId: t.client.id, name: 'Plain', icp: {} } })).id;
  ids.otherCampaign = (await db.system.campaign.create({ data: { clientId: other.client.id, name: 'Other', icp: {} } })).id;
  ids.hostileLead = (
    await db.system.lead.create({
      data: {
        clientId: t.client.id,
        campaignId: ids.hostileCampaign,
        sourceRow: 1,
        email: 'ann@acme.example',
        firstName: '=HYPERLINK("http://evil.example","click")',
        lastName: '+SUM(A1:A9)',
        title: '@cmd',
        company: 'Acme, "Pty"\nLtd',
        phoneRaw: '-2+3',
        timezone: '\tAustralia/Sydney',
        tier: 'Hot',
        score: 91,
        status: 'replied',
        repliedAt: new Date('2026-03-04T01:02:03.004Z'),
      },
    })
  ).id;
  ids.plainLead = (
    await db.system.lead.create({
      data: {
        clientId: t.client.id,
        campaignId: ids.plainCampaign,
        sourceRow: 1,
        email: 'bob@plain.example',
        firstName: 'Bob',
        lastName: '\rCR',
        phoneE164: '+61412000001',
        phoneRaw: '0412 000 001',
        status: 'imported',
        optedOutAt: new Date('2026-03-05T00:00:00Z'),
      },
    })
  ).id;
  await db.system.lead.create({
    data: { clientId: other.client.id, campaignId: ids.otherCampaign, sourceRow: 1, email: 'secret@other.example', status: 'imported' },
  });

  const touch = (leadId: string, campaignId: string, o: Record<string, unknown>) =>
    db.system.touch.create({
      data: {
        clientId: t.client.id,
        campaignId,
        leadId,
        step: 1,
        channel: 'email',
        status: 'sent',
        idempotencyKey: randomUUID(),
        ...o,
      } as never,
    });
  // Out of order on purpose: the export orders by the time each went out (or was made).
  await touch(ids.plainLead, ids.plainCampaign, {
    step: 2,
    channel: 'sms',
    status: 'delivered',
    plannedAt: new Date('2026-03-03T09:00:00Z'),
    sentAt: new Date('2026-03-03T09:00:01Z'),
    provider: 'twilio',
    providerRef: 'SM123',
  });
  await touch(ids.hostileLead, ids.hostileCampaign, {
    plannedAt: new Date('2026-03-01T09:00:00Z'),
    sentAt: new Date('2026-03-01T09:00:02.5Z'),
    provider: 'smtp',
    providerRef: '<a,b@mail.example>',
  });
  await touch(ids.hostileLead, ids.hostileCampaign, {
    step: 2,
    status: 'reserved',
    plannedAt: new Date('2026-03-02T09:00:00Z'),
    createdAt: new Date('2026-03-02T09:00:00Z'),
  });
  await touch(ids.plainLead, ids.plainCampaign, { sentAt: new Date('2026-02-28T23:59:59.999Z'), provider: 'smtp', providerRef: '=cmd|x' });

  const campaign = await db.system.campaign.create({ data: { clientId: big.client.id, name: 'Big', icp: {} } });
  await db.system.lead.createMany({
    data: Array.from({ length: BIG }, (_, i) => ({
      clientId: big.client.id,
      campaignId: campaign.id,
      sourceRow: i + 1,
      email: `lead${i + 1}@big.example`,
      status: 'imported' as const,
    })),
  });
});

const get = (key: string, url: string) => bed.app.inject({ method: 'GET', url, headers: auth(key) });
const today = () => new Date().toISOString().slice(0, 10);

describe('GET /v1/exports/leads.csv', () => {
  it('SYS-007: a text/csv attachment with a header row, RFC 4180 quoting and formula injection neutralised', async () => {
    const res = await get(t.apiKey, '/v1/exports/leads.csv');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="leads-all-${today()}.csv"`);
    const lines = res.body.split('\r\n');
    expect(lines[0]).toBe(LEAD_HEADER);
    expect(res.body.endsWith('\r\n')).toBe(true);
    // The hostile row as the rules write it, cell by cell.
    const hostile = [
      ids.hostileLead,
      '"Q1, ""founders"""',
      'ann@acme.example',
      `"'=HYPERLINK(""http://evil.example"",""click"")"`,
      "'+SUM(A1:A9)",
      "'@cmd",
      '"Acme, ""Pty""\nLtd"',
      "'-2+3",
      "'\tAustralia/Sydney",
      'Hot',
      '91',
      'replied',
      '2026-03-04T01:02:03.004Z',
      '',
    ].join(',');
    const plain = [
      ids.plainLead,
      'Plain',
      'bob@plain.example',
      'Bob',
      `"'\rCR"`,
      '',
      '',
      "'+61412000001",
      '',
      '',
      '',
      'imported',
      '',
      '2026-03-05T00:00:00.000Z',
    ].join(',');
    expect(res.body).toContain(`\r\n${hostile}\r\n`);
    expect(res.body).toContain(`\r\n${plain}\r\n`);
    // A CSV reader gets the values back (with the neutralising quote).
    const rows: string[][] = parse(res.body, { relax_column_count: false });
    expect(rows).toHaveLength(3);
    const byId = new Map(rows.slice(1).map((r) => [r[0], r]));
    expect(byId.get(ids.hostileLead)).toEqual([
      ids.hostileLead,
      'Q1, "founders"',
      'ann@acme.example',
      `'=HYPERLINK("http://evil.example","click")`,
      "'+SUM(A1:A9)",
      "'@cmd",
      'Acme, "Pty"\nLtd',
      "'-2+3",
      "'\tAustralia/Sydney",
      'Hot',
      '91',
      'replied',
      '2026-03-04T01:02:03.004Z',
      '',
    ]);
  });

  it('SYS-007: one campaign only; 404 for a campaign that is not the client’s, 400 for a malformed id or unknown parameter', async () => {
    const res = await get(t.apiKey, `/v1/exports/leads.csv?campaignId=${ids.plainCampaign}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="leads-${ids.plainCampaign}-${today()}.csv"`);
    expect(parse(res.body).map((r: string[]) => r[0])).toEqual(['id', ids.plainLead]);
    expect((await get(t.apiKey, `/v1/exports/leads.csv?campaignId=${randomUUID()}`)).statusCode).toBe(404);
    expect((await get(t.apiKey, '/v1/exports/leads.csv?campaignId=x')).statusCode).toBe(400);
    expect((await get(t.apiKey, '/v1/exports/leads.csv?clientId=x')).statusCode).toBe(400);
  });

  it('SYS-007: more than two pages of leads arrive whole, each once, in list order, read one page per tenant transaction', async () => {
    const spy = vi.spyOn(db, 'asTenant');
    try {
      const res = await get(big.apiKey, '/v1/exports/leads.csv');
      expect(res.statusCode).toBe(200);
      const rows: string[][] = parse(res.body);
      expect(rows[0]!.join(',')).toBe(LEAD_HEADER);
      expect(rows.slice(1).map((r) => r[2])).toEqual(Array.from({ length: BIG }, (_, i) => `lead${i + 1}@big.example`));
      expect(new Set(rows.slice(1).map((r) => r[0])).size).toBe(BIG);
      // 500 + 500 + 7: three pages, each its own short transaction (no campaign to check).
      expect(spy).toHaveBeenCalledTimes(Math.ceil(BIG / EXPORT_PAGE_SIZE));
    } finally {
      spy.mockRestore();
    }
  });

  it("SYS-010: another client's export has only its own leads, and 404 for this client's campaign", async () => {
    const res = await get(other.apiKey, '/v1/exports/leads.csv');
    expect(res.statusCode).toBe(200);
    const rows: string[][] = parse(res.body);
    expect(rows.map((r) => r[2])).toEqual(['email', 'secret@other.example']);
    expect(res.body).not.toContain(ids.hostileLead);
    expect((await get(other.apiKey, `/v1/exports/leads.csv?campaignId=${ids.hostileCampaign}`)).statusCode).toBe(404);
    expect((await get(t.apiKey, '/v1/exports/leads.csv')).body).not.toContain('secret@other.example');
  });
});

describe('GET /v1/exports/touches.csv', () => {
  it('SYS-007: every touch in the order it went out (or was made), with its lead’s email; quoting and neutralising as for leads', async () => {
    const res = await get(t.apiKey, '/v1/exports/touches.csv');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="touches-all-${today()}.csv"`);
    expect(res.body.split('\r\n')).toEqual([
      TOUCH_HEADER,
      `${ids.plainLead},bob@plain.example,1,email,sent,,2026-02-28T23:59:59.999Z,smtp,'=cmd|x`,
      `${ids.hostileLead},ann@acme.example,1,email,sent,2026-03-01T09:00:00.000Z,2026-03-01T09:00:02.500Z,smtp,"<a,b@mail.example>"`,
      `${ids.hostileLead},ann@acme.example,2,email,reserved,2026-03-02T09:00:00.000Z,,,`,
      `${ids.plainLead},bob@plain.example,2,sms,delivered,2026-03-03T09:00:00.000Z,2026-03-03T09:00:01.000Z,twilio,SM123`,
      '',
    ]);
  });

  it('SYS-007: by campaign and by UTC days (both ends included); 400 when from is after to', async () => {
    const lines = async (q: string) => {
      const res = await get(t.apiKey, `/v1/exports/touches.csv?${q}`);
      expect(res.statusCode, res.body).toBe(200);
      return (parse(res.body) as string[][]).slice(1).map((r) => `${r[0] === ids.plainLead ? 'plain' : 'hostile'}:${r[2]}:${r[3]}`);
    };
    expect(await lines(`campaignId=${ids.plainCampaign}`)).toEqual(['plain:1:email', 'plain:2:sms']);
    expect(await lines('from=2026-03-01&to=2026-03-02')).toEqual(['hostile:1:email', 'hostile:2:email']);
    expect(await lines('from=2026-03-02')).toEqual(['hostile:2:email', 'plain:2:sms']);
    expect(await lines('to=2026-02-28')).toEqual(['plain:1:email']);
    expect(await lines(`from=2026-03-01&to=2026-03-01&campaignId=${ids.plainCampaign}`)).toEqual([]);
    expect((await get(t.apiKey, '/v1/exports/touches.csv?from=2026-03-03&to=2026-03-01')).statusCode).toBe(400);
    expect((await get(t.apiKey, '/v1/exports/touches.csv?from=2026-02-30')).statusCode).toBe(400);
  });

  it('SYS-007: touches also stream by pages: page boundaries lose and repeat nothing', async () => {
    const l = await db.system.lead.findFirstOrThrow({ where: { clientId: big.client.id, sourceRow: 1 } });
    const n = EXPORT_PAGE_SIZE + 3;
    const start = Date.parse('2026-03-01T00:00:00Z');
    await db.system.touch.createMany({
      data: Array.from({ length: n }, (_, i) => ({
        clientId: big.client.id,
        campaignId: l.campaignId,
        leadId: l.id,
        step: i + 1,
        channel: 'email' as const,
        status: 'sent' as const,
        idempotencyKey: randomUUID(),
        // Pairs share an instant: the id orders them.
        sentAt: new Date(start + Math.floor(i / 2) * 1000),
      })),
    });
    const spy = vi.spyOn(db, 'asTenant');
    try {
      const res = await get(big.apiKey, '/v1/exports/touches.csv');
      const rows: string[][] = (parse(res.body) as string[][]).slice(1);
      expect(rows.map((r) => Number(r[2])).sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
      expect(rows.map((r) => r[6])).toEqual([...rows.map((r) => r[6]!)].sort());
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
  });

  it("SYS-010: another client's touches export is empty of this client's rows; 404 for this client's campaign", async () => {
    const res = await get(other.apiKey, '/v1/exports/touches.csv');
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(`${TOUCH_HEADER}\r\n`);
    expect((await get(other.apiKey, `/v1/exports/touches.csv?campaignId=${ids.plainCampaign}`)).statusCode).toBe(404);
    expect((await bed.app.inject({ method: 'GET', url: '/v1/exports/touches.csv' })).statusCode).toBe(401);
  });
});
