/**
 * Churn hold (RP-010): on cancellation the client's sequences pause at once and its resources are
 * held 30 days, then released to the pool; a reactivation inside the 30 days cancels the hold.
 */
import { DAY_MS, toMillis, toMillisOrUndefined, type InstantInput } from './instant.js';

/** DOMAIN.md: a cancelled client's resources are held 30 days (the default of config.churn.holdDays). */
export const CHURN_HOLD_DAYS = 30;

/**
 * The part of the configuration these rules read. Not DomainConfig itself: the churn-hold workflow
 * uses churnReleaseAt, and the configuration module (zod, luxon) must stay out of the workflow bundle.
 */
export interface ChurnConfig {
  churn: { holdDays: number };
}
const DEFAULT_CHURN: ChurnConfig = { churn: { holdDays: CHURN_HOLD_DAYS } };

/** When held resources are released: cancellation + 30 days (RP-010). */
export function churnReleaseAt(cancelledAt: InstantInput, config: ChurnConfig = DEFAULT_CHURN): Date {
  return new Date(toMillis(cancelledAt) + config.churn.holdDays * DAY_MS);
}

export type ChurnHoldState = 'holding' | 'released' | 'cancelled';

/**
 * State of a churn hold at `now`: 'cancelled' when the client reactivated before the release date,
 * 'released' from the release date on, else 'holding' (RP-010).
 */
export function churnHoldState(
  hold: { cancelledAt: InstantInput; reactivatedAt?: InstantInput | null },
  now: InstantInput,
  config: ChurnConfig = DEFAULT_CHURN,
): { state: ChurnHoldState; releaseAt: Date } {
  const releaseAt = churnReleaseAt(hold.cancelledAt, config);
  const r = toMillisOrUndefined(hold.reactivatedAt);
  const n = toMillis(now);
  if (r !== undefined && r <= n && r < releaseAt.getTime() && r >= toMillis(hold.cancelledAt)) return { state: 'cancelled', releaseAt };
  return { state: n >= releaseAt.getTime() ? 'released' : 'holding', releaseAt };
}
