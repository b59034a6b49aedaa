/**
 * Apollo People API Search as a LeadSource against test/fakes/apollo-fake.ts (a real HTTP
 * server): request shape, mapping to lead rows, paging, error classification; and the
 * in-memory/file list source (SYS-001 sourcing).
 */
import { createServer } from 'node:net';
import { once } from 'node:events';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  apolloCountryName,
  buildApolloSearchBody,
  classifyApolloError,
  countryCodeFromName,
  createApolloLeadSource,
  isPlaceholderEmail,
  type ApolloLeadSource,
} from '../../../providers/apollo/people-search.js';
import { createListLeadSource } from '../../../providers/lead-source/file.js';
import type { SourcedLead, SourcingQuery } from '../../../providers/ports.js';
import { LeadRowSchema } from '../../../domain/lead-row.js';
import { APOLLO_FAKE_SEARCH_PATH, apolloPerson, createApolloFake, type ApolloFake } from '../../fakes/apollo-fake.js';
import { rejection } from '../../helpers/assertions.js';

const API_KEY = 'apollo-k-123';
const ICP: SourcingQuery = {
  titles: ['Head of Sales', 'CEO'],
  industries: ['Computer Software'],
  countries: ['AU', 'nz'],
  employeeMin: 11,
  employeeMax: 50,
  keywords: ['saas', 'Computer Software'],
};

let fake: ApolloFake;
let baseUrl: string;
let apollo: ApolloLeadSource;

beforeAll(async () => {
  fake = createApolloFake({ apiKey: API_KEY });
  ({ baseUrl } = await fake.start());
  apollo = createApolloLeadSource({ apiKey: API_KEY, baseUrl: `${baseUrl}/`, timeoutMs: 2_000 });
});
afterAll(async () => {
  await fake.stop();
});
beforeEach(() => {
  fake.reset();
  fake.setPeople([]);
});

/** Pages through a source until no cursor; returns every page. */
async function allPages<P extends { nextCursor?: string }>(
  source: { search(query: SourcingQuery, page: { cursor?: string; pageSize: number }): Promise<P> },
  query: SourcingQuery,
  pageSize: number,
): Promise<P[]> {
  const pages: P[] = [];
  let cursor: string | undefined;
  do {
    const page = await source.search(query, { cursor, pageSize });
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor !== undefined && pages.length < 50);
  return pages;
}

describe('SYS-001 Apollo request', () => {
  it('SYS-001: POSTs the ICP as Apollo search fields with the API key header', async () => {
    fake.setPeople([apolloPerson({ id: 'p1' })]);
    const page = await apollo.search(ICP, { pageSize: 25 });
    expect(page.leads).toHaveLength(1);

    expect(fake.requests).toHaveLength(1);
    const req = fake.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe(APOLLO_FAKE_SEARCH_PATH);
    expect(req.headers['x-api-key']).toBe(API_KEY);
    expect(req.headers['content-type']).toMatch(/^application\/json/);
    expect(req.headers['cache-control']).toBe('no-cache');
    expect(req.body).toEqual({
      person_titles: ['Head of Sales', 'CEO'],
      person_locations: ['Australia', 'New Zealand'],
      organization_num_employees_ranges: ['11,50'],
      q_organization_keyword_tags: ['Computer Software', 'saas'],
      page: 1,
      per_page: 25,
    });
  });

  it('SYS-001: omits empty filters, clamps per_page to 100 and opens one-sided employee ranges', () => {
    const bare = { titles: [], industries: [], countries: [], keywords: [] };
    expect(buildApolloSearchBody(bare, 3, 500)).toEqual({ page: 3, per_page: 100 });
    expect(buildApolloSearchBody({ ...bare, employeeMin: 200 }, 1, 10).organization_num_employees_ranges).toEqual(['200,10000000']);
    expect(buildApolloSearchBody({ ...bare, employeeMax: 10 }, 1, 10).organization_num_employees_ranges).toEqual(['1,10']);
    expect(buildApolloSearchBody({ ...bare, countries: ['US', 'GB'] }, 1, 10).person_locations).toEqual([
      'United States',
      'United Kingdom',
    ]);
    expect(() => buildApolloSearchBody({ ...bare, countries: ['XX'] }, 1, 10)).toThrow(/Unknown country/);
  });

  it('SYS-001: country names and codes convert both ways', () => {
    expect(apolloCountryName('au')).toBe('Australia');
    expect(apolloCountryName('ZZ')).toBeUndefined();
    expect(countryCodeFromName('Australia')).toBe('AU');
    expect(countryCodeFromName('United States')).toBe('US');
    expect(countryCodeFromName('united kingdom')).toBe('GB');
    expect(countryCodeFromName('Atlantis')).toBeUndefined();
  });
});

