/**
 * The scoring tables of one configuration, compiled once and cached per configuration object:
 * the frozen reasons, the authority points per level and the bad-title pattern with its title
 * cache; and the bad-title check built on them (SYS-002). isBadTitle is re-exported by scoring.ts.
 */
import { defaultDomainConfig, type DomainConfig } from './config.js';
import { classifyTitle, TITLE_CACHE_MAX } from './scoring-titles.js';
import { AUTHORITY_LEVELS, type AuthorityLevel, type ScorePart, type ScoreReason } from './scoring-types.js';

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

export function compile(config: DomainConfig): Compiled {
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

export function titleFacts(title: string, c: Compiled): TitleFacts {
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
