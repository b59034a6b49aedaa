/**
 * The field types of a submitted lead row (SYS-001 intake), used by lead-row.ts: text that cannot
 * turn into a spreadsheet formula, phone numbers with enough digits to be a number, yes/no flags,
 * calendar dates and month counts. Pure zod; empty strings mean "not given".
 *
 * Spreadsheet formulas (OWASP "CSV injection"): a cell that starts with = + - @ (or their
 * full-width forms), or with a tab or carriage return before one of them, is run as a formula when
 * the list is opened or exported to a spreadsheet. Such values are refused at intake with the
 * field named, never stored. Leading and trailing whitespace (tab and CR included) is trimmed
 * first, so "\t=1+1" is refused as "=1+1". Phone numbers are not free text: they may start with +
 * (an international prefix) because their characters (digits, spaces, + - . ( ) and an extension)
 * can never form a function call; hyphens inside names ("Mary-Jane") are untouched.
 */
import { z } from 'zod';

/** Empty strings (common in CSV) mean "not given"; other strings are trimmed. */
export const blankToUndefined = (v: unknown) => (typeof v === 'string' ? (v.trim() === '' ? undefined : v.trim()) : v);

/** Characters that make a spreadsheet read a cell as a formula (ASCII and full-width). */
const FORMULA_START = /^[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/;
/** C0 control characters (tab, LF and CR aside) and DEL: never part of a name or a title. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
/** A UTF-16 surrogate without its pair: not a character at all. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The reason a text value may not be stored, or undefined when it may. */
export function unsafeTextReason(value: string): string | undefined {
  if (FORMULA_START.test(value)) {
    return `starts with "${value[0]}", which spreadsheets run as a formula (CSV injection); remove the leading "${value[0]}"`;
  }
  if (CONTROL.test(value)) return 'contains a control character';
  if (LONE_SURROGATE.test(value)) return 'contains an invalid character (a lone UTF-16 surrogate)';
  return undefined;
}

function safeText(ctx: z.RefinementCtx, value: string): void {
  const reason = unsafeTextReason(value);
  if (reason) ctx.addIssue({ code: 'custom', message: reason });
}

/** Free text of at most `max` characters that a spreadsheet cannot run. */
export const text = (max: number) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .max(max)
      .superRefine((v, ctx) => safeText(ctx, v))
      .optional(),
  );

/** An email address (case kept; compared lower-cased), refused like text when it could run as a formula. */
export const email = z.preprocess(
  blankToUndefined,
  z
    .email({ message: 'not a valid email address' })
    .max(320)
    .superRefine((v, ctx) => safeText(ctx, v))
    .optional(),
);

/** Fewest digits a phone number can have and still be one (national numbers of the smallest plans have 5). */
export const MIN_PHONE_DIGITS = 5;
const EXTENSION = /\s*(x|ext\.?|extension)\s*\d{1,6}$/i;
const PHONE_CHARS = /^[\d\s().\-+]+$/;

export const phone = z.preprocess(
  blankToUndefined,
  z
    .string()
    .max(40)
    .superRefine((v, ctx) => {
      const number = v.replace(EXTENSION, '');
      if (!PHONE_CHARS.test(number)) {
        ctx.addIssue({ code: 'custom', message: 'not a phone number (digits, spaces, + - ( ) only)' });
        return;
      }
      const digits = number.replace(/\D/g, '').length;
      if (digits < MIN_PHONE_DIGITS) {
        ctx.addIssue({ code: 'custom', message: `not a phone number (${digits} digits; a number has at least ${MIN_PHONE_DIGITS})` });
      } else if (!/^[+(\d]/.test(number)) {
        ctx.addIssue({ code: 'custom', message: 'not a phone number (it must start with +, ( or a digit)' });
      }
    })
    .optional(),
);

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', 't']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', 'f']);

/** A yes/no column: JSON booleans, or true/false, yes/no, y/n, 1/0 in any case. */
export const flag = z.preprocess(
  blankToUndefined,
  z
    .union([z.boolean(), z.string(), z.number()])
    .transform((v, ctx) => {
      if (typeof v === 'boolean') return v;
      const word = String(v).trim().toLowerCase();
      if (TRUE_WORDS.has(word)) return true;
      if (FALSE_WORDS.has(word)) return false;
      ctx.addIssue({ code: 'custom', message: `"${String(v)}" is not yes or no (use true/false, yes/no or 1/0)` });
      return z.NEVER;
    })
    .optional(),
);

const ISO_DATE = /^(\d{4})-(\d{2})(?:-(\d{2}))?(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** A calendar date as YYYY-MM-DD (YYYY-MM means the 1st; a date-time keeps its date). */
export const calendarDate = z.preprocess(
  blankToUndefined,
  z
    .string()
    .transform((v, ctx) => {
      const m = ISO_DATE.exec(v);
      const [y, mo, d] = m ? [Number(m[1]), Number(m[2]), m[3] === undefined ? 1 : Number(m[3])] : [0, 0, 0];
      const date = new Date(Date.UTC(y, mo - 1, d));
      if (!m || y < 1900 || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) {
        ctx.addIssue({ code: 'custom', message: `"${v}" is not a date (use YYYY-MM-DD, or YYYY-MM)` });
        return z.NEVER;
      }
      return date.toISOString().slice(0, 10);
    })
    .optional(),
);

/** A count of months, 0..1200, decimals allowed. */
export const months = z.preprocess(
  blankToUndefined,
  z.coerce.number({ message: 'must be a number of months' }).min(0, { message: 'must be 0 or more months' }).max(1200).optional(),
);
