/**
 * The checks every outbound text passes before it is sent, whichever engine wrote it (SYS-003,
 * ED-005, SM-004): not empty, the channel's limits (one SMS segment and no link, the LinkedIn
 * note and message lengths, an email subject where one is needed), no leftover placeholders or
 * markup, no "as a language model", and no invented facts: every link, email address, phone
 * number, money amount, percentage and number in the text must appear in the facts or the
 * conversation. Pure. The request and draft types live here (domain/ cannot import the port);
 * providers/ports/content.ts re-exports them.
 */
import anyAscii from 'any-ascii';
import { findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js/max';
import { defaultDomainConfig } from './config.js';
import { followUpSubject } from './sequence.js';
import { validateSms } from './sms.js';
import { TRAILING_PUNCTUATION, LLM_ARTEFACTS, AI_CLAIM, splitLinks, markupIn, placeholdersIn } from './content-text.js';
import {
  HOUSE_FACTS,
  LINKEDIN_MESSAGE_MAX_CHARS,
  LINKEDIN_NOTE_MAX_CHARS,
  type ContentCheckOptions,
  type ContentCheckResult,
  type ContentDraft,
  type ContentFailure,
  type ContentFailureCode,
  type ContentRequest,
  type ConversationTurn,
} from './content-types.js';

export * from './content-types.js';
export { markupIn, placeholdersIn };

/** A LinkedIn text is a connection note on a first touch unless the request says otherwise. */
export function linkedinKindOf(req: Pick<ContentRequest, 'purpose' | 'linkedinKind'>): 'note' | 'message' {
  return req.linkedinKind ?? (req.purpose === 'first_touch' ? 'note' : 'message');
}

/** An email answer's subject: "Re: " + the subject of the last outbound email of the thread, if any. */
export function threadSubject(conversation: readonly ConversationTurn[] | undefined): string | undefined {
  const last = [...(conversation ?? [])].reverse().find((t) => t.direction === 'outbound' && t.channel === 'email' && t.subject?.trim());
  return last ? followUpSubject(last.subject!) : undefined;
}

/** Whether the email needs a subject: a first touch, or an answer in a thread that has one (a follow-up's is set by the sender). */
export function subjectNeeded(req: ContentRequest): boolean {
  if (req.channel !== 'email') return false;
  return req.purpose === 'first_touch' || (req.purpose === 'answer' && threadSubject(req.conversation) !== undefined);
}

/** The email text with the unsubscribe line the sender adds after the check (as activities/lead-sequence/email.ts writes it). */
export function withUnsubscribeFooter(text: string, url: string): string {
  const footer = `Unsubscribe: ${url}`;
  const body = text.replace(/\s+$/, '');
  return body.endsWith(footer) ? body : `${body}\n\n${footer}`;
}

// ---- Facts --------------------------------------------------------------------------------------

type ClaimKind = 'money' | 'percentage' | 'number';
interface Claim {
  kind: ClaimKind;
  value: number;
  /** Singular unit word when it is one of UNITS (15-minute -> 'minute'), else ''. */
  unit: string;
  raw: string;
}
interface Scan {
  emails: string[];
  links: string[];
  phones: string[];
  claims: Claim[];
}

const CLAIM_RE =
  /(?<![\p{L}\p{N}])(?:(?<cur>[$€£¥₹]|(?:A|AU|US|NZ|C|S)\$|(?:AUD|USD|NZD|EUR|GBP|CAD|SGD)\s?)\s?)?(?<num>\d+(?:[.,]\d+)*)(?: ?(?<mult>k|m|bn|thousand|million|billion)\b)? ?(?<pct>%|percent\b|per cent\b)?(?:[- ]?(?<unit>\p{L}+))?/giu;
const MULTIPLIERS: Record<string, number> = { k: 1e3, thousand: 1e3, m: 1e6, million: 1e6, bn: 1e9, billion: 1e9 };
const CURRENCY_WORDS = new Set(['aud', 'usd', 'nzd', 'eur', 'gbp', 'dollar', 'buck', 'euro', 'pound', 'cent']);
const UNITS = new Set(
  [
    'x times second sec minute min hour hr day week month year yr am pm',
    'customer client user lead meeting deal company team people person employee staff country office location seat call email',
  ]
    .join(' ')
    .split(' '),
);
const singular = (w: string) => (w.length > 3 ? w.replace(/ies$/, 'y').replace(/s$/, '') : w);

function parseNumber(num: string): number {
  return Number(num.replace(/,(?=\d{3}(?!\d))/g, '').replace(/,/g, '.'));
}

function claimsIn(text: string): Claim[] {
  const out: Claim[] = [];
  for (const m of text.matchAll(CLAIM_RE)) {
    const g = m.groups!;
    const word = g.unit ? singular(g.unit.toLowerCase()) : '';
    const money = Boolean(g.cur) || CURRENCY_WORDS.has(word);
    const kind: ClaimKind = money ? 'money' : g.pct ? 'percentage' : 'number';
    const value = parseNumber(g.num!) * (g.mult ? MULTIPLIERS[g.mult.toLowerCase()]! : 1);
    const unit = !money && UNITS.has(word) ? word : '';
    // The word after a number is kept in the reason only when it is the number's unit.
    const raw = g.unit && !unit && !money ? m[0].slice(0, -g.unit.length).replace(/[- ]+$/, '') : m[0].trim();
    out.push({ kind, value, unit, raw });
  }
  return out;
}

const normLink = (l: string) =>
  l
    .toLowerCase()
    .replace(TRAILING_PUNCTUATION, '')
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/^www\./, '')
    .replace(/\/$/, '');

