/**
 * The vocabulary of the lead score (SYS-002): the authority levels, the facts a score is computed
 * from, its five parts, the reasons and the result. Re-exported by scoring.ts.
 */
import type { LeadTier } from './config.js';

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
