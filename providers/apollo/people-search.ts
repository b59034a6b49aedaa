/**
 * Apollo.io as a LeadSource (SYS-001 sourcing): People API Search over plain `fetch`.
 *
 *   const apollo = createApolloLeadSource({ apiKey, baseUrl: 'https://api.apollo.io' });
 *   let cursor: string | undefined;
 *   do {
 *     const page = await apollo.search(icp, { cursor, pageSize: 100 });
 *     // page.leads (valid lead rows), page.skipped (people that could not become a lead row)
 *     cursor = page.nextCursor;
 *   } while (cursor);
 *
 * Request: `POST {baseUrl}/api/v1/mixed_people/api_search`, headers `x-api-key`,
 * `Content-Type: application/json`, `Cache-Control: no-cache`, JSON body:
 *   person_titles                     query.titles (omitted when empty)
 *   person_locations                  query.countries as country names ('AU' -> 'Australia',
 *                                     from countries-and-timezones; 'US' -> 'United States')
 *   organization_num_employees_ranges ['min,max'] from employeeMin/employeeMax (one range)
 *   q_organization_keyword_tags       query.industries + query.keywords (de-duplicated)
 *   page                              1-based; the cursor is the next page number as a string
 *   per_page                          pageSize clamped to 1..100
 *
 * Response: `{ people: [...], pagination: { page, per_page, total_entries, total_pages } }`, or
 * (older responses) `total_entries` at the top level; the last page is the one where
 * page >= total_pages (or, without total_pages, a page shorter than per_page).
 *
 * Mapping to SourcedLead: externalId = person.id; email unless it is a placeholder
 * ('email_not_unlocked@domain.com' and similar); phone = first phone_numbers[].sanitized_number
 * (or raw_number); country name -> ISO alpha-2; company/domain/industry/employee count from
 * `organization`; missing fields are omitted. Every mapped row goes through LeadRowSchema: a
 * person whose row would not pass (e.g. no email, phone or LinkedIn URL; a malformed value) is
 * skipped and counted in `skipped` (an extra field on the LeadSource result).
 *
 * Errors (DESIGN.md convention 4), all thrown as ProviderError('apollo', code, ...):
 *   401/403                 auth_failed            permanent
 *   400/422                 bad_request            permanent (message carries Apollo's error text)
 *   404                     not_found              permanent
 *   429                     rate_limited           transient, retryAfterSeconds from Retry-After
 *   408/5xx                 provider_unavailable   transient
 *   network / our timeout   network_error/timeout  transient
 *   2xx that is not JSON    unexpected_response    transient (a search has no side effect)
 *   other 4xx               provider_rejected      permanent
 *   a cursor we did not make bad_cursor            permanent
 *
 * ASSUMPTIONS about Apollo's wire format (written without internet access: TO VERIFY AGAINST
 * APOLLO'S DOCS, docs.apollo.io "People API Search", before relying on them in production):
 *   - The path `/api/v1/mixed_people/api_search` and that it accepts the parameters as a JSON
 *     body (Apollo's reference also shows them as query-string parameters; `person_titles[]`
 *     style). If the body is ignored, switch to the query string.
 *   - Auth by the `x-api-key` header (older endpoints took `api_key` in the body).
 *   - `person_locations` matching on plain country names, and 'United States' (not
 *     countries-and-timezones' 'United States of America') being Apollo's name for the US.
 *   - `organization_num_employees_ranges` entries as 'min,max' strings; with only a minimum we
 *     send max 10000000 (the lead-row schema's ceiling), with only a maximum min 1.
 *   - Industries going into `q_organization_keyword_tags` (Apollo also has industry tag ids,
 *     `organization_industry_tag_ids`, which need a lookup we do not do).
 *   - per_page max 100, and Apollo serving at most 500 pages (50,000 people) per search: we stop
 *     the cursor at page 500.
 *   - The person/organization field names listed above, `people` possibly accompanied by
 *     `contacts` (people already saved in the Apollo account; merged, de-duplicated by id).
 *   - That the search returns contact data at all: the newer api_search endpoint may return
 *     people without email/phone (and with obfuscated last names), those needing the paid
 *     enrichment endpoint (`POST /api/v1/people/match` or bulk_match). Such people are skipped
 *     here (no email, phone or LinkedIn URL) unless they have a linkedin_url.
 *   - The placeholder email forms ('email_not_unlocked@domain.com', local part containing
 *     'not_unlocked') and the error body shape (`{ error }`, `{ message }` or `{ errors: [...] }`).
 *   - Rate limiting answered as 429 with Retry-After (seconds or HTTP date).
 */