/** Emails, links, phones (E.164 with extension) and numeric claims of a text, each found once (links and phones do not count as numbers). */
function scan(input: string, country: CountryCode): Scan {
  const { emails, links, rest } = splitLinks(input);
  const found = findPhoneNumbersInText(rest, { defaultCountry: country });
  const phones = found.map((f) => f.number.number + (f.number.ext ? `;ext=${f.number.ext}` : ''));
  let text = rest;
  for (const f of found) text = text.slice(0, f.startsAt) + ' '.repeat(f.endsAt - f.startsAt) + text.slice(f.endsAt);
  return { emails: emails.map((e) => e.toLowerCase()), links, phones, claims: claimsIn(text) };
}

/** A text as the templates may write it: as given, in ASCII (SMS), and as spoken (braces and control characters dropped). */
const variants = (t: string) => [
  ...new Set([
    t,
    anyAscii(t),
    t
      .replace(/[{}]/g, '')
      .replace(/[\u0000-\u001f\u007f]+/g, ' ')
      .replace(/\s+/g, ' '),
  ]),
];

function sourcesOf(req: ContentRequest, houseFacts: readonly string[]): string[] {
  const { lead, client } = req.facts;
  const turns = (req.conversation ?? []).flatMap((t) => [t.text, t.subject]);
  const texts: unknown[] = [...Object.values(lead), ...Object.values(client), ...houseFacts, ...turns];
  return texts.filter((t): t is string => typeof t === 'string' && t.trim() !== '').flatMap(variants);
}

function claimGiven(c: Claim, given: readonly Claim[]): boolean {
  return given.some(
    (g) => g.value === c.value && (c.kind === 'number' && !c.unit ? true : g.kind === c.kind && (!c.unit || g.unit === c.unit)),
  );
}

const CLAIM_CODE: Record<ClaimKind, ContentFailureCode> = {
  money: 'invented_money',
  percentage: 'invented_percentage',
  number: 'invented_number',
};

