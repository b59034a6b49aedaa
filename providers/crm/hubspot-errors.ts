/**
 * What a failed HubSpot call means for a retry (DESIGN.md convention 4), read from how
 * @hubspot/api-client 14 fails (verified in node_modules/@hubspot/api-client/lib):
 * - a non-2xx JSON answer rejects with the generated `ApiException` { code: HTTP status, body:
 *   HubSpot's `{ status: 'error', message, correlationId, category }`, headers }. Each generated
 *   module has its own ApiException class, so it is recognised by shape, not `instanceof`;
 * - a network failure rejects with fetch's TypeError ('fetch failed'); a non-JSON answer (a proxy
 *   page) with the serializer's Error, its status lost;
 * - the SDK has no request timeout, so `timed` bounds each call.
 *
 * 408, 429, 5xx, network failures, timeouts and anything unrecognised: a plain Error (Temporal
 * retries the activity). 400/401/403/404 and other 4xx: ProviderError retryable=false
 * (providers/http-errors.ts codes: invalid_request, auth_failed, not_found, ...).
 */
import { httpStatusError } from '../http-errors.js';

export const HUBSPOT = 'hubspot';

interface HubSpotApiException {
  code: number;
  body: unknown;
}

/** The SDK's ApiException, by shape. */
export function apiException(err: unknown): HubSpotApiException | undefined {
  if (!(err instanceof Error)) return undefined;
  const e = err as Error & { code?: unknown; body?: unknown; headers?: unknown };
  return typeof e.code === 'number' && 'body' in e && 'headers' in e ? { code: e.code, body: e.body } : undefined;
}

/** HubSpot's error message, category and correlation id, for the message we throw. */
function describeBody(body: unknown): string {
  if (typeof body === 'string') return body.slice(0, 300);
  if (!body || typeof body !== 'object') return '';
  const b = body as { message?: unknown; category?: unknown; correlationId?: unknown };
  const parts = [b.category, b.message].filter((v): v is string => typeof v === 'string' && v !== '');
  const correlation = typeof b.correlationId === 'string' ? ` (correlationId ${b.correlationId})` : '';
  return parts.join(': ') + correlation;
}

/** The Error to throw for a failed call; `op` names the operation ("upsert deal: search deals"). */
export function hubspotError(op: string, err: unknown): Error {
  const ex = apiException(err);
  if (!ex) {
    const cause = (err as { cause?: { code?: unknown } } | null)?.cause;
    const detail = typeof cause?.code === 'string' ? ` (${cause.code})` : '';
    return new Error(`HubSpot ${op} failed: ${(err as Error | null)?.message ?? String(err)}${detail}`, { cause: err });
  }
  const message = `HubSpot ${op} failed: HTTP ${ex.code} ${describeBody(ex.body)}`.trim();
  if (ex.code === 408 || ex.code === 429 || ex.code >= 500) return new Error(message, { cause: err });
  return httpStatusError(HUBSPOT, ex.code, message);
}

/** The contact id in HubSpot's 409 for a contact whose email exists ("Contact already exists. Existing ID: 123"). */
export function existingContactId(err: unknown): string | undefined {
  const ex = apiException(err);
  if (ex?.code !== 409 || !ex.body || typeof ex.body !== 'object') return undefined;
  const message = (ex.body as { message?: unknown }).message;
  return typeof message === 'string' ? /Existing ID: ?(\d+)/.exec(message)?.[1] : undefined;
}

/** `fn()`, or a rejection after `ms` (the request itself is not aborted: the SDK takes no signal). */
export async function timed<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([fn(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
