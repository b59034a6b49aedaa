/**
 * What a provider's HTTP answer means for a retry (DESIGN.md convention 4), shared by the adapters
 * that speak plain HTTP (Forge, Apollo, Unipile): the Retry-After header, and the status table.
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
