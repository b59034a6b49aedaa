/**
 * Public holidays of a location (country + state), from date-holidays, as sets of local dates.
 * Used by the send windows (ED-003, VO-005) and voice retries (VO-006).
 *
 * A day is closed when any holiday of the configured types (default: 'public') touches it; a
 * partial-day holiday (e.g. South Australia's Christmas Eve from 19:00) closes the whole day.
 * Calendars are cached per location and type set, years are computed once and cached.
 */
import Holidays from 'date-holidays';
import type { HolidayType } from './config.js';
import { civilToDayNumber, DAY_MS, HOUR_MS } from './instant.js';
import { normaliseCountry } from './places.js';
import { hqRegion } from './regions.js';

/**
 * Where a recipient is, for holidays: country (code or name) and optional state (a date-holidays
 * subdivision code or name: NSW, New South Wales, QC, Québec, SCT, Scotland, AUK, Auckland).
 */
export interface Location {
  country?: string | null;
  state?: string | null;
}

export interface HolidayCalendar {
  /** Normalised country code, or null when unknown (no holidays then). */
  readonly country: string | null;
  /** Normalised state code, or null. */
  readonly state: string | null;
  /** Whether the local date with this day number (days since 1970-01-01) is a holiday. */
  isHolidayDay(dayNum: number): boolean;
  /** Names of the holidays on that local date (empty when none). */
  namesOn(dayNum: number): readonly string[];
}

const EMPTY: readonly string[] = Object.freeze([]);

/** Year of a day number (civil-from-days, Howard Hinnant), without allocating a Date (ED-003 holiday lookups). */
export function yearOfDayNumber(dayNum: number): number {
  const z = dayNum + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const m = mp < 10 ? mp + 3 : mp - 9;
  return yoe + era * 400 + (m <= 2 ? 1 : 0);
}

class Calendar implements HolidayCalendar {
  private readonly days = new Map<number, string[]>();
  private readonly years = new Set<number>();
  private readonly hd: Holidays | null;
  private readonly types: ReadonlySet<string>;

  constructor(
    readonly country: string | null,
    readonly state: string | null,
    types: readonly HolidayType[],
  ) {
    this.types = new Set(types);
    let hd: Holidays | null = null;
    if (country) {
      try {
        hd = state ? new Holidays(country, state) : new Holidays(country);
      } catch {
        hd = null;
      }
    }
    this.hd = hd;
  }

  private load(year: number): void {
    if (this.years.has(year)) return;
    this.years.add(year);
    if (!this.hd) return;
    let list: ReturnType<Holidays['getHolidays']>;
    try {
      list = this.hd.getHolidays(year, 'en') ?? [];
    } catch {
      list = [];
    }
    for (const h of list) {
      if (!this.types.has(h.type)) continue;
      // h.date is local to the country: "YYYY-MM-DD hh:mm:ss[ ...]".
      const y = Number(h.date.slice(0, 4));
      const mo = Number(h.date.slice(5, 7));
      const d = Number(h.date.slice(8, 10));
      const hh = Number(h.date.slice(11, 13)) || 0;
      const mm = Number(h.date.slice(14, 16)) || 0;
      const first = civilToDayNumber(y, mo, d);
      const durMs = h.end.getTime() - h.start.getTime();
      // A 24 h holiday on a 25 h (DST) day must not spill into the next date: allow 3 h of slack.
      const span = Math.max(1, Math.ceil(((hh * 60 + mm) * 60_000 + durMs - 3 * HOUR_MS) / DAY_MS));
      for (let i = 0; i < span; i++) {
        const names = this.days.get(first + i);
        if (names) {
          if (!names.includes(h.name)) names.push(h.name);
        } else this.days.set(first + i, [h.name]);
      }
    }
  }

  isHolidayDay(dayNum: number): boolean {
    if (!this.hd) return false;
    const y = yearOfDayNumber(dayNum);
    if (!this.years.has(y)) {
      this.load(y - 1); // multi-day holidays spill over New Year
      this.load(y);
    }
    return this.days.has(dayNum);
  }

  namesOn(dayNum: number): readonly string[] {
    return this.isHolidayDay(dayNum) ? (this.days.get(dayNum) ?? EMPTY) : EMPTY;
  }
}

const DEFAULT_TYPES: readonly HolidayType[] = Object.freeze(['public'] as HolidayType[]);

/** types array -> raw country -> raw state -> calendar (no string building on the hot path). */
const rawCalendars = new WeakMap<readonly HolidayType[], Map<string, Map<string, Calendar>>>();
/** normalised "country|state|types" -> calendar, so that every spelling shares one calendar. */
const normCalendars = new Map<string, Calendar>();

/**
 * The (cached) holiday calendar of a location for the given holiday types. Country and state may
 * be codes or names (a UK nation may be written as the country: Scotland); an unknown state falls
 * back to the national calendar (ED-003, VO-005).
 * Pass the same `types` array (e.g. `config.windows.holidayTypes`) for the cache to hit.
 */
export function holidayCalendar(location: Location | null | undefined, types: readonly HolidayType[] = DEFAULT_TYPES): HolidayCalendar {
  let byCountry = rawCalendars.get(types);
  if (!byCountry) {
    byCountry = new Map();
    rawCalendars.set(types, byCountry);
  }
  const rawCountry = location?.country ?? '';
  const rawState = location?.state ?? '';
  let byState = byCountry.get(rawCountry);
  if (!byState) {
    byState = new Map();
    byCountry.set(rawCountry, byState);
  }
  let cal = byState.get(rawState);
  if (cal) return cal;
  const country = normaliseCountry(rawCountry);
  // The state as a code or name (NSW, Québec, Auckland, GB-SCT), or the UK nation written as the country (Scotland).
  const state = country ? (hqRegion(country, rawState, rawCountry)?.code ?? null) : null;
  const normKey = `${country ?? ''}|${state ?? ''}|${[...types].sort().join(',')}`;
  cal = normCalendars.get(normKey);
  if (!cal) {
    cal = new Calendar(country, state, types);
    normCalendars.set(normKey, cal);
  }
  byState.set(rawState, cal);
  return cal;
}

/**
 * Names of the public holidays on a local date ('YYYY-MM-DD') at a location; empty when it is not
 * a holiday (ED-003, VO-005).
 */
export function holidaysOn(location: Location, isoDate: string, types: readonly HolidayType[] = DEFAULT_TYPES): readonly string[] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) throw new RangeError(`expected YYYY-MM-DD, got ${isoDate}`);
  return holidayCalendar(location, types).namesOn(civilToDayNumber(Number(m[1]), Number(m[2]), Number(m[3])));
}
