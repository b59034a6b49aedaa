/**
 * Reply intent rules for the offline (deterministic) content engine, and the action each intent
 * takes (SYS-003, ED-005, SM-003). Rules are keywords and patterns per intent; the first intent in
 * priority order with a match wins (compliance-relevant intents first).
 */
import { defaultDomainConfig, type DomainConfig } from './config.js';
import type { Location } from './holidays.js';
import { civilToDayNumber, dayNumberToIsoDate, DAY_MS, MINUTE_MS, seededIndex, toMillis, type InstantInput } from './instant.js';
import { detectOptOut } from './sms.js';
import { localDate, nextSendTime } from './windows.js';

export const REPLY_INTENTS = [
  'interested',
  'question',
  'referral',
  'out_of_office',
  'not_now',
  'not_interested',
  'unsubscribe',
  'wrong_person',
  'angry',
  'other',
] as const;
/** interested = interested / meeting request. */
export type ReplyIntent = (typeof REPLY_INTENTS)[number];

export interface IntentRule {
  intent: Exclude<ReplyIntent, 'other'>;
  patterns: readonly RegExp[];
}

/**
 * The rules, in priority order: the first intent with a matching pattern wins. Angry and
 * unsubscribe come first (stop and suppress), then auto-replies, then referrals (a referral
 * usually also says "wrong person"), then the rest.
 */
