/**
 * The offline content engine's default messages per step (template and rules; an LLM-backed
 * engine can replace it behind the same shape). Pure. SMS texts are checked to fit one segment
 * and carry no link (SM-004).
 */
import { assertValidSms } from './sms.js';
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

/** Day-12 SMS: one segment, no link. Throws SmsValidationError when it would not fit. */
export function smsMessage(c: MessageContext, config: DomainConfig = defaultDomainConfig): RenderedMessage {
  const full = `${hi(c)}, ${c.senderName ?? 'it'}'s from ${c.clientName}. I emailed about a quick call; is next week good? Reply STOP to opt out.`;
  const short = `${hi(c)}, ${c.clientName} here. Open to a quick call next week? Reply STOP to opt out.`;
  try {
    assertValidSms(full, config);
    return { text: full };
  } catch {
    assertValidSms(short, config);
    return { text: short };
  }
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
