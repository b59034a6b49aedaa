/**
 * Lead score (ALS, 0-100) from its five parts, with the reasons that produced it, and the tier
 * (SYS-002). Pure and allocation-light: it is on the hot path of onboarding.
 */
import { defaultDomainConfig, type DomainConfig, type LeadTier } from './config.js';

/** Authority levels of DOMAIN.md, highest first. */
export const AUTHORITY_LEVELS = [
  'owner_founder_ceo',
  'c_suite_president',
  'vp',
  'director_head',
  'senior_manager',
  'manager_lead',
  'none',
] as const;
export type AuthorityLevel = (typeof AUTHORITY_LEVELS)[number];

/** Facts about a lead that the score is computed from. Missing booleans count as false. */
export interface ScoreInput {
  /** Data quality. */
  emailVerified?: boolean;
  hasPhone?: boolean;
  hasLinkedinUrl?: boolean;
  hasPersonalEmail?: boolean;
  /** Authority: an explicit level wins over the title; otherwise the title is classified. */
  authority?: AuthorityLevel;
  title?: string | null;
  /** Company fit (see `icpFit` to compute these from company facts and the client's ICP). */
  industryMatch?: boolean;
  employeeCountInRange?: boolean;
  icpCountryMatch?: boolean;
  /** Timing. */
  monthsInRole?: number | null;
  companyHiring?: boolean;
  monthsSinceFunding?: number | null;
  /** Risk. `badTitle` undefined: decided from the title and `scoring.badTitleKeywords`. */
  bounced?: boolean;
  unsubscribed?: boolean;
  competitor?: boolean;
  badTitle?: boolean;
}

export type ScorePart = 'dataQuality' | 'authority' | 'companyFit' | 'timing' | 'risk';

export interface ScoreReason {
  /** The part the reason belongs to; 'total' for the final clamp to 0..100. */
  readonly part: ScorePart | 'total';
  /** Stable code, e.g. 'verified_email', 'authority:vp', 'bounced', 'cap:dataQuality', 'clamped'. */
  readonly code: string;
  /** Signed points this reason contributed (caps and clamping contribute their correction). */
  readonly points: number;
}

export interface ScoreParts {
  dataQuality: number;
  authority: number;
  companyFit: number;
  timing: number;
  /** Sum of deductions, zero or negative. */
  risk: number;
}

export interface LeadScore {
  /** Integer 0..100. */
  score: number;
  tier: LeadTier;
  parts: ScoreParts;
  reasons: ScoreReason[];
}

// ---------------------------------------------------------------------------------------------
// Title classification
// ---------------------------------------------------------------------------------------------

/** Title patterns per authority level, tested highest level first. */
const TITLE_RULES: readonly (readonly [AuthorityLevel, RegExp])[] = [
  ['owner_founder_ceo', /\b(?:owner|co-?founder|founder|ceo|chief executive|managing director)\b/i],
  ['c_suite_president', /\bc[a-z]{1,2}o\b|\bchief\b[\w\s&,/-]{0,40}?\bofficer\b|(?<!vice[\s-]?)\bpresident\b/i],
  ['vp', /\b(?:vp|svp|evp|avp|vice[\s-]?president)\b/i],
  ['director_head', /\b(?:director|head)\b/i],
  ['senior_manager', /\b(?:senior|sr\.?)\s+manager\b|\bgeneral manager\b/i],
  ['manager_lead', /\b(?:manager|mgr|supervisor)\b|\blead\b(?!\s*gen)/i],
];

const titleCache = new Map<string, AuthorityLevel>();
const TITLE_CACHE_MAX = 50_000;

/** Authority level of a job title (SYS-002). Unknown or empty titles are 'none'. */
export function classifyTitle(title: string | null | undefined): AuthorityLevel {
  if (!title) return 'none';
  const cached = titleCache.get(title);
  if (cached !== undefined) return cached;
  let level: AuthorityLevel = 'none';
  for (const [lvl, re] of TITLE_RULES) {
    if (re.test(title)) {
      level = lvl;
      break;
    }
  }
  if (titleCache.size >= TITLE_CACHE_MAX) titleCache.clear();
  titleCache.set(title, level);
  return level;
}

interface Reasons {
  verified_email: ScoreReason;
  phone: ScoreReason;
  linkedin_url: ScoreReason;
  personal_email: ScoreReason;
  industry_match: ScoreReason;
  employee_count_in_range: ScoreReason;
  icp_country: ScoreReason;
  new_in_role: ScoreReason;
  company_hiring: ScoreReason;
  recently_funded: ScoreReason;
  bounced: ScoreReason;
  unsubscribed: ScoreReason;
  competitor: ScoreReason;
  bad_title: ScoreReason;
}

interface TitleFacts {
  level: AuthorityLevel;
  bad: boolean;
}

