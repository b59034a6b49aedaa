/**
 * Apollo's People Enrichment wire format (`POST /api/v1/people/match`): the request body from what
 * we know of a lead, and the facts the score needs from the matched person (SYS-002 signals).
 *
 * ASSUMPTIONS (written without internet access, from Apollo's public reference and client code;
 * TO VERIFY against docs.apollo.io "People Enrichment" before relying on them in production):
 *   - Body fields first_name, last_name, email, organization_name, domain, linkedin_url, and
 *     reveal_personal_emails / reveal_phone_number (false: no extra credits are spent).
 *   - The answer is `{ person: {...} }`, with `person: null` (or no `person`) when nobody matches.
 *   - `person.employment_history[]` entries carry `current`, `start_date` ('YYYY-MM-DD' or
 *     'YYYY-MM'), `end_date`, `organization_id`; the current one is the current position.
 *   - `person.organization` carries `latest_funding_round_date` (an ISO date-time),
 *     `funding_events[].date`, and `organization_headcount_six_month_growth` (a fraction, 0.12 for
 *     12%). A company whose headcount grew over six months counts as hiring (Apollo's people match
 *     has no open-jobs count; its job-postings endpoint is a separate, per-company call).
 *   - `person.email_status` 'verified' for an address Apollo verified; `personal_emails[]` only
 *     when revealed (we do not ask, so it is usually absent).
 */
import type { PersonFacts, PersonQuery } from '../ports.js';

export const APOLLO_MATCH_PATH = '/api/v1/people/match';

export interface ApolloEmployment {
  current?: boolean | null;
  start_date?: string | null;
  end_date?: string | null;
  organization_id?: string | null;
  title?: string | null;
  [key: string]: unknown;
}

export interface ApolloMatchOrganization {
  id?: string | null;
  latest_funding_round_date?: string | null;
  funding_events?: Array<{ date?: string | null; [key: string]: unknown }> | null;
  organization_headcount_six_month_growth?: number | null;
  [key: string]: unknown;
}

export interface ApolloMatchPerson {
  id?: string;
  email?: string | null;
  email_status?: string | null;
  personal_emails?: string[] | null;
  organization_id?: string | null;
  employment_history?: ApolloEmployment[] | null;
  organization?: ApolloMatchOrganization | null;
  [key: string]: unknown;
}

export interface ApolloMatchResponse {
  person?: ApolloMatchPerson | null;
}

export type ApolloMatchBody = Record<string, string | boolean>;

const clean = (v: string | undefined) => (v && v.trim() ? v.trim() : undefined);

/** The request body, or undefined when the query has too little to match anyone on. */
export function buildApolloMatchBody(q: PersonQuery): ApolloMatchBody | undefined {
  const fields: Record<string, string | undefined> = {
    first_name: clean(q.firstName),
    last_name: clean(q.lastName),
    email: clean(q.email)?.toLowerCase(),
    organization_name: clean(q.company),
    domain: clean(q.companyDomain),
    linkedin_url: clean(q.linkedinUrl),
  };
  const named = fields.first_name && fields.last_name && (fields.organization_name || fields.domain);
  if (!fields.email && !fields.linkedin_url && !named) return undefined;
  const body: ApolloMatchBody = { reveal_personal_emails: false, reveal_phone_number: false };
  for (const [k, v] of Object.entries(fields)) if (v) body[k] = v;
  return body;
}

/** 'YYYY-MM-DD' from 'YYYY-MM-DD', 'YYYY-MM' or an ISO date-time; undefined when it is none. */
export function apolloDate(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?/.exec(v.trim());
  if (!m) return undefined;
  const date = `${m[1]}-${m[2]}-${m[3] ?? '01'}`;
  return Number.isNaN(Date.parse(`${date}T00:00:00Z`)) ? undefined : date;
}

function currentRoleStart(p: ApolloMatchPerson): string | undefined {
  const jobs = (p.employment_history ?? []).filter((j) => j && (j.current === true || (j.current == null && !j.end_date)));
  const orgId = p.organization_id ?? p.organization?.id;
  const atOrg = orgId ? jobs.filter((j) => j.organization_id === orgId) : [];
  const starts = (atOrg.length ? atOrg : jobs).map((j) => apolloDate(j.start_date)).filter((d): d is string => !!d);
  return starts.sort().at(-1);
}

function latestFunding(org: ApolloMatchOrganization): string | undefined {
  const dates = [apolloDate(org.latest_funding_round_date), ...(org.funding_events ?? []).map((e) => apolloDate(e?.date))];
  return dates
    .filter((d): d is string => !!d)
    .sort()
    .at(-1);
}

/** The facts the score needs from a matched person (only those Apollo gave). */
export function apolloPersonFacts(p: ApolloMatchPerson, query: PersonQuery): PersonFacts {
  const org = p.organization ?? {};
  const facts: PersonFacts = {};
  const roleStartedOn = currentRoleStart(p);
  if (roleStartedOn) facts.roleStartedOn = roleStartedOn;
  const fundedOn = latestFunding(org);
  if (fundedOn) facts.fundedOn = fundedOn;
  const growth = org.organization_headcount_six_month_growth;
  if (typeof growth === 'number' && Number.isFinite(growth)) facts.companyHiring = growth > 0;
  const sameEmail = query.email && p.email && p.email.trim().toLowerCase() === query.email.trim().toLowerCase();
  if (sameEmail && p.email_status === 'verified') facts.emailVerified = true;
  const personal = (p.personal_emails ?? []).find((e) => typeof e === 'string' && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e));
  if (personal) facts.personalEmail = personal.toLowerCase();
  return facts;
}
