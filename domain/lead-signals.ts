/**
 * The facts about a lead that its score needs beyond the contact and company columns (SYS-002):
 * email verification, a personal email, the timing signals (new in role, company hiring, recently
 * funded) and the competitor flag. They come from the list's optional columns and from enrichment
 * (a person-data provider such as Apollo, an email verifier such as ZeroBounce), and are kept in
 * the lead's `attributes` in the shape below, each with where it came from or why it is missing.
 *
 * Which wins: what the list says, then the email verifier (for the email), then the person-data
 * provider. Dates are calendar dates (YYYY-MM-DD, UTC); months are counted from them to `now`, so
 * a fact stays true only as long as it is true ("new in role" ends 6 months after the start).
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { LeadRow } from './lead-row.js';
import type { ScoreInput } from './scoring-types.js';

/** What a verifier says of an address: deliverable, not, catch-all/risky, or it could not tell. */
export const EMAIL_STATUSES = ['valid', 'invalid', 'risky', 'unknown'] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

/** How an enrichment step ended for a lead (`reason` says why when it gave nothing). */
export const ENRICHMENT_OUTCOMES = ['matched', 'no_match', 'checked', 'not_configured', 'refused', 'unavailable', 'not_needed'] as const;
export type EnrichmentOutcome = (typeof ENRICHMENT_OUTCOMES)[number];

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const LeadSignalsSchema = z.object({
  emailVerified: z.boolean().optional(),
  personalEmail: z.string().optional(),
  roleStartedOn: isoDate.optional(),
  companyHiring: z.boolean().optional(),
  fundedOn: isoDate.optional(),
  competitor: z.boolean().optional(),
});
export type LeadSignals = z.infer<typeof LeadSignalsSchema>;

const step = {
  provider: z.string(),
  at: z.string(),
  outcome: z.enum(ENRICHMENT_OUTCOMES),
  reason: z.string().optional(),
};

export const LeadAttributesSchema = z.looseObject({
  /** The facts the list gave. */
  list: LeadSignalsSchema.optional(),
  /** The person-data provider's answer (Apollo people match). */
  person: z.object({ ...step, facts: LeadSignalsSchema.optional() }).optional(),
  /** The email verifier's answer. */
  email: z.object({ ...step, status: z.enum(EMAIL_STATUSES).optional(), freeEmail: z.boolean().optional() }).optional(),
});
export type LeadAttributes = z.infer<typeof LeadAttributesSchema>;
export type PersonEnrichment = NonNullable<LeadAttributes['person']>;
export type EmailEnrichment = NonNullable<LeadAttributes['email']>;

/** A lead's stored attributes; anything unreadable counts as nothing known. */
export function readAttributes(json: unknown): LeadAttributes {
  const parsed = LeadAttributesSchema.safeParse(json ?? {});
  return parsed.success ? parsed.data : {};
}

function minusMonths(asOf: Date, months: number): string {
  const whole = Math.floor(months);
  const days = Math.round((months - whole) * 30.4375);
  return DateTime.fromJSDate(asOf, { zone: 'utc' }).minus({ months: whole, days }).toISODate()!;
}

/** The facts a list row gives, month counts turned into dates as of the list's intake. Undefined when it gives none. */
export function signalsFromRow(row: LeadRow, asOf: Date): LeadSignals | undefined {
  const roleStartedOn = row.role_start_date ?? (row.months_in_role != null ? minusMonths(asOf, row.months_in_role) : undefined);
  const fundedOn = row.funding_date ?? (row.months_since_funding != null ? minusMonths(asOf, row.months_since_funding) : undefined);
  const signals: LeadSignals = {
    ...(row.email_verified !== undefined ? { emailVerified: row.email_verified } : {}),
    ...(row.personal_email ? { personalEmail: row.personal_email.toLowerCase() } : {}),
    ...(roleStartedOn ? { roleStartedOn } : {}),
    ...(row.company_hiring !== undefined ? { companyHiring: row.company_hiring } : {}),
    ...(fundedOn ? { fundedOn } : {}),
    ...(row.competitor !== undefined ? { competitor: row.competitor } : {}),
  };
  return Object.keys(signals).length ? signals : undefined;
}

/** Whole and part months from a calendar date to `now`'s UTC date (negative for a date ahead). */
export function monthsSince(date: string, now: Date): number {
  const from = DateTime.fromISO(date, { zone: 'utc' });
  const to = DateTime.fromJSDate(now, { zone: 'utc' }).startOf('day');
  return to.diff(from, 'months').months;
}

/** The person-data facts the list left out: what a person-data provider is asked for. */
export function missingPersonFacts(attrs: LeadAttributes): ('roleStartedOn' | 'companyHiring' | 'fundedOn')[] {
  const list = attrs.list ?? {};
  return (['roleStartedOn', 'companyHiring', 'fundedOn'] as const).filter((k) => list[k] === undefined);
}

/** True when the lead's email still needs a verifier's answer (the list did not say). */
export function needsEmailCheck(email: string | null, attrs: LeadAttributes): boolean {
  return Boolean(email) && attrs.list?.emailVerified === undefined;
}

/** The lead's merged facts (list first, then verifier, then person data). */
export function mergedSignals(attrs: LeadAttributes): LeadSignals {
  const list = attrs.list ?? {};
  const person = attrs.person?.facts ?? {};
  const checked = attrs.email?.outcome === 'checked' ? attrs.email : undefined;
  const emailVerified = list.emailVerified ?? (checked ? checked.status === 'valid' : person.emailVerified);
  const personalEmail = list.personalEmail ?? person.personalEmail;
  return {
    ...(emailVerified !== undefined ? { emailVerified } : {}),
    ...(personalEmail ? { personalEmail } : {}),
    ...((list.roleStartedOn ?? person.roleStartedOn) ? { roleStartedOn: list.roleStartedOn ?? person.roleStartedOn } : {}),
    ...((list.companyHiring ?? person.companyHiring) !== undefined ? { companyHiring: list.companyHiring ?? person.companyHiring } : {}),
    ...((list.fundedOn ?? person.fundedOn) ? { fundedOn: list.fundedOn ?? person.fundedOn } : {}),
    ...(list.competitor !== undefined ? { competitor: list.competitor } : {}),
  };
}

/** The score facts (SYS-002) the lead's attributes give, on `now`. */
export function signalScoreInput(attrs: LeadAttributes, now: Date): Partial<ScoreInput> {
  const s = mergedSignals(attrs);
  return {
    emailVerified: s.emailVerified === true,
    hasPersonalEmail: Boolean(s.personalEmail) || attrs.email?.freeEmail === true,
    monthsInRole: s.roleStartedOn ? monthsSince(s.roleStartedOn, now) : null,
    companyHiring: s.companyHiring === true,
    monthsSinceFunding: s.fundedOn ? monthsSince(s.fundedOn, now) : null,
    competitor: s.competitor === true,
  };
}
