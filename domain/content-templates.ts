/**
 * The template-and-rules content engine's composer (SYS-003, ED-005, SM-004), pure: first touches
 * and follow-ups from message-templates.ts, and answers to replies per intent and channel.
 * Interest gets thanks and the booking link (an SMS, which carries no link, asks for a good time
 * instead); a question gets the knowledge-base or pitch sentence that best matches it, or a promise
 * to follow up with details; any other intent a short acknowledgement.
 *
 * Every text is checked (content-checks.ts) before it is returned; a name or fact that breaks a
 * check (too long for one SMS segment, looks like a placeholder, reads as a link in an SMS) is
 * dropped and the text written again without it, so a template never stops a sequence.
 */
import anyAscii from 'any-ascii';
import type { DomainConfig } from './config.js';
import {
  checkContent,
  linkedinKindOf,
  threadSubject,
  type ContentCheckOptions,
  type ContentDraft,
  type ContentFacts,
  type ContentRequest,
} from './content-checks.js';
import {
  firstEmail,
  followUpEmail,
  linkedinMessage,
  linkedinNote,
  smsMessage,
  voiceOpening,
  voicemailMessage,
  type MessageContext,
} from './message-templates.js';
import type { ReplyIntent } from './reply-intent.js';

const OPT_OUT = ' Reply STOP to opt out.';
/** message-templates.ts smsMessage's shortest text, without any name. */
const NAMELESS_SMS = `Hi there, open to a quick call next week?${OPT_OUT}`;

/** The draft for any purpose and channel, checked against the request (see the header). */
export function composeFromTemplates(req: ContentRequest, opts: ContentCheckOptions = {}): ContentDraft {
  const passes = (d: ContentDraft) => checkContent(req, d, opts).ok;
  let draft: ContentDraft = { text: '' };
  for (const facts of reductions(req.facts)) {
    draft = compose({ ...req, facts }, passes, opts.config);
    if (passes(draft)) return draft;
  }
  return draft;
}

/** The facts, then with less and less of them: lead company and title, lead names, sender, pitch and knowledge base, booking link. */
function reductions(f: ContentFacts): ContentFacts[] {
  const noCompany = { ...f, lead: { ...f.lead, company: null, title: null } };
  const noLead = { ...f, lead: {} };
  const bare = { lead: {}, client: { ...f.client, senderName: null, pitch: null, knowledgeBase: null } };
  return [f, noCompany, noLead, bare, { lead: {}, client: { ...bare.client, bookingLink: null } }];
}

const clean = (v: string | null | undefined) => v?.trim() || null;

function context(f: ContentFacts): MessageContext {
  return {
    firstName: clean(f.lead.firstName),
    company: clean(f.lead.company),
    clientName: f.client.name.trim() || f.client.name,
    senderName: clean(f.client.senderName),
    pitch: clean(f.client.pitch),
    bookingLink: clean(f.client.bookingLink),
  };
}

/** Where a template picks among variants (SMS), `passes` decides: the whole check, not only the SMS rules. */
type Passes = (draft: ContentDraft) => boolean;

function compose(req: ContentRequest, passes: Passes, config?: DomainConfig): ContentDraft {
  const c = context(req.facts);
  if (req.purpose === 'answer') return answer(req, c, passes);
  const first = req.purpose === 'first_touch';
  switch (req.channel) {
    case 'email':
      return first ? firstEmail(c) : followUpEmail(c);
    case 'sms': {
      // smsMessage picks by the SMS rules alone; a name written in ASCII can still fail a check (an emoji client name can
      // become "[Ben]"), so the text without any name (its shortest variant) is the last resort.
      const sms = smsMessage(c, config);
      return sms && passes(sms) ? sms : { text: NAMELESS_SMS };
    }
    case 'linkedin':
      return linkedinKindOf(req) === 'note' ? note(c) : linkedinMessage(c);
    case 'voice':
      // A first touch is the call's opening; a follow-up is the voicemail left when nobody answers.
      return { text: first ? voiceOpening(c) : voicemailMessage(c) };
  }
}

/** linkedinNote cuts at 300 characters; a text that long may have been cut mid-word, so the names are dropped first. */
function note(c: MessageContext): ContentDraft {
  const tries = [c, { ...c, company: null }, { ...c, company: null, firstName: null }].map(linkedinNote);
  return tries.find((t) => t.text.length < 300) ?? tries[tries.length - 1]!;
}

// ---- Answers ------------------------------------------------------------------------------------

const ACKNOWLEDGEMENTS: Record<Exclude<ReplyIntent, 'interested' | 'question'>, string> = {
  referral: 'Thanks for pointing me to the right person, much appreciated.',
  out_of_office: "Thanks, I'll be in touch once you're back.",
  not_now: 'Understood, thanks for letting me know.',
  not_interested: "Understood, thanks for letting me know. I won't follow up further.",
  unsubscribe: "Understood, you won't hear from us again.",
  wrong_person: 'Thanks for letting me know, and sorry for the mix-up.',
  angry: "Sorry for the trouble. You won't hear from us again.",
  other: "Thanks for your reply. I'll get back to you shortly.",
};
const THANKS = 'Thanks for getting back to me, glad to hear it.';
const ASK_TIME = 'What day and time suit you for a short call?';
const PENDING = "I'll get back to you with the details.";

