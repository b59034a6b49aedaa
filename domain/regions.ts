/**
 * The recipient's region (state, province or nation) for regional public holidays (ED-002, ED-003,
 * VO-005): from the HQ state, the HQ "country" when it names a nation of the UK, the HQ city, or the
 * phone number's area code (phone-regions.ts). Codes are date-holidays subdivision codes. A region
 * that cannot be known is null (national holidays only): nothing here guesses one.
 *
 * Cities: the province of city-timezones decides for AU, US and CA (and any other country). Two
 * countries need a table because the data cannot tell the region:
 * - GB: city-timezones gives a council area ("Edinburgh", "Highland"), not the nation;
 * - NZ: city-timezones' provinces are wrong for several cities (Wellington and Upper Hutt under
 *   Manawatu-Wanganui, Napier and Hastings under Gisborne, Rotorua and Taupo under Auckland).
 * The tables list every GB and NZ city of city-timezones (a test checks that) and a few more; a city
 * of those countries that is not listed has no region.
 */
import type { CityMatch } from './places.js';
import { countryImpliedState, foldName, normaliseState, statesOf } from './places.js';
import { phoneRegion } from './phone-regions.js';

/**
 * Cities by region. GB: the nation each city lies in (city-timezones' GB cities, and the cities with
 * city status in Scotland, Wales and Northern Ireland, gov.uk list of cities 2022; Bangor and Newport,
 * names shared across nations, are left out). NZ: the regional council area of each urban area
 * (Stats NZ, 2023 boundaries).
 */
const CITY_REGIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  GB: {
    SCT: 'Aberdeen, Ayr, Dumfries, Dundee, Dunfermline, Edinburgh, Fort William, Glasgow, Greenock, Inverness, Kirkwall, Lerwick, Perth, Stirling, Wick',
    WLS: 'Cardiff, Swansea, St Asaph, St Davids, Wrexham',
    NIR: 'Armagh, Belfast, Derry, Lisburn, Londonderry, Newry, Omagh',
    ENG:
      'Bath, Birmingham, Blackpool, Bournemouth, Bradford, Brighton, Bristol, Cambridge, Carlisle, Chester, Coventry, Dover, Exeter, ' +
      'Hull, Ipswich, Kingston upon Hull, Leeds, Leicester, Liverpool, London, Luton, Manchester, Middlesbrough, Newcastle, ' +
      'Newcastle upon Tyne, Norwich, Nottingham, Oxford, Penzance, Peterborough, Plymouth, Portsmouth, Reading, Scarborough, Sheffield, ' +
      'Southampton, Southend-on-Sea, Stoke, Stoke-on-Trent, Sunderland, York',
  },
  NZ: {
    AUK: 'Auckland, Manukau, North Shore, Pukekohe, Takapuna, Waitakere',
    NTL: 'Kaitaia, Kerikeri, Whangarei',
    WKO: 'Hamilton, Taupo, Te Awamutu, Tokoroa',
    BOP: 'Mount Maunganui, Rotorua, Tauranga, Whakatane',
    GIS: 'Gisborne',
    HKB: 'Hastings, Havelock North, Napier',
    TKI: 'New Plymouth',
    MWT: 'Feilding, Levin, Palmerston North, Wanganui, Whanganui',
    WGN: 'Lower Hutt, Masterton, Paraparaumu, Porirua, Upper Hutt, Wellington',
    NSN: 'Nelson',
    TAS: 'Motueka, Richmond',
    MBH: 'Blenheim, Picton',
    WTC: 'Greymouth, Hokitika, Westport',
    CAN: 'Ashburton, Christchurch, Kaiapoi, Rangiora, Rolleston, Timaru',
    OTA: 'Dunedin, Mosgiel, Oamaru, Queenstown, Wanaka',
    STL: 'Gore, Invercargill',
  },
};

let cityIndex: Map<string, Map<string, string>> | undefined;
/** folded city name -> country -> state code. */
function getCityIndex(): Map<string, Map<string, string>> {
  if (cityIndex) return cityIndex;
  const m = new Map<string, Map<string, string>>();
  for (const [country, byState] of Object.entries(CITY_REGIONS)) {
    for (const [state, cities] of Object.entries(byState)) {
      for (const city of cities.split(',')) {
        const k = foldName(city);
        let byCountry = m.get(k);
        if (!byCountry) m.set(k, (byCountry = new Map()));
        byCountry.set(country, state);
      }
    }
  }
  cityIndex = m;
  return m;
}

/** The countries whose cities are placed in regions by the table rather than by city-timezones. */
export function hasCityRegionTable(country: string): boolean {
  return country in CITY_REGIONS;
}

export interface Region {
  code: string;
  name: string;
}

function region(country: string, code: string | null | undefined): Region | null {
  if (!code) return null;
  const name = statesOf(country)[code];
  return name ? { code, name } : null;
}

/**
 * The region of a city of the table (GB, NZ) by its name; without a country, the one country whose
 * table has that name (ED-002, ED-003). Edinburgh -> GB/SCT, Wellington -> NZ/WGN.
 */
export function tableCityRegion(name: string | null | undefined, country?: string | null): { country: string; state: Region } | null {
  if (!name) return null;
  const byCountry = getCityIndex().get(foldName(name));
  if (!byCountry) return null;
  if (country) {
    const state = region(country, byCountry.get(country));
    return state ? { country, state } : null;
  }
  if (byCountry.size !== 1) return null;
  const [c, code] = [...byCountry][0]!;
  const state = region(c, code);
  return state ? { country: c, state } : null;
}

/**
 * The region of a matched city (ED-002, ED-003): the table for GB and NZ (by the name written, then
 * the data's name), else the city's province (or US state code) read as a state of its country.
 */
export function cityRegion(written: string, city: CityMatch): Region | null {
  if (hasCityRegionTable(city.country)) {
    return tableCityRegion(written, city.country)?.state ?? tableCityRegion(city.city, city.country)?.state ?? null;
  }
  return normaliseState(city.country, city.province);
}

/**
 * The region of an HQ given as state and country (ED-002, ED-003): the state as a code or name of
 * the country's subdivisions (NSW, New South Wales, Québec, Auckland, GB-SCT), the country when it
 * is a nation of the UK (Scotland), or, in GB and NZ, a city of the table written as the state.
 */
export function hqRegion(country: string, state: string | null | undefined, countryInput: string | null | undefined): Region | null {
  return (
    normaliseState(country, state) ??
    (countryInput ? countryImpliedState(countryInput) : null) ??
    (hasCityRegionTable(country) ? (tableCityRegion(state, country)?.state ?? null) : null)
  );
}

/** The region of a phone number in `country` (area code; null when it spans regions or the number is of another country). */
export function phoneRegionIn(country: string | null, e164: string | null | undefined): Region | null {
  const r = phoneRegion(e164);
  if (!r || (country && r.country !== country)) return null;
  return region(r.country, r.state);
}

/** Every city the GB and NZ tables list, as [country, state, city] (for tests and documentation). */
export function cityRegionTable(): [string, string, string][] {
  const out: [string, string, string][] = [];
  for (const [country, byState] of Object.entries(CITY_REGIONS))
    for (const [state, cities] of Object.entries(byState)) for (const city of cities.split(',')) out.push([country, state, city.trim()]);
  return out;
}
