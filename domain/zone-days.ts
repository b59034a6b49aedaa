/**
 * Local days of a time zone: per (zone, local day) its weekday, date and UTC bounds, found once with
 * luxon and cached, plus the wall-clock minutes of DST days; and the local-day lookups built on them
 * (local date, day bounds, start of the next day; ED-002, LI-004, VO-006). Re-exported by windows.ts.
 */
import { DateTime, IANAZone } from 'luxon';
import { DAY_MS, MINUTE_MS, isoWeekdayOfDayNumber, toMillis, type InstantInput } from './instant.js';

export interface DayRec {
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

export class ZoneDays {
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

export function zoneDays(zone: string): ZoneDays {
  let z = zoneCache.get(zone);
  if (z) return z;
  if (typeof zone !== 'string' || !IANAZone.isValidZone(zone)) throw new RangeError(`unknown IANA time zone: ${String(zone)}`);
  z = new ZoneDays(zone);
  zoneCache.set(zone, z);
  return z;
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
