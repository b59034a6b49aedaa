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
  /** One line on what the client offers (from the campaign ICP description). */
  pitch?: string | null;
}

export interface RenderedMessage {
  subject?: string;
  text: string;
}

const hi = (c: MessageContext) => (c.firstName ? `Hi ${c.firstName}` : 'Hi there');
const at = (c: MessageContext) => (c.company ? ` at ${c.company}` : '');
const sign = (c: MessageContext) => `${c.senderName ?? 'The team'}\n${c.clientName}`;

/** First email (step 1). */
export function firstEmail(c: MessageContext): RenderedMessage {
  return {
    subject: c.company ? `Quick question for ${c.company}` : 'Quick question',
    text: `${hi(c)},\n\n${c.pitch ?? `We help teams like yours${at(c)} win more customers with less manual outreach.`}\n\nWould a 15-minute call next week be useful?\n\n${sign(c)}`,
  };
}

/** Day-8 follow-up: a threaded reply to the first email (subject set by the sender: "Re: ..."). */
export function followUpEmail(c: MessageContext): RenderedMessage {
  return { text: `${hi(c)},\n\nJust bringing this back to the top of your inbox. Worth a short chat?\n\n${sign(c)}` };
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
    text: `Thanks for connecting${c.firstName ? `, ${c.firstName}` : ''}! ${c.pitch ?? `${c.clientName} helps teams book more meetings.`} Open to a short call?`,
  };
}

/** The voice assistant's opening: the recording notice and the caller's identity first. */
export function voiceOpening(c: MessageContext): string {
  return `${hi(c)}, this is an AI assistant calling on behalf of ${c.clientName}. This call is recorded. Do you have a minute?`;
}

export function voicemailMessage(c: MessageContext): string {
  return `${hi(c)}, this is an AI assistant calling on behalf of ${c.clientName} about a quick call. We will follow up by email. Thank you.`;
}
