/**
 * ZeroBounce as the EmailVerifier (SYS-002 "verified email"): batch validation over plain fetch,
 * base URL injectable (a fake in tests). Wire format, status mapping and assumptions: wire.ts.
 *
 *   const zb = createZeroBounceVerifier({ apiKey, baseUrl: 'https://bulkapi.zerobounce.net' });
 *   const checks = await zb.verify(['ann@acme.com', 'bob@gmail.com']); // Map address -> EmailCheck
 *
 * Errors, all ProviderError('zerobounce', code, ...): 429 rate_limited (Retry-After) and
 * 408/5xx provider_unavailable, network_error, timeout and a 2xx that is not JSON
 * (unexpected_response) are retryable; 401/403 and "invalid API key or out of credits"
 * auth_failed, other 4xx and other whole-request refusals are not. An address the answer leaves
 * out or names in `errors` is 'unknown' with the reason as its detail.
 */
import { ProviderError, type EmailCheck, type EmailVerifier } from '../ports.js';
import { postJsonObject } from '../http-errors.js';
import {
  ZEROBOUNCE,
  ZEROBOUNCE_BATCH_PATH,
  ZEROBOUNCE_MAX_BATCH,
  classifyZeroBounceError,
  zeroBounceCheck,
  zeroBounceRefusal,
  type ZeroBounceBatchResponse,
} from './wire.js';

export { ZEROBOUNCE, ZEROBOUNCE_BATCH_PATH, ZEROBOUNCE_MAX_BATCH, zeroBounceCheck } from './wire.js';

export interface ZeroBounceOptions {
  apiKey: string;
  /** Default https://bulkapi.zerobounce.net. A trailing '/' is ignored. */
  baseUrl?: string;
  /** Per-request timeout (the batch endpoint checks mail servers: allow time). Default 120 s. */
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

export function createZeroBounceVerifier(options: ZeroBounceOptions): EmailVerifier {
  const baseUrl = (options.baseUrl ?? 'https://bulkapi.zerobounce.net').replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 120_000;
  const fetchImpl = options.fetchImpl ?? fetch;
  if (!options.apiKey) throw new ProviderError(ZEROBOUNCE, 'auth_failed', 'No ZeroBounce API key configured', false);

  const post = (body: object) =>
    postJsonObject<ZeroBounceBatchResponse>({
      provider: ZEROBOUNCE,
      what: 'ZeroBounce batch validation',
      url: `${baseUrl}${ZEROBOUNCE_BATCH_PATH}`,
      headers: {},
      body,
      timeoutMs,
      fetchImpl,
      statusError: classifyZeroBounceError,
    });

  return {
    name: ZEROBOUNCE,
    maxBatch: ZEROBOUNCE_MAX_BATCH,
    async verify(emails) {
      const addresses = [...new Set(emails.map((e) => e.trim().toLowerCase()).filter(Boolean))];
      if (addresses.length > ZEROBOUNCE_MAX_BATCH) {
        throw new ProviderError(
          ZEROBOUNCE,
          'bad_request',
          `at most ${ZEROBOUNCE_MAX_BATCH} addresses per batch (got ${addresses.length})`,
          false,
        );
      }
      const out = new Map<string, EmailCheck>();
      if (!addresses.length) return out;
      const res = await post({
        api_key: options.apiKey,
        email_batch: addresses.map((email_address) => ({ email_address, ip_address: null })),
      });
      if (typeof res.error === 'string' && res.error) throw zeroBounceRefusal(res.error);
      const errors = Array.isArray(res.errors) ? res.errors : [];
      const whole = errors.find((e) => (e?.email_address ?? '').toLowerCase() === 'all');
      if (whole) throw zeroBounceRefusal(whole.error ?? 'request refused');
      for (const r of Array.isArray(res.email_batch) ? res.email_batch : []) {
        const address = (r?.address ?? '').trim().toLowerCase();
        if (address && addresses.includes(address)) out.set(address, zeroBounceCheck(r));
      }
      for (const e of errors) {
        const address = (e?.email_address ?? '').trim().toLowerCase();
        if (addresses.includes(address) && !out.has(address)) out.set(address, { status: 'unknown', detail: e.error ?? 'error' });
      }
      for (const a of addresses) if (!out.has(a)) out.set(a, { status: 'unknown', detail: 'not in the answer' });
      return out;
    },
  };
}
