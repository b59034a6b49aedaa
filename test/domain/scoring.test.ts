import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classifyTitle,
  defaultDomainConfig,
  icpFit,
  resolveClientConfig,
  scoreLead,
  tierForScore,
  type ScoreInput,
} from '../../domain/index.js';

const perfect: ScoreInput = {
  emailVerified: true,
  hasPhone: true,
  hasLinkedinUrl: true,
  hasPersonalEmail: true,
  title: 'Founder & CEO',
  industryMatch: true,
  employeeCountInRange: true,
  icpCountryMatch: true,
  monthsInRole: 2,
  companyHiring: true,
  monthsSinceFunding: 6,
};

describe('scoring: parts (SYS-002)', () => {
  it.each([
    [{ emailVerified: true }, 8],
    [{ hasPhone: true }, 6],
    [{ hasLinkedinUrl: true }, 4],
    [{ hasPersonalEmail: true }, 2],
    [{ emailVerified: true, hasPhone: true, hasLinkedinUrl: true, hasPersonalEmail: true }, 20],
  ])('SYS-002: data quality %j -> %i', (input, expected) => {
    expect(scoreLead(input).parts.dataQuality).toBe(expected);
  });

  it.each([
    ['Owner', 25, 'owner_founder_ceo'],
    ['Co-founder', 25, 'owner_founder_ceo'],
    ['CEO', 25, 'owner_founder_ceo'],
    ['Chief Executive Officer', 25, 'owner_founder_ceo'],
    ['Managing Director', 25, 'owner_founder_ceo'],
    ['CFO', 22, 'c_suite_president'],
    ['Chief Revenue Officer', 22, 'c_suite_president'],
    ['President', 22, 'c_suite_president'],
    ['VP Sales', 18, 'vp'],
    ['Vice President, Marketing', 18, 'vp'],
    ['Senior Vice-President', 18, 'vp'],
    ['Director of Operations', 15, 'director_head'],
    ['Head of Growth', 15, 'director_head'],
    ['Senior Manager, Partnerships', 10, 'senior_manager'],
    ['Sr. Manager', 10, 'senior_manager'],
    ['Marketing Manager', 7, 'manager_lead'],
    ['Team Lead', 7, 'manager_lead'],
    ['Lead Generation Specialist', 0, 'none'],
    ['Software Engineer', 0, 'none'],
    ['', 0, 'none'],
  ])('SYS-002: authority of "%s" is %i', (title, points, level) => {
    expect(classifyTitle(title)).toBe(level);
    expect(scoreLead({ title }).parts.authority).toBe(points);
  });

  it.each([
    [{ industryMatch: true }, 10],
    [{ employeeCountInRange: true }, 8],
    [{ icpCountryMatch: true }, 7],
    [{ industryMatch: true, employeeCountInRange: true, icpCountryMatch: true }, 25],
  ])('SYS-002: company fit %j -> %i', (input, expected) => {
    expect(scoreLead(input).parts.companyFit).toBe(expected);
  });

  it.each([
    [{ monthsInRole: 5.9 }, 6],
    [{ monthsInRole: 6 }, 0], // "under 6 months"
    [{ companyHiring: true }, 5],
    [{ monthsSinceFunding: 12 }, 4], // "within 12 months"
    [{ monthsSinceFunding: 12.5 }, 0],
    [{ monthsInRole: 1, companyHiring: true, monthsSinceFunding: 0 }, 15],
  ])('SYS-002: timing %j -> %i', (input, expected) => {
    expect(scoreLead(input).parts.timing).toBe(expected);
  });

  it.each([
    [{ bounced: true }, -10],
    [{ unsubscribed: true }, -15],
    [{ competitor: true }, -15],
    [{ badTitle: true }, -5],
    [{ title: 'Marketing Intern' }, -5],
    [{ bounced: true, unsubscribed: true, competitor: true, badTitle: true }, -45],
  ])('SYS-002: risk %j -> %i', (input, expected) => {
    expect(scoreLead(input).parts.risk).toBe(expected);
  });

  it('SYS-002: a bad title earns no authority ("Executive Assistant to the CEO")', () => {
    const r = scoreLead({ title: 'Executive Assistant to the CEO' });
    expect(r.parts.authority).toBe(0);
    expect(r.parts.risk).toBe(-5);
  });

  it('SYS-002: company fit facts from a company and the ICP', () => {
    expect(
      icpFit(
        { industry: 'SaaS', employeeCount: 50, country: 'AU' },
        { industries: ['saas'], employeeMin: 10, employeeMax: 200, countries: ['AU'] },
      ),
    ).toEqual({
      industryMatch: true,
      employeeCountInRange: true,
      icpCountryMatch: true,
    });
    expect(
      icpFit(
        { industry: 'Retail', employeeCount: 500, country: 'NZ' },
        { industries: ['SaaS'], employeeMin: 10, employeeMax: 200, countries: ['AU'] },
      ),
    ).toEqual({
      industryMatch: false,
      employeeCountInRange: false,
      icpCountryMatch: false,
    });
  });
});

