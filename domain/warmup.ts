/**
 * Email warmup ramp and the daily limit of a mailbox (ED-001, RP-006), with the client's daily cap
 * and the share kept for replies.
 */
import { defaultDomainConfig, type DomainConfig } from './config.js';
import type { DomainHealthClass } from './domain-health.js';
import { DAY_MS, toMillis, type InstantInput } from './instant.js';

/**
 * Age of a domain in days, counting the purchase day as day 1 (so 0-24 h after purchase is day 1,
 * 24-48 h is day 2). Before the purchase instant it is 0 (ED-001).
 */
export function domainAgeDays(purchasedAt: InstantInput, now: InstantInput): number {
  const elapsed = toMillis(now) - toMillis(purchasedAt);
  return elapsed < 0 ? 0 : Math.floor(elapsed / DAY_MS) + 1;
}

/** The limit of a day-indexed ramp on `day` (ED-001 warmup ramp, LI-004 new-seat ramp). */
export function rampLimit(ramp: readonly { fromDay: number; limit: number }[], day: number): number {
  if (!(day >= 1)) return 0;
  let limit = 0;
  for (const step of ramp) {
    if (day >= step.fromDay) limit = step.limit;
    else break;
  }
  return limit;
}

/** Warmup ramp per mailbox per day by domain age: days 1-3: 5; 4-7: 10; 8-14: 20; 15-21: 35; 22+: 50 (ED-001). */
export function warmupDailyLimit(domainAgeDay: number, config: DomainConfig = defaultDomainConfig): number {
  return rampLimit(config.email.warmupRamp, Math.floor(domainAgeDay));
}

/** A domain is ready for cold sending when its warmup heat score is >= 85 (ED-001, RP-006). */
export function isReadyForColdSending(heatScore: number | null | undefined, config: DomainConfig = defaultDomainConfig): boolean {
  return heatScore != null && heatScore >= config.email.readyHeatScore;
}

/** Reply reserve of a capacity: 10% rounded up, so that cold sends never eat into it (ED-001). */
export function replyReserve(capacity: number, config: DomainConfig = defaultDomainConfig): number {
  if (capacity <= 0) return 0;
  // Integer arithmetic on percent avoids 0.1 * n floating error.
  return Math.ceil((capacity * config.email.replyReservePercent) / 100 - 1e-9);
}

export interface MailboxLimitInput {
  /** Domain age in days (see domainAgeDays). */
  domainAgeDays: number;
  /** Latest Warmforge heat score of the domain. */
  heatScore?: number | null;
  /** Domain health class over the last 30 days (default 'good'). */
  health?: DomainHealthClass;
  /** The mailbox or its domain is paused by an operator. */
  paused?: boolean;
}

export interface MailboxLimit {
  /** Sends per day, replies included. */
  total: number;
  /** Of which kept for replies. */
  replyReserve: number;
  /** Cold sends allowed today. */
  cold: number;
  /** Whether the domain may send cold email at all (heat >= 85, not critical, not paused). */
  coldReady: boolean;
  /** What decided the total. */
  basis: 'warmup_ramp' | 'warmed' | 'health_warning' | 'health_critical' | 'paused';
}

/**
 * The daily limit of a mailbox: the warmup ramp by domain age until the domain is warmed (heat
 * >= 85), then 50; capped at 35 when the domain is in Warning and 0 when Critical; 10% kept for
 * replies. Cold sends only once the domain is ready (ED-001, ED-004, RP-009).
 */
export function mailboxDailyLimit(input: MailboxLimitInput, config: DomainConfig = defaultDomainConfig): MailboxLimit {
  if (input.paused) return { total: 0, replyReserve: 0, cold: 0, coldReady: false, basis: 'paused' };
  if (input.health === 'critical') return { total: 0, replyReserve: 0, cold: 0, coldReady: false, basis: 'health_critical' };
  const warmed = isReadyForColdSending(input.heatScore, config);
  let total = warmed ? config.email.warmedMailboxDailyLimit : warmupDailyLimit(input.domainAgeDays, config);
  let basis: MailboxLimit['basis'] = warmed ? 'warmed' : 'warmup_ramp';
  if (input.health === 'warning' && total > config.domainHealth.warningDailyLimit) {
    total = config.domainHealth.warningDailyLimit;
    basis = 'health_warning';
  }
  const reserve = replyReserve(total, config);
  return { total, replyReserve: reserve, cold: warmed ? total - reserve : 0, coldReady: warmed, basis };
}

/**
 * A client's capacity for the day: the sum of its mailboxes' totals capped at 200 per client, 10%
 * kept for replies; `cold` is what the client may send cold today (ED-001, ED-006).
 */
export function clientDailyCapacity(
  mailboxTotals: readonly number[],
  config: DomainConfig = defaultDomainConfig,
): { capacity: number; replyReserve: number; cold: number } {
  let sum = 0;
  for (const t of mailboxTotals) sum += Math.max(0, t);
  const capacity = Math.min(sum, config.email.clientDailyCap);
  const reserve = replyReserve(capacity, config);
  return { capacity, replyReserve: reserve, cold: capacity - reserve };
}