function inventedFacts(req: ContentRequest, output: string, opts: ContentCheckOptions, country: CountryCode): ContentFailure[] {
  const out = scan(output, country);
  const src = sourcesOf(req, opts.houseFacts ?? HOUSE_FACTS).map((s) => scan(s, country));
  const emails = new Set(src.flatMap((s) => s.emails));
  const phones = new Set(src.flatMap((s) => s.phones));
  const links = new Set(src.flatMap((s) => s.links.map(normLink)));
  for (const l of [...links]) links.add(l.split(/[/?#]/)[0]!); // a given link's bare domain is given
  for (const e of emails) links.add(e.split('@')[1]!);
  const given = src.flatMap((s) => s.claims);
  const missing = (code: ContentFailureCode, what: string, value: string): ContentFailure => ({
    code,
    reason: `${what} ${value} is not in the facts or the conversation`,
    value,
  });
  return [
    ...out.links.filter((l) => !links.has(normLink(l))).map((l) => missing('invented_url', 'link', l)),
    ...out.emails.filter((e) => !emails.has(e)).map((e) => missing('invented_email', 'email address', e)),
    ...out.phones.filter((p) => !phones.has(p)).map((p) => missing('invented_phone', 'phone number', p)),
    ...out.claims.filter((c) => !claimGiven(c, given)).map((c) => missing(CLAIM_CODE[c.kind], c.kind, c.raw)),
  ];
}

// ---- The check ----------------------------------------------------------------------------------

/** Every rule the draft breaks for this request; ok when none (SYS-003, ED-005, SM-004). */
export function checkContent(req: ContentRequest, draft: ContentDraft, opts: ContentCheckOptions = {}): ContentCheckResult {
  const config = opts.config ?? defaultDomainConfig;
  const text = draft.text ?? '';
  const subject = req.channel === 'email' ? (draft.subject ?? '') : '';
  const failures: ContentFailure[] = [];
  const fail = (code: ContentFailureCode, reason: string, value?: string) =>
    failures.push(value === undefined ? { code, reason } : { code, reason, value });

  if (text.trim() === '') fail('empty', 'the text is empty');
  if (req.channel === 'sms') {
    for (const issue of validateSms(text, config).issues) {
      if (issue.code === 'too_long') fail('sms_too_long', issue.message);
      if (issue.code === 'contains_link') fail('sms_contains_link', issue.message);
    }
  }
  if (req.channel === 'linkedin') {
    const note = linkedinKindOf(req) === 'note';
    const max = note
      ? (opts.linkedinNoteMaxChars ?? LINKEDIN_NOTE_MAX_CHARS)
      : (opts.linkedinMessageMaxChars ?? LINKEDIN_MESSAGE_MAX_CHARS);
    if (text.length > max) {
      fail(
        note ? 'linkedin_note_too_long' : 'linkedin_message_too_long',
        `LinkedIn ${note ? 'note' : 'message'} has ${text.length} characters; at most ${max}`,
      );
    }
  }
  if (subjectNeeded(req) && subject.trim() === '')
    fail('missing_subject', `an email ${req.purpose === 'answer' ? 'answer in a thread' : 'first touch'} needs a subject`);
  if (/[\r\n]/.test(subject)) fail('subject_not_one_line', 'the subject must be one line');

  const all = subject ? `${subject}\n${text}` : text;
  const plain = all.replace(/[\u2018\u2019\u02bc]/g, "'");
  for (const p of placeholdersIn(all)) fail('placeholder', `leftover template placeholder ${p}`, p);
  for (const m of markupIn(all)) fail('markup', `markup in plain text: ${m}`, m);
  const ai = [...(plain.match(LLM_ARTEFACTS) ?? []), ...(req.channel === 'voice' ? [] : (plain.match(AI_CLAIM) ?? []))];
  for (const a of ai) fail('ai_disclosure', `the text speaks as an AI or a language model: "${a}"`, a);
  failures.push(...inventedFacts(req, all, opts, config.client.defaultCountry as CountryCode));

  const seen = new Set<string>();
  const unique = failures.filter((f) => {
    const key = `${f.code}|${f.value ?? f.reason}`;
    return !seen.has(key) && Boolean(seen.add(key));
  });
  return unique.length === 0 ? { ok: true } : { ok: false, failures: unique };
}