import { getAllCountries, getCountry } from 'countries-and-timezones';
import { LeadRowSchema } from '../../domain/lead-row.js';
import { ProviderError, type LeadSource, type SourcedLead, type SourcingQuery } from '../ports.js';
import { httpStatusError } from '../http-errors.js';

export const APOLLO = 'apollo';
export const APOLLO_SEARCH_PATH = '/api/v1/mixed_people/api_search';
/** Apollo's maximum per_page (assumption, see the header). */
export const APOLLO_MAX_PER_PAGE = 100;
/** Apollo's last reachable page of one search (assumption, see the header). */
export const APOLLO_MAX_PAGE = 500;
const EMPLOYEES_CEILING = 10_000_000;

// ---- Wire types (all optional/nullable: be tolerant) ----------------------------------------

export interface ApolloOrganization {
  id?: string | null;
  name?: string | null;
  primary_domain?: string | null;
  website_url?: string | null;
  industry?: string | null;
  estimated_num_employees?: number | null;
  [key: string]: unknown;
}

export interface ApolloPerson {
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
  phone_numbers?: Array<{ sanitized_number?: string | null; raw_number?: string | null }> | null;
  organization?: ApolloOrganization | null;
  [key: string]: unknown;
}

export interface ApolloPagination {
  page?: number;
  per_page?: number;
  total_entries?: number;
  total_pages?: number;
}

export interface ApolloSearchResponse {
  people?: ApolloPerson[];
  contacts?: ApolloPerson[];
  pagination?: ApolloPagination;
  /** Older responses. */
  total_entries?: number;
}

export interface ApolloSearchBody {
  person_titles?: string[];
  person_locations?: string[];
  organization_num_employees_ranges?: string[];
  q_organization_keyword_tags?: string[];
  page: number;
  per_page: number;
}

/** A LeadSource page plus the count of people that could not become a valid lead row. */
export interface ApolloSearchPage {
  leads: SourcedLead[];
  nextCursor?: string;
  total?: number;
  skipped: number;
}

export interface ApolloLeadSource extends LeadSource {
  readonly name: 'apollo';
  search(query: SourcingQuery, page: { cursor?: string; pageSize: number }): Promise<ApolloSearchPage>;
}

export interface ApolloLeadSourceOptions {
  apiKey: string;
  /** Default https://api.apollo.io (a fake in tests). A trailing '/' is ignored. */
  baseUrl?: string;
  /** Per-request timeout; a timeout is transient. Default 30 s. */
  timeoutMs?: number;
  /** For tests: the fetch to send with (default: global fetch). */
  fetchImpl?: typeof fetch;
}

// ---- Countries --------------------------------------------------------------------------------

const ALL_COUNTRIES = Object.values(getAllCountries());
/** Apollo's names where they differ from countries-and-timezones' (assumption, see header). */
const APOLLO_COUNTRY_NAMES: Record<string, string> = { US: 'United States' };
const COUNTRY_ALIASES: Record<string, string> = {
  'united states': 'US',
  'united states of america': 'US',
  usa: 'US',
  'united kingdom': 'GB',
  uk: 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  'northern ireland': 'GB',
  'czech republic': 'CZ',
  'korea, republic of': 'KR',
  'republic of korea': 'KR',
  'russian federation': 'RU',
  'viet nam': 'VN',
  uae: 'AE',
  'the netherlands': 'NL',
};
const CODE_BY_NAME = new Map<string, string>(ALL_COUNTRIES.map((c) => [c.name.toLowerCase(), c.id]));
for (const [name, code] of Object.entries(COUNTRY_ALIASES)) CODE_BY_NAME.set(name, code);

/** ISO alpha-2 -> the country name Apollo's `person_locations` takes; undefined when unknown. */
export function apolloCountryName(isoCode: string): string | undefined {
  const code = isoCode.trim().toUpperCase();
  return APOLLO_COUNTRY_NAMES[code] ?? getCountry(code)?.name;
}

/** A country as Apollo writes it (a name, or already a code) -> ISO alpha-2, or undefined. */
export function countryCodeFromName(name: string): string | undefined {
  const v = name.trim();
  if (v === '') return undefined;
  if (v.length === 2) return getCountry(v.toUpperCase()) ? v.toUpperCase() : undefined;
  return CODE_BY_NAME.get(v.toLowerCase());
}

// ---- Request ----------------------------------------------------------------------------------

