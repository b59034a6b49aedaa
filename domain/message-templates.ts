/**
 * The offline content engine's default messages per step (template and rules; an LLM-backed
 * engine can replace it behind the same shape). Pure. SMS texts are checked to fit one segment
 * and carry no link (SM-004).
 */
import anyAscii from 'any-ascii';
import { validateSms } from './sms.js';
import type { DomainConfig } from './config.js';
import { defaultDomainConfig } from './config.js';

export interface MessageContext {
  firstName?: string | null;
  company?: string | null;
  clientName: string;
  senderName?: string | null;
  /** One line on what the client offers (the client's pitch, else the campaign ICP description). */
  pitch?: string | null;
  /** Where the lead books a meeting (the client's booking link, tagged with the lead: bookingLinkForLead). */
  bookingLink?: string | null;
}

export interface RenderedMessage {
  subject?: string;
  text: string;
}

const hi = (c: MessageContext) => (c.firstName ? `Hi ${c.firstName}` : 'Hi there');
const at = (c: MessageContext) => (c.company ? ` at ${c.company}` : '');
const sign = (c: MessageContext) => `${c.senderName ?? 'The team'}\n${c.clientName}`;
/** The booking link on its own line, where a message asks for a call (emails, the LinkedIn message; never an SMS: SM-004). */
const book = (c: MessageContext, lead: string) => (c.bookingLink ? `${lead}${c.bookingLink}` : '');

/**
 * The client's booking link carrying the lead, so the booking names whom it is for (SYS-004;
 * PROVIDERS.md 7): a Cal.com link gets `metadata[leadId]` (Cal.com copies metadata[...] query
 * parameters into the booking's metadata), a Calendly link `utm_content` (echoed in the invitee's
 * tracking). Any other link is used as it is.
 */
export function bookingLinkForLead(link: string, leadId: string): string {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return link;
  }
  const host = url.hostname.toLowerCase();
  const under = (domain: string) => host === domain || host.endsWith(`.${domain}`);
  if (under('cal.com')) url.searchParams.set('metadata[leadId]', leadId);
  else if (under('calendly.com')) url.searchParams.set('utm_content', leadId);
  else return link;
  return url.toString();
}

/** First email (step 1). */
export function firstEmail(c: MessageContext): RenderedMessage {
  return {
    subject: c.company ? `Quick question for ${c.company}` : 'Quick question',
    text: `${hi(c)},\n\n${c.pitch ?? `We help teams like yours${at(c)} win more customers with less manual outreach.`}\n\nWould a 15-minute call next week be useful?${book(c, '\nPick a time that suits you: ')}\n\n${sign(c)}`,
  };
}

/** Day-8 follow-up: a threaded reply to the first email (subject set by the sender: "Re: ..."). */
export function followUpEmail(c: MessageContext): RenderedMessage {
  return {
    text: `${hi(c)},\n\nJust bringing this back to the top of your inbox. Worth a short chat?${book(c, '\nPick a time that suits you: ')}\n\n${sign(c)}`,
  };
}

/** The context with every name written in ASCII (Zoë -> Zoe, Łukasz -> Lukasz, 北京 -> BeiJing): GSM-7 fits 160. */
function asciiNames(c: MessageContext): MessageContext {
  const a = (v: string | null | undefined) => (v ? anyAscii(v).trim() || null : v);
  return {
    ...c,
    firstName: a(c.firstName),
    company: a(c.company),
    clientName: a(c.clientName) ?? c.clientName,
    senderName: a(c.senderName),
  };
}

/**
 * Day-12 SMS: one segment, no link, with the opt-out line (SM-004). The first text that fits one
 * segment, in this order: the full text, a shorter one, both with the names written in ASCII (so
 * GSM-7's 160 characters apply), then the shortest; null when even that does not fit (the step is
 * skipped with its reason: a text never stops a sequence).
 */
export function smsMessage(c: MessageContext, config: DomainConfig = defaultDomainConfig): RenderedMessage | null {
  const full = (m: MessageContext) =>
    `${hi(m)}, ${m.senderName ?? 'it'}'s from ${m.clientName}. I emailed about a quick call; is next week good? Reply STOP to opt out.`;
  const short = (m: MessageContext) => `${hi(m)}, ${m.clientName} here. Open to a quick call next week? Reply STOP to opt out.`;
  const shortest = (m: MessageContext) => `${hi(m)}, open to a quick call next week? Reply STOP to opt out.`;
  const ascii = asciiNames(c);
  const variants = [full(c), short(c), full(ascii), short(ascii), shortest(ascii), shortest({ ...ascii, firstName: null })];
  const text = variants.find((t) => validateSms(t, config).ok);
  return text === undefined ? null : { text };
}

/** LinkedIn connection note (at most 300 characters). */
export function linkedinNote(c: MessageContext): RenderedMessage {
  const text = `${hi(c)}, I work with ${c.clientName} and follow teams${at(c)}. Would be glad to connect.`;
  return { text: text.slice(0, 300) };
}

/** LinkedIn message two days after acceptance (LI-003). */
export function linkedinMessage(c: MessageContext): RenderedMessage {
  return {
    text: `Thanks for connecting${c.firstName ? `, ${c.firstName}` : ''}! ${c.pitch ?? `${c.clientName} helps teams book more meetings.`} Open to a short call?${book(c, ' Pick a time here: ')}`,
  };
}

/**
 * Text the voice assistant says, safe to speak: control characters become spaces, and braces are
 * dropped (Vapi renders its messages as Liquid templates; a name like "{{customer.number}}" is
 * said, never evaluated).
 */
function speakable(text: string): string {
  return text
    .replace(/[{}]/g, '')
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The voice context with every name made speakable. */
function spoken(c: MessageContext): MessageContext {
  const s = (v: string | null | undefined) => (v ? speakable(v) || null : v);
  return { ...c, firstName: s(c.firstName), company: s(c.company), clientName: speakable(c.clientName), senderName: s(c.senderName) };
}

/** Said first on every call unless the client set its own notice (DOMAIN.md Voice: each call opens with the recording notice). */
export const DEFAULT_RECORDING_NOTICE = 'This call is recorded.';

/** The caller's identity, after the notice: who calls (an AI assistant) and for whom. */
export function voiceOpening(c: MessageContext): string {
  const v = spoken(c);
  return `${hi(v)}, this is an AI assistant calling on behalf of ${v.clientName}. Do you have a minute?`;
}

/**
 * The assistant's first message (VO-001; DOMAIN.md Voice: "Each call opens with the recording
 * notice and the caller's identity"): the client's notice (or DEFAULT_RECORDING_NOTICE), ended as
 * a sentence, then the opening. The first words the callee hears are the notice.
 */
export function callFirstMessage(c: MessageContext, notice?: string | null): string {
  const text = speakable(notice ?? '') || DEFAULT_RECORDING_NOTICE;
  const sentence = /[\p{P}]$/u.test(text) ? text : `${text}.`;
  return `${sentence} ${voiceOpening(c)}`;
}

export function voicemailMessage(c: MessageContext): string {
  const v = spoken(c);
  return `${hi(v)}, this is an AI assistant calling on behalf of ${v.clientName} about a quick call. We will follow up by email. Thank you.`;
}
