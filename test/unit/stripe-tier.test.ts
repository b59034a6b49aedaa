import { describe, expect, it } from 'vitest';
import { priceTierConfig, tierOfFacts } from '../../api/webhooks/providers/stripe.js';

const config = priceTierConfig({ Ignition: 'price_i', Velocity: 'price_v', Dominance: 'price_d' });

describe('Stripe price -> tier (SYS-005)', () => {
  it.each([
    [{ priceId: 'price_v' }, 'Velocity'],
    [{ priceId: 'price_d', tierHint: 'Ignition' }, 'Dominance'], // the price decides, not the metadata
    [{ priceId: 'price_unknown', tierHint: 'Velocity' }, null], // a price of no tier: nothing to allocate (alert)
    [{ tierHint: 'velocity' }, 'Velocity'], // no price on the event: the checkout's metadata
    [{ tierHint: 'gold' }, undefined],
    [{}, undefined],
  ] as const)('SYS-005: %o -> %s', (facts, tier) => {
    expect(tierOfFacts(facts, config)).toBe(tier);
  });
});