interface Compiled {
  badTitleRe: RegExp | null;
  /** title -> authority level and bad-title flag, for this configuration's keywords. */
  titleCache: Map<string, TitleFacts>;
  authorityPoints: Record<AuthorityLevel, number>;
  authorityReasons: Record<AuthorityLevel, ScoreReason | null>;
  r: Reasons;
}

const compiledByConfig = new WeakMap<DomainConfig, Compiled>();

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compile(config: DomainConfig): Compiled {
  let c = compiledByConfig.get(config);
  if (c) return c;
  const s = config.scoring;
  const reason = (part: ScorePart, code: string, pts: number): ScoreReason => Object.freeze({ part, code, points: pts });
  const authorityPoints: Record<AuthorityLevel, number> = {
    owner_founder_ceo: s.authority.ownerFounderCeo,
    c_suite_president: s.authority.cSuitePresident,
    vp: s.authority.vp,
    director_head: s.authority.directorHead,
    senior_manager: s.authority.seniorManager,
    manager_lead: s.authority.managerLead,
    none: 0,
  };
  const r: Reasons = {
    verified_email: reason('dataQuality', 'verified_email', s.dataQuality.verifiedEmail),
    phone: reason('dataQuality', 'phone', s.dataQuality.phone),
    linkedin_url: reason('dataQuality', 'linkedin_url', s.dataQuality.linkedinUrl),
    personal_email: reason('dataQuality', 'personal_email', s.dataQuality.personalEmail),
    industry_match: reason('companyFit', 'industry_match', s.companyFit.industryMatch),
    employee_count_in_range: reason('companyFit', 'employee_count_in_range', s.companyFit.employeeCountInRange),
    icp_country: reason('companyFit', 'icp_country', s.companyFit.icpCountry),
    new_in_role: reason('timing', 'new_in_role', s.timing.newInRole),
    company_hiring: reason('timing', 'company_hiring', s.timing.companyHiring),
    recently_funded: reason('timing', 'recently_funded', s.timing.recentlyFunded),
    bounced: reason('risk', 'bounced', -s.risk.bounced),
    unsubscribed: reason('risk', 'unsubscribed', -s.risk.unsubscribed),
    competitor: reason('risk', 'competitor', -s.risk.competitor),
    bad_title: reason('risk', 'bad_title', -s.risk.badTitle),
  };
  const authorityReasons = {} as Record<AuthorityLevel, ScoreReason | null>;
  for (const lvl of AUTHORITY_LEVELS) {
    authorityReasons[lvl] = lvl === 'none' ? null : reason('authority', `authority:${lvl}`, authorityPoints[lvl]);
  }
  const words = s.badTitleKeywords.map(escapeRe);
  c = {
    badTitleRe: words.length ? new RegExp(`\\b(?:${words.join('|')})\\b`, 'i') : null,
    titleCache: new Map(),
    authorityPoints,
    authorityReasons,
    r,
  };
  compiledByConfig.set(config, c);
  return c;
}

function titleFacts(title: string, c: Compiled): TitleFacts {
  let f = c.titleCache.get(title);
  if (f === undefined) {
    f = { level: classifyTitle(title), bad: c.badTitleRe ? c.badTitleRe.test(title) : false };
    if (c.titleCache.size >= TITLE_CACHE_MAX) c.titleCache.clear();
    c.titleCache.set(title, f);
  }
  return f;
}

/** True when the title contains a bad-title keyword of the configuration (SYS-002 risk). */
export function isBadTitle(title: string | null | undefined, config: DomainConfig = defaultDomainConfig): boolean {
  return title ? titleFacts(title, compile(config)).bad : false;
}

// ---------------------------------------------------------------------------------------------
// ICP fit helper
// ---------------------------------------------------------------------------------------------

export interface IdealCustomerProfile {
  industries?: readonly string[];
  employeeMin?: number | null;
  employeeMax?: number | null;
  /** ISO 3166-1 alpha-2 codes. */
  countries?: readonly string[];
}

export interface CompanyFacts {
  industry?: string | null;
  employeeCount?: number | null;
  /** ISO 3166-1 alpha-2 code. */
  country?: string | null;
}

const norm = (s: string) => s.trim().toLowerCase();

/** The three company-fit facts of a company against the client's ICP (SYS-002). */
export function icpFit(
  company: CompanyFacts,
  icp: IdealCustomerProfile,
): { industryMatch: boolean; employeeCountInRange: boolean; icpCountryMatch: boolean } {
  const industryMatch = !!company.industry && !!icp.industries?.some((i) => norm(i) === norm(company.industry!));
  const n = company.employeeCount;
  const hasRange = icp.employeeMin != null || icp.employeeMax != null;
  const employeeCountInRange =
    hasRange &&
    n != null &&
    Number.isFinite(n) &&
    (icp.employeeMin == null || n >= icp.employeeMin) &&
    (icp.employeeMax == null || n <= icp.employeeMax);
  const icpCountryMatch = !!company.country && !!icp.countries?.some((c) => norm(c) === norm(company.country!));
  return { industryMatch, employeeCountInRange, icpCountryMatch };
}

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
