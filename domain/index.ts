/**
 * Agency OS business rules: pure functions, no I/O, no clock (`now` is always passed in).
 * See docs/domain-rules.md for the rule -> file -> function -> requirement map.
 *
 * Workflow code that wants a small bundle may import the individual files instead
 * (e.g. './sequence.js'); windows/timezone pull in the place and holiday data packages.
 */
export * from './config.js';
export * from './instant.js';
export * from './scoring.js';
export * from './channels.js';
export * from './sequence.js';
export * from './places.js';
export * from './holidays.js';
export * from './timezone.js';
export * from './windows.js';
export * from './warmup.js';
export * from './warmup-volume.js';
export * from './domain-health.js';
export * from './mailbox-rotation.js';
export * from './sms.js';
export * from './dncr.js';
export * from './voice.js';
export * from './linkedin.js';
export * from './pool.js';
export * from './churn.js';
export * from './reply-intent.js';
export * from './phone.js';
export * from './billing.js';
