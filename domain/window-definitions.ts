/**
 * Window definitions: the configured send windows compiled once per configuration into minute
 * intervals and weekday flags, and the holiday calendar that closes a window for a recipient
 * (ED-003, VO-005). Used by the search in windows.ts.
 */
import { minutesOfDay, WINDOW_NAMES, type DomainConfig, type WindowName } from './config.js';
import { holidayCalendar, type HolidayCalendar, type Location } from './holidays.js';
import { locationForZone } from './places.js';

export interface CompiledWindow {
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

export function windowOf(config: DomainConfig, channel: WindowName): CompiledWindow {
  const w = compileWindows(config)[channel];
  if (!w) throw new RangeError(`unknown window/channel: ${String(channel)}`);
  return w;
}

/** Holidays of the location; without a location (or its country), those of the zone's country and state. */
export function calendarFor(
  w: CompiledWindow,
  location: Location | null | undefined,
  zone: string,
  config: DomainConfig,
): HolidayCalendar | null {
  if (!w.skipHolidays) return null;
  return holidayCalendar(location?.country ? location : locationForZone(zone), config.windows.holidayTypes);
}
