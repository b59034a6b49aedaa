/**
 * Lead score (ALS, 0-100) from its five parts, with the reasons that produced it, and the tier
 * (SYS-002). Pure and allocation-light: it is on the hot path of onboarding.
 *
 * The types are in scoring-types.ts, title classification in scoring-titles.ts, the compiled
 * per-configuration tables in scoring-compiled.ts and ICP fit in icp-fit.ts (their public names
 * are re-exported here); this file sums the parts and gives the tier.
 */
import { defaultDomainConfig, type DomainConfig, type LeadTier } from './config.js';
import { compile, titleFacts } from './scoring-compiled.js';
import type { AuthorityLevel, LeadScore, ScoreInput, ScoreReason } from './scoring-types.js';

export { icpFit, type CompanyFacts, type IdealCustomerProfile } from './icp-fit.js';
export { isBadTitle } from './scoring-compiled.js';
export { classifyTitle } from './scoring-titles.js';
export {
  AUTHORITY_LEVELS,
  type AuthorityLevel,
  type LeadScore,
  type ScoreInput,
  type ScoreParts,
  type ScorePart,
  type ScoreReason,
} from './scoring-types.js';

// ---------------------------------------------------------------------------------------------
// Score and tier
// ---------------------------------------------------------------------------------------------

/** Tier for an ALS: Hot >= 85, Warm 60-84, Cool 35-59, Cold 20-34, Dead < 20 (SYS-002). */
export function tierForScore(score: number, config: DomainConfig = defaultDomainConfig): LeadTier {
  const t = config.tiers;
  if (score >= t.Hot) return 'Hot';
  if (score >= t.Warm) return 'Warm';
  if (score >= t.Cool) return 'Cool';
  if (score >= t.Cold) return 'Cold';
  return 'Dead'; // also NaN
}

/**
 * ALS 0-100 from data quality (max 20), authority (max 25), company fit (max 25), timing (max 15)
 * and risk deductions; each part is capped at its max, the total is clamped to 0..100 and
 * rounded to an integer. `reasons` lists every contribution, plus 'cap:<part>' and 'clamped'
 * corrections, so that the reasons' points always sum to the score (SYS-002).
 */
export function scoreLead(input: ScoreInput, config: DomainConfig = defaultDomainConfig): LeadScore {
  const c = compile(config);
  const s = config.scoring;
  const r = c.r;
  const reasons: ScoreReason[] = [];

  // Data quality
  let dq = 0;
  if (input.emailVerified) {
    dq += s.dataQuality.verifiedEmail;
    reasons.push(r.verified_email);
  }
  if (input.hasPhone) {
    dq += s.dataQuality.phone;
    reasons.push(r.phone);
  }
  if (input.hasLinkedinUrl) {
    dq += s.dataQuality.linkedinUrl;
    reasons.push(r.linkedin_url);
  }
  if (input.hasPersonalEmail) {
    dq += s.dataQuality.personalEmail;
    reasons.push(r.personal_email);
  }
  if (dq > s.dataQuality.max) {
    reasons.push({ part: 'dataQuality', code: 'cap:dataQuality', points: s.dataQuality.max - dq });
    dq = s.dataQuality.max;
  }

  // Authority: the level the title (or an explicit level) states. A bad title only costs its
  // risk deduction below (DOMAIN.md); it does not take the authority points away as well.
  const tf = input.title ? titleFacts(input.title, c) : null;
  const badTitle = input.badTitle ?? (tf !== null && tf.bad);
  const level: AuthorityLevel = input.authority ?? (tf === null ? 'none' : tf.level);
  let au = c.authorityPoints[level];
  const authorityReason = c.authorityReasons[level];
  if (au > 0 && authorityReason) reasons.push(authorityReason);
  if (au > s.authority.max) {
    reasons.push({ part: 'authority', code: 'cap:authority', points: s.authority.max - au });
    au = s.authority.max;
  }

  // Company fit
  let cf = 0;
  if (input.industryMatch) {
    cf += s.companyFit.industryMatch;
    reasons.push(r.industry_match);
  }
  if (input.employeeCountInRange) {
    cf += s.companyFit.employeeCountInRange;
    reasons.push(r.employee_count_in_range);
  }
  if (input.icpCountryMatch) {
    cf += s.companyFit.icpCountry;
    reasons.push(r.icp_country);
  }
  if (cf > s.companyFit.max) {
    reasons.push({ part: 'companyFit', code: 'cap:companyFit', points: s.companyFit.max - cf });
    cf = s.companyFit.max;
  }

  // Timing
  let ti = 0;
  const mir = input.monthsInRole;
  if (mir != null && mir >= 0 && mir < s.timing.newInRoleUnderMonths) {
    ti += s.timing.newInRole;
    reasons.push(r.new_in_role);
  }
  if (input.companyHiring) {
    ti += s.timing.companyHiring;
    reasons.push(r.company_hiring);
  }
  const msf = input.monthsSinceFunding;
  if (msf != null && msf >= 0 && msf <= s.timing.fundedWithinMonths) {
    ti += s.timing.recentlyFunded;
    reasons.push(r.recently_funded);
  }
  if (ti > s.timing.max) {
    reasons.push({ part: 'timing', code: 'cap:timing', points: s.timing.max - ti });
    ti = s.timing.max;
  }

  // Risk
  let risk = 0;
  if (input.bounced) {
    risk -= s.risk.bounced;
    reasons.push(r.bounced);
  }
  if (input.unsubscribed) {
    risk -= s.risk.unsubscribed;
    reasons.push(r.unsubscribed);
  }
  if (input.competitor) {
    risk -= s.risk.competitor;
    reasons.push(r.competitor);
  }
  if (badTitle) {
    risk -= s.risk.badTitle;
    reasons.push(r.bad_title);
  }

  const raw = dq + au + cf + ti + risk;
  let score = Math.round(raw < 0 ? 0 : raw > 100 ? 100 : raw);
  if (!Number.isFinite(score)) score = 0;
  if (score !== raw) reasons.push({ part: 'total', code: 'clamped', points: score - raw });

  return {
    score,
    tier: tierForScore(score, config),
    parts: { dataQuality: dq, authority: au, companyFit: cf, timing: ti, risk },
    reasons,
  };
}
