/** Sandbox DNCR register: deterministic, nothing is registered unless listed. */
import type { DncrRegister, DncrResult } from '../ports.js';

/** Australian E.164 number as the register washes them: +61 and 9 digits. */
const AU_E164_RE = /^\+61\d{9}$/;

export interface SandboxDncrOptions {
  /** E.164 numbers to report as registered. */
  registered?: ReadonlySet<string>;
  /** Simulate the register being unreachable: wash throws (callers fail closed). */
  unavailable?: boolean;
}

/** 'registered' for listed numbers, 'invalid' for anything but +61 and 9 digits, else 'not_registered'. */
export function createSandboxDncrRegister(opts: SandboxDncrOptions = {}): DncrRegister {
  const registered = opts.registered ?? new Set<string>();
  return {
    async wash(numbersE164: string[], _clientReferenceId: string): Promise<Map<string, DncrResult>> {
      if (opts.unavailable) throw new Error('sandbox DNCR register: unavailable (simulated)');
      const out = new Map<string, DncrResult>();
      for (const n of numbersE164) {
        out.set(n, !AU_E164_RE.test(n) ? 'invalid' : registered.has(n) ? 'registered' : 'not_registered');
      }
      return out;
    },
  };
}
