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

/**
 * A lead's phone as onboarding reads it: in the lead's country, else the client's default
 * (`defaultCountry`); undefined when the lead has none. Used at intake (to report numbers that
 * cannot be read in the upload's answer) and at import (E.164, or the issue kept on the lead).
 */
export function readLeadPhone(
  row: { phone?: string | null; country?: string | null },
  defaultCountry: string,
): PhoneParseResult | undefined {
  return row.phone ? normalisePhone(row.phone, row.country ?? defaultCountry) : undefined;
}

/** What a phone issue means, for the client: the number is kept as given, and no call or SMS goes to it. */
export function describePhoneIssue(reason: 'empty' | 'unparseable' | 'invalid', readAs?: string | null): string {
  const where = readAs ? ` (read as a ${readAs} number when it has no + prefix)` : '';
  if (reason === 'unparseable') return `cannot be read as a phone number${where}; no call or SMS will be made to it`;
  if (reason === 'invalid') return `is not a valid phone number${where}; no call or SMS will be made to it`;
  return 'no phone number';
}