/** The JSON body of one search request (exported for tests and for logging what we asked). */
export function buildApolloSearchBody(query: SourcingQuery, page: number, pageSize: number): ApolloSearchBody {
  const body: ApolloSearchBody = { page, per_page: Math.min(APOLLO_MAX_PER_PAGE, Math.max(1, Math.floor(pageSize))) };
  const titles = uniq(query.titles);
  if (titles.length > 0) body.person_titles = titles;
  const locations = uniq(
    query.countries.map((c) => {
      const name = apolloCountryName(c);
      if (!name) throw new ProviderError(APOLLO, 'bad_request', `Unknown country code "${c}" in the sourcing query`, false);
      return name;
    }),
  );
  if (locations.length > 0) body.person_locations = locations;
  if (query.employeeMin !== undefined || query.employeeMax !== undefined) {
    const min = Math.max(1, Math.floor(query.employeeMin ?? 1));
    const max = Math.floor(query.employeeMax ?? EMPLOYEES_CEILING);
    if (max < min) throw new ProviderError(APOLLO, 'bad_request', `employeeMax (${max}) is below employeeMin (${min})`, false);
    body.organization_num_employees_ranges = [`${min},${max}`];
  }
  const tags = uniq([...query.industries, ...query.keywords]);
  if (tags.length > 0) body.q_organization_keyword_tags = tags;
  return body;
}

function uniq(values: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of values) {
    const v = raw.trim();
    if (v === '' || seen.has(v.toLowerCase())) continue;
    seen.add(v.toLowerCase());
    out.push(v);
  }
  return out;
}

// ---- Mapping ----------------------------------------------------------------------------------

/** Apollo's stand-ins for an email it has not revealed (assumption, see header). */
export function isPlaceholderEmail(email: string): boolean {
  const e = email.trim().toLowerCase();
  return e === 'email_not_unlocked@domain.com' || /^[^@]*not_unlocked[^@]*@/.test(e) || e.endsWith('@domain.com');
}

