/**
 * LinkedIn seat rules (LI-002, LI-003, LI-004, LI-006): weekly (rolling 7 days) and daily caps, the
 * new-seat ramp, accept-rate throttling, the ignore and withdraw deadlines, the post-accept message
 * time, and a reservation check that never lets a sequence of reservations exceed a cap.
 */
import { upperBound } from './sorted.js';
import { defaultDomainConfig, type DomainConfig } from './config.js';
import { DAY_MS, HOUR_MS, toMillis, toMillisOrUndefined, type InstantInput } from './instant.js';
import { rampLimit } from './warmup.js';
import { localDayBounds } from './windows.js';

export type SeatStatus = 'active' | 'restricted' | 'checkpoint' | 'paused';

/** Day of a seat's life, its first day being day 1 (LI-004). */
export function seatAgeDays(startedAt: InstantInput, now: InstantInput): number {
  const elapsed = toMillis(now) - toMillis(startedAt);
  return elapsed < 0 ? 0 : Math.floor(elapsed / DAY_MS) + 1;
}

/** Accept rate of the requests sent in the last 7 days; null when fewer than the minimum sample (LI-006). */
export function acceptRate(
  requests: readonly { sentAt: InstantInput; acceptedAt?: InstantInput | null }[],
  now: InstantInput,
  config: DomainConfig = defaultDomainConfig,
): { sent: number; accepted: number; rate: number | null } {
  const n = toMillis(now);
  const from = n - config.linkedin.acceptRateWindowDays * DAY_MS;
  let sent = 0;
  let accepted = 0;
  for (const r of requests) {
    const s = toMillis(r.sentAt);
    if (s <= from || s > n) continue;
    sent++;
    const a = toMillisOrUndefined(r.acceptedAt);
    if (a !== undefined && a <= n) accepted++;
  }
  return { sent, accepted, rate: sent >= config.linkedin.acceptRateMinSample && sent > 0 ? accepted / sent : null };
}

/** The cut an accept rate implies: under 30% -> 25%, under 20% -> 50%; unknown rate -> none (LI-006). */
export function acceptRateCut(rate: number | null | undefined, config: DomainConfig = defaultDomainConfig): number {
  if (rate == null || !Number.isFinite(rate)) return 0;
  let cut = 0;
  for (const t of config.linkedin.acceptRateThrottle) if (rate < t.below && t.cut > cut) cut = t.cut;
  return cut;
}

export interface SeatLimitsInput {
  /** When the seat started sending (for the new-seat ramp). */
  startedAt: InstantInput;
  status?: SeatStatus;
  /** 7-day accept rate (see acceptRate); null/undefined: no throttling. */
  acceptRate?: number | null;
}

export interface SeatLimits {
  /** Connection requests allowed per seat-local day. */
  daily: number;
  /** Connection requests allowed in any rolling 7 days. */
  weekly: number;
  /** Actions allowed in any rolling hour (pacing). */
  hourly: number | null;
  paused: boolean;
  /** Why the limits are what they are: 'ramp_day_<n>', 'accept_rate_cut_<pct>', 'status_<status>'. */
  reasons: string[];
}

/**
 * A seat's limits now: 20 a day and 80 a rolling week; a new seat ramps 5/10/15/20 a day over its
 * first two weeks; a 7-day accept rate under 30% cuts both by 25%, under 20% by 50%; a restricted
 * or checkpointed seat is paused (LI-004, LI-006).
 */
export function seatLimits(seat: SeatLimitsInput, now: InstantInput, config: DomainConfig = defaultDomainConfig): SeatLimits {
  const li = config.linkedin;
  const hourly = config.windows.linkedin.maxPerHour;
  const status = seat.status ?? 'active';
  if (status !== 'active') return { daily: 0, weekly: 0, hourly, paused: true, reasons: [`status_${status}`] };
  const reasons: string[] = [];
  const age = seatAgeDays(seat.startedAt, now);
  let daily = li.dailyCap;
  if (age <= li.rampDays) {
    daily = Math.min(daily, rampLimit(li.newSeatRamp, age));
    reasons.push(`ramp_day_${age}`);
  }
  let weekly = li.weeklyCap;
  const cut = acceptRateCut(seat.acceptRate, config);
  if (cut > 0) {
    daily = Math.floor(daily * (1 - cut) + 1e-9);
    weekly = Math.floor(weekly * (1 - cut) + 1e-9);
    reasons.push(`accept_rate_cut_${Math.round(cut * 100)}`);
  }
  return { daily, weekly, hourly, paused: false, reasons };
}

export interface ReservationLimits {
  daily: number;
  weekly: number;
  /** Rolling-hour pacing; null/undefined: none. */
  hourly?: number | null;
  /** Seat zone for the calendar day of the daily cap (UTC when absent). */
  zone?: string;
  paused?: boolean;
}

export type ReserveResult = { ok: true } | { ok: false; reason: 'paused' | 'daily_cap' | 'weekly_cap' | 'hourly_cap'; retryAt?: Date };

