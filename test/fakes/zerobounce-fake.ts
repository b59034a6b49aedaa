/**
 * A fake ZeroBounce batch validation API (v2) on test/fakes/http-fake.ts, speaking the wire format
 * of providers/zerobounce/wire.ts: `POST /v2/validatebatch` with `{ api_key, email_batch:
 * [{ email_address, ip_address }] }` answers `{ email_batch: [{ address, status, sub_status,
 * free_email, ... }], errors: [] }`.
 *
 *   const zb = createZeroBounceFake({ apiKey: 'zb-key' });
 *   zb.setStatus('ann@acme.com', 'valid');               // default: 'valid' for every address
 *   zb.setStatus('bob@acme.com', 'catch-all', 'role_based');
 *   zb.failNext({ status: 429, headers: { 'retry-after': '3' } });
 *   zb.refuseKey = true;                                  // 200 with errors: [{ email_address: 'all' }]
 *   const { baseUrl } = await zb.start();
 *
 * Behaviour: a wrong api_key answers 200 `{ email_batch: [], errors: [{ error: 'Invalid API Key or
 * your account ran out of credits', email_address: 'all' }] }` (as ZeroBounce does); more than 200
 * addresses is a 400; gmail.com, yahoo.com, outlook.com and hotmail.com addresses are free_email.
 */
import { HttpFake, type FakeAnswer, type FakeRequest, type ScriptedFailure } from './http-fake.js';

export const ZEROBOUNCE_FAKE_PATH = '/v2/validatebatch';
const FREE = new Set(['gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com']);

export function createZeroBounceFake(options: { apiKey?: string } = {}) {
  const apiKey = options.apiKey ?? 'zerobounce-test-key';
  const statuses = new Map<string, { status: string; sub_status: string }>();
  const state = { refuseKey: false };

  function route(req: FakeRequest): FakeAnswer {
    if (req.method !== 'POST' || req.path !== ZEROBOUNCE_FAKE_PATH) return { status: 404, body: { error: 'Not found' } };
    const body = (req.body ?? {}) as { api_key?: string; email_batch?: Array<{ email_address?: string }> };
    if (state.refuseKey || body.api_key !== apiKey) {
      return {
        status: 200,
        body: { email_batch: [], errors: [{ error: 'Invalid API Key or your account ran out of credits', email_address: 'all' }] },
      };
    }
    const batch = Array.isArray(body.email_batch) ? body.email_batch : [];
    if (batch.length > 200) return { status: 400, body: { error: 'email_batch must contain at most 200 addresses' } };
    const email_batch = batch.map(({ email_address = '' }) => {
      const address = email_address.toLowerCase();
      const s = statuses.get(address) ?? { status: 'valid', sub_status: '' };
      return { address, ...s, free_email: FREE.has(address.split('@')[1] ?? ''), processed_at: new Date().toISOString() };
    });
    return { status: 200, body: { email_batch, errors: [] } };
  }

  const http = new HttpFake(route);
  return {
    apiKey,
    requests: http.requests,
    /** The addresses of every batch received, in order. */
    get batches(): string[][] {
      return http.requests
        .filter((r) => r.path === ZEROBOUNCE_FAKE_PATH)
        .map((r) => ((r.body as { email_batch?: { email_address: string }[] })?.email_batch ?? []).map((e) => e.email_address));
    },
    get refuseKey() {
      return state.refuseKey;
    },
    set refuseKey(v: boolean) {
      state.refuseKey = v;
    },
    setStatus(address: string, status: string, subStatus = ''): void {
      statuses.set(address.toLowerCase(), { status, sub_status: subStatus });
    },
    failNext(failure: Omit<ScriptedFailure, 'path'>): void {
      http.failNext({ path: ZEROBOUNCE_FAKE_PATH, ...failure });
    },
    start: () => http.start(),
    stop: () => http.stop(),
    reset(): void {
      http.reset();
      statuses.clear();
      state.refuseKey = false;
    },
  };
}
export type ZeroBounceFake = ReturnType<typeof createZeroBounceFake>;
