/**
 * Apollo.io as a PersonEnricher (SYS-002 signals): People Enrichment, `POST /api/v1/people/match`
 * over plain `fetch`, one lead at a time.
 *
 *   const apollo = createApolloPersonEnricher({ apiKey, baseUrl: 'https://api.apollo.io' });
 *   const m = await apollo.match({ email, firstName, lastName, company, companyDomain, linkedinUrl });
 *   // m.matched ? m.facts (roleStartedOn, fundedOn, companyHiring, emailVerified) : nobody found
 *
 * Request and answer: match-wire.ts (with its assumptions). A query with too little to match on
 * (no email, no LinkedIn URL, and not first + last name + company or domain) is not sent: it is
 * answered { matched: false }. Errors are the people search's (header of people-search.ts): 429
 * rate_limited with Retry-After and 5xx/network/timeout are retryable; 401/403 (including an
 * exhausted credit balance, which Apollo answers 403 or 422 with its message) are not.
 */
import type { PersonEnricher, PersonMatch } from '../ports.js';
import { createApolloHttp, type ApolloHttpOptions } from './http.js';
import { APOLLO_MATCH_PATH, apolloPersonFacts, buildApolloMatchBody, type ApolloMatchResponse } from './match-wire.js';
import { APOLLO } from './wire.js';

export { APOLLO_MATCH_PATH, apolloDate, apolloPersonFacts, buildApolloMatchBody } from './match-wire.js';

export function createApolloPersonEnricher(options: ApolloHttpOptions): PersonEnricher {
  const post = createApolloHttp(options);
  return {
    name: APOLLO,
    async match(query): Promise<PersonMatch> {
      const body = buildApolloMatchBody(query);
      if (!body) return { matched: false };
      const res = await post<ApolloMatchResponse>(APOLLO_MATCH_PATH, body, 'people match');
      const person = res.person;
      if (!person || typeof person !== 'object') return { matched: false };
      return { matched: true, facts: apolloPersonFacts(person, query) };
    },
  };
}
