/**
 * Send windows in the recipient's local time (ED-003, VO-005; SMS and LinkedIn rules of DOMAIN.md):
 * the next instant a touch may happen, never outside a window, never on a public holiday of the
 * recipient's country and state, correct across daylight-saving changes.
 *
 * Speed: luxon is only used once per (zone, local day) to find the day's UTC bounds; those day
 * records, the compiled windows and the holiday calendars are cached, so a call is a handful of
 * map lookups and additions.
 */
import { upperBound } from './sorted.js';
import { DateTime, IANAZone } from 'luxon';
import { defaultDomainConfig, minutesOfDay, WINDOW_NAMES, type DomainConfig, type WindowName } from './config.js';
import { holidayCalendar, type HolidayCalendar, type Location } from './holidays.js';
import { locationForZone } from './places.js';
import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  civilToDayNumber,
  isoWeekdayOfDayNumber,
  seededIndex,
  toMillis,
  type InstantInput,
} from './instant.js';

export type { Location } from './holidays.js';

// ---------------------------------------------------------------------------------------------
// Zone day records
// ---------------------------------------------------------------------------------------------

interface DayRec {
  readonly dayNum: number;
  readonly weekday: number;
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** UTC ms of the local start of the day. */
  readonly startMs: number;
  /** UTC ms of the local start of the next day. */
  readonly endMs: number;
  /** True when the UTC offset is constant over the whole day (no DST change). */
  readonly uniform: boolean;
  wall?: Map<number, number>;
}

const MAX_DAYS_PER_ZONE = 50_000;

class ZoneDays {
  private readonly days = new Map<number, DayRec>();
  private offsetHint = 0;
  private readonly luxZone: IANAZone;

  constructor(readonly zone: string) {
    this.luxZone = IANAZone.create(zone);
  }

  private startOfLocalDay(year: number, month: number, day: number): number {
    return DateTime.fromObject({ year, month, day }, { zone: this.luxZone }).startOf('day').toMillis();
  }

  day(dayNum: number): DayRec {
    let rec = this.days.get(dayNum);
    if (rec) return rec;
    const d = new Date(dayNum * DAY_MS);
    const year = d.getUTCFullYear();
    const month = d.getUTCMonth() + 1;
    const day = d.getUTCDate();
    const n = new Date((dayNum + 1) * DAY_MS);
    const startMs = this.startOfLocalDay(year, month, day);
    const endMs = this.startOfLocalDay(n.getUTCFullYear(), n.getUTCMonth() + 1, n.getUTCDate());
    rec = { dayNum, weekday: isoWeekdayOfDayNumber(dayNum), year, month, day, startMs, endMs, uniform: endMs - startMs === DAY_MS };
    if (this.days.size >= MAX_DAYS_PER_ZONE) this.days.clear();
    this.days.set(dayNum, rec);
    return rec;
  }

  /** The local day containing the instant `ms`. */
  dayAt(ms: number): DayRec {
    let rec = this.day(Math.floor((ms + this.offsetHint) / DAY_MS));
    while (ms < rec.startMs) rec = this.day(rec.dayNum - 1);
    while (ms >= rec.endMs) rec = this.day(rec.dayNum + 1);
    this.offsetHint = rec.dayNum * DAY_MS - rec.startMs;
    return rec;
  }

  /** UTC ms of a local wall-clock minute of a day (a time inside a DST gap moves forward). */
  wall(rec: DayRec, minute: number): number {
    if (rec.uniform) return rec.startMs + minute * MINUTE_MS;
    if (minute >= 1440) return rec.endMs;
    let w = rec.wall;
    if (!w) w = rec.wall = new Map();
    let ms = w.get(minute);
    if (ms === undefined) {
      ms = DateTime.fromObject(
        { year: rec.year, month: rec.month, day: rec.day, hour: Math.floor(minute / 60), minute: minute % 60 },
        { zone: this.luxZone },
      ).toMillis();
      w.set(minute, ms);
    }
    return ms;
  }
}

const zoneCache = new Map<string, ZoneDays>();

