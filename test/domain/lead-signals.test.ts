/**
 * SYS-002: the score's signals from a list row and from enrichment, merged, and counted on a day
 * (domain/lead-signals.ts).
 */
import { describe, expect, it } from 'vitest';
import { LeadRowSchema } from '../../domain/lead-row.js';
import {
  mergedSignals,
  missingPersonFacts,
  monthsSince,
  readAttributes,
  signalScoreInput,
  signalsFromRow,
} from '../../domain/lead-signals.js';

const intake = new Date('2026-03-10T22:00:00Z');
const row = (r: Record<string, unknown>) => LeadRowSchema.parse({ email: 'ann@acme.com', ...r });

describe('lead signals (SYS-002)', () => {
  it('SYS-002: month counts become dates as of the intake; a date given wins over a count', () => {
    expect(signalsFromRow(row({ months_in_role: '5', months_since_funding: '12', company_hiring: 'yes' }), intake)).toEqual({
      roleStartedOn: '2025-10-10',
      fundedOn: '2025-03-10',
      companyHiring: true,
    });
    expect(signalsFromRow(row({ role_start_date: '2026-01-05', months_in_role: '30' }), intake)).toEqual({ roleStartedOn: '2026-01-05' });
    expect(signalsFromRow(row({}), intake)).toBeUndefined();
  });

  it('SYS-002: "new in role" and "funded within 12 months" hold on the intake day and lapse with time', () => {
    const attrs = { list: signalsFromRow(row({ months_in_role: '5.9', months_since_funding: '12' }), intake) };
    const onIntake = signalScoreInput(attrs, intake);
    expect(onIntake.monthsInRole).toBeLessThan(6);
    expect(onIntake.monthsSinceFunding).toBe(12);
    const later = signalScoreInput(attrs, new Date('2026-03-20T00:00:00Z'));
    expect(later.monthsInRole).toBeGreaterThan(6);
    expect(later.monthsSinceFunding).toBeGreaterThan(12);
    expect(monthsSince('2026-04-01', intake)).toBeLessThan(0);
  });

  it('SYS-002: the list wins over the verifier, the verifier over person data; free mail counts as a personal email', () => {
    const at = '2026-03-10T00:00:00Z';
    const person = {
      provider: 'apollo',
      at,
      outcome: 'matched' as const,
      facts: { emailVerified: true, roleStartedOn: '2026-01-01', companyHiring: false },
    };
    const email = { provider: 'zerobounce', at, outcome: 'checked' as const, status: 'risky' as const, freeEmail: true };
    expect(mergedSignals({ person, email })).toEqual({ emailVerified: false, roleStartedOn: '2026-01-01', companyHiring: false });
    expect(mergedSignals({ list: { emailVerified: true, companyHiring: true }, person, email })).toMatchObject({
      emailVerified: true,
      companyHiring: true,
    });
    expect(mergedSignals({ person })).toMatchObject({ emailVerified: true });
    expect(signalScoreInput({ email }, intake)).toMatchObject({ emailVerified: false, hasPersonalEmail: true });
    expect(signalScoreInput({}, intake)).toEqual({
      emailVerified: false,
      hasPersonalEmail: false,
      monthsInRole: null,
      companyHiring: false,
      monthsSinceFunding: null,
      competitor: false,
    });
  });

  it('SYS-002: what is asked of a person-data provider is only what the list left out; unreadable attributes are nothing known', () => {
    expect(missingPersonFacts({ list: { roleStartedOn: '2026-01-01', companyHiring: false } })).toEqual(['fundedOn']);
    expect(missingPersonFacts({})).toEqual(['roleStartedOn', 'companyHiring', 'fundedOn']);
    expect(readAttributes({ list: { emailVerified: 'yes' } })).toEqual({});
    expect(readAttributes({ other: 1, list: { competitor: true } })).toEqual({ other: 1, list: { competitor: true } });
  });
});
