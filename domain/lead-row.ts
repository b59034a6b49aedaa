/**
 * What makes a submitted lead row valid (SYS-001 intake). Pure zod: used by the API to reject
 * bad rows with their line and field, and by the import activity to read staged rows.
 */
import { z } from 'zod';
import { countryImpliedState, normaliseCountry } from './places.js';

/** Empty strings (common in CSV) mean "not given". */
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);
const text = (max: number) => z.preprocess(blankToUndefined, z.string().max(max).optional());

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
    email: z.preprocess(blankToUndefined, z.email({ message: 'not a valid email address' }).max(320).optional()),
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
    phone: z.preprocess(
      blankToUndefined,
      z
        .string()
        .max(40)
        .regex(/^\+?[\d\s().\-]{6,}(\s*(x|ext\.?)\s*\d{1,6})?$/i, { message: 'not a phone number (digits, spaces, + - ( ) only)' })
        .optional(),
    ),
    linkedin_url: z.preprocess(
      blankToUndefined,
      z
        .url({ message: 'not a valid URL' })
        .refine((u) => /(^|\.)linkedin\.com$/i.test(new URL(u).hostname), { message: 'must be a linkedin.com URL' })
        .optional(),
    ),
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
};

export function normaliseHeader(header: string): string {
  const key = header
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
  return headerAliases[key] ?? key;
}
