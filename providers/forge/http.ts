/**
 * The small JSON-over-fetch client the Forge adapters (InfraForge, Warmforge) share.
 *
 *   const http = createForgeHttpClient({ provider: 'infraforge', baseUrl, apiKey, timeoutMs: 30_000 });
 *   const { status, body } = await http.request({ method: 'GET', path: '/domains', query: { search: 'acme.com' } });
 *
 * Auth (PROVIDERS.md section 5): `Authorization: <raw key>` (no "Bearer"), as the Salesforge
 * docs say; a Warmforge blog post shows `Bearer <key>`, so a 401 is retried ONCE with the other
 * scheme, and the scheme that worked is remembered for every later request of this client
 * (`authScheme`). A 401 means the request was refused before doing anything, so re-sending it
 * (even a purchase) cannot do the effect twice. No other request is ever re-sent here: retries
 * belong to the caller (Temporal activity retries), which reconciles purchases first.
 *
 * Every request has its own timeout (AbortSignal.timeout(timeoutMs), default 30 s). Errors are
 * ProviderError(provider, code, message, retryable, status?, retryAfterSeconds?):
 *
 * | cause                                   | code                 | retryable |
 * |-----------------------------------------|----------------------|-----------|
 * | network failure (refused, reset, ...)   | network_error        | YES       |
 * | our timeout                             | timeout              | YES       |
 * | 429                                     | rate_limited         | YES (retryAfterSeconds from Retry-After) |
 * | 408, 5xx                                | provider_unavailable | YES (retryAfterSeconds when given) |
 * | 400, 422                                | invalid_request      | no        |
 * | 401, 403 (after the scheme fallback)    | auth_failed          | no        |
 * | 404                                     | not_found            | no        |
 * | 409                                     | conflict             | no        |
 * | other 4xx                               | provider_rejected    | no        |
 *
 * A network failure or a timeout on a request that has an effect (a purchase) means the effect
 * may or may not have happened: the error is retryable so that the CALLER lists what exists
 * (e.g. findDomains) before trying again; it must never blindly repeat the purchase.
 *
 * Forge error bodies look like `{ message, data }` (PROVIDERS.md 5): `message` goes into the
 * error message (and `data`, shortened, when it is informative). The body of a 2xx answer is
 * returned parsed (JSON), as text when it is not JSON, or undefined when empty; adapters check
 * its shape themselves.
 */
import { ProviderError } from '../ports.js';
import { httpStatusError } from '../http-errors.js';

export type ForgeAuthScheme = 'raw' | 'bearer';

export type ForgeQuery = Record<string, string | number | boolean | undefined>;

export interface ForgeRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below the base URL, starting with '/' (already URL-encoded where needed). */
  path: string;
  /** Query parameters; undefined values are left out. */
  query?: ForgeQuery;
  /** JSON body. */
  body?: unknown;
}

export interface ForgeResponse {
  status: number;
  /** Parsed JSON; the raw text when it was not JSON; undefined when empty. */
  body: unknown;
}

export interface ForgeHttpClient {
  readonly provider: string;
  readonly baseUrl: string;
  /** The Authorization scheme in use: 'raw' until a 401 taught us 'bearer' (or back). */
  readonly authScheme: ForgeAuthScheme;
  /** Sends one request; throws ProviderError for anything but a 2xx answer (see the table above). */
  request(req: ForgeRequest): Promise<ForgeResponse>;
}

export interface ForgeHttpOptions {
  /** Provider name in errors: 'infraforge' | 'warmforge'. */
  provider: string;
  /** A trailing '/' is ignored. */
  baseUrl: string;
  apiKey: string;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  /** For tests: the fetch to send with (default: global fetch). */
  fetchImpl?: typeof fetch;
  /** The scheme to try first (default 'raw'). */
  authScheme?: ForgeAuthScheme;
}

export const FORGE_DEFAULT_TIMEOUT_MS = 30_000;

export { parseRetryAfter } from '../http-errors.js';

/** The human part of a Forge error body (`{ message, data }`, tolerant of other shapes). */
export function forgeErrorText(body: unknown): string {
  if (typeof body === 'string') return body.trim().slice(0, 300);
  if (body === null || typeof body !== 'object') return '';
  const b = body as Record<string, unknown>;
  const message = ['message', 'error', 'detail', 'title']
    .map((k) => b[k])
    .find((v): v is string => typeof v === 'string' && v.trim() !== '');
  let data = '';
  if (b.data !== undefined && b.data !== null) {
    try {
      const text = typeof b.data === 'string' ? b.data : JSON.stringify(b.data);
      if (text && text !== '{}' && text !== '[]') data = text.length > 200 ? `${text.slice(0, 200)}...` : text;
    } catch {
      // not serialisable: left out
    }
  }
  return [message, data].filter(Boolean).join(' ');
}

