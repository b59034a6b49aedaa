/**
 * ProviderError: the permanent-failure type every adapter throws (retryable=false), and the
 * transient one some throw with retryable=true. The convention is in the header of ../ports.ts.
 */

export class ProviderError extends Error {
  constructor(
    readonly provider: string,
    /** Stable machine code, e.g. 'invalid_number', 'auth_failed', 'rate_limited'. */
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    /** Seconds to wait before retrying, when the provider said (Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}