describe('SYS-001 Apollo mapping', () => {
  it('SYS-001: maps a person to a SourcedLead with ISO country, phone, LinkedIn, domain and size', async () => {
    fake.setPeople([
      apolloPerson({
        id: 'p-42',
        first_name: 'Mia',
        last_name: 'Nguyen',
        title: 'Head of Sales',
        email: 'mia@widgets.co.nz',
        city: 'Auckland',
        state: 'Auckland',
        country: 'New Zealand',
        linkedin_url: 'http://www.linkedin.com/in/mia-nguyen',
        phone_numbers: [{ raw_number: '+64 9 123 4567', sanitized_number: '+6491234567' }],
        organization: { name: 'Widgets Ltd', primary_domain: 'widgets.co.nz', industry: 'Computer Software', estimated_num_employees: 35 },
      }),
    ]);
    const page = await apollo.search(ICP, { pageSize: 10 });
    expect(page.skipped).toBe(0);
    expect(page.total).toBe(1);
    expect(page.nextCursor).toBeUndefined();
    expect(page.leads).toEqual<SourcedLead[]>([
      {
        externalId: 'p-42',
        email: 'mia@widgets.co.nz',
        first_name: 'Mia',
        last_name: 'Nguyen',
        title: 'Head of Sales',
        company: 'Widgets Ltd',
        company_domain: 'widgets.co.nz',
        industry: 'Computer Software',
        employee_count: 35,
        city: 'Auckland',
        state: 'Auckland',
        country: 'NZ',
        phone: '+6491234567',
        linkedin_url: 'http://www.linkedin.com/in/mia-nguyen',
      },
    ]);
    // Every lead is a row the intake accepts.
    for (const lead of page.leads) expect(LeadRowSchema.safeParse(lead).success).toBe(true);
  });

  it('SYS-001: drops placeholder emails and omits missing fields (keeps the person by LinkedIn)', async () => {
    fake.setPeople([
      {
        id: 'p-locked',
        first_name: 'Sam',
        last_name: null,
        title: 'CEO',
        email: 'email_not_unlocked@domain.com',
        email_status: 'unavailable',
        linkedin_url: 'https://linkedin.com/in/sam',
        country: 'Australia',
        city: null,
        phone_numbers: [],
        organization: { name: 'Tiny', website_url: 'https://www.tiny.io/about' },
      },
    ]);
    const page = await apollo.search({ ...ICP, employeeMin: undefined, employeeMax: undefined }, { pageSize: 10 });
    expect(page.leads).toEqual([
      {
        externalId: 'p-locked',
        first_name: 'Sam',
        title: 'CEO',
        company: 'Tiny',
        company_domain: 'tiny.io',
        country: 'AU',
        linkedin_url: 'https://linkedin.com/in/sam',
      },
    ]);
    expect(page.leads[0]).not.toHaveProperty('email');
    expect(isPlaceholderEmail('email_not_unlocked@domain.com')).toBe(true);
    expect(isPlaceholderEmail('EMAIL_NOT_UNLOCKED@acme.com')).toBe(true);
    expect(isPlaceholderEmail('jane@acme.com')).toBe(false);
  });

  it('SYS-001: rows that would fail LeadRowSchema are skipped and counted', async () => {
    fake.setPeople([
      apolloPerson({ id: 'ok' }),
      // No reachable channel: placeholder email, no phone, no LinkedIn.
      apolloPerson({ id: 'no-channel', email: 'email_not_unlocked@domain.com', phone_numbers: [], linkedin_url: null }),
      // A LinkedIn URL that is not LinkedIn's.
      apolloPerson({ id: 'bad-url', email: null, phone_numbers: [], linkedin_url: 'https://example.com/in/x' }),
      // A malformed email.
      apolloPerson({ id: 'bad-email', email: 'not-an-email' }),
    ]);
    const page = await apollo.search({ ...ICP, employeeMin: undefined, employeeMax: undefined }, { pageSize: 10 });
    expect(page.leads.map((l) => l.externalId)).toEqual(['ok']);
    expect(page.skipped).toBe(3);
    expect(page.total).toBe(4);
  });
});

