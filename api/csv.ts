/**
 * CSV for the client's exports (SYS-007): RFC 4180 (fields with a comma, a double quote, CR or LF
 * are quoted, quotes doubled; lines end CRLF) and spreadsheet formula injection neutralised: a
 * text cell starting with =, +, -, @, a tab or a CR gets a single quote in front (OWASP), so a
 * spreadsheet shows it as text instead of running it. Numbers are written as numbers (never a
 * formula); null and undefined are empty cells; dates are ISO 8601 in UTC.
 */
export type CsvValue = string | number | Date | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = v instanceof Date ? v.toISOString() : v;
  if (typeof v === 'string' && FORMULA_START.test(s)) s = `'${s}`;
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One record, CRLF included. */
export const csvRow = (cells: readonly CsvValue[]): string => `${cells.map(csvCell).join(',')}\r\n`;

/** `attachment; filename="..."` for a plain ASCII name. */
export const attachment = (filename: string) => `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`;
