/**
 * What a provider's HTTP answer means for a retry (DESIGN.md convention 4), shared by the adapters
 * that speak plain HTTP (Forge, Apollo, Unipile, ZeroBounce): the Retry-After header, the status
 * table, and one JSON POST read as an object.
 */
import { ProviderError } from './ports.js';

/** Parses a Retry-After header (delta-seconds or HTTP-date) into whole seconds, or undefined. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * The ProviderError of a non-2xx status: 429 rate_limited and 408/5xx provider_unavailable are
 * retryable (with Retry-After); 400/422 (invalid_request unless the provider names it otherwise),
 * 401/403 auth_failed, 404 not_found, 409 conflict and any other 4xx provider_rejected are not.
 */
export function httpStatusError(
  provider: string,
  status: number,
  message: string,
  retryAfter?: string | null,
  opts: { badRequestCode?: string } = {},
): ProviderError {
  const make = (code: string, retryable: boolean) =>
    new ProviderError(provider, code, message, retryable, status, retryable ? parseRetryAfter(retryAfter) : undefined);
  if (status === 429) return make('rate_limited', true);
  if (status === 408 || status >= 500) return make('provider_unavailable', true);
  if (status === 400 || status === 422) return make(opts.badRequestCode ?? 'invalid_request', false);
  if (status === 401 || status === 403) return make('auth_failed', false);
  if (status === 404) return make('not_found', false);
  if (status === 409) return make('conflict', false);
  return make('provider_rejected', false);
}

/**
 * One JSON POST to a provider, read as a JSON object (shared by the adapters over plain fetch).
 * A network failure or our timeout is a retryable ProviderError (`network_error`, `timeout`); a
 * non-2xx answer is what `statusError` makes of it; a 2xx answer that is not a JSON object is a
 * retryable `unexpected_response` (a proxy page, a truncated body), so only read calls use it.
 */
export async function postJsonObject<T>(p: {
  provider: string;
  /** Names the call in messages ("Apollo people search"). */
  what: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  timeoutMs: number;
  fetchImpl: typeof fetch;
  statusError: (status: number, body: unknown, retryAfter: string | null) => ProviderError;
}): Promise<T> {
  let response: Response;
  let text: string;
  try {
    response = await p.fetchImpl(p.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...p.headers },
      body: JSON.stringify(p.body),
      signal: AbortSignal.timeout(p.timeoutMs),
    });
    text = await response.text();
  } catch (err) {
    const name = (err as { name?: string } | null)?.name;
    const timedOut = name === 'TimeoutError' || name === 'AbortError';
    const how = timedOut ? `timed out after ${p.timeoutMs} ms` : `failed: ${(err as Error)?.message ?? String(err)}`;
    throw new ProviderError(p.provider, timedOut ? 'timeout' : 'network_error', `${p.what} ${how}`, true);
  }
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // keep the text
  }
  if (response.status < 200 || response.status >= 300) throw p.statusError(response.status, parsed, response.headers.get('retry-after'));
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ProviderError(
      p.provider,
      'unexpected_response',
      `${p.what} answered ${response.status} without a JSON object`,
      true,
      response.status,
    );
  }
  return parsed as T;
}
