/**
 * Reply intent rules for the offline (deterministic) content engine, and the action each intent
 * takes (SYS-003, ED-005, SM-003). Rules are keywords and patterns per intent; the first intent in
 * priority order with a match wins (compliance-relevant intents first).
 *
 * The rules are in reply-intent-rules.ts and the out-of-office return date in reply-return-date.ts
 * (both re-exported here); this file classifies a reply and gives the action of an intent.
 */
import { defaultDomainConfig, type DomainConfig } from './config.js';
import type { Location } from './holidays.js';
import { MINUTE_MS, seededIndex, toMillis, type InstantInput } from './instant.js';
import { REPLY_INTENT_RULES, type ReplyIntent } from './reply-intent-rules.js';
import { extractReturnDate } from './reply-return-date.js';
import { normalise, replyBody } from './reply-text.js';
import { detectOptOut } from './sms.js';
import { nextSendTime } from './windows.js';

export { REPLY_INTENT_RULES, REPLY_INTENTS, type IntentRule, type ReplyIntent } from './reply-intent-rules.js';
export { extractReturnDate } from './reply-return-date.js';

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
