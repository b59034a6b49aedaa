/**
 * Places: countries, states and cities, read from maintained data packages (ED-002).
 * - countries-and-timezones: ISO countries, their names and IANA zones;
 * - date-holidays: the states/provinces of each country (codes and names) and their zones;
 * - city-timezones: cities with their province, country and IANA zone.
 * Indexes are built lazily on first use and cached; lookups are pure functions of their input.
 */
import Holidays from 'date-holidays';
import countriesAndTimezones from 'countries-and-timezones';
import cityTimezones from 'city-timezones';

/** Lower-case, accent-free, punctuation-collapsed form used for place-name matching (ED-002). */
export function foldName(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['\u2018\u2019\u02bc]/g, '') // Hawke's Bay = Hawkes Bay
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * Everyday names that are not ISO names (the data packages use "United Kingdom" and
 * "United States of America"). Country identity only; no zones here. The UK's nations are
 * written as countries too: they name the country and the state (see countryImpliedState).
 */
const COUNTRY_ALIASES: Readonly<Record<string, string>> = {
  uk: 'GB',
  'great britain': 'GB',
  britain: 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  'northern ireland': 'GB',
  'united states': 'US',
  america: 'US',
};

let holidaysRoot: Holidays | undefined;
function hdRoot(): Holidays {
  return (holidaysRoot ??= new Holidays());
}

let countryIndex: Map<string, string> | undefined;
function getCountryIndex(): Map<string, string> {
  if (countryIndex) return countryIndex;
  const m = new Map<string, string>();
  const put = (name: string | undefined, code: string) => {
    if (!name) return;
    const k = foldName(name);
    if (k && !m.has(k)) m.set(k, code);
  };
  const all = countriesAndTimezones.getAllCountries();
  for (const [code, c] of Object.entries(all)) {
    put(code, code);
    put(c.name, code);
  }
  for (const [code, name] of Object.entries(hdRoot().getCountries('en'))) put(name, code);
  for (const city of cityTimezones.cityMapping) {
    if (!city.iso2 || !(city.iso2 in all)) continue;
    put(city.iso3, city.iso2);
    put(city.country, city.iso2);
  }
  for (const [alias, code] of Object.entries(COUNTRY_ALIASES)) put(alias, code);
  countryIndex = m;
  return m;
}

/** ISO 3166-1 alpha-2 code of a country given as a code (AU, AUS) or a name (Australia), or null (ED-002). */
export function normaliseCountry(input: string | null | undefined): string | null {
  if (!input) return null;
  const k = foldName(input);
  if (!k) return null;
  return getCountryIndex().get(k) ?? null;
}

/**
 * The state a country name implies, when the "country" given is itself a subdivision of a
 * country in date-holidays (Scotland -> GB/SCT, Wales -> GB/WLS, England -> GB/ENG,
 * Northern Ireland -> GB/NIR); null for a plain country (ED-002, ED-003).
 */
export function countryImpliedState(input: string | null | undefined): { code: string; name: string } | null {
  const country = normaliseCountry(input);
  if (!country || !input) return null;
  const k = foldName(input);
  if (k === foldName(country)) return null;
  return getStateIndex(country).get(k) ?? null;
}

/** IANA zones of a country (countries-and-timezones, without deprecated aliases) (ED-002). */
export function countryZones(country: string): readonly string[] {
  return countriesAndTimezones.getCountry(country)?.timezones ?? [];
}

interface StateEntry {
  code: string;
  name: string;
}

const stateIndexes = new Map<string, Map<string, StateEntry>>();

/**
 * Other names of date-holidays subdivisions that the data does not carry (ED-002, ED-003):
 * Stats NZ names of regional councils whose date-holidays name differs, and the Welsh name of Wales.
 */
const STATE_ALIASES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  NZ: { 'west coast': 'WTC', 'manawatu whanganui': 'MWT', 'hawkes bay': 'HKB', 'chatham islands': 'CIT' },
  GB: { cymru: 'WLS' },
  US: { 'washington d c': 'DC', 'washington dc': 'DC' },
};

/** Generic words around a subdivision's name: "Auckland Province" = "Auckland", "Wellington Region" = "Wellington". */
const GENERIC_STATE_WORDS = /^(?:(?:state|province|region|territory) of )|(?: (?:state|province|region))$/;

function getStateIndex(country: string): Map<string, StateEntry> {
  let idx = stateIndexes.get(country);
  if (idx) return idx;
  idx = new Map();
  const root = hdRoot();
  const english = root.getStates(country, 'en') ?? {};
  const put = (key: string, e: StateEntry, override = false) => {
    if (key && (override || !idx!.has(key))) idx!.set(key, e);
  };
  const generic: [string, StateEntry][] = [];
  // Codes and names in every language date-holidays has for the country (e.g. Maori names in NZ).
  let languages: string[] = ['en'];
  try {
    languages = [...new Set(['en', ...(new Holidays(country).getLanguages() ?? [])])];
  } catch {
    languages = ['en'];
  }
  for (const [code, name] of Object.entries(english)) {
    const e = { code, name };
    put(foldName(code), e, true);
    put(`${foldName(country)} ${foldName(code)}`, e); // ISO 3166-2: AU-NSW, GB-SCT
    for (const lang of languages) {
      const local = lang === 'en' ? name : (root.getStates(country, lang) ?? {})[code];
      if (!local) continue;
      put(foldName(local), e);
      const bare = foldName(local).replace(GENERIC_STATE_WORDS, '');
      if (bare && bare !== foldName(local)) generic.push([bare, e]);
    }
  }
  // "Auckland" for "Auckland Province", only where no other subdivision has that name.
  for (const [k, e] of generic) put(k, e);
  for (const [alias, code] of Object.entries(STATE_ALIASES[country] ?? {})) {
    const name = english[code];
    if (name) put(alias, { code, name });
  }
  stateIndexes.set(country, idx);
  return idx;
}

/**
 * A state of `country` given as a code (NSW, nsw, N.S.W., AU-NSW) or a name (New South Wales,
 * Québec, Auckland, Auckland Province), resolved with the state list of date-holidays; null when
 * unknown (ED-002).
 */
export function normaliseState(country: string, input: string | null | undefined): { code: string; name: string } | null {
  if (!input) return null;
  const k = foldName(input);
  if (!k) return null;
  const idx = getStateIndex(country);
  // As written; with its letters run together (N.S.W., W. A.); without a generic word (Washington State).
  return idx.get(k) ?? idx.get(k.replace(/ /g, '')) ?? idx.get(k.replace(GENERIC_STATE_WORDS, '')) ?? null;
}

/** Every state of a country as {code: name}, from date-holidays (ED-002). */
export function statesOf(country: string): Readonly<Record<string, string>> {
  return hdRoot().getStates(country, 'en') ?? {};
}

type City = (typeof cityTimezones.cityMapping)[number];

let cityIndex: Map<string, City[]> | undefined;
function getCityIndex(): Map<string, City[]> {
  if (cityIndex) return cityIndex;
  const m = new Map<string, City[]>();
  const add = (name: string | undefined, c: City) => {
    if (!name) return;
    const k = foldName(name);
    if (!k) return;
    const list = m.get(k);
    if (!list) m.set(k, [c]);
    else if (!list.includes(c)) list.push(c);
  };
  for (const c of cityTimezones.cityMapping) {
    add(c.city, c);
    add(c.city_ascii, c);
  }
  cityIndex = m;
  return m;
}

export interface CityMatch {
  city: string;
  country: string;
  province: string;
  zone: string;
  population: number;
}

function toMatch(c: City): CityMatch {
  return { city: c.city, country: c.iso2, province: c.province, zone: c.timezone, population: c.pop };
}

function byPopulation(a: City, b: City): number {
  return b.pop - a.pop;
}

/**
 * The best-matching city (most populous among the matches) by name, optionally restricted to a
 * country and a state (matched against the city's province name or US state code) (ED-002).
 */
export function findCity(
  name: string,
  opts: { country?: string | null; state?: { code: string; name: string } | null } = {},
): CityMatch | null {
  const k = foldName(name);
  if (!k) return null;
  let list = getCityIndex().get(k) ?? [];
  if (opts.country) list = list.filter((c) => c.iso2 === opts.country);
  if (opts.state) {
    const sn = foldName(opts.state.name);
    const sc = opts.state.code.toUpperCase();
    list = list.filter((c) => foldName(c.province) === sn || (c.state_ansi && c.state_ansi.toUpperCase() === sc));
  }
  if (list.length === 0) return null;
  return toMatch([...list].sort(byPopulation)[0]!);
}

const mostPopulousZoneCache = new Map<string, string | null>();

/** Zone of the most populous city of a country, or of a province of it (city-timezones) (ED-002). */
export function mostPopulousCityZone(country: string, provinceName?: string): string | null {
  const key = `${country}|${provinceName ?? ''}`;
  const hit = mostPopulousZoneCache.get(key);
  if (hit !== undefined) return hit;
  const pn = provinceName ? foldName(provinceName) : undefined;
  let best: City | undefined;
  for (const c of cityTimezones.cityMapping) {
    if (c.iso2 !== country) continue;
    if (pn !== undefined && foldName(c.province) !== pn) continue;
    if (!best || c.pop > best.pop) best = c;
  }
  const zone = best?.timezone ?? null;
  mostPopulousZoneCache.set(key, zone);
  return zone;
}

const stateZoneCache = new Map<string, string | null>();

/**
 * The zone of a state: the zone of the state's most populous city (city-timezones), else the first
 * zone date-holidays lists for the state when it has its own list. NSW -> Australia/Sydney,
 * SA -> Australia/Adelaide, WA -> Australia/Perth, QC -> America/Montreal (Montreal, not the
 * Blanc-Sablon strip that date-holidays lists first), ND -> America/Chicago (Fargo) (ED-002).
 */
export function stateZone(country: string, state: { code: string; name: string }): string | null {
  const key = `${country}|${state.code}`;
  const hit = stateZoneCache.get(key);
  if (hit !== undefined) return hit;
  let zone: string | null = mostPopulousCityZone(country, state.name);
  if (!zone) {
    try {
      const stateZones = new Holidays(country, state.code).getTimezones() ?? [];
      const national = new Holidays(country).getTimezones() ?? [];
      const own = stateZones.length > 0 && (national.length <= 1 || stateZones.join() !== national.join());
      if (own) zone = stateZones[0] ?? null;
    } catch {
      zone = null;
    }
  }
  stateZoneCache.set(key, zone);
  return zone;
}

const zoneLocationCache = new Map<string, { country: string | null; state: string | null }>();

/**
 * The country a zone belongs to (countries-and-timezones) and, when the zone's city is in the
 * city data, its state: Australia/Sydney -> AU/NSW, Australia/Adelaide -> AU/SA,
 * America/New_York -> US/NY, Europe/London -> GB (no state). Used for holidays when the
 * recipient's location is not given (ED-002, ED-003).
 */
export function locationForZone(zone: string): { country: string | null; state: string | null } {
  const hit = zoneLocationCache.get(zone);
  if (hit) return hit;
  const country = countriesAndTimezones.getCountryForTimezone(zone)?.id ?? null;
  let state: string | null = null;
  // GB and NZ: one zone for the whole country, and city-timezones' provinces there are not regions (regions.ts).
  if (country && country !== 'GB' && country !== 'NZ') {
    const cityName = (zone.split('/').pop() ?? '').replace(/_/g, ' ');
    const city = cityName ? findCity(cityName, { country }) : null;
    if (city) state = normaliseState(country, city.province)?.code ?? null;
  }
  const loc = Object.freeze({ country, state });
  zoneLocationCache.set(zone, loc);
  return loc;
}
