/**
 * A fake Apollo.io People API Search for tests, on test/fakes/http-fake.ts (127.0.0.1, free port).
 * Reusable by provider, workflow and end-to-end tests (point `createApolloLeadSource({ baseUrl })` at it).
 *
 *   const apollo = createApolloFake({ apiKey: 'k-test', people: [apolloPerson({ id: 'p1', ... })] });
 *   const { baseUrl } = await apollo.start();          // http://127.0.0.1:PORT
 *   apollo.setPeople([...]);  apollo.addPeople(...);    // the "database" searched
 *   apollo.failNext({ status: 429, retryAfter: '7' });  // next request answers 429 (times: n)
 *   apollo.failNext({ status: 422, error: 'per_page must be <= 100' });
 *   apollo.setDown('hang' | 'destroy' | false);         // never answer / drop the socket
 *   apollo.legacyPagination = true;                     // total_entries at top level, no pagination
 *   apollo.requests;   // every request: method, path, headers, apiKey, body (parsed JSON), at
 *   apollo.reset();    // clear requests, failures, down state (people stay)
 *   await apollo.stop();
 *
 * Wire format (the same assumptions as providers/apollo/people-search.ts; to verify against
 * Apollo's docs): `POST /api/v1/mixed_people/api_search` with JSON body fields person_titles,
 * person_locations, organization_num_employees_ranges, q_organization_keyword_tags, page,
 * per_page; answers `{ people, pagination: { page, per_page, total_entries, total_pages },
 * breadcrumbs: [] }`. People Enrichment (providers/apollo/match-wire.ts): `POST
 * /api/v1/people/match` with email / linkedin_url / first_name + last_name + domain or
 * organization_name finds one of the same people (with whatever employment_history and
 * organization funding/headcount fields the test gave them) and answers `{ person }` or
 * `{ person: null }`; `failNext({ endpoint: 'match', ... })` scripts its failures.
 *
 * Behaviour:
 *   - Auth: `x-api-key` must equal `apiKey` -> otherwise 401 `{ error }`.
 *   - Scripted failures (`failNext`) apply after auth, in order, to search requests.
 *   - Filters (loose, case-insensitive; an absent/empty filter matches everyone):
 *       person_titles: the person's title contains one of the titles, or a title contains it;
 *       person_locations: the person's country, state or city equals/contains the location, or
 *         the location contains the country (so 'United States' matches 'United States of
 *         America' only one way: keep person data in Apollo's own names);
 *       organization_num_employees_ranges 'min,max': estimated_num_employees within one range
 *         (people without a count pass).
 *     q_organization_keyword_tags is recorded but not applied.
 *   - Paging: page >= 1 (default 1), per_page 1..100 (default 10; above `maxPerPage` -> 422 like
 *     a validation error), out-of-range pages answer an empty `people`.
 *   - A body that is not JSON -> 400; any other path or method -> 404.
 */
import { HttpFake, type FakeAnswer, type FakeRequest, type FakeResponse } from './http-fake.js';

export const APOLLO_FAKE_SEARCH_PATH = '/api/v1/mixed_people/api_search';
export const APOLLO_FAKE_MATCH_PATH = '/api/v1/people/match';

/** A person as the fake stores and returns it (Apollo's field names). */
export interface ApolloFakePerson {
  id: string;
  first_name?: string | null;
  last_name?: string | null;
  name?: string | null;
  title?: string | null;
  email?: string | null;
  email_status?: string | null;
  linkedin_url?: string | null;
  city?: string | null;
  state?: string | null;
  country?: string | null;
  phone_numbers?: Array<{ raw_number?: string; sanitized_number?: string; type?: string }>;
  organization?: {
    id?: string;
    name?: string | null;
    primary_domain?: string | null;
    website_url?: string | null;
    industry?: string | null;
    estimated_num_employees?: number | null;
    [key: string]: unknown;
  } | null;
  [key: string]: unknown;
}

export interface ApolloFakeRequest {
  method: string;
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string | string[] | undefined>;
  apiKey?: string;
  /** Parsed JSON body (undefined when it was not JSON). */
  body?: Record<string, unknown>;
  raw: string;
  at: Date;
}

export interface ApolloFakeFailure {
  status: number;
  /** Retry-After header value (e.g. '7' or an HTTP date). */
  retryAfter?: string;
  /** Apollo-style `{ error }` message; default depends on the status. */
  error?: string;
  /** A raw body to send instead of `{ error }` (e.g. an HTML proxy page). */
  rawBody?: string;
  /** How many consecutive requests fail this way (default 1). */
  times?: number;
  /** Which endpoint fails: the people search (default) or the people match. */
  endpoint?: 'search' | 'match';
}

