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

/**
 * The part of a title that says the holder's own rank: a title that names someone else's rank
 * ("Executive Assistant to the CEO", "Intern, Office of the Founder") is cut before it, and a
 * past rank ("Former CEO", "Ex-VP Sales", "Retired Director") is no rank now.
 */
const SERVES_SOMEONE = /\s(?:to|for)\s+(?:the\s+)?\S|\boffice\s+of\b/i;
const PAST_RANK = /^\s*(?:former|ex|retired|past|previous)\b/i;

function ownRank(title: string): string | null {
  if (PAST_RANK.test(title)) return null;
  const cut = SERVES_SOMEONE.exec(title);
  return cut ? title.slice(0, cut.index) : title;
}

const titleCache = new Map<string, AuthorityLevel>();
export const TITLE_CACHE_MAX = 50_000;

/** Authority level of a job title (SYS-002). Unknown or empty titles are 'none'. */
export function classifyTitle(title: string | null | undefined): AuthorityLevel {
  if (!title) return 'none';
  const cached = titleCache.get(title);
  if (cached !== undefined) return cached;
  let level: AuthorityLevel = 'none';
  const own = ownRank(title);
  if (own !== null) {
    for (const [lvl, re] of TITLE_RULES) {
      if (re.test(own)) {
        level = lvl;
        break;
      }
    }
  }
  if (titleCache.size >= TITLE_CACHE_MAX) titleCache.clear();
  titleCache.set(title, level);
  return level;
}