function zoneDays(zone: string): ZoneDays {
  let z = zoneCache.get(zone);
  if (z) return z;
  if (typeof zone !== 'string' || !IANAZone.isValidZone(zone)) throw new RangeError(`unknown IANA time zone: ${String(zone)}`);
  z = new ZoneDays(zone);
  zoneCache.set(zone, z);
  return z;
}

// ---------------------------------------------------------------------------------------------
// Compiled windows
// ---------------------------------------------------------------------------------------------

interface CompiledWindow {
  /** Flattened [start, end) pairs in minutes after local midnight. */
  readonly intervals: readonly number[];
  /** Indexed by ISO weekday 1..7. */
  readonly weekdayOpen: readonly boolean[];
  readonly skipHolidays: boolean;
  readonly randomMinute: boolean;
  readonly maxPerHour: number | null;
}

type CompiledWindows = Record<WindowName, CompiledWindow>;
const compiledCache = new WeakMap<DomainConfig, CompiledWindows>();

function compileWindows(config: DomainConfig): CompiledWindows {
  let c = compiledCache.get(config);
  if (c) return c;
  const out = {} as CompiledWindows;
  for (const name of WINDOW_NAMES) {
    const w = config.windows[name];
    const intervals: number[] = [];
    let cursor = minutesOfDay(w.start);
    for (const b of w.breaks) {
      const bs = minutesOfDay(b.start);
      if (bs > cursor) intervals.push(cursor, bs);
      cursor = Math.max(cursor, minutesOfDay(b.end));
    }
    const end = minutesOfDay(w.end);
    if (end > cursor) intervals.push(cursor, end);
    const weekdayOpen = new Array<boolean>(8).fill(false);
    for (const d of w.weekdays) weekdayOpen[d] = true;
    out[name] = { intervals, weekdayOpen, skipHolidays: w.skipHolidays, randomMinute: w.randomMinute, maxPerHour: w.maxPerHour };
  }
  c = out;
  compiledCache.set(config, c);
  return c;
}

function windowOf(config: DomainConfig, channel: WindowName): CompiledWindow {
  const w = compileWindows(config)[channel];
  if (!w) throw new RangeError(`unknown window/channel: ${String(channel)}`);
  return w;
}

/** Holidays of the location; without a location (or its country), those of the zone's country and state. */
function calendarFor(w: CompiledWindow, location: Location | null | undefined, zone: string, config: DomainConfig): HolidayCalendar | null {
  if (!w.skipHolidays) return null;
  return holidayCalendar(location?.country ? location : locationForZone(zone), config.windows.holidayTypes);
}

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
}

/**
 * The next instant at or after `now` at which a touch on `channel` may happen in `zone`:
 * email 09:00-11:00 weekdays at a seeded random minute (ED-003); voice 09:00-17:00 weekdays
 * without 12:00-13:00 (VO-005); SMS 09:00-17:00 weekdays; LinkedIn 08:00-18:00 Monday-Saturday
 * paced to 8 actions in any hour; never on a public holiday of `location` (epoch ms).
 */
export function nextSendTimeMs(params: SendTimeParams): number {
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

/** The instant the local day after the one containing `at` starts in `zone` (VO-006 "next business day"). */
export function startOfNextLocalDay(zone: string, at: InstantInput): Date {
  const zd = zoneDays(zone);
  return new Date(zd.dayAt(toMillis(at)).endMs);
}

/** The local date ('YYYY-MM-DD') of an instant in `zone` (ED-002). */
export function localDate(zone: string, at: InstantInput): string {
  const rec = zoneDays(zone).dayAt(toMillis(at));
  return `${String(rec.year).padStart(4, '0')}-${String(rec.month).padStart(2, '0')}-${String(rec.day).padStart(2, '0')}`;
}

/** The local day containing `at` in `zone`, as [start, end) instants (DST days are 23 or 25 hours) (ED-002, LI-004). */
export function localDayBounds(zone: string, at: InstantInput): { start: Date; end: Date } {
  const rec = zoneDays(zone).dayAt(toMillis(at));
  return { start: new Date(rec.startMs), end: new Date(rec.endMs) };
}
