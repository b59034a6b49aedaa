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
import type { AuthorityLevel, LeadScore, ScoreInput, ScorePart, ScoreReason } from './scoring-types.js';

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
 * One part of the score: the points of each fact that holds, with its reason; a part over its max
 * is capped, and the cap is a reason too (so the reasons always sum to the score).
 */
function sumPart(
  part: ScorePart,
  max: number,
  reasons: ScoreReason[],
  facts: [boolean | undefined, number, ScoreReason | undefined][],
): number {
  let sum = 0;
  for (const [holds, points, reason] of facts) {
    if (!holds) continue;
    sum += points;
    reasons.push(reason!);
  }
  if (sum > max) {
    reasons.push({ part, code: `cap:${part}`, points: max - sum });
    return max;
  }
  return sum;
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

  const dq = sumPart('dataQuality', s.dataQuality.max, reasons, [
    [input.emailVerified, s.dataQuality.verifiedEmail, r.verified_email],
    [input.hasPhone, s.dataQuality.phone, r.phone],
    [input.hasLinkedinUrl, s.dataQuality.linkedinUrl, r.linkedin_url],
    [input.hasPersonalEmail, s.dataQuality.personalEmail, r.personal_email],
  ]);

  // Authority (a bad title earns no authority points)
  const tf = input.title ? titleFacts(input.title, c) : null;
  const badTitle = input.badTitle ?? (tf !== null && tf.bad);
  const level: AuthorityLevel = input.authority ?? (badTitle || tf === null ? 'none' : tf.level);
  let au = c.authorityPoints[level];
  const authorityReason = c.authorityReasons[level];
  if (au > 0 && authorityReason) reasons.push(authorityReason);
  if (au > s.authority.max) {
    reasons.push({ part: 'authority', code: 'cap:authority', points: s.authority.max - au });
    au = s.authority.max;
  }

  const cf = sumPart('companyFit', s.companyFit.max, reasons, [
    [input.industryMatch, s.companyFit.industryMatch, r.industry_match],
    [input.employeeCountInRange, s.companyFit.employeeCountInRange, r.employee_count_in_range],
    [input.icpCountryMatch, s.companyFit.icpCountry, r.icp_country],
  ]);

  const mir = input.monthsInRole;
  const msf = input.monthsSinceFunding;
  const ti = sumPart('timing', s.timing.max, reasons, [
    [mir != null && mir >= 0 && mir < s.timing.newInRoleUnderMonths, s.timing.newInRole, r.new_in_role],
    [input.companyHiring, s.timing.companyHiring, r.company_hiring],
    [msf != null && msf >= 0 && msf <= s.timing.fundedWithinMonths, s.timing.recentlyFunded, r.recently_funded],
  ]);

  // Risk deductions (no cap)
  const risk = sumPart('risk', Infinity, reasons, [
    [input.bounced, -s.risk.bounced, r.bounced],
    [input.unsubscribed, -s.risk.unsubscribed, r.unsubscribed],
    [input.competitor, -s.risk.competitor, r.competitor],
    [badTitle, -s.risk.badTitle, r.bad_title],
  ]);

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