describe('SYS-001 Apollo paging', () => {
  it('SYS-001: pages with the cursor until none is left; every person exactly once', async () => {
    fake.setPeople(Array.from({ length: 23 }, (_, i) => apolloPerson({ id: `p${i + 1}` })));
    const pages = await allPages(apollo, ICP, 10);
    expect(pages.map((p) => p.leads.length)).toEqual([10, 10, 3]);
    expect(pages.map((p) => p.nextCursor)).toEqual(['2', '3', undefined]);
    expect(pages.every((p) => p.total === 23)).toBe(true);
    const ids = pages.flatMap((p) => p.leads.map((l) => l.externalId));
    expect(new Set(ids).size).toBe(23);
    expect(fake.searchBodies.map((b) => [b.page, b.per_page])).toEqual([
      [1, 10],
      [2, 10],
      [3, 10],
    ]);
  });

  it('SYS-001: the fake filters by title/country, and an empty result has no cursor', async () => {
    fake.setPeople([
      apolloPerson({ id: 'au-sales' }),
      apolloPerson({ id: 'us-sales', country: 'United States', city: 'Austin', state: 'Texas' }),
      apolloPerson({ id: 'au-eng', title: 'Software Engineer' }),
    ]);
    const page = await apollo.search(ICP, { pageSize: 10 });
    expect(page.leads.map((l) => l.externalId)).toEqual(['au-sales']);
    const none = await apollo.search({ ...ICP, titles: ['Astronaut'] }, { pageSize: 10 });
    expect(none).toMatchObject({ leads: [], skipped: 0, total: 0 });
    expect(none.nextCursor).toBeUndefined();
  });

  it('SYS-001: older responses (top-level total_entries) page the same way', async () => {
    fake.legacyPagination = true;
    fake.setPeople(Array.from({ length: 5 }, (_, i) => apolloPerson({ id: `L${i}` })));
    const pages = await allPages(apollo, ICP, 2);
    expect(pages.map((p) => p.leads.length)).toEqual([2, 2, 1]);
    expect(pages.at(-1)!.nextCursor).toBeUndefined();
    expect(pages[0]!.total).toBe(5);
  });

  it('SYS-001: a cursor it did not make is a permanent bad_cursor', async () => {
    const err = await rejection(apollo.search(ICP, { cursor: 'abc', pageSize: 10 }));
    expect(err).toMatchObject({ provider: 'apollo', code: 'bad_cursor', retryable: false });
    expect(fake.requests).toHaveLength(0);
  });
});