export type ApolloFakeDown = false | 'hang' | 'destroy';

export interface ApolloFakeOptions {
  apiKey?: string;
  people?: ApolloFakePerson[];
  /** Largest accepted per_page (default 100); above -> 422. */
  maxPerPage?: number;
  /** Default per_page when the request has none (default 10). */
  defaultPerPage?: number;
}

/** A person with sensible defaults (Sydney, Acme Pty Ltd), overridable field by field. */
export function apolloPerson(overrides: Partial<ApolloFakePerson> & { id: string }): ApolloFakePerson {
  const first = overrides.first_name ?? 'Jane';
  const last = overrides.last_name ?? 'Doe';
  return {
    first_name: first,
    last_name: last,
    name: `${first} ${last}`,
    title: 'Head of Sales',
    email: `${String(first).toLowerCase()}.${overrides.id}@acme.com.au`,
    email_status: 'verified',
    linkedin_url: `http://www.linkedin.com/in/${String(first).toLowerCase()}-${overrides.id}`,
    city: 'Sydney',
    state: 'New South Wales',
    country: 'Australia',
    phone_numbers: [{ raw_number: '+61 2 9999 0000', sanitized_number: '+61299990000', type: 'work_hq' }],
    organization: {
      id: 'org-acme',
      name: 'Acme Pty Ltd',
      primary_domain: 'acme.com.au',
      industry: 'Computer Software',
      estimated_num_employees: 42,
    },
    ...overrides,
  };
}

const DEFAULT_ERRORS: Record<number, string> = {
  400: 'Bad request',
  422: 'Unprocessable entity',
  429: 'The maximum number of api calls allowed for api/v1/mixed_people/api_search is 600 times per hour.',
  500: 'Internal server error',
  503: 'Service unavailable',
};

const error = (status: number, message: string, headers?: Record<string, string>): FakeResponse => ({
  status,
  body: { error: message },
  headers,
});

const lc = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : '');
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '') : []);

function matches(p: ApolloFakePerson, body: Record<string, unknown>): boolean {
  const titles = strings(body.person_titles).map(lc);
  if (titles.length > 0) {
    const t = lc(p.title);
    if (!t || !titles.some((q) => t.includes(q) || q.includes(t))) return false;
  }
  const locations = strings(body.person_locations).map(lc);
  if (locations.length > 0) {
    const places = [lc(p.country), lc(p.state), lc(p.city)].filter(Boolean);
    if (!locations.some((loc) => places.some((pl) => pl === loc || pl.includes(loc) || loc.includes(pl)))) return false;
  }
  const ranges = strings(body.organization_num_employees_ranges);
  const n = p.organization?.estimated_num_employees;
  if (ranges.length > 0 && typeof n === 'number') {
    const inRange = ranges.some((r) => {
      const [lo, hi] = r.split(',').map((x) => (x.trim() === '' ? undefined : Number(x)));
      return (lo === undefined || n >= lo) && (hi === undefined || n <= hi);
    });
    if (!inRange) return false;
  }
  return true;
}

export type ApolloFake = ReturnType<typeof createApolloFake>;

