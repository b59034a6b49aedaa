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
 *
 * Files: wire.ts (constants, wire types, countries, request body, mapping), errors.ts (error
 * answers), http.ts (the POST shared with people-match.ts); this file is the LeadSource and
 * re-exports them.
 */
import { ProviderError, type LeadSource, type SourcedLead, type SourcingQuery } from '../ports.js';
import { createApolloHttp, type ApolloHttpOptions } from './http.js';
import { APOLLO, APOLLO_MAX_PAGE, APOLLO_SEARCH_PATH, buildApolloSearchBody, mapApolloPerson, type ApolloSearchResponse } from './wire.js';

export {
  APOLLO,
  APOLLO_MAX_PAGE,
  APOLLO_MAX_PER_PAGE,
  APOLLO_SEARCH_PATH,
  apolloCountryName,
  buildApolloSearchBody,
  countryCodeFromName,
  isPlaceholderEmail,
  mapApolloPerson,
  type ApolloOrganization,
  type ApolloPagination,
  type ApolloPerson,
  type ApolloSearchBody,
  type ApolloSearchResponse,
} from './wire.js';
export { classifyApolloError } from './errors.js';
export { parseRetryAfter } from '../http-errors.js';

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

export type ApolloLeadSourceOptions = ApolloHttpOptions;

// ---- The source -------------------------------------------------------------------------------

function pageFromCursor(cursor: string | undefined): number {
  if (cursor === undefined || cursor === '') return 1;
  if (!/^\d+$/.test(cursor) || Number(cursor) < 1) {
    throw new ProviderError(APOLLO, 'bad_cursor', `Not an Apollo cursor: "${cursor}"`, false);
  }
  return Number(cursor);
}

export function createApolloLeadSource(options: ApolloLeadSourceOptions): ApolloLeadSource {
  const post = createApolloHttp(options);

  return {
    name: APOLLO,
    async search(query, pageReq) {
      const page = pageFromCursor(pageReq.cursor);
      const body = buildApolloSearchBody(query, page, pageReq.pageSize);
      const res = await post<ApolloSearchResponse>(APOLLO_SEARCH_PATH, body, 'people search');

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