interface AnswerParts {
  /** Sentences starting with a word that also reads after "Hi Ava, " once lower-cased. */
  body: string;
  /** Email and LinkedIn: the booking link with the words before it. */
  link?: string;
  /** SMS and voice carry no link: what they ask instead. */
  ask?: string;
  /** An SMS that asks for a meeting carries the opt-out line (SM-003). */
  optOut: boolean;
}

function parts(intent: ReplyIntent, c: MessageContext, info: string | null): AnswerParts {
  const link = c.bookingLink;
  if (intent === 'interested') {
    return link
      ? { body: THANKS, link: `You can pick a time that suits you here: ${link}`, ask: ASK_TIME, optOut: true }
      : { body: `${THANKS} ${ASK_TIME}`, optOut: true };
  }
  if (intent === 'question') {
    const body = `Thanks for your question. ${info ?? PENDING}`;
    return link
      ? { body, link: `If it helps to talk it through, you can pick a time here: ${link}`, optOut: true }
      : { body, optOut: true };
  }
  return { body: ACKNOWLEDGEMENTS[intent], optOut: false };
}

const inline = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const hi = (first: string | null | undefined) => (first ? `Hi ${first}` : 'Hi there');
const spoken = (v: string | null | undefined) => v?.replace(/[{}\u0000-\u001f\u007f]+/g, ' ').trim() || null;

function answer(req: ContentRequest, c: MessageContext, passes: Passes): ContentDraft {
  const intent = req.intent ?? 'other';
  const asked = [...(req.conversation ?? [])].reverse().find((t) => t.direction === 'inbound')?.text ?? '';
  const info = intent === 'question' ? bestSentence(asked, [req.facts.client.knowledgeBase, c.pitch]) : null;
  const p = parts(intent, c, info);
  switch (req.channel) {
    case 'email': {
      const text = `${hi(c.firstName)},\n\n${p.body}${p.link ? `\n${p.link}` : ''}\n\n${c.senderName ?? 'The team'}\n${c.clientName}`;
      const subject = threadSubject(req.conversation);
      return subject ? { subject, text } : { text };
    }
    case 'linkedin':
      return { text: `${hi(c.firstName)}, ${inline(p.body)}${p.link ? ` ${p.link}` : ''}` };
    case 'sms': {
      const fallback = info ? [parts(intent, c, null)] : [];
      return { text: smsAnswer(c, [p, ...fallback], passes) };
    }
    case 'voice':
      return { text: `${hi(spoken(c.firstName))}, ${inline(p.body)}${p.ask ? ` ${p.ask}` : ''}` };
  }
}

/**
 * The first variant that passes (one segment, no link, ...): with the sender and client, in
 * ASCII, without the sender, without any name; the answer before the promise to follow up.
 */
function smsAnswer(c: MessageContext, options: readonly AnswerParts[], passes: Passes): string {
  const line = (p: AnswerParts, first: string | null, sender: string | null, client: string | null) => {
    const who = client ? `${sender ? `${sender} from ` : ''}${client} here. ` : '';
    return `${hi(first)}, ${who}${p.body}${p.ask ? ` ${p.ask}` : ''}${p.optOut ? OPT_OUT : ''}`;
  };
  const variants = options.flatMap((p) => [
    line(p, c.firstName ?? null, c.senderName ?? null, c.clientName),
    anyAscii(line(p, c.firstName ?? null, c.senderName ?? null, c.clientName)),
    anyAscii(line(p, c.firstName ?? null, null, c.clientName)),
    anyAscii(line(p, null, null, null)),
  ]);
  return variants.find((text) => passes({ text })) ?? variants[variants.length - 1]!;
}

// ---- Answering a question from the facts --------------------------------------------------------

const STOP_WORDS = new Set(
  'about also been could does from have here into just like many more much please should than thanks that their them then there they this what when where which will with would your'.split(
    ' ',
  ),
);
/** Words of four letters or more, without common endings (pricing, prices -> pric). */
const stems = (s: string) =>
  new Set((s.toLowerCase().match(/\p{L}{4,}/gu) ?? []).filter((w) => !STOP_WORDS.has(w)).map((w) => w.replace(/(?:ing|ed|es|s|e)$/, '')));

/** The sentence of the sources sharing the most words with the question (at most 280 characters), or null when none shares one. */
export function bestSentence(question: string, sources: readonly (string | null | undefined)[]): string | null {
  const asked = stems(question);
  let best: string | null = null;
  let score = 0;
  for (const source of sources) {
    for (const sentence of (source ?? '').split(/(?<=[.!?])\s+|\n+/)) {
      const s = sentence.trim();
      if (!s || s.length > 280) continue;
      const shared = [...stems(s)].filter((w) => asked.has(w)).length;
      if (shared > score) [best, score] = [/[.!?]$/.test(s) ? s : `${s}.`, shared];
    }
  }
  return best;
}
