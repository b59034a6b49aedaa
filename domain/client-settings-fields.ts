/**
 * The rules of single settings values (SYS-007): plain text for headers, messages and speech, a
 * provider id, an https booking link, an IANA zone (stored under its canonical name), a country
 * with a public-holiday calendar. Assembled into the settings schemas by client-settings.ts.
 *
 * Pure: no I/O, no clock.
 */
import { z } from 'zod';
import Holidays from 'date-holidays';
import countriesAndTimezones from 'countries-and-timezones';
import { IANAZone } from 'luxon';

const CONTROL = /[\u0000-\u001f\u007f]/;

/** One line of text: trimmed, 1..max characters, no control characters (it goes into headers and texts). */
export const line = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `at most ${max} characters`)
    .refine((s) => !CONTROL.test(s), 'one line of text without control characters');

/**
 * What the voice assistant says: plain text, 1..max characters. Vapi renders its messages as
 * Liquid templates, so `{{` and `{%` are refused (the text is said as written, never evaluated).
 */
export const speech = (max: number) =>
  line(max).refine((s) => !/\{\{|\{%/.test(s), 'plain text: template tags such as {{ }} or {% %} are not allowed');

/** A provider's id (Vapi assistant, Vapi query tool): letters, digits, '-' and '_', up to 128. */
export const providerId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/, 'an id of letters, digits, "-" and "_" (at most 128 characters)');

/** True for an absolute https URL with a host and no credentials in it. */
export function isHttpsUrl(value: string): boolean {
  if (/\s/.test(value)) return false;
  try {
    const u = new URL(value);
    return u.protocol === 'https:' && u.hostname.length > 0 && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/** The page where a lead books a meeting (Cal.com, Calendly, ...): an https URL. */
export const bookingLinkSchema = z
  .string()
  .trim()
  .max(2000, 'at most 2000 characters')
  .refine(isHttpsUrl, 'must be an https:// URL with a host (no spaces, no user:password@)');

let zoneNames: ReadonlyMap<string, string> | undefined;
/**
 * The IANA name of a zone as the tz database spells it, a deprecated link resolved to the zone it
 * names (australia/sydney -> Australia/Sydney, US/Eastern -> America/New_York, Asia/Calcutta ->
 * Asia/Kolkata, UTC -> Etc/UTC); a name the list does not know is kept as given.
 */
export function canonicalZone(zone: string): string {
  zoneNames ??= new Map(
    Object.values(countriesAndTimezones.getAllTimezones({ deprecated: true })).map((z) => [z.name.toLowerCase(), z.aliasOf ?? z.name]),
  );
  return zoneNames.get(zone.toLowerCase()) ?? zone;
}

/** An IANA time zone the runtime can compute with (luxon decides), stored under its canonical name. */
export const timeZoneSchema = z
  .string()
  .trim()
  .refine((zone) => IANAZone.isValidZone(zone), 'not an IANA time zone such as Australia/Sydney or America/New_York')
  .transform(canonicalZone)
  .refine((zone) => IANAZone.isValidZone(zone), 'not an IANA time zone such as Australia/Sydney or America/New_York');

let holidayCountries: ReadonlySet<string> | undefined;
/** The ISO 3166-1 alpha-2 codes date-holidays has a calendar for (the windows close on their holidays). */
export function holidayCountryCodes(): ReadonlySet<string> {
  holidayCountries ??= new Set(Object.keys(new Holidays().getCountries()));
  return holidayCountries;
}

/** An ISO 3166-1 alpha-2 country code with a public-holiday calendar (au -> AU; UK is refused: GB). */
export const countryCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .refine(
    (c) => /^[A-Z]{2}$/.test(c) && holidayCountryCodes().has(c),
    'not an ISO 3166-1 alpha-2 country code with a public-holiday calendar (AU, NZ, GB, US, ...)',
  );
