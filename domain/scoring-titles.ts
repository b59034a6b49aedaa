/**
 * Title classification: the title patterns per authority level and the authority level of a job
 * title, cached (SYS-002). Re-exported by scoring.ts.
 */
import type { AuthorityLevel } from './scoring-types.js';

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
export const TITLE_CACHE_MAX = 50_000;

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