/** A non-2xx Forge answer -> the ProviderError to throw (see the table in the header). */
export function classifyForgeError(input: {
  provider: string;
  status: number;
  body: unknown;
  retryAfter?: string | null;
  /** What we were doing, for the message, e.g. 'POST /domains'. */
  operation?: string;
}): ProviderError {
  const { provider, status } = input;
  const text = forgeErrorText(input.body);
  const message = `${displayName(provider)} ${input.operation ?? 'request'} failed (${status})${text ? `: ${text}` : ''}`;
  return httpStatusError(provider, status, message, input.retryAfter);
}

function displayName(provider: string): string {
  return provider === 'infraforge' ? 'InfraForge' : provider === 'warmforge' ? 'Warmforge' : provider;
}

function authHeader(scheme: ForgeAuthScheme, apiKey: string): string {
  return scheme === 'bearer' ? `Bearer ${apiKey}` : apiKey;
}

export function createForgeHttpClient(opts: ForgeHttpOptions): ForgeHttpClient {
  const { provider } = opts;
  const baseUrl = opts.baseUrl.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? FORGE_DEFAULT_TIMEOUT_MS;
  const fetchImpl = opts.fetchImpl ?? fetch;
  if (!opts.apiKey) throw new ProviderError(provider, 'auth_failed', `No ${displayName(provider)} API key configured`, false);
  let scheme: ForgeAuthScheme = opts.authScheme ?? 'raw';

  function url(req: ForgeRequest): string {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) qs.set(k, String(v));
    const q = qs.toString();
    return `${baseUrl}${req.path}${q ? `?${q}` : ''}`;
  }

  async function send(req: ForgeRequest, using: ForgeAuthScheme, operation: string): Promise<{ response: Response; body: unknown }> {
    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(url(req), {
        method: req.method,
        headers: {
          Authorization: authHeader(using, opts.apiKey),
          accept: 'application/json',
          ...(req.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (err) {
      const name = (err as { name?: string } | null)?.name;
      const timedOut = name === 'TimeoutError' || name === 'AbortError';
      const cause = (err as { cause?: { code?: string; message?: string } } | null)?.cause;
      const detail = [(err as Error | null)?.message ?? String(err), cause?.code ?? cause?.message].filter(Boolean).join(': ');
      throw new ProviderError(
        provider,
        timedOut ? 'timeout' : 'network_error',
        `${displayName(provider)} ${operation} ${timedOut ? `timed out after ${timeoutMs} ms` : `failed: ${detail}`}`,
        true,
      );
    }
    let body: unknown;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    return { response, body };
  }

  return {
    provider,
    baseUrl,
    get authScheme() {
      return scheme;
    },
    async request(req) {
      const operation = `${req.method} ${req.path}`;
      const tried = scheme;
      let { response, body } = await send(req, tried, operation);
      if (response.status === 401) {
        // Refused before anything happened: safe to re-send once with the other scheme.
        const other: ForgeAuthScheme = tried === 'raw' ? 'bearer' : 'raw';
        ({ response, body } = await send(req, other, operation));
        if (response.status !== 401) scheme = other;
      }
      if (response.status < 200 || response.status >= 300) {
        throw classifyForgeError({ provider, status: response.status, body, retryAfter: response.headers.get('retry-after'), operation });
      }
      return { status: response.status, body };
    },
  };
}

// ---- Helpers for the adapters' tolerant response parsing --------------------------------------

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The items of a list answer: the array itself, or the first array under `data`, `items`,
 * `results` or one of `keys` (e.g. 'domains', 'mailboxes'); `data` may itself wrap one of those.
 * Undefined when the answer holds no list.
 */
export function listItems(body: unknown, keys: string[] = []): unknown[] | undefined {
  if (Array.isArray(body)) return body;
  if (!isObject(body)) return undefined;
  for (const key of ['data', 'items', 'results', ...keys]) {
    const v = body[key];
    if (Array.isArray(v)) return v;
  }
  if (isObject(body.data)) return listItems(body.data, keys);
  return undefined;
}

/** The object of a single-item answer: `{ data: {...} }` unwrapped, or the object itself. */
export function singleItem(body: unknown): Json | undefined {
  if (!isObject(body)) return undefined;
  return isObject(body.data) ? body.data : body;
}

export function str(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

export function num(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** The first defined string among the named fields. */
export function firstStr(o: Json, ...keys: string[]): string | undefined {
  for (const k of keys) {
    const v = str(o[k]);
    if (v !== undefined) return v;
  }
  return undefined;
}
