/**
 * Opt-out in a reply (SM-003): "Opt-out words in a reply (STOP, UNSUBSCRIBE, CANCEL, END, QUIT, any
 * case, with or without punctuation), and any reply that asks in other words to stop being
 * contacted, opt the person out of all channels for every client. A sentence that uses one of the
 * words in another sense is not an opt-out."
 *
 * A reply opts out when, in any case, with any punctuation, whitespace or emoji around:
 * 1. it has a word that has no other sense anywhere (UNSUBSCRIBE, STOPALL, OPTOUT);
 * 2. a clause (split at . ! ? ; : , and new lines) is a request made with an opt-out word: only
 *    lead-ins before it ("please", "can you", "I want you to", "thanks but") and after it either
 *    nothing but filler words ("Stop!!", "cancel please", "end it") or, past a few skipped words,
 *    what it stops ("quit messaging me", "cancel my subscription to these texts");
 * 3. it says so in other words (configured patterns: "take me off your list", "don't contact me
 *    again", "remove my number").
 * A sentence that uses the word otherwise ("we will end the quarter strong", "I had to cancel the
 * meeting", "don't quit on us", "stop by our office") stays a reply. Word lists: config-opt-out.ts.
 */
import { defaultDomainConfig, type DomainConfig } from './config.js';

export interface OptOutResult {
  optOut: boolean;
  /** The opt-out word (upper case, accent-free) or, for a wording, the words that matched (lower case); null when none. */
  keyword: string | null;
}

interface Compiled {
  keywords: Set<string>;
  anywhere: Set<string>;
  fillers: Set<string>;
  contact: Set<string>;
  skip: Set<string>;
  /** Lead-in phrases as word sequences, longest first. */
  leadIns: string[][];
  phrases: RegExp[];
}

/** Accent-free lower case, curly apostrophes straightened. */
function fold(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[\u2018\u2019\u02bc\u0060\u00b4]/g, "'")
    .toLowerCase();
}

/** Words of a text: letters and digits, apostrophes inside words dropped (don't -> dont). */
function wordsOf(s: string): string[] {
  return (s.match(/[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*/gu) ?? []).map((w) => w.replace(/'/g, ''));
}

const compiledCache = new WeakMap<DomainConfig['sms'], Compiled>();
function compile(sms: DomainConfig['sms']): Compiled {
  let c = compiledCache.get(sms);
  if (c) return c;
  const set = (list: readonly string[]) => new Set(list.flatMap((w) => wordsOf(fold(w))));
  c = {
    keywords: set(sms.optOutKeywords),
    anywhere: set(sms.optOutAnywhereKeywords),
    fillers: set(sms.optOutFillerWords),
    contact: set(sms.optOutContactWords),
    skip: set(sms.optOutSkipWords),
    leadIns: sms.optOutLeadIns
      .map((p) => wordsOf(fold(p)))
      .filter((p) => p.length > 0)
      .sort((a, b) => b.length - a.length),
    phrases: sms.optOutPhrases.map((p) => new RegExp(p, 'u')),
  };
  compiledCache.set(sms, c);
  return c;
}

/** Index of the first word after the lead-ins (and polite filler words) that open the clause. */
function afterLeadIns(words: readonly string[], c: Compiled): number {
  let i = 0;
  for (;;) {
    const lead = c.leadIns.find((p) => p.every((w, k) => words[i + k] === w));
    if (lead) i += lead.length;
    else if (i < words.length && c.fillers.has(words[i]!) && !c.keywords.has(words[i]!)) i++;
    else return i;
  }
}

/** Whether the words after an opt-out word make the clause a request to stop contact. */
function requestAfter(words: readonly string[], from: number, c: Compiled): boolean {
  // Only filler words (or more opt-out words) to the end: "cancel please", "stop it now", "STOP STOP".
  let i = from;
  while (i < words.length && (c.fillers.has(words[i]!) || c.keywords.has(words[i]!))) i++;
  if (i === words.length) return true;
  // What it stops, past a few skipped words: "quit messaging me", "cancel my subscription to these texts".
  for (let j = from, skipped = 0; j < words.length && skipped <= 4; j++, skipped++) {
    if (c.contact.has(words[j]!)) return true;
    if (!c.skip.has(words[j]!)) return false;
  }
  return false;
}

/** Opt-out in a reply, and the word or wording that made it one (SM-003). */
export function detectOptOut(text: string, config: DomainConfig = defaultDomainConfig): OptOutResult {
  const c = compile(config.sms);
  const folded = fold(text);
  const all = wordsOf(folded);
  if (all.length === 0) return { optOut: false, keyword: null };
  // 1. A word with no other sense.
  const strong = all.find((w) => c.anywhere.has(w));
  if (strong) return { optOut: true, keyword: strong.toUpperCase() };
  // 2. A clause that is a request made with an opt-out word.
  for (const clause of folded.split(/[.!?;:,\n\r\u2026()[\]{}"<>|/\\]+|\s[-\u2013\u2014]+\s/)) {
    const words = wordsOf(clause);
    const i = afterLeadIns(words, c);
    const w = words[i];
    if (w !== undefined && c.keywords.has(w) && requestAfter(words, i + 1, c)) return { optOut: true, keyword: w.toUpperCase() };
  }
  // 3. Other wordings that ask to stop being contacted.
  const spaced = ` ${all.join(' ')} `;
  for (const re of c.phrases) {
    const m = re.exec(spaced);
    if (m) return { optOut: true, keyword: m[0].trim() };
  }
  return { optOut: false, keyword: null };
}

/** Whether a reply opts the lead out of all channels (SM-003). */
export function isOptOut(text: string, config: DomainConfig = defaultDomainConfig): boolean {
  return detectOptOut(text, config).optOut;
}
