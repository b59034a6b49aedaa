/**
 * The register of a deployment that never calls or texts the numbers the Do Not Call Register
 * covers (AU_CALLS_AND_SMS=off, no DNCR credentials): every wash is refused with a permanent
 * ProviderError('dncr', 'not_configured'), so callers fail closed (SM-001, SM-002): those numbers
 * stay unwashed and their calls and SMS are skipped ('dncr_unavailable'), never sent unwashed.
 */
import { ProviderError, type DncrRegister } from '../ports.js';
import { DNCR } from './errors.js';

export const DNCR_NOT_CONFIGURED = 'not_configured';

export function createRefusingDncrRegister(): DncrRegister {
  return {
    async wash(numbersE164: string[]): Promise<never> {
      throw new ProviderError(
        DNCR,
        DNCR_NOT_CONFIGURED,
        `AU_CALLS_AND_SMS=off: no Do Not Call Register; ${numbersE164.length} number(s) not washed, so never called or texted`,
        false,
      );
    },
  };
}
