/**
 * DNCR failures (DncrError) and the register's system codes, per operation, as the errors they
 * are (all permanent). The protocol and the failure policy are in the header of soap.ts.
 */
import { ProviderError } from '../ports.js';

export const DNCR = 'dncr';

export type DncrOperation = 'WashNumbers' | 'GetWashResult';

/** A DNCR failure; `systemCode` is the register's code when it sent one. */
export class DncrError extends ProviderError {
  constructor(
    code: string,
    message: string,
    retryable: boolean,
    readonly systemCode?: number,
    readonly operation?: DncrOperation,
    status?: number,
  ) {
    super(DNCR, code, message, retryable, status);
    this.name = 'DncrError';
  }
}

// ---- System codes ----------------------------------------------------------------------------

const WASH_CODES: Record<number, [string, string]> = {
  1: ['bad_request', 'missing Telemarketer ID, password or numbers, or Telemarketer ID not numeric'],
  3: ['account_inactive', 'account or wash-only user missing, inactive or suspended by ACMA'],
  4: ['no_subscription', 'no current subscription (missing or expired)'],
  5: ['insufficient_balance', 'insufficient account balance for this wash'],
};
const RESULT_CODES: Record<number, [string, string]> = {
  1: ['bad_request', 'missing Telemarketer ID, password or reference'],
  2: ['unknown_reference', 'ClientReferenceId does not exist'],
  3: ['account_inactive', 'account or wash-only user does not exist'],
};

export function systemCodeError(operation: DncrOperation, code: number): DncrError {
  const [c, meaning] = (operation === 'WashNumbers' ? WASH_CODES : RESULT_CODES)[code] ?? ['register_error', 'unknown system code'];
  return new DncrError(c, `DNCR ${operation} returned system code ${code}: ${meaning}`, false, code, operation);
}
