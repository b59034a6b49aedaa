/**
 * Send windows in the recipient's local time (ED-003, VO-005; SMS and LinkedIn rules of DOMAIN.md):
 * the next instant a touch may happen, never outside a window, never on a public holiday of the
 * recipient's country and state, correct across daylight-saving changes.
 *
 * Speed: luxon is only used once per (zone, local day) to find the day's UTC bounds; those day
 * records, the compiled windows and the holiday calendars are cached, so a call is a handful of
 * map lookups and additions.
 *
 * The local-day records and lookups are in zone-days.ts (re-exported here) and the compiled window
 * definitions in window-definitions.ts; this file is the search and the window checks.
 */
import { upperBound } from './sorted.js';
import { DateTime, IANAZone } from 'luxon';
import { defaultDomainConfig, type DomainConfig, type WindowName } from './config.js';
import type { HolidayCalendar, Location } from './holidays.js';
import { civilToDayNumber, HOUR_MS, MINUTE_MS, seededIndex, toMillis, type InstantInput } from './instant.js';
import { calendarFor, windowOf, type CompiledWindow } from './window-definitions.js';
import { zoneDays, type ZoneDays } from './zone-days.js';

export type { Location } from './holidays.js';
export { localDate, localDayBounds, startOfNextLocalDay } from './zone-days.js';

// ---------------------------------------------------------------------------------------------
// The search
// ---------------------------------------------------------------------------------------------

function findOpen(
  zd: ZoneDays,
  w: CompiledWindow,
  cal: HolidayCalendar | null,
  from: number,
  seed: string | undefined,
  horizonDays: number,
): number {
  let t = from;
  let rec = zd.dayAt(t);
  const iv = w.intervals;
  for (let i = 0; i <= horizonDays; i++) {
    if (w.weekdayOpen[rec.weekday] && !(cal !== null && cal.isHolidayDay(rec.dayNum))) {
      for (let k = 0; k < iv.length; k += 2) {
        const s = zd.wall(rec, iv[k]!);
        const e = zd.wall(rec, iv[k + 1]!);
        if (t >= e || e <= s) continue;
        if (w.randomMinute && seed !== undefined) {
          const lenMin = Math.floor((e - s) / MINUTE_MS);
          if (t <= s) return s + seededIndex(seed, lenMin) * MINUTE_MS;
          const first = Math.ceil((t - s) / MINUTE_MS); // first whole minute at or after t
          const remaining = lenMin - first;
          if (remaining <= 0) continue;
          return s + (first + seededIndex(seed, remaining)) * MINUTE_MS;
        }
        return t > s ? t : s;
      }
    }
    rec = zd.day(rec.dayNum + 1);
    t = rec.startMs;
  }
  throw new RangeError(`no open window within ${horizonDays} days`);
}

export interface SendTimeParams {
  /** 'email' | 'voice' | 'sms' | 'linkedin' (or 'reply' for answers to replies). */
  channel: WindowName;
  /** The recipient's IANA zone (for LinkedIn: the seat's zone). */
  zone: string;
  /** The recipient's country and state, for public holidays (default: the zone's country and state). */
  location?: Location | null;
  /** The earliest instant the touch may happen (e.g. the step's due time). */
  now: InstantInput;
  /** Seed of the random minute (e.g. `${leadId}:${step}`); without it the earliest instant is used. */
  seed?: string;
  config?: DomainConfig;
  /** Paced windows (LinkedIn, 8 an hour): the seat's earlier actions. */
  recentActions?: readonly InstantInput[];
  /**
   * When the window is not the recipient's (LinkedIn: the seat's), the recipient's zone and
   * location: the touch is also never on a public holiday of theirs (their local date).
   */
  recipient?: { zone: string; location?: Location | null } | null;
}

/**
 * The next instant at or after `now` at which a touch on `channel` may happen in `zone`:
 * email 09:00-11:00 weekdays at a seeded random minute (ED-003); voice 09:00-17:00 weekdays
 * without 12:00-13:00 (VO-005); SMS 09:00-17:00 weekdays; LinkedIn 08:00-18:00 Monday-Saturday
 * paced to 8 actions in any hour; never on a public holiday of `location`, nor of the
 * `recipient`'s when the window is not theirs (epoch ms).
 */
export function nextSendTimeMs(params: SendTimeParams): number {
  const { recipient } = params;
  if (!recipient) return nextInWindowMs(params);
  const config = params.config ?? defaultDomainConfig;
  const cal = calendarFor(windowOf(config, params.channel), recipient.location, recipient.zone, config);
  if (!cal) return nextInWindowMs(params);
  const zd = zoneDays(recipient.zone);
  let now = toMillis(params.now);
  for (let i = 0; i <= config.windows.searchHorizonDays; i++) {
    const t = nextInWindowMs({ ...params, now });
    const day = zd.dayAt(t);
    if (!cal.isHolidayDay(day.dayNum)) return t;
    now = zd.day(day.dayNum + 1).startMs;
  }
  throw new RangeError(`no open window within ${config.windows.searchHorizonDays} days`);
}

