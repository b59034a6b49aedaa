/**
 * What makes a submitted lead row valid (SYS-001 intake). Pure zod: used by the API to reject
 * bad rows with their line and field, and by the import activity to read staged rows. The field
 * types (formula-safe text, phones, flags, dates) are in lead-row-fields.ts.
 *
 * Besides the contact and company columns, a list may carry the facts the score needs that a
 * list cannot otherwise show (SYS-002), all optional: email_verified (yes/no), personal_email,
 * role_start_date or months_in_role, company_hiring (yes/no), funding_date or
 * months_since_funding, competitor (yes/no). A date wins over the month count given beside it.
 */
import { z } from 'zod';
import { blankToUndefined, calendarDate, email, flag, months, phone, text } from './lead-row-fields.js';
import { countryImpliedState, normaliseCountry } from './places.js';

/**
 * A UK nation written as the country ("Scotland", "Wales") is the lead's state as well when no state
 * is given: its bank holidays are regional (ED-003), and the country is stored as GB.
 */
function nationAsState(v: unknown): unknown {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
  const row = v as Record<string, unknown>;
  if (typeof row.country !== 'string' || (typeof row.state === 'string' && row.state.trim() !== '')) return v;
  const nation = countryImpliedState(row.country);
  return nation ? { ...row, state: nation.name } : v;
}

const LeadRowObject = z
  .object({
    email,
    first_name: text(100),
    last_name: text(100),
    title: text(200),
    company: text(200),
    company_domain: text(253),
    industry: text(100),
    employee_count: z.preprocess(
      blankToUndefined,
      z.coerce.number({ message: 'must be a whole number' }).int({ message: 'must be a whole number' }).min(0).max(10_000_000).optional(),
    ),
    city: text(100),
    state: text(100),
    country: z.preprocess(
      blankToUndefined,
      z
        .string()
        .transform((v, ctx) => {
          // ISO codes (AU, AUS) and names, everyday ones included (UK, USA, Scotland), as ED-002 reads them.
          const code = normaliseCountry(v);
          if (!code) {
            ctx.addIssue({ code: 'custom', message: `unknown country "${v}" (use an ISO 3166 code such as AU, US, GB)` });
            return z.NEVER;
          }
          return code;
        })
        .optional(),
    ),
    phone,
    linkedin_url: z.preprocess(
      blankToUndefined,
      z
        .url({ message: 'not a valid URL' })
        .refine((u) => /(^|\.)linkedin\.com$/i.test(new URL(u).hostname), { message: 'must be a linkedin.com URL' })
        .optional(),
    ),
    // Optional facts for the score (SYS-002); enrichment fills what a list leaves out.
    email_verified: flag,
    personal_email: email,
    role_start_date: calendarDate,
    months_in_role: months,
    company_hiring: flag,
    funding_date: calendarDate,
    months_since_funding: months,
    competitor: flag,
  })
  .refine((r) => r.email || r.phone || r.linkedin_url, {
    message: 'a lead needs at least one of email, phone or linkedin_url',
    path: ['email'],
  });

export const LeadRowSchema = z.preprocess(nationAsState, LeadRowObject);

export type LeadRow = z.output<typeof LeadRowSchema>;
export type LeadRowInput = z.input<typeof LeadRowSchema>;

/** CSV headers such as "First Name" or "E-mail" become the schema's snake_case keys. */
const headerAliases: Record<string, string> = {
  e_mail: 'email',
  email_address: 'email',
  firstname: 'first_name',
  lastname: 'last_name',
  job_title: 'title',
  company_name: 'company',
  organization: 'company',
  website: 'company_domain',
  domain: 'company_domain',
  employees: 'employee_count',
  phone_number: 'phone',
  mobile: 'phone',
  linkedin: 'linkedin_url',
  linkedin_profile: 'linkedin_url',
  region: 'state',
  province: 'state',
  verified_email: 'email_verified',
  email_is_verified: 'email_verified',
  personal_email_address: 'personal_email',
  role_started: 'role_start_date',
  role_start: 'role_start_date',
  started_in_role: 'role_start_date',
  in_role_since: 'role_start_date',
  position_start_date: 'role_start_date',
  hiring: 'company_hiring',
  is_hiring: 'company_hiring',
  last_funding_date: 'funding_date',
  latest_funding_date: 'funding_date',
  funded_on: 'funding_date',
  funding_round_date: 'funding_date',
  is_competitor: 'competitor',
};

export function normaliseHeader(header: string): string {
  const key = header
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
  return headerAliases[key] ?? key;
}
