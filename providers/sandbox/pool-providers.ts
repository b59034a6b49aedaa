/** The provider names of the sandbox resource pool (pool.ts), one per sandbox provider. */

/** Provider names used in recorded entries (and sandbox_outbox rows). */
export const SANDBOX_POOL_PROVIDERS = { domains: 'infraforge', warmup: 'warmforge', numbers: 'twilio', seats: 'unipile' } as const;