function nextInWindowMs(params: SendTimeParams): number {
  const config = params.config ?? defaultDomainConfig;
  const w = windowOf(config, params.channel);
  const zd = zoneDays(params.zone);
  const cal = calendarFor(w, params.location, params.zone, config);
  const horizon = config.windows.searchHorizonDays;
  let t = toMillis(params.now);
  const recent = params.recentActions;
  if (!w.maxPerHour || !recent || recent.length < w.maxPerHour) return findOpen(zd, w, cal, t, params.seed, horizon);

  const max = w.maxPerHour;
  const times = recent.map(toMillis).sort((a, b) => a - b);
  for (let guard = 0; guard < 10_000; guard++) {
    t = findOpen(zd, w, cal, t, params.seed, horizon);
    const hi = upperBound(times, t);
    const lo = upperBound(times, t - HOUR_MS);
    const count = hi - lo;
    if (count < max) return t;
    // Wait until enough of the actions of the last hour have left it.
    t = times[hi - max]! + HOUR_MS;
  }
  throw new RangeError('pacing did not converge');
}

/** `nextSendTimeMs` as a Date (ED-003, VO-005, SM rules, LI pacing). */
export function nextSendTime(params: SendTimeParams): Date {
  return new Date(nextSendTimeMs(params));
}

export interface WindowCheckParams {
  channel: WindowName;
  zone: string;
  location?: Location | null;
  at: InstantInput;
  config?: DomainConfig;
  /** As for nextSendTimeMs: the recipient's holidays close a window that is not theirs. */
  recipient?: { zone: string; location?: Location | null } | null;
}

/**
 * Whether an instant is inside the channel's window in `zone` (weekday, hours, breaks) and not on
 * a public holiday of `location`. Computed directly with luxon, independently of the caches of
 * nextSendTime (ED-003, VO-005).
 */
export function isInsideWindow(params: WindowCheckParams): boolean {
  const config = params.config ?? defaultDomainConfig;
  const w = windowOf(config, params.channel);
  const ms = toMillis(params.at);
  if (!IANAZone.isValidZone(params.zone)) throw new RangeError(`unknown IANA time zone: ${params.zone}`);
  const dt = DateTime.fromMillis(ms, { zone: params.zone });
  if (!w.weekdayOpen[dt.weekday]) return false;
  const cal = calendarFor(w, params.location, params.zone, config);
  if (cal && cal.isHolidayDay(civilToDayNumber(dt.year, dt.month, dt.day))) return false;
  if (params.recipient) {
    const theirs = calendarFor(w, params.recipient.location, params.recipient.zone, config);
    const r = DateTime.fromMillis(ms, { zone: params.recipient.zone });
    if (theirs && theirs.isHolidayDay(civilToDayNumber(r.year, r.month, r.day))) return false;
  }
  const minute = dt.hour * 60 + dt.minute + (dt.second * 1000 + dt.millisecond) / MINUTE_MS;
  for (let k = 0; k < w.intervals.length; k += 2) {
    if (minute >= w.intervals[k]! && minute < w.intervals[k + 1]!) return true;
  }
  return false;
}

/**
 * The open intervals of a channel on the local date ('YYYY-MM-DD') in `zone`: empty on a closed
 * weekday or a holiday (ED-003, VO-005).
 */
export function windowIntervalsOn(params: {
  channel: WindowName;
  zone: string;
  location?: Location | null;
  date: string;
  config?: DomainConfig;
}): { start: Date; end: Date }[] {
  const config = params.config ?? defaultDomainConfig;
  const w = windowOf(config, params.channel);
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(params.date);
  if (!m) throw new RangeError(`expected YYYY-MM-DD, got ${params.date}`);
  const zd = zoneDays(params.zone);
  const rec = zd.day(civilToDayNumber(Number(m[1]), Number(m[2]), Number(m[3])));
  const cal = calendarFor(w, params.location, params.zone, config);
  if (!w.weekdayOpen[rec.weekday] || (cal && cal.isHolidayDay(rec.dayNum))) return [];
  const out: { start: Date; end: Date }[] = [];
  for (let k = 0; k < w.intervals.length; k += 2) {
    const s = zd.wall(rec, w.intervals[k]!);
    const e = zd.wall(rec, w.intervals[k + 1]!);
    if (e > s) out.push({ start: new Date(s), end: new Date(e) });
  }
  return out;
}

/**
 * `at` when it is not on a public holiday of the recipient (their local date, the channel's
 * holiday types), else the start of their next local day that is not one: the earliest a touch
 * whose window is not the recipient's (LinkedIn) may be tried again.
 */
export function afterRecipientHolidaysMs(p: {
  channel: WindowName;
  zone: string;
  location?: Location | null;
  at: InstantInput;
  config?: DomainConfig;
}): number {
  const config = p.config ?? defaultDomainConfig;
  const cal = calendarFor(windowOf(config, p.channel), p.location, p.zone, config);
  const at = toMillis(p.at);
  if (!cal) return at;
  const zd = zoneDays(p.zone);
  let day = zd.dayAt(at);
  if (!cal.isHolidayDay(day.dayNum)) return at;
  for (let i = 0; i <= config.windows.searchHorizonDays; i++) {
    day = zd.day(day.dayNum + 1);
    if (!cal.isHolidayDay(day.dayNum)) return day.startMs;
  }
  throw new RangeError(`no day without a holiday within ${config.windows.searchHorizonDays} days`);
}
