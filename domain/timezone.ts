/**
 * Recipient time zone (ED-002) and region (ED-003): from the company HQ (city, state, country), else
 * from the phone number's region, else the client's default. Places and zones come from data packages
 * (city-timezones, countries-and-timezones, date-holidays, libphonenumber-js), not a hand table.
 */
import { IANAZone } from 'luxon';
import { defaultDomainConfig, type DomainConfig } from './config.js';
import { phoneCountry } from './phone.js';
import { countryZones, findCity, mostPopulousCityZone, normaliseCountry, stateZone } from './places.js';
import { cityRegion, hasCityRegionTable, hqRegion, phoneRegionIn, tableCityRegion, type Region } from './regions.js';

export interface RecipientPlace {
  /** Company HQ city. */
  city?: string | null;
  /** Company HQ state or province: code (NSW) or name (New South Wales). */
  state?: string | null;
  /** Company HQ country: ISO code (AU/AUS) or name (Australia). */
  country?: string | null;
  /** The lead's phone number in E.164. */
  phoneE164?: string | null;
  /** The client's default zone (falls back to `config.client.defaultZone`). */
  clientDefaultZone?: string | null;
}

export type ZoneSource = 'hq' | 'phone' | 'client_default';

export interface ResolvedZone {
  /** IANA zone name. */
  zone: string;
  source: ZoneSource;
  /** Which rule decided: 'city', 'state', 'country', 'country_main_city', 'phone_country', 'phone_state', 'phone_main_city', 'client_default'. */
  basis: 'city' | 'state' | 'country' | 'country_main_city' | 'phone_country' | 'phone_state' | 'phone_main_city' | 'client_default';
  /**
   * The recipient's location as far as it is known (for holidays): ISO country and the region's
   * date-holidays subdivision code (state, province, UK nation, NZ region), or null when unknown.
   */
  location: { country: string | null; state: string | null };
}

const validZoneCache = new Map<string, boolean>();
/** Whether a string is a valid IANA zone (cached) (ED-002). */
export function isValidZone(zone: string | null | undefined): zone is string {
  if (!zone) return false;
  let v = validZoneCache.get(zone);
  if (v === undefined) {
    v = IANAZone.isValidZone(zone);
    validZoneCache.set(zone, v);
  }
  return v;
}

function zoneInCountry(zone: string, country: string): boolean {
  return countryZones(country).includes(zone);
}

/**
 * Resolve the recipient's zone (ED-002) and region (ED-003: regional holidays):
 * 1. HQ city (within the given country and state when known; the most populous match wins);
 * 2. HQ state (Australian states resolve to their own zones: NSW/ACT Sydney, VIC Melbourne,
 *    QLD Brisbane, SA Adelaide, WA Perth, TAS Hobart, NT Darwin);
 * 3. HQ country with a single zone;
 * 4. phone number's country (when it agrees with the HQ country, if any) with a single zone;
 * 5. the phone number's state or province (area code), in the HQ country if any;
 * 6. a multi-zone country (from HQ or phone): the client default if it lies in that country,
 *    else the zone of the country's most populous city;
 * 7. the client default.
 * The region (`location.state`, a date-holidays subdivision code) comes from the HQ (state,
 * a UK nation written as the country, city), else from the phone's area code in the same country,
 * else it is null (regions.ts).
 */
export function resolveRecipientZone(place: RecipientPlace, config: DomainConfig = defaultDomainConfig): ResolvedZone {
  const clientDefault = isValidZone(place.clientDefaultZone) ? place.clientDefaultZone : config.client.defaultZone;
  const hqCountry = normaliseCountry(place.country);
  const phoneCc = place.phoneE164 ? (phoneCountry(place.phoneE164) ?? null) : null;
  // The country to read the state and city in: the HQ's, else the phone's.
  const country = hqCountry ?? phoneCc;
  const state = country ? hqRegion(country, place.state, place.country) : null;
  const phoneUsable = phoneCc !== null && (!hqCountry || hqCountry === phoneCc);
  const phoneState = phoneUsable ? phoneRegionIn(phoneCc, place.phoneE164) : null;
  const at = (c: string | null, s: Region | null) => ({
    country: c,
    state: s?.code ?? (c && c === phoneCc ? (phoneState?.code ?? null) : null),
  });
  const location = at(country, state);

  // 1. City
  if (place.city) {
    // Within the state when one is known; GB and NZ cities are placed by the region table instead (their data provinces are council areas or wrong).
    const byTable = country !== null && hasCityRegionTable(country);
    let city = state && !byTable ? findCity(place.city, { country, state }) : findCity(place.city, { country });
    if (city && byTable && state && cityRegion(place.city, city)?.code !== state.code) city = null;
    // No HQ country: the phone's country was only a hint; try the most populous city of that name anywhere.
    if (!city && !hqCountry && !state) city = findCity(place.city);
    if (city && isValidZone(city.zone)) {
      const cityCountry = city.country || country;
      const cityState = cityCountry === country && state ? state : cityCountry ? cityRegion(place.city, city) : null;
      return { zone: city.zone, source: 'hq', basis: 'city', location: at(cityCountry ?? null, cityState) };
    }
    // A city the data has no zone for, in a country whose cities the region table places (GB, NZ).
    const listed = !state ? tableCityRegion(place.city, country) : null;
    if (listed) {
      const zone = stateZone(listed.country, listed.state) ?? singleZone(listed.country) ?? mostPopulousCityZone(listed.country);
      if (isValidZone(zone)) return { zone, source: 'hq', basis: 'city', location: at(listed.country, listed.state) };
    }
  }

  // 2. State
  if (country && state) {
    const zone = stateZone(country, state);
    if (isValidZone(zone)) return { zone, source: 'hq', basis: 'state', location };
  }

  // 3. HQ country with one zone
  if (hqCountry) {
    const zone = singleZone(hqCountry);
    if (isValidZone(zone)) return { zone, source: 'hq', basis: 'country', location };
  }

  // 4. Phone country with one zone (only if it does not contradict the HQ country)
  if (phoneUsable) {
    const zone = singleZone(phoneCc);
    if (isValidZone(zone)) return { zone, source: 'phone', basis: 'phone_country', location };
  }

  // 5. The phone's state or province (the HQ gave no state)
  if (phoneState && !state) {
    const zone = stateZone(phoneCc!, phoneState);
    if (isValidZone(zone)) return { zone, source: 'phone', basis: 'phone_state', location };
  }

  // 6. A multi-zone country is known
  const multi = hqCountry ?? (phoneUsable ? phoneCc : null);
  if (multi) {
    if (zoneInCountry(clientDefault, multi)) return { zone: clientDefault, source: 'client_default', basis: 'client_default', location };
    const zone = mostPopulousCityZone(multi);
    if (isValidZone(zone)) {
      return hqCountry
        ? { zone, source: 'hq', basis: 'country_main_city', location }
        : { zone, source: 'phone', basis: 'phone_main_city', location };
    }
  }

  // 7. Client default
  return { zone: clientDefault, source: 'client_default', basis: 'client_default', location };
}

function singleZone(country: string): string | null {
  const zones = countryZones(country);
  return zones.length === 1 ? zones[0]! : null;
}
