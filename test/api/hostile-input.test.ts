/**
 * Bad input on API routes is a clear 400, never a 500 (SYS-009): NUL characters and unpaired
 * surrogates in a JSON body, a query, a header or a path; nesting deeper than 64 levels; a
 * multipart body without a boundary or otherwise malformed; numbers and dates beyond what the
 * database holds. Each of these answered 500 before (or, for a lone surrogate in a name, stored
 * it silently mangled); the cases are the ones the fuzz test and the issue found.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, auth, createTestTenant, testConfig, testDb } from '../helpers/context.js';
import { multipart } from '../helpers/multipart.js';
import { apiBed } from '../helpers/workflow-bed.js';

const config = testConfig();
const db = testDb(config);
const bed = apiBed(config, db);
let key = '';
let campaignId = '';
let clientId = '';

beforeAll(async () => {
  // Not a route of the product: a query the validation would let through and the database refuses.
  bed.app.get('/v1/test-refused', { config: { auth: 'none' } }, async () =>
    db.system.lead.findMany({ where: { sourceRow: { gt: 3_000_000_000 } } }),
  );
  const t = await createTestTenant(db);
  key = t.apiKey;
  clientId = t.client.id;
  campaignId = (await db.system.campaign.create({ data: { clientId: t.client.id, name: 'x', icp: {} } })).id;
});

const lead = { email: 'ann@example.com', first_name: 'Ann', company: 'Acme' };

describe('NUL and unpaired surrogates', () => {
  it.each([
    ['a NUL in a campaign name', { name: 'Q4\u0000', icp: {}, leads: [lead] }, 'body.name', /NUL/],
    ['a NUL in a lead field', { name: 'Q4', icp: {}, leads: [{ ...lead, first_name: 'A\u0000nn' }] }, 'body.leads.0.first_name', /NUL/],
    ['a lone surrogate in the ICP', { name: 'Q4', icp: { description: 'x\ud800' }, leads: [lead] }, 'body.icp.description', /surrogate/],
    ['a NUL in a key', { name: 'Q4', icp: {}, leads: [{ ...lead, ['x\u0000']: 1 }] }, 'body.leads.0.<key>', /NUL/],
  ])('SYS-009: %s is a 400 naming the field, and nothing is stored', async (_what, payload, field, problem) => {
    const before = await db.system.campaign.count({ where: { clientId } });
    const res = await bed.app.inject({ method: 'POST', url: '/v1/campaigns', headers: auth(key), payload });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_characters', details: [{ field }] });
    expect(res.json().message).toMatch(problem);
    expect(await db.system.campaign.count({ where: { clientId } })).toBe(before);
  });

  it('SYS-009: an admin creating a client whose name has a NUL or a lone surrogate gets 400 (was 500, or stored as U+FFFD)', async () => {
    for (const name of ['Acme\u0000', 'Acme\udc00']) {
      const slug = `hostile-${Math.random().toString(36).slice(2, 10)}`;
      const res = await bed.app.inject({ method: 'POST', url: '/v1/admin/clients', headers: auth(ADMIN_KEY), payload: { name, slug } });
      expect(res.statusCode).toBe(400);
      expect(await db.system.client.count({ where: { slug } })).toBe(0);
    }
  });

  it('SYS-009: the same bytes in a query, a header or the path are a 400 (the admin alert filter and seat creation were 500)', async () => {
    const cases = [
      { method: 'GET' as const, url: '/v1/admin/alerts?kind=%00', headers: auth(ADMIN_KEY) },
      { method: 'GET' as const, url: '/v1/campaigns?limit=1%00', headers: auth(key) },
      { method: 'GET' as const, url: '/v1/me', headers: { ...auth(key), 'x-trace': 'a\u0000b' } },
      { method: 'GET' as const, url: '/v1/me', headers: { ...auth(key), 'user-agent': 'x\ud800' } },
      { method: 'GET' as const, url: '/u/abc%00def' },
      { method: 'POST' as const, url: '/v1/admin/pool/linkedin-seats', headers: auth(ADMIN_KEY), payload: { accountRef: 'acc\u0000' } },
      {
        method: 'POST' as const,
        url: '/v1/billing/checkout',
        headers: { ...auth(key), 'idempotency-key': 'k\u0000' },
        payload: { tier: 'ignition' },
      },
    ];
    for (const c of cases) {
      const res = await bed.app.inject(c);
      expect(res.statusCode, `${c.url} ${res.body}`).toBe(400);
      expect(res.json().error).toBe('invalid_characters');
    }
  });

  it('SYS-009: a body nested deeper than 64 levels is a 400', async () => {
    let icp: unknown = 'deep';
    for (let i = 0; i < 70; i++) icp = { a: icp };
    const res = await bed.app.inject({
      method: 'POST',
      url: '/v1/campaigns',
      headers: auth(key),
      payload: { name: 'x', icp, leads: [lead] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/deeper than 64/);
  });
});

describe('multipart', () => {
  const csv = 'email,first_name\nann@example.com,Ann\n';
  it.each([
    ['without a boundary', 'multipart/form-data'],
    ['with an empty boundary', 'multipart/form-data; boundary='],
    ['truncated', 'truncate'],
    ['with a malformed part header', 'bad-header'],
  ])('SYS-009: a multipart campaign %s is a 400 (no boundary and truncated were 500)', async (_what, how) => {
    const body = multipart({ campaign: JSON.stringify({ name: 'Q4', icp: {} }) }, { leads: csv });
    let payload = body.payload;
    let contentType = body.headers['content-type'];
    if (how === 'truncate') payload = payload.slice(0, payload.indexOf('ann@'));
    else if (how === 'bad-header') payload = payload.replace('Content-Disposition: form-data; name="campaign"', 'Content-Disposition');
    else contentType = how;
    const res = await bed.app.inject({
      method: 'POST',
      url: '/v1/campaigns',
      headers: { ...auth(key), 'content-type': contentType },
      payload,
    });
    expect(res.statusCode, res.body).toBe(400);
  });

  it('SYS-009: a NUL in the multipart campaign field or in a CSV cell is a 400 naming it', async () => {
    const inName = multipart({ campaign: JSON.stringify({ name: 'Q\u00004', icp: {} }) }, { leads: csv });
    const r1 = await bed.app.inject({
      method: 'POST',
      url: '/v1/campaigns',
      headers: { ...auth(key), ...inName.headers },
      payload: inName.payload,
    });
    expect(r1.statusCode).toBe(400);
    expect(r1.json().details).toEqual([expect.objectContaining({ field: 'campaign.name' })]);
    const inCell = multipart(
      { campaign: JSON.stringify({ name: 'Q4', icp: {} }) },
      { leads: 'email,first_name\nann@example.com,A\u0000nn\n' },
    );
    const r2 = await bed.app.inject({
      method: 'POST',
      url: '/v1/campaigns',
      headers: { ...auth(key), ...inCell.headers },
      payload: inCell.payload,
    });
    expect(r2.statusCode).toBe(400);
  });
});

describe('values beyond what the database holds', () => {
  it('SYS-009: a lead-list position past 32 bits is a 400 (was 500: integer out of range)', async () => {
    const res = await bed.app.inject({ method: 'GET', url: `/v1/campaigns/${campaignId}/leads?afterRow=3000000000`, headers: auth(key) });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/afterRow/);
  });

  it('SYS-009: a domain purchase date in year 0 is a 400 (was 500: date/time field value out of range)', async () => {
    for (const purchasedAt of ['0000-01-01T00:00:00Z', '0001-01-01T00:00:00+14:00']) {
      const res = await bed.app.inject({
        method: 'POST',
        url: '/v1/admin/pool/domains',
        headers: auth(ADMIN_KEY),
        payload: { name: `y0-${Math.random().toString(36).slice(2, 8)}.com`, purchasedAt },
      });
      expect(res.statusCode, res.body).toBe(400);
    }
    const since = await bed.app.inject({
      method: 'GET',
      url: '/v1/admin/pool/snapshots?since=0000-06-01T00:00:00Z',
      headers: auth(ADMIN_KEY),
    });
    expect(since.statusCode).toBe(400);
  });

  it('SYS-009: whatever value slips past validation, a database refusal of it is a 400 naming the problem, not a 500', async () => {
    const res = await bed.app.inject({ method: 'GET', url: '/v1/test-refused' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_value', message: expect.stringMatching(/out of range.*22003/) });
  });
});