export const REPLY_INTENT_RULES: readonly IntentRule[] = [
  {
    intent: 'angry',
    patterns: [
      /\b(?:spam|spamming|spammer|spammy)\b/,
      /\bharass(?:ing|ment|ed)?\b/,
      /\bhow did you get (?:my|this) (?:email|e-mail|number|details|contact|address)\b/,
      /\b(?:report(?:ing)? you|reported you|acma|legal action|my lawyer|sue you)\b/,
      /\b(?:f+u+c+k+\w*|shit\w*|wtf|piss off|get lost|screw you|bugger off)\b/,
      /\b(?:leave me alone|stop (?:harassing|spamming|bothering|pestering) me)\b/,
      /\b(?:disgusting|appalling|unacceptable|outrageous)\b/,
      /\b(?:complaint|complain)\b/,
    ],
  },
  {
    intent: 'unsubscribe',
    patterns: [
      /\b(?:unsubscribe|opt(?:-| )?out)\b/,
      /\b(?:remove|delete) (?:me|my (?:email|e-mail|details|number|address))\b/,
      /\btake me off\b/,
      /\b(?:off|from) (?:your|the) (?:list|mailing list|database|system)\b/,
      /\bstop (?:emailing|e-mailing|messaging|texting|calling|contacting|sending)\b/,
      /\b(?:do not|don't|dont) (?:contact|email|e-mail|call|message|text) (?:me|us)\b/,
      /\bno more (?:emails|messages|texts|calls)\b/,
      /\bnever (?:contact|email|call) (?:me|us)\b/,
    ],
  },
  {
    intent: 'out_of_office',
    patterns: [
      /\bout of (?:the )?office\b/,
      /\booo\b/,
      /\b(?:automatic|auto)(?:-| )?reply\b|\bautoreply\b/,
      /\bon (?:annual |parental |maternity |paternity |sick |long service )?(?:leave|holidays?|vacation)\b/,
      /\baway from (?:the|my) (?:office|desk)\b/,
      /\b(?:currently|will be) (?:away|travell?ing|out|offline)\b/,
      /\blimited access to (?:my )?(?:email|e-mail)\b/,
      /\b(?:i am|i'm|i will be|i'll be) (?:back|returning) (?:on|in|from)\b/,
    ],
  },
  {
    intent: 'referral',
    patterns: [
      /\b(?:reach out to|contact|speak (?:to|with)|talk (?:to|with)|get in touch with)\b[^.?!\n]{0,60}?\b(?:colleague|manager|head of|team|he|she|[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,})\b/,
      /\b(?:forward(?:ed|ing)?|pass(?:ed|ing)?) (?:this|it|your (?:email|message|note)) (?:on )?to\b/,
      /\b(?:cc'?d|cc'?ing|copied in|looped in|looping in)\b/,
      /\bthe (?:right|best) person (?:is|would be|to (?:speak|talk) to)\b/,
      /\byou(?:'ll| will| should)? (?:want|need) to (?:speak|talk) (?:to|with)\b/,
    ],
  },
  {
    intent: 'wrong_person',
    patterns: [
      /\bwrong (?:person|contact|guy|email|number|department)\b/,
      /\bnot the (?:right|correct|best|appropriate) (?:person|contact)\b/,
      /\b(?:i am|i'm) not (?:responsible|in charge|the decision maker|the right person|involved)\b/,
      /\bno longer (?:work|with|at|employed)\b/,
      /\b(?:have |has )?left (?:the|this) (?:company|business|organisation|organization)\b/,
      /\b(?:don't|do not) (?:handle|look after|deal with|manage) (?:this|that|marketing|sales)\b/,
      /\bnot my (?:area|department|role|call)\b/,
    ],
  },
  {
    intent: 'not_interested',
    patterns: [
      /\bnot interested\b(?!\s+(?:right now|at the moment|at this (?:time|stage)|for now|yet|now))/,
      /\bno,? thanks?\b|\bno thank you\b/,
      /\b(?:we're|we are|i'm|i am) (?:all set|covered|happy with (?:our|my) (?:current|existing)|not looking)\b/,
      /\b(?:don't|do not|dont) (?:need|want) (?:this|it|your|any)\b/,
      /\balready (?:have|use|using|work with|working with)\b/,
      /\bnot (?:a )?(?:fit|good fit|priority|relevant)\b/,
      /\b(?:i'll|i will|we'll|we will) pass\b/,
      /\bnot for (?:us|me)\b/,
    ],
  },
  {
    intent: 'not_now',
    patterns: [
      /\bnot (?:right )?now\b/,
      /\bnot at (?:the moment|this (?:time|stage))\b/,
      /\bnot interested (?:right now|at the moment|at this (?:time|stage)|for now|yet|now)\b/,
      /\b(?:maybe|perhaps) (?:later|next (?:week|month|quarter|year))\b/,
      /\b(?:try|check back|reach out|circle back|follow up|ping me|contact me|get back to me)(?: again)? (?:later|next (?:week|month|quarter|year)|in (?:a few|a couple of|\d+|two|three|six) (?:weeks|months)|in the new year)\b/,
      /\b(?:bad|busy) time\b|\btoo busy\b/,
      /\bnext (?:quarter|financial year|year)\b/,
      /\bno budget\b/,
      /\btiming (?:isn't|is not) (?:right|great|ideal)\b/,
    ],
  },
  {
    intent: 'interested',
    patterns: [
      /\b(?:i'm|i am|we're|we are|very|definitely|could be|might be|would be) (?:interested|keen)\b/,
      /\bsounds (?:good|great|interesting|promising)\b/,
      /\btell me more\b/,
      /\blet's (?:talk|chat|meet|connect|do it|book|set)\b/,
      /\bhappy to (?:chat|talk|meet|connect|jump on)\b/,
      /\b(?:book|set up|schedule|arrange) (?:a |some )?(?:time|call|meeting|chat|demo)\b/,
      /\bsend (?:me |us )?(?:a |an |your )?(?:calendar|invite|booking link|link|times)\b/,
      /\bwhen are you (?:free|available)\b/,
      /\bwhat (?:times?|days?) (?:work|suits?)\b/,
      /\b(?:free|available) (?:on|next|this|tomorrow)\b/,
      /\b(?:i'd|i would|we'd|we would) (?:like|love) to (?:learn|hear|know|see|chat|talk|meet)\b/,
      /\byes,? please\b/,
      /\b(?:call|ring) me\b|\bgive me a (?:call|ring)\b/,
    ],
  },
  {
    intent: 'question',
    patterns: [
      /\?/,
      /\b(?:pricing|price|cost|costs|how much|fees?)\b/,
      /\bmore (?:info|information|details)\b/,
      /\bcan you (?:send|share|explain|tell)\b/,
      /^(?:what|how|who|when|where|why|which)\b/m,
    ],
  },
];

export interface ReplyClassification {
  intent: ReplyIntent;
  /** Heuristic 0..1: more matching patterns raise it, matches of competing intents lower it. */
  confidence: number;
  /** The matched text fragments of the winning intent. */
  matched: string[];
  /** Other intents that also matched, in priority order. */
  alsoMatched: ReplyIntent[];
  /** Out of office: the return date 'YYYY-MM-DD' when it can be read. */
  returnDate?: string;
}

/** Keep the reply itself: drop quoted lines and everything from the quoted original message on. */
function replyBody(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  for (const line of lines) {
    if (/^\s*on .{3,200}wrote:\s*$/i.test(line) || /^\s*-{2,}\s*original message/i.test(line) || /^\s*from:\s.+/i.test(line)) break;
    if (/^\s*>/.test(line)) continue;
    out.push(line);
  }
  return out.join('\n');
}

function normalise(text: string): string {
  return replyBody(text)
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .toLowerCase();
}

/**
 * Classify a reply by keyword and pattern rules (SYS-003, ED-005, SM-003). An SMS-style opt-out
 * keyword reply (STOP, ...) is 'unsubscribe'. With `now` (and the recipient's zone), an
 * out-of-office reply also gets its return date.
 */
export function classifyReply(text: string, opts: { now?: InstantInput; zone?: string; config?: DomainConfig } = {}): ReplyClassification {
  const config = opts.config ?? defaultDomainConfig;
  const body = normalise(text);
  const hits: { intent: ReplyIntent; matched: string[] }[] = [];
  for (const rule of REPLY_INTENT_RULES) {
    const matched: string[] = [];
    for (const re of rule.patterns) {
      const m = re.exec(body);
      if (m) matched.push(m[0]);
    }
    if (rule.intent === 'unsubscribe') {
      const o = detectOptOut(replyBody(text), config);
      if (o.optOut && o.keyword) matched.push(o.keyword.toLowerCase());
    }
    if (matched.length > 0) hits.push({ intent: rule.intent, matched });
  }
  if (hits.length === 0) return { intent: 'other', confidence: body.trim() ? 0.3 : 0.1, matched: [], alsoMatched: [] };
  const win = hits[0]!;
  const onlyQuestionMark = win.intent === 'question' && win.matched.length === 1 && win.matched[0] === '?';
  let confidence = onlyQuestionMark ? 0.5 : Math.min(0.95, 0.65 + 0.1 * (win.matched.length - 1));
  confidence = Math.max(0.35, confidence - 0.05 * (hits.length - 1));
  const result: ReplyClassification = {
    intent: win.intent,
    confidence: Math.round(confidence * 100) / 100,
    matched: win.matched,
    alsoMatched: hits.slice(1).map((h) => h.intent),
  };
  if (win.intent === 'out_of_office') {
    const d = extractReturnDate(text, opts.now, opts.zone, config);
    if (d) result.returnDate = d;
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Out-of-office return date
// ---------------------------------------------------------------------------------------------

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const WEEKDAYS: Record<string, number> = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 };
const MONTH_RE =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const WEEKDAY_RE = '(mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)';

function validDate(y: number, m: number, d: number): number | null {
  if (m < 1 || m > 12 || d < 1 || d > 31) return null;
  const dn = civilToDayNumber(y, m, d);
  const back = new Date(dn * DAY_MS);
  return back.getUTCMonth() + 1 === m && back.getUTCDate() === d ? dn : null;
}

/** Resolve a month/day without a year to its next occurrence on or after `today`. */
function nextOccurrence(today: number | null, m: number, d: number, y?: number): number | null {
  if (y !== undefined) return validDate(y < 100 ? 2000 + y : y, m, d);
  if (today === null) return null;
  const year = new Date(today * DAY_MS).getUTCFullYear();
  for (const yy of [year, year + 1]) {
    const dn = validDate(yy, m, d);
    if (dn !== null && dn >= today) return dn;
  }
  return null;
}

type DateRule = { re: RegExp; read: (r: RegExpExecArray, today: number | null, dayFirst: boolean) => number | null };

const WD = `(?:${WEEKDAY_RE},?\\s+)?`;
const DATE_RULES: readonly DateRule[] = [
  { re: /\b(\d{4})-(\d{1,2})-(\d{1,2})\b/, read: (r) => validDate(Number(r[1]), Number(r[2]), Number(r[3])) },
  {
    re: new RegExp(`\\b${WD}(\\d{1,2})(?:st|nd|rd|th)?(?:\\s+of)?\\s+${MONTH_RE}\\b,?(?:\\s+(\\d{4}))?`),
    read: (r, today) => nextOccurrence(today, MONTHS[r[3]!.slice(0, 3)]!, Number(r[2]), r[4] ? Number(r[4]) : undefined),
  },
  {
    re: new RegExp(`\\b${WD}${MONTH_RE}\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b,?(?:\\s+(\\d{4}))?`),
    read: (r, today) => nextOccurrence(today, MONTHS[r[2]!.slice(0, 3)]!, Number(r[3]), r[4] ? Number(r[4]) : undefined),
  },
  {
    re: new RegExp(`\\b${WD}(\\d{1,2})[/.](\\d{1,2})(?:[/.](\\d{2,4}))?\\b`),
    read: (r, today, dayFirst) => {
      const a = Number(r[2]);
      const b = Number(r[3]);
      return dayFirst
        ? nextOccurrence(today, b, a, r[4] ? Number(r[4]) : undefined)
        : nextOccurrence(today, a, b, r[4] ? Number(r[4]) : undefined);
    },
  },
  { re: /\btomorrow\b/, read: (_r, today) => (today === null ? null : today + 1) },
  {
    re: new RegExp(`\\b(?:next\\s+)?${WEEKDAY_RE}\\b`),
    read: (r, today) => {
      const wd = WEEKDAYS[r[1]!.slice(0, 3)];
      if (today === null || !wd) return null;
      const todayWd = ((((today + 3) % 7) + 7) % 7) + 1;
      return today + ((wd - todayWd + 7) % 7 || 7);
    },
  },
];

/** The earliest date in a fragment (ties go to the more specific rule). */
function parseDateFragment(frag: string, today: number | null, dayFirst: boolean): number | null {
  let best: { index: number; dn: number } | null = null;
  for (const rule of DATE_RULES) {
    const r = rule.re.exec(frag);
    if (!r || (best && r.index >= best.index)) continue;
    const dn = rule.read(r, today, dayFirst);
    if (dn !== null) best = { index: r.index, dn };
  }
  return best ? best.dn : null;
}

/** Words after which an out-of-office reply gives its return date, strongest first. */
const RETURN_TRIGGERS: readonly RegExp[] = [
  /\b(?:back|return(?:ing|s)?|in the office|available again)\b/g,
  /\b(?:until|till|til|through|thru)\b/g,
];

/**
 * The return date in an out-of-office reply ('YYYY-MM-DD'), read in the 60 characters after
 * "back"/"return" (else "until"): ISO dates, "14 July (2025)", "July 14th", "14/7(/2025)" (day
 * first unless `reply.dayFirstDates` is false), weekday names and "tomorrow" (relative to `now`
 * in `zone`). Dates without a year take their next occurrence on or after today; null when none
 * is found (SYS-003).
 */
export function extractReturnDate(
  text: string,
  now?: InstantInput,
  zone?: string,
  config: DomainConfig = defaultDomainConfig,
): string | null {
  const body = normalise(text);
  let today: number | null = null;
  if (now !== undefined) {
    const iso = zone ? localDate(zone, now) : new Date(toMillis(now)).toISOString().slice(0, 10);
    today = civilToDayNumber(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10)));
  }
  for (const trigger of RETURN_TRIGGERS) {
    trigger.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = trigger.exec(body))) {
      const frag = body.slice(m.index + m[0].length, m.index + m[0].length + 60);
      const dn = parseDateFragment(frag, today, config.reply.dayFirstDates);
      if (dn !== null) return dayNumberToIsoDate(dn);
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Actions
// ---------------------------------------------------------------------------------------------

export interface IntentAction {
  /** What happens to the lead's sequence. */
  sequence: 'pause' | 'pause_until_return' | 'stop';
  /** Add the lead to the global suppression list. */
  suppress: boolean;
  /** The content engine answers (on the channel the lead used), after the delay, in business hours. */
  answer: boolean;
  /** Hand the conversation to a human. */
  alertHuman: boolean;
  /** Create a new lead from the referral. */
  createLead: boolean;
}

const ACTIONS: Readonly<Record<ReplyIntent, Readonly<IntentAction>>> = Object.freeze({
  interested: { sequence: 'pause', suppress: false, answer: true, alertHuman: false, createLead: false },
  question: { sequence: 'pause', suppress: false, answer: true, alertHuman: false, createLead: false },
  referral: { sequence: 'stop', suppress: false, answer: false, alertHuman: false, createLead: true },
  out_of_office: { sequence: 'pause_until_return', suppress: false, answer: false, alertHuman: false, createLead: false },
  not_now: { sequence: 'stop', suppress: false, answer: false, alertHuman: false, createLead: false },
  not_interested: { sequence: 'stop', suppress: true, answer: false, alertHuman: false, createLead: false },
  unsubscribe: { sequence: 'stop', suppress: true, answer: false, alertHuman: false, createLead: false },
  wrong_person: { sequence: 'stop', suppress: false, answer: false, alertHuman: false, createLead: false },
  angry: { sequence: 'stop', suppress: true, answer: false, alertHuman: true, createLead: false },
  other: { sequence: 'pause', suppress: false, answer: false, alertHuman: true, createLead: false },
});

/**
 * The action of an intent: meeting/interest or question -> pause and answer; referral -> new lead;
 * out of office -> pause until the return date; not interested / unsubscribe -> stop and
 * suppress; angry -> stop, suppress, alert a human. DOMAIN.md is silent on the rest: not now and
 * wrong person stop without suppression; other pauses and goes to a human (SYS-003).
 */
export function actionForIntent(intent: ReplyIntent): IntentAction {
  const a = ACTIONS[intent];
  if (!a) throw new RangeError(`unknown reply intent: ${String(intent)}`);
  return { ...a };
}

/** The answer delay, a seeded 3-5 minutes (SYS-003). */
export function answerDelayMinutes(seed: string, config: DomainConfig = defaultDomainConfig): number {
  const { answerDelayMinMinutes: lo, answerDelayMaxMinutes: hi } = config.reply;
  return lo + seededIndex(seed, Math.floor(hi - lo) + 1);
}

/**
 * When the answer to a reply goes out: received + a seeded 3-5 minute delay, moved into business
 * hours (the `reply` window, 09:00-17:00 weekdays, no holidays) of the lead (SYS-003, ED-005).
 */
export function answerSendTime(params: {
  receivedAt: InstantInput;
  seed: string;
  zone: string;
  location?: Location | null;
  config?: DomainConfig;
}): Date {
  const config = params.config ?? defaultDomainConfig;
  const earliest = toMillis(params.receivedAt) + answerDelayMinutes(params.seed, config) * MINUTE_MS;
  return nextSendTime({ channel: 'reply', zone: params.zone, location: params.location ?? null, now: earliest, config });
}