export function createApolloFake(options: ApolloFakeOptions = {}) {
  const apiKey = options.apiKey ?? 'apollo-test-key';
  const maxPerPage = options.maxPerPage ?? 100;
  const defaultPerPage = options.defaultPerPage ?? 10;
  let people: ApolloFakePerson[] = [...(options.people ?? [])];
  let down: ApolloFakeDown = false;
  const state = { legacyPagination: false };
  const authorised = (req: FakeRequest) => req.headers['x-api-key'] === apiKey;

  /** People Enrichment: the person with that email, else that LinkedIn URL, else that name at that domain or company. */
  function match(body: Record<string, unknown> | undefined): FakeAnswer {
    if (!body) return error(400, 'Request body must be a JSON object');
    const email = lc(body.email);
    const linkedin = lc(body.linkedin_url)
      .replace(/^https?:\/\/(www\.)?/, '')
      .replace(/\/$/, '');
    const name = `${lc(body.first_name)} ${lc(body.last_name)}`;
    const org = lc(body.domain) || lc(body.organization_name);
    const person =
      (email && people.find((p) => lc(p.email) === email)) ||
      (linkedin &&
        people.find(
          (p) =>
            lc(p.linkedin_url)
              .replace(/^https?:\/\/(www\.)?/, '')
              .replace(/\/$/, '') === linkedin,
        )) ||
      (org &&
        people.find(
          (p) =>
            `${lc(p.first_name)} ${lc(p.last_name)}` === name &&
            [lc(p.organization?.primary_domain), lc(p.organization?.name)].includes(org),
        )) ||
      null;
    return { status: 200, body: { person } };
  }

  function search(req: FakeRequest, record: ApolloFakeRequest): FakeAnswer {
    if (req.method === 'POST' && req.path === APOLLO_FAKE_MATCH_PATH) {
      return authorised(req) ? match(record.body) : error(401, 'Invalid access credentials.');
    }
    if (req.method !== 'POST' || req.path !== APOLLO_FAKE_SEARCH_PATH) return error(404, `No route ${req.method} ${req.path}`);
    if (!authorised(req)) return error(401, 'Invalid access credentials.');
    const body = record.body;
    if (!body) return error(400, 'Request body must be a JSON object');
    const page = body.page === undefined ? 1 : Number(body.page);
    const perPage = body.per_page === undefined ? defaultPerPage : Number(body.per_page);
    if (!Number.isInteger(page) || page < 1) return error(422, `Invalid page: ${String(body.page)}`);
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > maxPerPage)
      return error(422, `per_page must be between 1 and ${maxPerPage}`);
    const hits = people.filter((p) => matches(p, body));
    const slice = hits.slice((page - 1) * perPage, page * perPage);
    if (state.legacyPagination) return { status: 200, body: { people: slice, total_entries: hits.length, breadcrumbs: [] } };
    const pagination = { page, per_page: perPage, total_entries: hits.length, total_pages: Math.ceil(hits.length / perPage) };
    return { status: 200, body: { people: slice, pagination, breadcrumbs: [] } };
  }

  const http = new HttpFake<ApolloFakeRequest>(search, {
    record: (req) => {
      const key = req.headers['x-api-key'];
      const body = req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : undefined;
      return {
        method: req.method,
        path: req.path,
        headers: { ...req.headers },
        apiKey: typeof key === 'string' ? key : undefined,
        ...(body ? { body } : {}),
        raw: req.rawBody,
        at: new Date(),
      };
    },
    before: () => (down === 'destroy' ? 'drop' : down === 'hang' ? 'hang' : undefined),
    headers: () => ({ 'content-type': 'application/json; charset=utf-8' }),
  });

  return {
    apiKey,
    /** Every request received, in order (also unauthorised and failed ones). */
    requests: http.requests,
    /** Match requests' parsed bodies, in order. */
    get matchBodies(): Array<Record<string, unknown>> {
      return http.requests.filter((r) => r.path === APOLLO_FAKE_MATCH_PATH && r.body).map((r) => r.body!);
    },
    /** Search requests' parsed bodies, in order (shortcut for tests). */
    get searchBodies(): Array<Record<string, unknown>> {
      return http.requests.filter((r) => r.path === APOLLO_FAKE_SEARCH_PATH && r.body).map((r) => r.body!);
    },
    get people(): ApolloFakePerson[] {
      return people;
    },
    /** Answer with top-level total_entries and no `pagination` (older response shape). */
    get legacyPagination(): boolean {
      return state.legacyPagination;
    },
    set legacyPagination(v: boolean) {
      state.legacyPagination = v;
    },

    start: () => http.start(),
    stop: () => http.stop(),

    /** Replaces the people searched. */
    setPeople(list: ApolloFakePerson[]): void {
      people = [...list];
    },
    addPeople(...list: ApolloFakePerson[]): void {
      people.push(...list);
    },
    /** Queues a scripted failure for the next `times` (default 1) authorised search requests. */
    failNext(failure: ApolloFakeFailure): void {
      const { status, retryAfter, rawBody } = failure;
      const headers: Record<string, string> = retryAfter !== undefined ? { 'retry-after': retryAfter } : {};
      const answer =
        rawBody !== undefined
          ? { status, body: rawBody, headers: { 'content-type': 'text/html', ...headers } }
          : error(status, failure.error ?? DEFAULT_ERRORS[status] ?? `Error ${status}`, headers);
      const path = failure.endpoint === 'match' ? APOLLO_FAKE_MATCH_PATH : APOLLO_FAKE_SEARCH_PATH;
      http.failNext({ method: 'POST', path, when: authorised, times: failure.times, ...answer });
    },
    /** 'hang': accept and never answer; 'destroy': drop the connection; false: normal. */
    setDown(mode: ApolloFakeDown): void {
      down = mode;
    },
    /** Clears requests, queued failures and the down state (people stay). */
    reset(): void {
      http.reset();
      down = false;
      state.legacyPagination = false;
    },
  };
}