/**
 * Whether one more event at `t` keeps every rolling window (u - w, u] that contains t at or under
 * `cap`. The windows containing t end in [t, t + w); the count only rises at event times, so it
 * is enough to check u = t and u = each event in [t, t + w). Works for out-of-order histories.
 */
function rollingRoom(sorted: readonly number[], t: number, w: number, cap: number): boolean {
  if (cap <= 0) return false;
  const check = (u: number) => upperBound(sorted, u) - upperBound(sorted, u - w) + 1 <= cap;
  if (!check(t)) return false;
  for (let i = upperBound(sorted, t - 1); i < sorted.length && sorted[i]! < t + w; i++) {
    if (!check(sorted[i]!)) return false;
  }
  return true;
}

function rollingRetryAt(sorted: readonly number[], t: number, w: number, cap: number): Date | undefined {
  if (cap <= 0) return undefined;
  const hi = upperBound(sorted, t);
  if (hi < sorted.length) return undefined; // future reservations exist: no simple answer
  const idx = hi - cap;
  return idx >= 0 ? new Date(sorted[idx]! + w) : undefined;
}

/**
 * Whether a seat may reserve one more connection request at `now` given the instants of its
 * earlier reservations (in any order): at most `daily` in the seat-local calendar day, `weekly`
 * in any rolling 7 days, and `hourly` in any rolling hour. A property test proves no sequence of
 * reservations accepted by this check exceeds a cap (LI-004).
 */
export function canReserve(
  history: readonly InstantInput[],
  now: InstantInput,
  limits: ReservationLimits,
  config: DomainConfig = defaultDomainConfig,
): ReserveResult {
  if (limits.paused) return { ok: false, reason: 'paused' };
  const t = toMillis(now);
  const sorted = history.map(toMillis).sort((a, b) => a - b);

  let dayStart: number;
  let dayEnd: number;
  if (limits.zone) {
    const b = localDayBounds(limits.zone, t);
    dayStart = b.start.getTime();
    dayEnd = b.end.getTime();
  } else {
    dayStart = Math.floor(t / DAY_MS) * DAY_MS;
    dayEnd = dayStart + DAY_MS;
  }
  const today = upperBound(sorted, dayEnd - 1) - upperBound(sorted, dayStart - 1);
  if (today + 1 > limits.daily) return { ok: false, reason: 'daily_cap', retryAt: new Date(dayEnd) };

  const week = config.linkedin.weeklyWindowDays * DAY_MS;
  if (!rollingRoom(sorted, t, week, limits.weekly)) {
    const retryAt = rollingRetryAt(sorted, t, week, limits.weekly);
    return retryAt ? { ok: false, reason: 'weekly_cap', retryAt } : { ok: false, reason: 'weekly_cap' };
  }
  if (limits.hourly != null && !rollingRoom(sorted, t, HOUR_MS, limits.hourly)) {
    const retryAt = rollingRetryAt(sorted, t, HOUR_MS, limits.hourly);
    return retryAt ? { ok: false, reason: 'hourly_cap', retryAt } : { ok: false, reason: 'hourly_cap' };
  }
  return { ok: true };
}

export type ConnectionState = 'pending' | 'accepted' | 'ignored' | 'withdrawn';

/** When a request counts as ignored (14 days) and when it is withdrawn (30 days) (LI-002). */
export function connectionDeadlines(
  sentAt: InstantInput,
  config: DomainConfig = defaultDomainConfig,
): { ignoredAt: Date; withdrawAt: Date } {
  const s = toMillis(sentAt);
  return {
    ignoredAt: new Date(s + config.linkedin.ignoredAfterDays * DAY_MS),
    withdrawAt: new Date(s + config.linkedin.withdrawAfterDays * DAY_MS),
  };
}

/**
 * State of a connection request at `now`: accepted once accepted (before the withdrawal);
 * otherwise pending, ignored from 14 days without answer, withdrawn from 30 days (LI-002).
 */
export function connectionStateAt(
  sentAt: InstantInput,
  acceptedAt: InstantInput | null | undefined,
  now: InstantInput,
  config: DomainConfig = defaultDomainConfig,
): ConnectionState {
  const n = toMillis(now);
  const { ignoredAt, withdrawAt } = connectionDeadlines(sentAt, config);
  const a = toMillisOrUndefined(acceptedAt);
  if (a !== undefined && a <= n && a < withdrawAt.getTime()) return 'accepted';
  if (n >= withdrawAt.getTime()) return 'withdrawn';
  if (n >= ignoredAt.getTime()) return 'ignored';
  return 'pending';
}

/**
 * When the first message goes after acceptance: 2 days later (LI-003). The caller then moves it
 * into the seat's LinkedIn window with nextSendTime({ channel: 'linkedin', ... }).
 */
export function postAcceptMessageAt(acceptedAt: InstantInput, config: DomainConfig = defaultDomainConfig): Date {
  return new Date(toMillis(acceptedAt) + config.linkedin.messageAfterAcceptDays * DAY_MS);
}
