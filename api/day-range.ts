/**
 * Ranges of whole UTC days the reports and exports take (SYS-007): `from` and `to` as YYYY-MM-DD,
 * both included. A day must exist in the calendar (2026-02-30 does not) and lie in the years
 * 2000 to 2100.
 */
import { z } from 'zod';
import { HttpError } from './errors.js';

const DAY_MS = 86_400_000;

export const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'a day as YYYY-MM-DD' })
  .refine((d) => {
    const t = new Date(`${d}T00:00:00.000Z`);
    return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
  }, 'not a day of the calendar')
  .refine((d) => d >= '2000-01-01' && d <= '2100-12-31', 'a day between 2000-01-01 and 2100-12-31');

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const msOf = (day: string) => new Date(`${day}T00:00:00.000Z`).getTime();

/** The number of days from `from` to `to`, both included. */
export const daysIn = (from: string, to: string) => Math.round((msOf(to) - msOf(from)) / DAY_MS) + 1;

/** 400 when `from` is after `to`. */
export function checkOrder(from: string | undefined, to: string | undefined): void {
  if (from && to && from > to) throw new HttpError(400, 'invalid_range', `from (${from}) is after to (${to})`);
}

/**
 * The report's days: `to` defaults to today (UTC), `from` to 30 days ending on `to`; at most
 * `maxDays` days (400 beyond, and when `from` is after `to`).
 */
export function reportRange(q: { from?: string; to?: string }, nowMs: number, maxDays: number): { from: string; to: string } {
  const to = q.to ?? dayOf(nowMs);
  const from = q.from ?? dayOf(msOf(to) - 29 * DAY_MS);
  checkOrder(from, to);
  if (daysIn(from, to) > maxDays) throw new HttpError(400, 'invalid_range', `the range is ${daysIn(from, to)} days; at most ${maxDays}`);
  return { from, to };
}
