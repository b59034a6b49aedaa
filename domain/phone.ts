/**
 * Phone numbers (part of SYS-001 intake, used by ED-002 and SM-001/002).
 * Pure: parsing and normalisation only, through libphonenumber-js (max metadata).
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

export type PhoneParseResult =
  | { ok: true; e164: string; country: CountryCode | undefined; type: string | undefined }
  | { ok: false; reason: 'empty' | 'unparseable' | 'invalid' };

/**
 * Normalise a raw phone number to E.164. A number without a country prefix is read in
 * `defaultCountry` (the lead's country when known, else the client's).
 */
export function normalisePhone(raw: string | null | undefined, defaultCountry?: string): PhoneParseResult {
  const text = (raw ?? '').trim();
  if (text === '') return { ok: false, reason: 'empty' };
  const parsed = parsePhoneNumberFromString(text, (defaultCountry?.toUpperCase() as CountryCode | undefined) ?? undefined);
  if (!parsed) return { ok: false, reason: 'unparseable' };
  if (!parsed.isValid()) return { ok: false, reason: 'invalid' };
  return { ok: true, e164: parsed.number, country: parsed.country, type: parsed.getType() };
}

/** The ISO country of an E.164 number, or undefined when it cannot be told. */
export function phoneCountry(e164: string): CountryCode | undefined {
  return parsePhoneNumberFromString(e164)?.country;
}
