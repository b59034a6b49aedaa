/**
 * The Twilio REST client shared by the Twilio adapters (SMS, recordings), with the two things
 * every adapter needs: the base URL injectable (tests point it at test/fakes/twilio-fake.ts) and
 * the SDK's own retries off, plus the error classification of DESIGN.md convention 4.
 *
 * Verified in node_modules/twilio (6.2.0):
 * - `client.api` is a Domain whose public `baseUrl` ('https://api.twilio.com') prefixes every
 *   v2010 resource: messages, calls, recordings (rest/Twilio.js getters go through
 *   `this.api.v2010.account`), and list paging resolves `next_page_uri` through the same
 *   domain (base/Page.js), so setting `client.api.baseUrl` redirects all of them.
 * - `autoRetry` (ClientOpts and RequestClient options) defaults to false and only ever retried
 *   HTTP 429; we construct the RequestClient ourselves with `autoRetry: false` so no SDK call
 *   is ever sent twice.
 * - Non-2xx answers reject with RestException (`status`, `code`, `message`, `moreInfo`) or, for
 *   RFC 9457 bodies, TwilioServiceException (`status`, `code`, `title`, `detail`).
 */
import twilio from 'twilio';
import type RequestClientNs from 'twilio/lib/base/RequestClient.js';
import type * as TwilioResponseModule from 'twilio/lib/http/response.js';
import { ProviderError } from '../ports.js';
import { parseRetryAfter } from '../http-errors.js';

export const TWILIO_API_BASE_URL = 'https://api.twilio.com';
const PROVIDER = 'twilio';
type TwilioResponse<T> = TwilioResponseModule.default<T>;

export interface TwilioAdapterOptions {
  /** AC... */
  accountSid: string;
  authToken: string;
  /** Defaults to https://api.twilio.com; tests pass the fake's base URL. */
  baseUrl?: string;
  /** Per-request timeout in milliseconds (the SDK's default is 30 000). */
  timeoutMs?: number;
}

/**
 * The SDK's own RequestClient (axios), with auto-retry off, which additionally turns the two
 * answers the SDK would otherwise flatten into ProviderErrors while it still sees the raw
 * response: HTTP 429 (keeps Retry-After, which RestException drops) and transport failures
 * (no HTTP answer at all).
 */
class ClassifyingRequestClient extends twilio.RequestClient {
  override async request<TData>(opts: RequestClientNs.RequestOptions<TData>): Promise<TwilioResponse<TData>> {
    let res: TwilioResponse<TData>;
    try {
      res = await super.request(opts);
    } catch (err) {
      throw transportError(err);
    }
    if (res.statusCode === 429) {
      const body = parseMaybeJson(res.body);
      const retryAfter = parseRetryAfter(headerValue(res.headers, 'retry-after'));
      throw new ProviderError(
        PROVIDER,
        'rate_limited',
        `Twilio rate limit (HTTP 429${body?.code ? `, code ${body.code}` : ''}): ${body?.message ?? 'Too Many Requests'}`,
        true,
        429,
        retryAfter,
      );
    }
    return res;
  }
}

export type TwilioClient = ReturnType<typeof twilio>;

export function createTwilioClient(opts: TwilioAdapterOptions): TwilioClient {
  if (!opts.accountSid?.startsWith('AC'))
    throw new ProviderError(PROVIDER, 'invalid_config', 'Twilio accountSid must start with AC', false);
  if (!opts.authToken) throw new ProviderError(PROVIDER, 'invalid_config', 'Twilio authToken is required', false);
  const httpClient = new ClassifyingRequestClient({ autoRetry: false, timeout: opts.timeoutMs });
  const client = twilio(opts.accountSid, opts.authToken, {
    httpClient,
    autoRetry: false,
    // With a custom base URL, keep TWILIO_EDGE / TWILIO_REGION from the environment from
    // rewriting its host name (BaseTwilio.getHostname); '' is kept by `??`.
    ...(opts.baseUrl ? { edge: '', region: '' } : {}),
  });
  if (opts.baseUrl) client.api.baseUrl = opts.baseUrl.replace(/\/+$/, '');
  return client;
}

