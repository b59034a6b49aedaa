/** Signed Stripe test events: the builders live with the adapter (also used by scripts/stripe-event.ts). */
export * from '../../providers/stripe/simulated-events.js';