function str(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

function domainOf(org: ApolloOrganization): string | undefined {
  const primary = str(org.primary_domain);
  if (primary) return primary.toLowerCase();
  const site = str(org.website_url);
  if (!site) return undefined;
  try {
    return new URL(/^https?:\/\//i.test(site) ? site : `https://${site}`).hostname.replace(/^www\./, '').toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * One Apollo person -> a SourcedLead, or undefined when the row would not pass LeadRowSchema
 * (the reason is in `issues` for logging).
 */
export function mapApolloPerson(person: ApolloPerson): { lead: SourcedLead } | { lead?: undefined; issues: string[] } {
  const org = person.organization ?? {};
  const rawEmail = str(person.email);
  const phone = (person.phone_numbers ?? []).map((p) => str(p?.sanitized_number) ?? str(p?.raw_number)).find((p) => p !== undefined);
  const countryName = str(person.country);
  const employees = org.estimated_num_employees;
  const row: Record<string, unknown> = {
    email: rawEmail && !isPlaceholderEmail(rawEmail) ? rawEmail : undefined,
    first_name: str(person.first_name),
    last_name: str(person.last_name),
    title: str(person.title),
    company: str(org.name),
    company_domain: domainOf(org),
    industry: str(org.industry),
    employee_count: typeof employees === 'number' && Number.isFinite(employees) ? Math.round(employees) : undefined,
    city: str(person.city),
    state: str(person.state),
    // An unknown country name is left out rather than failing the whole row.
    country: countryName ? countryCodeFromName(countryName) : undefined,
    phone,
    linkedin_url: str(person.linkedin_url),
  };
  const parsed = LeadRowSchema.safeParse(row);
  if (!parsed.success) {
    return { issues: parsed.error.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`) };
  }
  const lead: SourcedLead = { externalId: String(person.id) };
  for (const [k, v] of Object.entries(parsed.data)) {
    if (v !== undefined) (lead as unknown as Record<string, unknown>)[k] = v;
  }
  return { lead };
}

// ---- Errors -----------------------------------------------------------------------------------

export { parseRetryAfter } from '../http-errors.js';

function errorText(body: unknown): string {
  if (typeof body === 'string') return body.slice(0, 300);
  if (body === null || typeof body !== 'object') return '';
  const b = body as Record<string, unknown>;
  for (const key of ['error', 'message', 'error_message', 'detail']) {
    if (typeof b[key] === 'string' && b[key] !== '') return b[key] as string;
  }
  if (Array.isArray(b.errors)) {
    return b.errors
      .map((e) =>
        typeof e === 'string'
          ? e
          : typeof e === 'object' && e !== null
            ? String((e as Record<string, unknown>).message ?? JSON.stringify(e))
            : String(e),
      )
      .join('; ');
  }
  return '';
}

/** A non-2xx Apollo response -> the ProviderError to throw (see the table in the header). */
export function classifyApolloError(input: { status: number; body: unknown; retryAfter?: string | null }): ProviderError {
  const { status } = input;
  const text = errorText(input.body);
  const message = `Apollo people search failed (${status})${text ? `: ${text}` : ''}`;
  return httpStatusError(APOLLO, status, message, input.retryAfter, { badRequestCode: 'bad_request' });
}

// ---- The source -------------------------------------------------------------------------------

function pageFromCursor(cursor: string | undefined): number {
  if (cursor === undefined || cursor === '') return 1;
  if (!/^\d+$/.test(cursor) || Number(cursor) < 1) {
    throw new ProviderError(APOLLO, 'bad_cursor', `Not an Apollo cursor: "${cursor}"`, false);
  }
  return Number(cursor);
}

export function createApolloLeadSource(options: ApolloLeadSourceOptions): ApolloLeadSource {
  const baseUrl = (options.baseUrl ?? 'https://api.apollo.io').replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const fetchImpl = options.fetchImpl ?? fetch;
  if (!options.apiKey) throw new ProviderError(APOLLO, 'auth_failed', 'No Apollo API key configured', false);

  async function post(body: ApolloSearchBody): Promise<ApolloSearchResponse> {
    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(`${baseUrl}${APOLLO_SEARCH_PATH}`, {
        method: 'POST',
        headers: {
          'x-api-key': options.apiKey,
          'Content-Type': 'application/json',
          'Cache-Control': 'no-cache',
          accept: 'application/json',
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (err) {
      const name = (err as { name?: string } | null)?.name;
      const timedOut = name === 'TimeoutError' || name === 'AbortError';
      throw new ProviderError(
        APOLLO,
        timedOut ? 'timeout' : 'network_error',
        `Apollo people search ${timedOut ? `timed out after ${timeoutMs} ms` : `failed: ${(err as Error)?.message ?? String(err)}`}`,
        true,
      );
    }
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // keep the text
    }
    if (response.status < 200 || response.status >= 300) {
      throw classifyApolloError({ status: response.status, body: parsed, retryAfter: response.headers.get('retry-after') });
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      // A search changes nothing, so an odd answer (proxy page, truncated body) is worth a retry.
      throw new ProviderError(
        APOLLO,
        'unexpected_response',
        `Apollo people search answered ${response.status} without a JSON object`,
        true,
        response.status,
      );
    }
    return parsed as ApolloSearchResponse;
  }

  return {
    name: APOLLO,
    async search(query, pageReq) {
      const page = pageFromCursor(pageReq.cursor);
      const body = buildApolloSearchBody(query, page, pageReq.pageSize);
      const res = await post(body);

      const seen = new Set<string>();
      const people = [...(Array.isArray(res.people) ? res.people : []), ...(Array.isArray(res.contacts) ? res.contacts : [])].filter(
        (p) => {
          if (!p || (typeof p.id !== 'string' && typeof p.id !== 'number') || seen.has(String(p.id))) return false;
          seen.add(String(p.id));
          return true;
        },
      );
      const leads: SourcedLead[] = [];
      let skipped = 0;
      for (const person of people) {
        const mapped = mapApolloPerson(person);
        if (mapped.lead) leads.push(mapped.lead);
        else skipped++;
      }

      const pagination = res.pagination ?? {};
      const total =
        typeof pagination.total_entries === 'number'
          ? pagination.total_entries
          : typeof res.total_entries === 'number'
            ? res.total_entries
            : undefined;
      const perPage = typeof pagination.per_page === 'number' && pagination.per_page > 0 ? pagination.per_page : body.per_page;
      const totalPages =
        typeof pagination.total_pages === 'number' ? pagination.total_pages : total !== undefined ? Math.ceil(total / perPage) : undefined;
      const hasMore = totalPages !== undefined ? page < totalPages : people.length >= body.per_page;
      const nextCursor = hasMore && people.length > 0 && page < APOLLO_MAX_PAGE ? String(page + 1) : undefined;

      return { leads, skipped, ...(nextCursor !== undefined ? { nextCursor } : {}), ...(total !== undefined ? { total } : {}) };
    },
  };
}
