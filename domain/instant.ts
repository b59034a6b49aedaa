/**
 * Small pure helpers for instants and seeded randomness shared by the domain rules.
 * No clock is read here: every instant is passed in.
 */

/** An instant as a Date, an ISO-8601 string or epoch milliseconds. */
export type InstantInput = Date | string | number;

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** An ISO date-time without a UTC offset ("2025-06-02T09:00"): read as UTC, never in the process's zone. */
const ISO_WITHOUT_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?$/;

/**
 * Epoch milliseconds of an instant; throws a RangeError on an invalid one. ISO strings without an
 * offset are read as UTC so results never depend on the machine's zone (every rule takes `now`; ED-003).
 */
export function toMillis(at: InstantInput): number {
  let ms: number;
  if (typeof at === 'number') ms = at;
  else if (at instanceof Date) ms = at.getTime();
  else if (typeof at === 'string') ms = Date.parse(ISO_WITHOUT_OFFSET.test(at) ? `${at.replace(' ', 'T')}Z` : at);
  else ms = Number.NaN;
  if (!Number.isFinite(ms)) throw new RangeError(`invalid instant: ${String(at)}`);
  return ms;
}

/** Optional instant: null/undefined stay undefined (SM-002 wash dates, LI-002 accept dates). */
export function toMillisOrUndefined(at: InstantInput | null | undefined): number | undefined {
  return at == null ? undefined : toMillis(at);
}

/** FNV-1a 32-bit hash of a string, deterministic across runs and platforms (ED-003 seeded minute). */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** One mulberry32 step: a well-mixed 32-bit value from a 32-bit state (ED-003 seeded minute). */
export function mulberry32(state: number): number {
  let t = (state + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

/** A deterministic integer in [0, n) for a seed string, n >= 1 (ED-003 random minute, SYS-003 answer delay). */
export function seededIndex(seed: string, n: number): number {
  if (n <= 1) return 0;
  return mulberry32(fnv1a(seed)) % n;
}

/** Days since 1970-01-01 of a civil date, proleptic Gregorian (ED-003 local days). */
export function civilToDayNumber(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / DAY_MS);
}

/** ISO weekday (1 = Monday .. 7 = Sunday) of a day number (ED-003, VO-005 weekdays). */
export function isoWeekdayOfDayNumber(dayNum: number): number {
  return ((((dayNum + 3) % 7) + 7) % 7) + 1;
}

/** 'YYYY-MM-DD' of a day number (SYS-003 return dates). */
export function dayNumberToIsoDate(dayNum: number): string {
  return new Date(dayNum * DAY_MS).toISOString().slice(0, 10);
}
