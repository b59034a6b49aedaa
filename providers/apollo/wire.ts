/**
 * Apollo's wire format (the People API Search request and answer, assumptions in the header of
 * people-search.ts): the constants, the wire types, country names, the request body, and the
 * mapping of one person to a SourcedLead.
 */
import { getAllCountries, getCountry } from 'countries-and-timezones';
import { LeadRowSchema } from '../../domain/lead-row.js';
import { ProviderError, type SourcedLead, type SourcingQuery } from '../ports.js';

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