describe('scoring: total and tier (SYS-002)', () => {
  it.each([
    [100, 'Hot'],
    [85, 'Hot'],
    [84, 'Warm'],
    [60, 'Warm'],
    [59, 'Cool'],
    [35, 'Cool'],
    [34, 'Cold'],
    [20, 'Cold'],
    [19, 'Dead'],
    [0, 'Dead'],
    [Number.NaN, 'Dead'],
  ])('SYS-002: score %d is %s', (score, tier) => {
    expect(tierForScore(score)).toBe(tier);
  });

  it('SYS-002: a perfect lead scores 85 (Hot) with every reason listed', () => {
    const r = scoreLead(perfect);
    expect(r.score).toBe(85);
    expect(r.tier).toBe('Hot');
    expect(r.parts).toEqual({ dataQuality: 20, authority: 25, companyFit: 25, timing: 15, risk: 0 });
    expect(r.reasons.map((x) => x.code)).toEqual([
      'verified_email',
      'phone',
      'linkedin_url',
      'personal_email',
      'authority:owner_founder_ceo',
      'industry_match',
      'employee_count_in_range',
      'icp_country',
      'new_in_role',
      'company_hiring',
      'recently_funded',
    ]);
  });

  it('SYS-002: deductions below zero clamp to 0 and the clamp is a reason', () => {
    const r = scoreLead({ emailVerified: true, bounced: true, unsubscribed: true });
    expect(r.score).toBe(0);
    expect(r.tier).toBe('Dead');
    expect(r.reasons.at(-1)).toEqual({ part: 'total', code: 'clamped', points: 17 });
  });

  it('SYS-002: per-client weights change the score; parts are capped at their max', () => {
    const config = resolveClientConfig({ scoring: { companyFit: { industryMatch: 20, employeeCountInRange: 10 } } });
    const r = scoreLead({ industryMatch: true, employeeCountInRange: true }, config);
    expect(r.parts.companyFit).toBe(25);
    expect(r.reasons.find((x) => x.code === 'cap:companyFit')?.points).toBe(-5);
    expect(r.score).toBe(25);
  });
});

const inputArb: fc.Arbitrary<ScoreInput> = fc.record(
  {
    emailVerified: fc.boolean(),
    hasPhone: fc.boolean(),
    hasLinkedinUrl: fc.boolean(),
    hasPersonalEmail: fc.boolean(),
    title: fc.oneof(fc.constantFrom('CEO', 'VP Sales', 'Intern', 'Head of Ops', 'Team Lead', null), fc.string({ maxLength: 30 })),
    industryMatch: fc.boolean(),
    employeeCountInRange: fc.boolean(),
    icpCountryMatch: fc.boolean(),
    monthsInRole: fc.oneof(fc.double({ noNaN: false }), fc.constant(null)),
    companyHiring: fc.boolean(),
    monthsSinceFunding: fc.oneof(fc.double(), fc.constant(null)),
    bounced: fc.boolean(),
    unsubscribed: fc.boolean(),
    competitor: fc.boolean(),
    badTitle: fc.boolean(),
  },
  { requiredKeys: [] },
);

const weightsArb = fc.record({
  dataQuality: fc.record({ verifiedEmail: fc.integer({ min: 0, max: 100 }), phone: fc.integer({ min: 0, max: 100 }) }),
  companyFit: fc.record({ max: fc.integer({ min: 0, max: 100 }), industryMatch: fc.double({ min: 0, max: 100, noNaN: true }) }),
  risk: fc.record({ bounced: fc.integer({ min: 0, max: 100 }) }),
});

describe('scoring: properties', () => {
  it('SYS-002: a score is always an integer 0..100, its tier matches, and its reasons sum to it (any input, any client weights)', () => {
    fc.assert(
      fc.property(inputArb, fc.option(weightsArb, { nil: undefined }), (input, weights) => {
        const config = weights ? resolveClientConfig({ scoring: weights }) : defaultDomainConfig;
        const r = scoreLead(input, config);
        expect(Number.isInteger(r.score)).toBe(true);
        expect(r.score).toBeGreaterThanOrEqual(0);
        expect(r.score).toBeLessThanOrEqual(100);
        expect(r.tier).toBe(tierForScore(r.score, config));
        const sum = r.reasons.reduce((s, x) => s + x.points, 0);
        expect(Math.abs(sum - r.score)).toBeLessThan(0.5 + 1e-9);
        expect(r.parts.dataQuality).toBeLessThanOrEqual(config.scoring.dataQuality.max);
        expect(r.parts.companyFit).toBeLessThanOrEqual(config.scoring.companyFit.max);
        expect(r.parts.timing).toBeLessThanOrEqual(config.scoring.timing.max);
        expect(r.parts.authority).toBeLessThanOrEqual(config.scoring.authority.max);
      }),
      { numRuns: 1000 },
    );
  });
});
