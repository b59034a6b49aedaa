/**
 * Lead-list data quality through the API (SYS-001 intake): the CSV's encoding, spreadsheet
 * formulas, phone numbers, and the phone issues the client sees on the upload's answer, the
 * campaign and its leads. Real Postgres and the run's Temporal dev server (no worker).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { auth, createTestTenant, testConfig, testDb } from '../helpers/context.js';
import { apiBed } from '../helpers/workflow-bed.js';

const config = testConfig();
const db = testDb(config);
const bed = apiBed(config, db);
let tenant: Awaited<ReturnType<typeof createTestTenant>>;

beforeAll(async () => {
  tenant = await createTestTenant(db);
});

const campaign = JSON.stringify({ name: 'Encodings', icp: { countries: ['AU'] } });

/** A multipart body whose CSV part is these exact bytes. */
function upload(csv: Buffer, fields: Record<string, string> = {}) {
  const boundary = `----leadlists${Math.random().toString(16).slice(2)}`;
  const head = Object.entries({ campaign, ...fields })
    .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
    .join('');
  const payload = Buffer.concat([
    Buffer.from(
      `${head}--${boundary}\r\nContent-Disposition: form-data; name="leads"; filename="leads.csv"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    csv,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return bed.app.inject({
    method: 'POST',
    url: '/v1/campaigns',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, ...auth(tenant.apiKey) },
    payload,
  });
}

async function stagedFirstRow(campaignId: string) {
  const row = await db.system.leadImportRow.findFirstOrThrow({ where: { campaignId, rowNumber: 1 } });
  await bed.temporal.workflow
    .getHandle(`onboarding:${campaignId}`)
    .terminate('test done')
    .catch(() => undefined);
  return row.data as Record<string, unknown>;
}

const CSV = 'email,first_name,last_name,company\njose@acme.es,José,Núñez,Müller & Söhne – Café €\n';
const utf16 = (s: string, order: 'le' | 'be') => {
  const b = Buffer.from(s, 'utf16le');
  if (order === 'be') b.swap16();
  return Buffer.concat([Buffer.from(order === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]), b]);
};
const cp1252 = (s: string) => Buffer.from([...s].map((c) => ({ '€': 0x80, '–': 0x96 })[c] ?? c.charCodeAt(0)));

describe('lead list encodings (SYS-001)', () => {
  it.each([
    ['UTF-8', Buffer.from(CSV, 'utf8')],
    ['UTF-8 with BOM', Buffer.from(`\uFEFF${CSV}`, 'utf8')],
    ['UTF-16 LE with BOM', utf16(CSV, 'le')],
    ['UTF-16 BE with BOM', utf16(CSV, 'be')],
    ['Windows-1252 / Latin-1', cp1252(CSV)],
  ])('SYS-001: a %s CSV is stored as the text it holds (no mojibake)', async (_name, bytes) => {
    const res = await upload(bytes);
    expect(res.statusCode, res.body).toBe(202);
    expect(await stagedFirstRow(res.json().id)).toMatchObject({
      email: 'jose@acme.es',
      first_name: 'José',
      last_name: 'Núñez',
      company: 'Müller & Söhne – Café €',
    });
  });

  it('SYS-001: a CSV in an encoding that cannot be told is a 400 naming the encoding problem; with its charset named it is read', async () => {
    const cyrillic = Buffer.concat([Buffer.from('email,first_name\nivan@x.ru,'), Buffer.from([0xc8, 0xe2, 0xe0, 0xed]), Buffer.from('\n')]);
    const before = await db.system.campaign.count({ where: { clientId: tenant.client.id } });
    const refused = await upload(cyrillic);
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ error: 'unsupported_encoding' });
    expect(refused.json().message).toMatch(/not UTF-8.*another encoding.*charset/);
    expect(await db.system.campaign.count({ where: { clientId: tenant.client.id } })).toBe(before);

    const named = await upload(cyrillic, { charset: 'windows-1251' });
    expect(named.statusCode, named.body).toBe(202);
    expect(await stagedFirstRow(named.json().id)).toMatchObject({ first_name: 'Иван' });
  });
});

describe('lead list cells (SYS-001)', () => {
  it('SYS-001: spreadsheet-formula cells are a 400 naming line and field; phones with + and hyphenated names pass', async () => {
    const csv = [
      'email,first_name,last_name,company,phone',
      "ann@acme.com,Mary-Jane,O'Brien,Acme,+61 2 9999 9999",
      'bob@acme.com,"=HYPERLINK(""http://evil.example"",""x"")",Bo,Acme,',
      'cy@acme.com,Cy,"@SUM(1+1)",Acme,',
      'di@acme.com,Di,Lee,"\t=cmd|\' /C calc\'!A0",',
    ].join('\n');
    const res = await upload(Buffer.from(csv));
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([
      { row: 2, line: 3, field: 'first_name', message: expect.stringMatching(/^starts with "=", which spreadsheets run as a formula/) },
      { row: 3, line: 4, field: 'last_name', message: expect.stringMatching(/^starts with "@"/) },
      { row: 4, line: 5, field: 'company', message: expect.stringMatching(/^starts with "="/) },
    ]);
  });

  it('SYS-001: a phone without the digits of a number ("------") is refused', async () => {
    const res = await upload(Buffer.from('email,phone\nann@acme.com,------\n'));
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([
      { row: 1, line: 2, field: 'phone', message: 'not a phone number (0 digits; a number has at least 5)' },
    ]);
  });

  it('SYS-001: numbers that cannot be read are accepted and listed in the 202 answer, by row and line', async () => {
    const csv = 'email,phone,country\nann@acme.com,0412 345 678,AU\nbob@acme.com,+61 2 1234,AU\ncy@acme.com,99999 99999,US\n';
    const res = await upload(Buffer.from(csv));
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().progress).toMatchObject({ total: 3, invalidPhones: 2 });
    expect(res.json().warnings).toEqual([
      { row: 2, line: 3, field: 'phone', message: expect.stringMatching(/^"\+61 2 1234" is not a valid phone number/) },
      {
        row: 3,
        line: 4,
        field: 'phone',
        message: expect.stringMatching(/^"99999 99999" is not a valid phone number \(read as a US number/),
      },
    ]);
    await stagedFirstRow(res.json().id);
  });
});

describe('phone issues where the client sees them (SYS-001, SYS-007)', () => {
  it('SYS-001: GET /v1/campaigns/:id counts them, /v1/campaigns/:id/leads and /v1/leads/:id say which and why', async () => {
    const { campaign: c, bad } = await db.asTenant(tenant.client.id, async (tx) => {
      const c = await tx.campaign.create({
        data: { clientId: tenant.client.id, name: 'phones', icp: {}, status: 'running', leadTotal: 2 },
      });
      const base = { clientId: tenant.client.id, campaignId: c.id, country: 'AU' };
      await tx.lead.create({ data: { ...base, sourceRow: 1, email: 'ok@acme.com', phoneRaw: '0412 345 678', phoneE164: '+61412345678' } });
      const bad = await tx.lead.create({
        data: { ...base, sourceRow: 2, email: 'bad@acme.com', phoneRaw: '+61 2 1234', phoneIssue: 'invalid' },
      });
      return { campaign: c, bad };
    });
    const get = (url: string) => bed.app.inject({ method: 'GET', url, headers: auth(tenant.apiKey) });
    expect((await get(`/v1/campaigns/${c.id}`)).json().progress).toMatchObject({ invalidPhones: 1, imported: 2 });
    const list = (await get(`/v1/campaigns/${c.id}/leads`)).json().leads;
    expect(list.map((l: { phoneE164: string | null; phoneIssue: unknown }) => [l.phoneE164, l.phoneIssue])).toEqual([
      ['+61412345678', null],
      [null, { code: 'invalid', message: expect.stringMatching(/^"\+61 2 1234" is not a valid phone number.*no call or SMS/) }],
    ]);
    const detail = (await get(`/v1/leads/${bad.id}`)).json();
    expect(detail.phone).toEqual({ given: '+61 2 1234', e164: null, issue: { code: 'invalid', message: expect.any(String) } });
  });
});
