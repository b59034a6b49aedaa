/**
 * Apollo's HTTP: a JSON POST with the `x-api-key` header, its answer read as a JSON object, and
 * every failure turned into a ProviderError (table in the header of people-search.ts), shared by
 * the people search (sourcing) and the people match (enrichment).
 */
import { ProviderError } from '../ports.js';
import { postJsonObject } from '../http-errors.js';
import { classifyApolloError } from './errors.js';
import { APOLLO } from './wire.js';

export interface ApolloHttpOptions {
  apiKey: string;
  /** Default https://api.apollo.io (a fake in tests). A trailing '/' is ignored. */
  baseUrl?: string;
  /** Per-request timeout; a timeout is transient. Default 30 s. */
  timeoutMs?: number;
  /** For tests: the fetch to send with (default: global fetch). */
  fetchImpl?: typeof fetch;
}

/** `post(path, body, what)`: the answer's JSON object; `what` names the call in error messages ('people search'). */
export function createApolloHttp(options: ApolloHttpOptions) {
  const baseUrl = (options.baseUrl ?? 'https://api.apollo.io').replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const fetchImpl = options.fetchImpl ?? fetch;
  if (!options.apiKey) throw new ProviderError(APOLLO, 'auth_failed', 'No Apollo API key configured', false);

  return async function post<T>(path: string, body: unknown, what: string): Promise<T> {
    return postJsonObject<T>({
      provider: APOLLO,
      what: `Apollo ${what}`,
      url: `${baseUrl}${path}`,
      headers: { 'x-api-key': options.apiKey, 'Cache-Control': 'no-cache' },
      body,
      timeoutMs,
      fetchImpl,
      // Neither call changes anything at Apollo, so an odd 2xx answer is worth a retry.
      statusError: (status, parsed, retryAfter) => classifyApolloError({ status, body: parsed, retryAfter }, what),
    });
  };
}
