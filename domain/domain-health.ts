/**
 * Domain health over a rolling 30 days (RP-009, ED-004): Good / Warning / Critical from bounce
 * and complaint rates, the daily limit each class implies, and retirement candidates.
 */
import { defaultDomainConfig, type DomainConfig } from './config.js';
import { civilToDayNumber, DAY_MS, toMillis, type InstantInput } from './instant.js';

export type DomainHealthClass = 'good' | 'warning' | 'critical';

export interface DomainRates {
  /** Bounces / sent over the window, as a fraction (0.02 = 2%). */
  bounceRate: number;
  /** Complaints / sent over the window, as a fraction (0.0005 = 0.05%). */
  complaintRate: number;
}

export interface DomainCounts {
  sent: number;
  bounced: number;
  complaints: number;
}

/** Rates from counts; no sends means zero rates (RP-009). */
export function domainRates(counts: DomainCounts): DomainRates {
  if (!(counts.sent > 0)) return { bounceRate: 0, complaintRate: 0 };
  return { bounceRate: counts.bounced / counts.sent, complaintRate: counts.complaints / counts.sent };
}

/**
 * Health class: Critical when bounce > 5% or complaints > 0.1%; Warning when bounce is 2-5% or
 * complaints 0.05-0.1% (both ends inclusive); else Good (bounce < 2% and complaints < 0.05%)
 * (RP-009, ED-004).
 */
export function domainHealthClass(rates: DomainRates, config: DomainConfig = defaultDomainConfig): DomainHealthClass {
  const h = config.domainHealth;
  if (rates.bounceRate > h.criticalBounceRate || rates.complaintRate > h.criticalComplaintRate) return 'critical';
  if (rates.bounceRate >= h.warningBounceRate || rates.complaintRate >= h.warningComplaintRate) return 'warning';
  return 'good';
}

export interface DomainHealth {
  class: DomainHealthClass;
  rates: DomainRates;
  /** Per-mailbox daily limit the class implies: null = the mailbox's own (full) limit, 35 in Warning, 0 when Critical. */
  dailyLimitCap: number | null;
  /** Sending is paused (Critical). */
  paused: boolean;
  /** Raise an alert (Warning or Critical). */
  alert: boolean;
}

/**
 * The per-mailbox daily limit a health class allows: null in Good (the mailbox's own limit), the
 * Warning limit (35) in Warning, 0 when Critical (paused) (ED-004, RP-009).
 */
export function healthDailyLimitCap(cls: DomainHealthClass, config: DomainConfig = defaultDomainConfig): number | null {
  return cls === 'good' ? null : cls === 'warning' ? config.domainHealth.warningDailyLimit : 0;
}

/** Class, limit and alert of a domain from its 30-day counts (RP-009, ED-004). */
export function domainHealth(counts: DomainCounts, config: DomainConfig = defaultDomainConfig): DomainHealth {
  const rates = domainRates(counts);
  const cls = domainHealthClass(rates, config);
  return {
    class: cls,
    rates,
    dailyLimitCap: healthDailyLimitCap(cls, config),
    paused: cls === 'critical',
    alert: cls !== 'good',
  };
}

export interface DailyDomainStats extends DomainCounts {
  /** Local date 'YYYY-MM-DD' of the stats row. */
  date: string;
}

/**
 * Sum the rows of the last 30 days ending on `today` ('YYYY-MM-DD', inclusive) and classify them
 * (RP-009, ED-004).
 */
export function domainHealthFromDaily(
  rows: readonly DailyDomainStats[],
  today: string,
  config: DomainConfig = defaultDomainConfig,
): DomainHealth {
  const dayNum = (iso: string) => civilToDayNumber(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10)));
  const last = dayNum(today);
  const first = last - config.domainHealth.windowDays + 1;
  const sum: DomainCounts = { sent: 0, bounced: 0, complaints: 0 };
  for (const r of rows) {
    const d = dayNum(r.date);
    if (d < first || d > last) continue;
    sum.sent += r.sent;
    sum.bounced += r.bounced;
    sum.complaints += r.complaints;
  }
  return domainHealth(sum, config);
}

/** A domain Critical for 7 days or more is a candidate for retirement (RP-009). */
export function isRetirementCandidate(
  criticalSince: InstantInput | null | undefined,
  now: InstantInput,
  config: DomainConfig = defaultDomainConfig,
): boolean {
  if (criticalSince == null) return false;
  return toMillis(now) - toMillis(criticalSince) >= config.domainHealth.retirementAfterCriticalDays * DAY_MS;
}
