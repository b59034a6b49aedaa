/**
 * The Stripe client shared by the Stripe adapters (Checkout today), with what every adapter
 * needs: the base URL injectable (tests point it at test/fakes/stripe-fake.ts), the SDK's own
 * retries off, no telemetry header, and the error classification of DESIGN.md convention 4.
 *
 * Verified in node_modules/stripe (23.1.0, pinned API version '2026-10-28.endive'):
 * - Config keys are checked against ALLOWED_CONFIG_PROPERTIES (esm/stripe.core.js): `host`,
 *   `port` (string | number), `protocol` ('http' | 'https'), `telemetry`, `maxNetworkRetries`,
 *   `timeout` (ms, default 80 000) are all accepted. A non-default `host` replaces every API base
 *   (`resolveBaseAddress`), and every path is absolute ('/v1/...'), so a base URL cannot carry a
 *   path prefix.
 * - `maxNetworkRetries` defaults to 2 (platform/PlatformFunctions.js). Even at 0, the SDK
 *   retries ONCE a connection closed with ECONNRESET/EPIPE (RequestSender._shouldRetry), and it
 *   sends an `Idempotency-Key: stripe-node-retry-<uuid>` on every v1 POST; our callers pass their
 *   own idempotencyKey, so that one retry is deduplicated by Stripe.
 * - Errors (esm/Error.js generateV1Error) are chosen by HTTP status: 429 -> StripeRateLimitError,
 *   400/404 -> StripeInvalidRequestError (StripeIdempotencyError when error.type is
 *   'idempotency_error'), 401 -> StripeAuthenticationError, 402 -> StripeCardError,
 *   403 -> StripePermissionError, anything else (409, 5xx) -> StripeAPIError. Each carries
 *   `type` (the class name), `rawType`, `statusCode`, `code`, `param`, `headers`, `requestId`.
 *   No HTTP answer (or a body cut short) -> StripeConnectionError with no statusCode; a timeout
 *   says "Request aborted due to timeout being reached".
 */
import Stripe from 'stripe';
import { ProviderError } from '../ports.js';
import { parseRetryAfter } from '../http-errors.js';

export const STRIPE_API_BASE_URL = 'https://api.stripe.com';
const PROVIDER = 'stripe';

export interface StripeClientOptions {
  /** sk_live_... / sk_test_... / rk_... */
  secretKey: string;
  /** Defaults to https://api.stripe.com; tests pass the fake's base URL (http://127.0.0.1:PORT). */
  baseUrl?: string;
  /** Per-request timeout in milliseconds (the SDK's default is 80 000). */
  timeoutMs?: number;
}

export function createStripeClient(opts: StripeClientOptions): Stripe {
  if (!opts.secretKey?.trim()) throw new ProviderError(PROVIDER, 'invalid_config', 'Stripe secretKey is required', false);
  const config: Stripe.StripeConfig = { telemetry: false, maxNetworkRetries: 0 };
  if (opts.timeoutMs !== undefined) config.timeout = Math.max(1, Math.round(opts.timeoutMs));
  if (opts.baseUrl) Object.assign(config, hostConfig(opts.baseUrl));
  return new Stripe(opts.secretKey, config);
}

function hostConfig(baseUrl: string): Pick<Stripe.StripeConfig, 'host' | 'port' | 'protocol'> {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ProviderError(PROVIDER, 'invalid_config', `Stripe baseUrl is not a URL: ${baseUrl}`, false);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProviderError(PROVIDER, 'invalid_config', `Stripe baseUrl must be http(s): ${baseUrl}`, false);
  }
  if (url.pathname.replace(/\/+$/, '') !== '' && url.pathname.replace(/\/+$/, '') !== '/v1') {
    // The SDK's paths are absolute (/v1/...): a prefix would be silently dropped.
    throw new ProviderError(PROVIDER, 'invalid_config', `Stripe baseUrl cannot carry a path: ${baseUrl}`, false);
  }
  const protocol = url.protocol === 'https:' ? 'https' : 'http';
  return { host: url.hostname, port: url.port ? Number(url.port) : protocol === 'https' ? 443 : 80, protocol };
}

/** Stripe error codes that mean "not now, try again" even on a 4xx. */
const TRANSIENT_CODES = new Set(['lock_timeout', 'rate_limit', 'idempotency_key_in_use']);

