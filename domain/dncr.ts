/**
 * Australian Do Not Call Register (SM-001, SM-002): wash freshness and the fail-closed decision.
 */
import { defaultDomainConfig, type Channel, type DomainConfig } from './config.js';
import { DAY_MS, MINUTE_MS, toMillis, toMillisOrUndefined, type InstantInput } from './instant.js';
import { phoneCountry } from './phone.js';

/**
 * Whether a wash done at `washedAt` is still valid at `now`: valid for 30 days, i.e. while
 * `now < washedAt + 30 days`. A missing wash is not fresh; a wash in the future beyond the
 * clock-skew tolerance is treated as not fresh (fail closed) (SM-001, SM-002).
 */
export function isWashFresh(
  washedAt: InstantInput | null | undefined,
  now: InstantInput,
  config: DomainConfig = defaultDomainConfig,
): boolean {
  const w = toMillisOrUndefined(washedAt);
  if (w === undefined) return false;
  const age = toMillis(now) - w;
  return age < config.dncr.washValidDays * DAY_MS && age >= -config.dncr.clockSkewToleranceMinutes * MINUTE_MS;
}

/** When a wash done at `washedAt` stops being valid (SM-002). */
export function washExpiresAt(washedAt: InstantInput, config: DomainConfig = defaultDomainConfig): Date {
  return new Date(toMillis(washedAt) + config.dncr.washValidDays * DAY_MS);
}

/** Whether the number must be (re-)washed before it can be called or texted (SM-002, SDK-002). */
export function needsWash(
  washedAt: InstantInput | null | undefined,
  now: InstantInput,
  config: DomainConfig = defaultDomainConfig,
): boolean {
  return !isWashFresh(washedAt, now, config);
}

export interface DncrStatus {
  /** Result of the last wash (or live check): true = on the register; null/undefined = unknown. */
  registered?: boolean | null;
  /** When that result was obtained. */
  washedAt?: InstantInput | null;
  /** false when the register cannot be reached right now. */
  registerAvailable?: boolean;
}

export type DncrReason =
  /** Washed within 30 days and not on the register. */
  | 'clear'
  /** Washed within 30 days and on the register. */
  | 'registered'
  /** Never washed: a wash is needed first. */
  | 'not_washed'
  /** The wash is older than 30 days: a new wash is needed first. */
  | 'wash_stale'
  /** A wash is needed and the register cannot answer: fail closed. */
  | 'register_unavailable'
  /** A fresh wash with no usable result: fail closed. */
  | 'unknown_result';

export interface DncrDecision {
  allowed: boolean;
  reason: DncrReason;
  /** When the wash behind an allowed decision expires. */
  validUntil?: Date;
}

/**
 * The decision before a call or SMS to a number the register covers. Allowed only on a fresh wash
 * (30 days) that says "not registered"; every other case (registered, no wash, stale wash,
 * register unavailable, unknown result) is not allowed: fail closed (SM-001, SM-002).
 */
export function dncrDecision(status: DncrStatus, now: InstantInput, config: DomainConfig = defaultDomainConfig): DncrDecision {
  const fresh = isWashFresh(status.washedAt, now, config);
  if (!fresh) {
    if (status.registerAvailable === false) return { allowed: false, reason: 'register_unavailable' };
    return { allowed: false, reason: status.washedAt == null ? 'not_washed' : 'wash_stale' };
  }
  if (status.registered === true) return { allowed: false, reason: 'registered' };
  if (status.registered === false) return { allowed: true, reason: 'clear', validUntil: washExpiresAt(status.washedAt!, config) };
  return { allowed: false, reason: 'unknown_result' };
}

/**
 * Whether the register applies to a touch: numbers of a covered country (AU) on voice, and on SMS
 * because the owner asked (configurable) (SM-001).
 */
export function dncrApplies(phoneE164: string | null | undefined, channel: Channel, config: DomainConfig = defaultDomainConfig): boolean {
  if (!phoneE164) return false;
  if (channel !== 'voice' && !(channel === 'sms' && config.dncr.applyToSms)) return false;
  const country = phoneCountry(phoneE164);
  // A number whose country cannot be told is treated as covered (fail closed).
  return country === undefined || config.dncr.countries.includes(country);
}
