/**
 * Apollo's HTTP: a JSON POST with the `x-api-key` header, its answer read as a JSON object, and
 * every failure turned into a ProviderError (table in the header of people-search.ts), shared by
 * the people search (sourcing) and the people match (enrichment).
 */
import { ProviderError } from '../ports.js';
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
    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(`${baseUrl}${path}`, {
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
        `Apollo ${what} ${timedOut ? `timed out after ${timeoutMs} ms` : `failed: ${(err as Error)?.message ?? String(err)}`}`,
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
      throw classifyApolloError({ status: response.status, body: parsed, retryAfter: response.headers.get('retry-after') }, what);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      // Neither call changes anything at Apollo, so an odd answer (proxy page, truncated body) is worth a retry.
      throw new ProviderError(
        APOLLO,
        'unexpected_response',
        `Apollo ${what} answered ${response.status} without a JSON object`,
        true,
        response.status,
      );
    }
    return parsed as T;
  };
}