/** Twilio error codes that are a fact about the recipient or the request: never retry. */
const PERMANENT_CODES: Record<number, string> = {
  21211: 'invalid_number', // Invalid 'To' phone number
  21614: 'invalid_number', // 'To' number is not a valid mobile number
  21217: 'invalid_number', // Phone number does not appear to be valid
  21265: 'invalid_number', // 'To' number cannot be a short code
  21612: 'unreachable_number', // 'To' number is not currently reachable via SMS
  21408: 'region_not_enabled', // Permission to send an SMS has not been enabled for the region
  21610: 'recipient_unsubscribed', // Attempt to send to unsubscribed recipient (STOP)
  21606: 'invalid_sender', // 'From' number is not a valid, SMS-capable number for this account
  21212: 'invalid_sender', // Invalid 'From' number
  21659: 'invalid_sender', // 'From' is not a Twilio number
  21660: 'invalid_sender', // Mismatch between 'From' and the account
  21603: 'invalid_sender', // 'From' number is required
  21604: 'invalid_number', // 'To' number is required
  21602: 'invalid_message', // Message body is required
  21617: 'invalid_message', // Body exceeds the 1600 character limit
  20003: 'auth_failed', // Authentication error
  20404: 'not_found',
};
/** Twilio error codes that mean "not now": retry later. */
const TRANSIENT_CODES: Record<number, string> = {
  20429: 'rate_limited', // Too many requests
  14107: 'rate_limited', // Message rate limit exceeded
  20500: 'provider_unavailable', // Internal server error
  20503: 'provider_unavailable', // Service unavailable
};

/**
 * Classifies anything a Twilio SDK call rejected with. Returns a ProviderError: retryable=true
 * for transient failures (network, timeout, 429, 5xx), retryable=false with a stable code for
 * permanent ones (see PERMANENT_CODES; 401/403 -> 'auth_failed'; other 4xx -> 'rejected').
 */
export function classifyTwilioError(err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  const e = err as { status?: unknown; code?: unknown; message?: unknown; moreInfo?: unknown };
  const status = typeof e?.status === 'number' ? e.status : undefined;
  if (status === undefined) return transportError(err);
  const code = typeof e.code === 'number' ? e.code : Number(e.code) || undefined;
  const text = `Twilio HTTP ${status}${code ? ` code ${code}` : ''}: ${typeof e.message === 'string' ? e.message : 'request failed'}`;
  if (code !== undefined && TRANSIENT_CODES[code]) return new ProviderError(PROVIDER, TRANSIENT_CODES[code], text, true, status);
  if (status === 429) return new ProviderError(PROVIDER, 'rate_limited', text, true, status);
  if (status >= 500 || status === 408) return new ProviderError(PROVIDER, 'provider_unavailable', text, true, status);
  if (status === 401 || status === 403) return new ProviderError(PROVIDER, 'auth_failed', text, false, status);
  if (code !== undefined && PERMANENT_CODES[code]) return new ProviderError(PROVIDER, PERMANENT_CODES[code], text, false, status);
  if (status === 404) return new ProviderError(PROVIDER, 'not_found', text, false, status);
  return new ProviderError(PROVIDER, 'rejected', text, false, status);
}

/** No HTTP answer: connection refused/reset (network_error) or no answer in time (timeout). Both transient. */
function transportError(err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  const e = err as { code?: unknown; message?: unknown };
  const sysCode = typeof e?.code === 'string' ? e.code : undefined;
  const message = typeof e?.message === 'string' ? e.message : String(err);
  const isTimeout = sysCode === 'ECONNABORTED' || sysCode === 'ETIMEDOUT' || /timeout/i.test(message);
  return new ProviderError(
    PROVIDER,
    isTimeout ? 'timeout' : 'network_error',
    `Twilio request failed without an answer: ${sysCode ? `${sysCode} ` : ''}${message}`,
    true,
  );
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const h = headers as { get?: (n: string) => unknown } & Record<string, unknown>;
  const v = typeof h.get === 'function' ? h.get(name) : (h[name] ?? h[name.toLowerCase()]);
  if (Array.isArray(v)) return v[0] === undefined ? undefined : String(v[0]);
  return v === undefined || v === null ? undefined : String(v);
}

function parseMaybeJson(body: unknown): { code?: number; message?: string } | undefined {
  if (body && typeof body === 'object') return body as { code?: number; message?: string };
  if (typeof body !== 'string') return undefined;
  try {
    return JSON.parse(body) as { code?: number; message?: string };
  } catch {
    return undefined;
  }
}
