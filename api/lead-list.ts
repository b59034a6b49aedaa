/**
 * Reads a submitted lead list (JSON array or CSV text) and validates every row with zod.
 * Either all rows are valid, or the answer lists every bad row by line and field and nothing
 * is stored (SYS-001 intake).
 */
import { parse } from 'csv-parse/sync';
import { LeadRowSchema, normaliseHeader, type LeadRow } from '../domain/lead-row.js';
import { decodeText } from './text-encoding.js';

export interface RowError {
  /** 1-based position of the lead in the list. */
  row: number;
  /** Physical line in the CSV file (the header is line 1); absent for JSON lists. */
  line?: number;
  field: string;
  message: string;
}

export type LeadListResult =
  | { ok: true; rows: LeadRow[]; /** Each row's physical CSV line (CSV lists only). */ lines?: number[] }
  | {
      ok: false;
      errors: RowError[];
      message: string;
      /** 'unsupported_encoding' when the file's bytes cannot be read as text. */ code?: string;
    };

const MAX_REPORTED_ERRORS = 200;

function validate(records: { data: unknown; line?: number }[], maxRows: number): LeadListResult {
  if (records.length === 0) return { ok: false, errors: [], message: 'the lead list is empty' };
  if (records.length > maxRows) {
    return { ok: false, errors: [], message: `the lead list has ${records.length} rows; the limit is ${maxRows} per campaign` };
  }
  const rows: LeadRow[] = [];
  const errors: RowError[] = [];
  let badRows = 0;
  records.forEach((rec, i) => {
    const parsed = LeadRowSchema.safeParse(rec.data);
    if (parsed.success) {
      rows.push(parsed.data);
      return;
    }
    badRows += 1;
    for (const issue of parsed.error.issues) {
      if (errors.length >= MAX_REPORTED_ERRORS) break;
      errors.push({ row: i + 1, ...(rec.line ? { line: rec.line } : {}), field: issue.path.join('.') || 'row', message: issue.message });
    }
  });
  if (badRows > 0) {
    const first = errors[0];
    const where = first ? `${first.line ? `line ${first.line}` : `row ${first.row}`}, ${first.field}: ${first.message}` : '';
    return {
      ok: false,
      errors,
      message: `${badRows} of ${records.length} lead rows are invalid; nothing was stored. First: ${where}`,
    };
  }
  const lines = records.map((r) => r.line).filter((l): l is number => l !== undefined);
  return { ok: true, rows, ...(lines.length === rows.length ? { lines } : {}) };
}

export function validateJsonLeads(leads: unknown[], maxRows: number): LeadListResult {
  return validate(
    leads.map((data) =>
      data && typeof data === 'object' && !Array.isArray(data)
        ? { data: Object.fromEntries(Object.entries(data).map(([k, v]) => [normaliseHeader(k), v])) }
        : { data },
    ),
    maxRows,
  );
}

/**
 * A CSV file's bytes: decoded (UTF-8 with or without BOM, UTF-16 LE/BE, Windows-1252/Latin-1, or
 * the declared `charset`; see domain/text-encoding.ts), then read and validated like CSV text. A
 * file whose encoding cannot be told is refused, naming the encoding problem.
 */
export function validateCsvFile(bytes: Uint8Array, maxRows: number, charset?: string): LeadListResult {
  const decoded = decodeText(bytes, charset);
  if (!decoded.ok) {
    return {
      ok: false,
      code: decoded.code,
      errors: [{ row: 0, field: 'csv', message: decoded.message }],
      message: `the CSV file cannot be read: ${decoded.message}`,
    };
  }
  return validateCsvLeads(decoded.text, maxRows);
}

export function validateCsvLeads(csv: string, maxRows: number): LeadListResult {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(csv, {
      bom: true,
      columns: (header: string[]) => header.map(normaliseHeader),
      skip_empty_lines: true,
      trim: true,
      info: true,
    }) as typeof records;
  } catch (err) {
    const e = err as { message: string; lines?: number };
    return {
      ok: false,
      errors: [{ row: e.lines ? Math.max(e.lines - 1, 0) : 0, ...(e.lines ? { line: e.lines } : {}), field: 'csv', message: e.message }],
      message: `the CSV file cannot be read: ${e.message}`,
    };
  }
  return validate(
    records.map((r) => ({ data: r.record, line: r.info.lines })),
    maxRows,
  );
}
