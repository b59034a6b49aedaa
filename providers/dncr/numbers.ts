/**
 * DNCR numbers: E.164 +61 to the national digits the register takes (validated with
 * libphonenumber first: invalid numbers are still charged), and back from its answers.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { ProviderError } from '../ports.js';
import { DNCR } from './errors.js';

/** `+61412345678` -> `0412345678`; undefined when not a valid +61 number. Throws for non-+61. */
export function toDncrNational(e164: string): string | undefined {
  const s = e164.trim();
  if (!/^\+\s*6\s*1/.test(s)) {
    throw new ProviderError(
      DNCR,
      'non_au_number',
      `Only Australian numbers (E.164 +61...) can be washed against the DNCR; got "${mask(s)}"`,
      false,
    );
  }
  const parsed = parsePhoneNumberFromString(s);
  if (!parsed || parsed.countryCallingCode !== '61' || !parsed.isValid()) return undefined;
  const national = parsed.formatNational().replace(/\D/g, '');
  return national === '' ? undefined : national;
}

/** Digits only; `61xxxxxxxxx` (international without +) back to national `0xxxxxxxxx`. */
export function normalizeRegisterNumber(raw: string): string {
  const digits = raw.replace(/\D/g, '');
  if (digits.startsWith('61') && digits.length === 11) return `0${digits.slice(2)}`;
  return digits;
}

export function mask(n: string): string {
  return n.length <= 6 ? n : `${n.slice(0, 6)}…`;
}