describe('SYS-001 Apollo error classification', () => {
  it('SYS-001: 401 from a wrong key -> permanent auth_failed', async () => {
    const wrong = createApolloLeadSource({ apiKey: 'nope', baseUrl });
    const err = await rejection(wrong.search(ICP, { pageSize: 10 }));
    expect(err).toMatchObject({ provider: 'apollo', code: 'auth_failed', retryable: false, status: 401 });
  });

  it("SYS-001: 422 -> permanent bad_request with Apollo's message", async () => {
    fake.failNext({ status: 422, error: 'Invalid person_locations value' });
    const err = await rejection(apollo.search(ICP, { pageSize: 10 }));
    expect(err).toMatchObject({ code: 'bad_request', retryable: false, status: 422 });
    expect(err.message).toContain('Invalid person_locations value');
  });

  it('SYS-001: 429 with Retry-After -> transient rate_limited with retryAfterSeconds; then it works', async () => {
    fake.setPeople([apolloPerson({ id: 'p1' })]);
    fake.failNext({ status: 429, retryAfter: '7' });
    const err = await rejection(apollo.search(ICP, { pageSize: 10 }));
    expect(err).toMatchObject({ code: 'rate_limited', retryable: true, status: 429, retryAfterSeconds: 7 });
    await expect(apollo.search(ICP, { pageSize: 10 })).resolves.toMatchObject({ leads: [{ externalId: 'p1' }] });
  });

  it('SYS-001: 500 and a non-JSON 502 -> transient', async () => {
    fake.failNext({ status: 500 });
    fake.failNext({ status: 502, rawBody: '<html>Bad gateway</html>' });
    expect(await rejection(apollo.search(ICP, { pageSize: 10 }))).toMatchObject({
      code: 'provider_unavailable',
      retryable: true,
      status: 500,
    });
    const gw = await rejection(apollo.search(ICP, { pageSize: 10 }));
    expect(gw).toMatchObject({ code: 'provider_unavailable', retryable: true, status: 502 });
    expect(gw.retryAfterSeconds).toBeUndefined();
  });

  it('SYS-001: connection refused -> transient network_error', async () => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as { port: number };
    await new Promise<void>((r) => probe.close(() => r()));
    const closed = createApolloLeadSource({ apiKey: API_KEY, baseUrl: `http://127.0.0.1:${port}` });
    expect(await rejection(closed.search(ICP, { pageSize: 10 }))).toMatchObject({ code: 'network_error', retryable: true });
  });

  it('SYS-001: a dropped connection and a hung one -> transient (network_error, timeout)', async () => {
    fake.setDown('destroy');
    expect(await rejection(apollo.search(ICP, { pageSize: 10 }))).toMatchObject({ code: 'network_error', retryable: true });
    fake.setDown('hang');
    const quick = createApolloLeadSource({ apiKey: API_KEY, baseUrl, timeoutMs: 150 });
    expect(await rejection(quick.search(ICP, { pageSize: 10 }))).toMatchObject({ code: 'timeout', retryable: true });
  });

  it('SYS-001: classification table', () => {
    const table: Array<[number, string, boolean]> = [
      [400, 'bad_request', false],
      [401, 'auth_failed', false],
      [403, 'auth_failed', false],
      [404, 'not_found', false],
      [408, 'provider_unavailable', true],
      [422, 'bad_request', false],
      [429, 'rate_limited', true],
      [500, 'provider_unavailable', true],
      [503, 'provider_unavailable', true],
      [418, 'provider_rejected', false],
    ];
    for (const [status, code, retryable] of table) {
      expect(classifyApolloError({ status, body: { error: 'x' } }), String(status)).toMatchObject({ code, retryable, status });
    }
    expect(classifyApolloError({ status: 422, body: { errors: ['a', { message: 'b' }] } }).message).toContain('a; b');
    expect(classifyApolloError({ status: 429, body: {}, retryAfter: '12' }).retryAfterSeconds).toBe(12);
    expect(classifyApolloError({ status: 401, body: {}, retryAfter: '12' }).retryAfterSeconds).toBeUndefined();
  });
});

describe('SYS-001 list (file) lead source', () => {
  const rows: SourcedLead[] = Array.from({ length: 7 }, (_, i) => ({ externalId: `row-${i}`, email: `lead${i}@acme.com` }));

  it('SYS-001: pages an uploaded list with the cursor, ignoring the query', async () => {
    const source = createListLeadSource(rows);
    expect(source.name).toBe('file');
    const pages = await allPages(source, ICP, 3);
    expect(pages.map((p) => p.leads.map((l) => l.externalId))).toEqual([
      ['row-0', 'row-1', 'row-2'],
      ['row-3', 'row-4', 'row-5'],
      ['row-6'],
    ]);
    expect(pages.map((p) => p.nextCursor)).toEqual(['3', '6', undefined]);
    expect(pages.every((p) => p.total === 7 && p.skipped === 0)).toBe(true);
  });

  it('SYS-001: snapshot of the rows, empty list, exact multiple, custom name and bad cursor', async () => {
    const copy = [...rows];
    const source = createListLeadSource(copy, 'csv-upload');
    copy.length = 0;
    expect(source.name).toBe('csv-upload');
    expect((await source.search(ICP, { pageSize: 7 })).nextCursor).toBeUndefined();
    expect((await source.search(ICP, { pageSize: 100 })).leads).toHaveLength(7);

    const empty = await createListLeadSource([]).search(ICP, { pageSize: 10 });
    expect(empty).toEqual({ leads: [], total: 0, skipped: 0 });

    expect(await rejection(source.search(ICP, { cursor: '-1', pageSize: 3 }))).toMatchObject({ code: 'bad_cursor', retryable: false });
  });
});
