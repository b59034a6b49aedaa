/**
 * Email warmup ramp and the daily limit a mailbox sends under (ED-001, ED-004, ED-006, RP-006),
 * with the client's daily cap and the share kept for replies.
 *
 * Who decides what: warmup:{domainId} writes the ramp's limit for the domain's age into each
 * mailbox row every day (warmupDailyLimit -> mailboxes.daily_limit) until the domain is ready and
 * the ramp complete; every send takes its limit from that row through mailboxSendLimit.
 */
import { defaultDomainConfig, type DomainConfig } from './config.js';
import { healthDailyLimitCap, type DomainHealthClass } from './domain-health.js';
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

/** The day the ramp's last step starts (day 22 by default) (ED-001). */
export function warmupRampFinalDay(config: DomainConfig = defaultDomainConfig): number {
  const steps = config.email.warmupRamp;
  return steps[steps.length - 1]!.fromDay;
}

/**
 * The ramp has reached its last step on `day`: from then on a mailbox's limit no longer changes
 * with its domain's age (ED-001).
 */
export function isWarmupRampComplete(domainAgeDay: number, config: DomainConfig = defaultDomainConfig): boolean {
  return Math.floor(domainAgeDay) >= warmupRampFinalDay(config);
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

export interface MailboxSendLimitInput {
  /**
   * The mailbox row's daily limit (mailboxes.daily_limit): the warmup ramp's limit for its domain's
   * age, written every day by warmup:{domainId} (warmupDailyLimit).
   */
  dailyLimit: number;
  /** Latest Warmforge heat score of the domain: cold sends only from 85. */
  heatScore?: number | null;
  /** Domain health class over the last 30 days (default 'good'). */
  health?: DomainHealthClass;
  /** The mailbox or its domain is paused. */
  paused?: boolean;
}

export interface MailboxSendLimit {
  /** Sends per day, replies included. */
  total: number;
  /** Of which kept for replies. */
  replyReserve: number;
  /** Cold sends allowed today. */
  cold: number;
  /** Whether the domain may send cold email at all (heat >= 85, not Critical, not paused). */
  coldReady: boolean;
  /**
   * What decided the total: the row's ramp limit, the per-mailbox cap (50), the Warning limit
   * (35), Critical (0) or a pause. On a tie the first of ramp, mailbox_cap, health_warning.
   */
  basis: 'ramp' | 'mailbox_cap' | 'health_warning' | 'health_critical' | 'paused';
}

/**
 * The daily limit a mailbox sends under today, the one rule every send uses (ED-001, ED-004,
 * ED-006): min(the mailbox row's ramp limit, the per-mailbox cap of 50, the domain-health cap:
 * 35 in Warning, 0 when Critical); 0 when paused; 10% of it kept for replies; cold sends only once
 * the domain is ready (heat >= 85).
 */
export function mailboxSendLimit(input: MailboxSendLimitInput, config: DomainConfig = defaultDomainConfig): MailboxSendLimit {
  const none = (basis: MailboxSendLimit['basis']): MailboxSendLimit => ({ total: 0, replyReserve: 0, cold: 0, coldReady: false, basis });
  if (input.paused) return none('paused');
  const health = input.health ?? 'good';
  if (health === 'critical') return none('health_critical');
  let total = Number.isFinite(input.dailyLimit) ? Math.max(0, Math.floor(input.dailyLimit)) : 0;
  let basis: MailboxSendLimit['basis'] = 'ramp';
  if (config.email.warmedMailboxDailyLimit < total) {
    total = config.email.warmedMailboxDailyLimit;
    basis = 'mailbox_cap';
  }
  const healthCap = healthDailyLimitCap(health, config);
  if (healthCap !== null && healthCap < total) {
    total = healthCap;
    basis = 'health_warning';
  }
  const reserve = replyReserve(total, config);
  const coldReady = isReadyForColdSending(input.heatScore, config);
  return { total, replyReserve: reserve, cold: coldReady ? total - reserve : 0, coldReady, basis };
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
