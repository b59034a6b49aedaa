/**
 * Sandbox email verifier (no ZEROBOUNCE_API_KEY): it cannot reach a mail server, so it verifies
 * nothing: every address is 'unknown' ("not verified"), which earns no verified-email points.
 * Addresses whose local part names a status, the way ZeroBounce's own sandbox addresses do
 * ('valid@…', 'invalid@…', 'catch_all@…', 'spamtrap@…', 'abuse@…', 'do_not_mail@…'), answer that
 * status, so demos and tests can show each outcome.
 */
import type { EmailCheck, EmailVerifier } from '../ports.js';
import { zeroBounceCheck } from '../zerobounce/wire.js';

const NAMED = new Set(['valid', 'invalid', 'catch_all', 'catch-all', 'unknown', 'spamtrap', 'abuse', 'do_not_mail']);

export function createSandboxEmailVerifier(): EmailVerifier {
  return {
    name: 'sandbox',
    maxBatch: 200,
    async verify(emails) {
      const out = new Map<string, EmailCheck>();
      for (const raw of emails) {
        const address = raw.trim().toLowerCase();
        const local = address.split('@')[0] ?? '';
        out.set(
          address,
          NAMED.has(local)
            ? zeroBounceCheck({ status: local.replace('_all', '-all') })
            : { status: 'unknown', detail: 'sandbox: not verified' },
        );
      }
      return out;
    },
  };
}
