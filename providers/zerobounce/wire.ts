/**
 * ZeroBounce's batch validation wire format (API v2), and what its answers mean.
 *
 * Request: `POST {baseUrl}/v2/validatebatch` (baseUrl default https://bulkapi.zerobounce.net),
 * JSON body `{ api_key, email_batch: [{ email_address, ip_address: null }] }`, at most 200
 * addresses per request.
 * Answer 200: `{ email_batch: [{ address, status, sub_status, free_email, ... }], errors:
 * [{ error, email_address }] }`; an error whose email_address is 'all' (or a top-level `error`)
 * refuses the whole request: "Invalid API Key or your account ran out of credits" and the like.
 *
 * Statuses: valid -> valid; invalid, spamtrap, abuse, do_not_mail -> invalid; catch-all -> risky;
 * unknown (and anything new) -> unknown. `free_email` true: a free mail provider's address.
 *
 * ASSUMPTIONS (from ZeroBounce's public SDKs and docs, without internet access; TO VERIFY against
 * zerobounce.net/docs before production): the path and body above; the 200-address ceiling; the
 * 'all' error form; rate limiting answered 429 (with Retry-After when given) or an error text
 * mentioning the limit; `free_email` as a JSON boolean (the string 'true' is accepted too).
 */
import type { EmailStatus } from '../../domain/lead-signals.js';
import { httpStatusError } from '../http-errors.js';
import { ProviderError, type EmailCheck } from '../ports.js';

export const ZEROBOUNCE = 'zerobounce';
export const ZEROBOUNCE_BATCH_PATH = '/v2/validatebatch';
export const ZEROBOUNCE_MAX_BATCH = 200;

export interface ZeroBounceResult {
  address?: string | null;
  status?: string | null;
  sub_status?: string | null;
  free_email?: boolean | string | null;
  [key: string]: unknown;
}

export interface ZeroBounceBatchResponse {
  email_batch?: ZeroBounceResult[] | null;
  errors?: Array<{ error?: string | null; email_address?: string | null }> | null;
  error?: string | null;
}

const STATUS: Record<string, EmailStatus> = {
  valid: 'valid',
  invalid: 'invalid',
  spamtrap: 'invalid',
  abuse: 'invalid',
  do_not_mail: 'invalid',
  'catch-all': 'risky',
  catch_all: 'risky',
  unknown: 'unknown',
};

/** One result -> what the port answers. */
export function zeroBounceCheck(r: ZeroBounceResult): EmailCheck {
  const raw = (r.status ?? '').trim().toLowerCase();
  const detail = [raw, (r.sub_status ?? '').trim()].filter(Boolean).join(': ');
  const free = r.free_email === true || (typeof r.free_email === 'string' && r.free_email.toLowerCase() === 'true');
  return { status: STATUS[raw] ?? 'unknown', ...(detail ? { detail } : {}), ...(free ? { freeEmail: true } : {}) };
}

/** The refusal of a whole request written in a 200 answer, as the ProviderError to throw. */
export function zeroBounceRefusal(message: string): ProviderError {
  if (/rate|too many|limit exceeded/i.test(message)) return new ProviderError(ZEROBOUNCE, 'rate_limited', `ZeroBounce: ${message}`, true);
  if (/api.?key|credit/i.test(message)) return new ProviderError(ZEROBOUNCE, 'auth_failed', `ZeroBounce: ${message}`, false);
  return new ProviderError(ZEROBOUNCE, 'provider_rejected', `ZeroBounce: ${message}`, false);
}

/** A non-2xx answer -> ProviderError (the shared status table; the error text in the message). */
export function classifyZeroBounceError(status: number, body: unknown, retryAfter: string | null): ProviderError {
  const b = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const text =
    typeof b.error === 'string' ? b.error : typeof b.message === 'string' ? b.message : typeof body === 'string' ? body.slice(0, 200) : '';
  return httpStatusError(ZEROBOUNCE, status, `ZeroBounce batch validation failed (${status})${text ? `: ${text}` : ''}`, retryAfter);
}
