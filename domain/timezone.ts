/**
 * Recipient time zone (ED-002): from the company HQ (city, state, country), else from the phone
 * number's region, else the client's default. Places and zones come from data packages
 * (city-timezones, countries-and-timezones, date-holidays, libphonenumber-js), not a hand table.
 */
import { IANAZone } from 'luxon';
import { defaultDomainConfig, type DomainConfig } from './config.js';
import { phoneCountry } from './phone.js';
import { countryZones, findCity, mostPopulousCityZone, normaliseCountry, normaliseState, stateZone } from './places.js';

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
  /** Which rule decided: 'city', 'state', 'country', 'country_main_city', 'phone_country', 'phone_main_city', 'client_default'. */
  basis: 'city' | 'state' | 'country' | 'country_main_city' | 'phone_country' | 'phone_main_city' | 'client_default';
  /** The recipient's location as far as it is known (for holidays): ISO country and state code. */
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
 * Resolve the recipient's zone (ED-002):
 * 1. HQ city (within the given country and state when known; the most populous match wins);
 * 2. HQ state (Australian states resolve to their own zones: NSW/ACT Sydney, VIC Melbourne,
 *    QLD Brisbane, SA Adelaide, WA Perth, TAS Hobart, NT Darwin);
 * 3. HQ country with a single zone;
 * 4. phone number's country (when it agrees with the HQ country, if any) with a single zone;
 * 5. a multi-zone country (from HQ or phone): the client default if it lies in that country,
 *    else the zone of the country's most populous city;
 * 6. the client default.
 */
export function resolveRecipientZone(place: RecipientPlace, config: DomainConfig = defaultDomainConfig): ResolvedZone {
  const clientDefault = isValidZone(place.clientDefaultZone) ? place.clientDefaultZone : config.client.defaultZone;
  const hqCountry = normaliseCountry(place.country);
  const phoneCc = place.phoneE164 ? (phoneCountry(place.phoneE164) ?? null) : null;
  // The country to read the state and city in: the HQ's, else the phone's.
  const country = hqCountry ?? phoneCc;
  const state = country ? normaliseState(country, place.state) : null;
  const location = { country, state: state?.code ?? null };

  // 1. City
  if (place.city) {
    let city = state ? findCity(place.city, { country, state }) : findCity(place.city, { country });
    // No HQ country: the phone's country was only a hint; try the most populous city of that name anywhere.
    if (!city && !hqCountry && !state) city = findCity(place.city);
    if (city && isValidZone(city.zone)) {
      const cityCountry = city.country || country;
      const cityState = state ?? (cityCountry ? normaliseState(cityCountry, city.province) : null);
      return { zone: city.zone, source: 'hq', basis: 'city', location: { country: cityCountry ?? null, state: cityState?.code ?? null } };
    }
  }

  // 2. State
  if (country && state) {
    const zone = stateZone(country, state);
    if (isValidZone(zone)) return { zone, source: 'hq', basis: 'state', location };
  }

  // 3. HQ country with one zone
  if (hqCountry) {
    const zones = countryZones(hqCountry);
    if (zones.length === 1 && isValidZone(zones[0])) return { zone: zones[0], source: 'hq', basis: 'country', location };
  }

  // 4. Phone country with one zone (only if it does not contradict the HQ country)
  const phoneUsable = phoneCc && (!hqCountry || hqCountry === phoneCc);
  if (phoneUsable) {
    const zones = countryZones(phoneCc);
    if (zones.length === 1 && isValidZone(zones[0])) return { zone: zones[0], source: 'phone', basis: 'phone_country', location };
  }

  // 5. A multi-zone country is known
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

  // 6. Client default
  return { zone: clientDefault, source: 'client_default', basis: 'client_default', location };
}
