import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AUTHORITY_LEVELS,
  classifyTitle,
  defaultDomainConfig,
  icpFit,
  resolveClientConfig,
  scoreLead,
  tierForScore,
  type AuthorityLevel,
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

  it('SYS-002: a title naming whom the holder assists has no authority of its own ("Executive Assistant to the CEO"), and costs the bad-title 5', () => {
    const r = scoreLead({ title: 'Executive Assistant to the CEO' });
    expect(r.parts.authority).toBe(0);
    expect(r.parts.risk).toBe(-5);
    expect(classifyTitle('Intern, Office of the Founder')).toBe('none');
    expect(classifyTitle('Former CEO')).toBe('none');
    expect(classifyTitle('Head of Go-to-Market')).toBe('director_head');
  });

  it('SYS-002: an explicit bad-title flag only deducts 5: the authority the title states is kept', () => {
    const r = scoreLead({ title: 'CEO', badTitle: true, emailVerified: true });
    expect(r.parts).toEqual({ dataQuality: 8, authority: 25, companyFit: 0, timing: 0, risk: -5 });
    expect(r.score).toBe(28);
    expect(scoreLead({ authority: 'vp', badTitle: true }).parts).toMatchObject({ authority: 18, risk: -5 });
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

/** DOMAIN.md "Lead score (ALS, 0-100) and tiers", written out independently of scoreLead. */
const AUTHORITY_POINTS: Record<AuthorityLevel, number> = {
  owner_founder_ceo: 25,
  c_suite_president: 22,
  vp: 18,
  director_head: 15,
  senior_manager: 10,
  manager_lead: 7,
  none: 0,
};
function domainFormula(i: ScoreInput & { authority: AuthorityLevel }): { score: number; tier: string } {
  const dq = Math.min(20, (i.emailVerified ? 8 : 0) + (i.hasPhone ? 6 : 0) + (i.hasLinkedinUrl ? 4 : 0) + (i.hasPersonalEmail ? 2 : 0));
  const fit = Math.min(25, (i.industryMatch ? 10 : 0) + (i.employeeCountInRange ? 8 : 0) + (i.icpCountryMatch ? 7 : 0));
  const mir = i.monthsInRole;
  const msf = i.monthsSinceFunding;
  const timing = Math.min(
    15,
    (mir != null && mir >= 0 && mir < 6 ? 6 : 0) + (i.companyHiring ? 5 : 0) + (msf != null && msf >= 0 && msf <= 12 ? 4 : 0),
  );
  const risk = (i.bounced ? 10 : 0) + (i.unsubscribed ? 15 : 0) + (i.competitor ? 15 : 0) + (i.badTitle ? 5 : 0);
  const score = Math.max(0, Math.min(100, dq + AUTHORITY_POINTS[i.authority] + fit + timing - risk));
  const tier = score >= 85 ? 'Hot' : score >= 60 ? 'Warm' : score >= 35 ? 'Cool' : score >= 20 ? 'Cold' : 'Dead';
  return { score, tier };
}

describe('scoring: every tier is reachable (SYS-002, AD-004)', () => {
  const fit = { industryMatch: true, employeeCountInRange: true, icpCountryMatch: true };
  it.each([
    // 20 (8+6+4+2) + 25 + 25 + 15 (6+5+4) = 85
    [
      'every fact',
      {
        emailVerified: true,
        hasPhone: true,
        hasLinkedinUrl: true,
        hasPersonalEmail: true,
        title: 'Founder',
        ...fit,
        monthsInRole: 2,
        companyHiring: true,
        monthsSinceFunding: 3,
      },
      85,
      'Hot',
    ],
    // 18 (8+6+4) + 25 + 25 = 68: the best a list without signals could do
    ['no signals', { emailVerified: true, hasPhone: true, hasLinkedinUrl: true, title: 'CEO', ...fit }, 68, 'Warm'],
    // 18 + 15 + 25 + 4 = 62
    [
      'a director of a recently funded company',
      { emailVerified: true, hasPhone: true, hasLinkedinUrl: true, title: 'Director of Sales', ...fit, monthsSinceFunding: 11 },
      62,
      'Warm',
    ],
    // 14 (8+6) + 15 + 0 + 6 = 35
    ['a director new in role', { emailVerified: true, hasPhone: true, title: 'Head of Ops', monthsInRole: 1 }, 35, 'Cool'],
    // 8 + 25 + 25 - 5 = 53 (the old code gave 28: Cold)
    ['a CEO flagged as a bad title', { emailVerified: true, title: 'CEO', ...fit, badTitle: true }, 53, 'Cool'],
    // 8 + 7 + 10 + 5 + 4 = 34
    [
      'a manager of a hiring, funded company',
      { emailVerified: true, title: 'Marketing Manager', industryMatch: true, companyHiring: true, monthsSinceFunding: 12 },
      34,
      'Cold',
    ],
    // 6 + 10 + 7 + 5 = 28
    ['a senior manager with a phone', { hasPhone: true, title: 'Senior Manager', icpCountryMatch: true, companyHiring: true }, 28, 'Cold'],
    // 8 + 6 + 25 + 25 - 15 - 15 = 34
    [
      'a competitor who unsubscribed',
      { emailVerified: true, hasPhone: true, title: 'CEO', ...fit, competitor: true, unsubscribed: true },
      34,
      'Cold',
    ],
    // 4 + 0 - 5 = -1 -> 0
    ['an intern with only a LinkedIn URL', { hasLinkedinUrl: true, title: 'Marketing Intern' }, 0, 'Dead'],
    // 6 + 7 + 0 = 13
    ['a team lead with a phone only', { hasPhone: true, title: 'Team Lead' }, 13, 'Dead'],
  ] as [string, ScoreInput, number, string][])('SYS-002 AD-004: %s -> %i (%s)', (_what, input, score, tier) => {
    const r = scoreLead(input);
    expect([r.score, r.tier]).toEqual([score, tier]);
  });
});

describe('scoring: properties', () => {
  it("SYS-002: with the default weights the score and tier are exactly DOMAIN.md's formula; a bad title costs 5 and never the authority", () => {
    const arb = fc.record({
      emailVerified: fc.boolean(),
      hasPhone: fc.boolean(),
      hasLinkedinUrl: fc.boolean(),
      hasPersonalEmail: fc.boolean(),
      authority: fc.constantFrom(...AUTHORITY_LEVELS),
      industryMatch: fc.boolean(),
      employeeCountInRange: fc.boolean(),
      icpCountryMatch: fc.boolean(),
      monthsInRole: fc.oneof(fc.constant(null), fc.integer({ min: -3, max: 24 }), fc.double({ min: -1, max: 30, noNaN: true })),
      companyHiring: fc.boolean(),
      monthsSinceFunding: fc.oneof(fc.constant(null), fc.integer({ min: -3, max: 24 }), fc.double({ min: -1, max: 30, noNaN: true })),
      bounced: fc.boolean(),
      unsubscribed: fc.boolean(),
      competitor: fc.boolean(),
      badTitle: fc.boolean(),
    });
    fc.assert(
      fc.property(arb, (input) => {
        const r = scoreLead(input);
        expect({ score: r.score, tier: r.tier }).toEqual(domainFormula(input));
        expect(r.parts.authority).toBe(AUTHORITY_POINTS[input.authority]);
        const other = scoreLead({ ...input, badTitle: !input.badTitle });
        expect(other.parts.authority).toBe(r.parts.authority);
        expect(other.parts.risk - r.parts.risk).toBe(input.badTitle ? 5 : -5);
      }),
      { numRuns: 3000 },
    );
  });

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