/**
 * Classifies anything a Stripe SDK call rejected with. Returns a ProviderError:
 * - retryable=true: no answer ('network_error' / 'timeout'), 429 ('rate_limited', Retry-After
 *   kept), 409 ('lock_timeout' / 'conflict'), 5xx ('provider_unavailable'), or any answer
 *   carrying `Stripe-Should-Retry: true`;
 * - retryable=false with a stable code: 401 'auth_failed', 403 'permission_denied', 402
 *   StripeCardError (Stripe's code, e.g. 'card_declined', else 'card_error'), 400 idempotency
 *   'idempotency_conflict', 404 'not_found', other 400 'invalid_request'.
 * The message names the HTTP status, Stripe's code, param and request id.
 */
export function classifyStripeError(err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  const e = (err ?? {}) as {
    type?: unknown;
    rawType?: unknown;
    statusCode?: unknown;
    code?: unknown;
    param?: unknown;
    message?: unknown;
    requestId?: unknown;
    headers?: unknown;
  };
  const type = typeof e.type === 'string' ? e.type : undefined;
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const code = typeof e.code === 'string' && e.code ? e.code : undefined;
  const message = typeof e.message === 'string' && e.message ? e.message : err instanceof Error ? err.message : String(err);

  if (status === undefined) {
    // StripeConnectionError, or anything thrown before/without an HTTP answer.
    const isTimeout = /timeout/i.test(message) || (e as { detail?: { code?: unknown } }).detail?.code === 'ETIMEDOUT';
    if (type === 'StripeConnectionError' || type === undefined || isTimeout) {
      return new ProviderError(
        PROVIDER,
        isTimeout ? 'timeout' : 'network_error',
        `Stripe request failed without an answer: ${message}`,
        true,
      );
    }
    // e.g. "Invalid JSON received from the Stripe API": an answer we could not read.
    if (type === 'StripeAPIError') return new ProviderError(PROVIDER, 'provider_unavailable', `Stripe ${type}: ${message}`, true);
    return new ProviderError(PROVIDER, 'rejected', `Stripe ${type}: ${message}`, false);
  }

  const details = [
    code ? `code ${code}` : '',
    typeof e.param === 'string' ? `param ${e.param}` : '',
    typeof e.requestId === 'string' ? e.requestId : '',
  ]
    .filter(Boolean)
    .join(', ');
  const text = `Stripe HTTP ${status}${details ? ` (${details})` : ''}: ${message}`;
  const shouldRetry = headerValue(e.headers, 'stripe-should-retry');
  const retryAfter = parseRetryAfter(headerValue(e.headers, 'retry-after'));

  if (status === 429 || type === 'StripeRateLimitError' || code === 'rate_limit') {
    return new ProviderError(PROVIDER, code === 'lock_timeout' ? 'lock_timeout' : 'rate_limited', text, true, status, retryAfter);
  }
  if (status === 409 || (code !== undefined && TRANSIENT_CODES.has(code))) {
    return new ProviderError(
      PROVIDER,
      code === 'lock_timeout' ? 'lock_timeout' : 'conflict',
      text,
      shouldRetry !== 'false',
      status,
      retryAfter,
    );
  }
  if (status >= 500 || status === 408) {
    return new ProviderError(PROVIDER, 'provider_unavailable', text, shouldRetry !== 'false', status, retryAfter);
  }
  if (status === 401 || type === 'StripeAuthenticationError') return new ProviderError(PROVIDER, 'auth_failed', text, false, status);
  if (status === 403 || type === 'StripePermissionError') return new ProviderError(PROVIDER, 'permission_denied', text, false, status);
  if (shouldRetry === 'true') return new ProviderError(PROVIDER, code ?? 'retry_advised', text, true, status, retryAfter);
  if (status === 402 || type === 'StripeCardError') return new ProviderError(PROVIDER, code ?? 'card_error', text, false, status);
  if (type === 'StripeIdempotencyError' || e.rawType === 'idempotency_error') {
    return new ProviderError(PROVIDER, 'idempotency_conflict', text, false, status);
  }
  if (status === 404 || code === 'resource_missing') return new ProviderError(PROVIDER, 'not_found', text, false, status);
  return new ProviderError(PROVIDER, 'invalid_request', text, false, status);
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const h = headers as Record<string, unknown>;
  const v = h[name] ?? h[name.toLowerCase()];
  if (Array.isArray(v)) return v[0] === undefined ? undefined : String(v[0]);
  return v === undefined || v === null ? undefined : String(v);
}
