/**
 * Sandbox phone numbers (Twilio, RP-007): a NumberProvider that sells Australian mobiles derived
 * from the purchase tag, in memory, recording each purchase (behaviour: pool.ts).
 */
import { createHash } from 'node:crypto';
import { ProviderError, type NumberProvider, type OwnedNumber, type SandboxRecorder } from '../ports.js';
import { SANDBOX_POOL_PROVIDERS } from './pool-providers.js';
import { sandboxId } from './recorder.js';

/** '+61400' + 6 digits from a hash of the tag and an attempt counter. */
function sandboxAuNumber(tag: string, attempt: number): string {
  const h = createHash('sha256').update(`${tag}\u0000${attempt}`).digest();
  return `+61400${String(h.readUInt32BE(0) % 1_000_000).padStart(6, '0')}`;
}

export function createSandboxNumberProvider(recorder: SandboxRecorder): NumberProvider {
  const provider = SANDBOX_POOL_PROVIDERS.numbers;
  const numbers: OwnedNumber[] = [];
  const used = new Set<string>();
  let counter = 0;

  return {
    async findNumbers(tag) {
      return numbers.filter((n) => n.tag === tag).map((n) => ({ ...n }));
    },

    async buyNumber(input) {
      if (input.country.trim().toUpperCase() !== 'AU') {
        throw new ProviderError(
          provider,
          'unsupported_country',
          `the sandbox sells Australian numbers only, not ${input.country}`,
          false,
          400,
        );
      }
      if (!input.tag) throw new ProviderError(provider, 'invalid_request', 'a purchase tag is required', false, 400);
      let e164 = sandboxAuNumber(input.tag, counter++);
      while (used.has(e164)) e164 = sandboxAuNumber(input.tag, counter++);
      used.add(e164);
      const owned: OwnedNumber = { ref: sandboxId('number'), e164, tag: input.tag };
      numbers.push(owned);
      await recorder.record({
        provider,
        kind: 'number_purchase',
        to: e164,
        payload: {
          ...owned,
          country: 'AU',
          ...(input.smsUrl !== undefined ? { smsUrl: input.smsUrl } : {}),
          ...(input.statusCallback !== undefined ? { statusCallback: input.statusCallback } : {}),
        },
      });
      return { ...owned };
    },
  };
}
