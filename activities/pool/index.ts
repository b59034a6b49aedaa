/**
 * Pool activities (RP-002..008, ED-001): the buffer with its alerts and snapshots (buffer.ts),
 * purchases of domains with their mailboxes and warmup, numbers and seat requests
 * (purchases.ts), seat reconciliation and the daily warmup tick (seats-warmup.ts).
 */
import { createBufferActivities } from './buffer.js';
import { createPurchaseActivities } from './purchases.js';
import { createSeatAndWarmupActivities } from './seats-warmup.js';
import type { PoolDeps } from './types.js';

export function createPoolActivities(deps: PoolDeps) {
  return {
    ...createBufferActivities(deps),
    ...createPurchaseActivities(deps),
    ...createSeatAndWarmupActivities(deps),
  };
}
export type { PoolDeps, PoolSettings } from './types.js';
export { providerTag } from './purchases.js';
