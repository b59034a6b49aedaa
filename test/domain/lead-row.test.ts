/**
 * SYS-001 intake and SYS-002 signal columns: what a lead row accepts and refuses
 * (domain/lead-row.ts, domain/lead-row-fields.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LeadRowSchema, normaliseHeader } from '../../domain/lead-row.js';
import { unsafeTextReason } from '../../domain/lead-row-fields.js';

const issues = (row: Record<string, unknown>) => {
  const r = LeadRowSchema.safeParse({ email: 'ann@acme.com', ...row });
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('lead rows: spreadsheet formulas (SYS-001, OWASP CSV injection)', () => {
  it.each([
    ['first_name', '=HYPERLINK("http://evil.example","Click")'],
    ['last_name', "+cmd|' /C calc'!A0"],
    ['title', "-2+3+cmd|' /C calc'!A0"],
    ['company', "@SUM(1+1)*cmd|' /C calc'!A0"],
    ['company_domain', '=1+1'],
    ['industry', '\t=1+1'],
    ['city', '\r=1+1'],
    ['state', '＝1+1'],
    ['email', '-x@acme.com'],
    ['personal_email', '+x@gmail.com'],
  ])('SYS-001: %s %j is refused with the field named', (field, value) => {
    const found = issues({ [field]: value });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^${field}: starts with ".", which spreadsheets run as a formula`));
  });

  it.each([
    { first_name: 'Mary-Jane', last_name: "O'Brien-Smith" },
    { company: 'Café Crème – Straße 5 €', title: 'VP, Go-To-Market' },
    { phone: '+61 2 9999 9999' },
    { phone: '+1 (212) 555-0142 ext. 12' },
    { company: 'A+ Tutoring', city: 'Saint-Étienne', industry: 'E-commerce' },
  ])('SYS-001: legitimate values stay as given: %j', (row) => {
    const r = LeadRowSchema.parse({ email: 'ann@acme.com', ...row });
    expect(r).toMatchObject(row);
  });

  it('SYS-001: control characters and lone surrogates are refused in text', () => {
    expect(issues({ first_name: 'An\u0000n' })).toEqual(['first_name: contains a control character']);
    expect(issues({ company: 'Acme \uD800' })).toEqual(['company: contains an invalid character (a lone UTF-16 surrogate)']);
  });

  it('SYS-001: no free-text value that is stored starts with a formula character (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const r = LeadRowSchema.safeParse({ email: 'ann@acme.com', first_name: s, company: s, title: s });
        if (!r.success) return;
        for (const v of [r.data.first_name, r.data.company, r.data.title]) {
          if (v !== undefined) expect(v).not.toMatch(/^[=+\-@\t\r＝＋－＠]/);
        }
      }),
      { numRuns: 2000 },
    );
    expect(unsafeTextReason('Anna')).toBeUndefined();
  });
});

describe('lead rows: phone numbers (SYS-001)', () => {
  it.each([
    ['------', 'phone: not a phone number (0 digits; a number has at least 5)'],
    ['- - - - -', 'phone: not a phone number (0 digits; a number has at least 5)'],
    ['+', 'phone: not a phone number (0 digits; a number has at least 5)'],
    ['()', 'phone: not a phone number (0 digits; a number has at least 5)'],
    ['12-34', 'phone: not a phone number (4 digits; a number has at least 5)'],
    ['-61 412 345 678', 'phone: not a phone number (it must start with +, ( or a digit)'],
    ['call me', 'phone: not a phone number (digits, spaces, + - ( ) only)'],
    ['=1+2', 'phone: not a phone number (digits, spaces, + - ( ) only)'],
  ])('SYS-001: %j is refused', (phone, message) => {
    expect(issues({ phone })).toEqual([message]);
  });

  it.each(['0412 345 678', '(03) 6234 5678', '+44 7700 900123', '+1 212 555 0142 x 9', '1800 123 456', '12345'])(
    'SYS-001: %j passes intake',
    (phone) => {
      expect(issues({ phone })).toEqual([]);
    },
  );
});

describe('lead rows: score signal columns (SYS-002)', () => {
  it('SYS-002: flags, dates and month counts are read in the forms spreadsheets write', () => {
    const r = LeadRowSchema.parse({
      email: 'ann@acme.com',
      email_verified: 'Yes',
      personal_email: 'Ann.Lee@Gmail.com',
      role_start_date: '2025-11',
      company_hiring: '1',
      funding_date: '2025-06-01T00:00:00Z',
      months_since_funding: '3',
      competitor: 'FALSE',
    });
    expect(r).toMatchObject({
      email_verified: true,
      personal_email: 'Ann.Lee@Gmail.com',
      role_start_date: '2025-11-01',
      company_hiring: true,
      funding_date: '2025-06-01',
      months_since_funding: 3,
      competitor: false,
    });
    // Its own output reads again the same (the import re-reads staged rows).
    expect(LeadRowSchema.parse(r)).toEqual(r);
  });

  it('SYS-002: a bad flag, date or month count is refused with the field named', () => {
    expect(issues({ company_hiring: 'maybe', funding_date: '2025-02-30', months_in_role: '-1', role_start_date: '01/02/2025' })).toEqual([
      'role_start_date: "01/02/2025" is not a date (use YYYY-MM-DD, or YYYY-MM)',
      'months_in_role: must be 0 or more months',
      'company_hiring: "maybe" is not yes or no (use true/false, yes/no or 1/0)',
      'funding_date: "2025-02-30" is not a date (use YYYY-MM-DD, or YYYY-MM)',
    ]);
  });

  it('SYS-002: CSV headers name the signal columns in the usual ways', () => {
    expect(
      [
        'Email Verified',
        'Verified Email',
        'Personal Email Address',
        'Role Start Date',
        'In Role Since',
        'Hiring',
        'Last Funding Date',
        'Is Competitor',
      ].map(normaliseHeader),
    ).toEqual([
      'email_verified',
      'email_verified',
      'personal_email',
      'role_start_date',
      'role_start_date',
      'company_hiring',
      'funding_date',
      'competitor',
    ]);
  });
});
