/**
 * What a text carries besides its words (SYS-003, SM-004): its links and email addresses, template
 * placeholders left in it, markup in what must be plain text, and machine talk. Pure patterns.
 */
import { findLinks } from './sms.js';

export const TRAILING_PUNCTUATION = /[.,;:!?)'"]+$/;
export const EMAIL_RE = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
export const PLACEHOLDERS = [
  /\{\{[^{}\n]*\}\}/g, // {{first_name}}
  /(?<!\{)\$?\{\s*[A-Za-z_][\w .-]{0,40}\}(?!\})/g, // {first_name}, ${firstName}
  /\[[^[\]\n]{1,40}\](?!\()/g, // [First Name] (a [text](url) link is markup)
  /%[A-Za-z_]{2,40}%/g, // %FIRST_NAME%
  /<[A-Za-z][A-Za-z _-]{0,40}>/g, // <company> (HTML tags are markup)
  /\blorem ipsum\b|\b(?:TODO|FIXME)\b/gi,
];
export const HTML_TAG =
  /<\/?(?:a|abbr|b|blockquote|body|br|code|div|em|font|h[1-6]|head|hr|html|i|img|li|ol|p|pre|s|small|span|strong|style|sub|sup|table|tbody|td|th|thead|tr|u|ul)\b[^<>]*>/gi;
export const MARKDOWN_LINK = /\[[^\]\n]+\]\([^)\s]+\)/g;
export const MARKUP = [
  HTML_TAG,
  /&(?:nbsp|amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, // HTML entities
  /\*\*[^*\n]+\*\*|__[^_\n]+__/g, // bold
  /^#{1,6}\s/gm, // heading
  /```/g,
];
/** Words an LLM leaves behind about itself: never sent on any channel. */
export const LLM_ARTEFACTS = /\b(?:(?:large )?language model|knowledge cut-?off|my training data)\b/gi;
/** A text channel speaks as the sender; only the voice assistant says it is one (DOMAIN.md Voice). */
export const AI_WORDS = '(?:ai|artificial intelligence|bot|chatbot|virtual assistant|automated assistant)';
export const AI_CLAIM = new RegExp(`\\b(?:(?:i am|i'm|this is)\\s+(?:an?\\s+)?|as an?\\s+)${AI_WORDS}\\b`, 'gi');

export const matchesOf = (text: string, patterns: readonly RegExp[]) => patterns.flatMap((re) => text.match(re) ?? []);

/** Email addresses and links of a text, and the rest with them blanked (a link may carry brackets: Cal.com's `metadata[leadId]=`). */
export function splitLinks(input: string): { emails: string[]; links: string[]; rest: string } {
  const emails = input.match(EMAIL_RE) ?? [];
  let rest = input.replace(EMAIL_RE, (e) => ' '.repeat(e.length));
  const links = findLinks(rest).map((l) => l.replace(TRAILING_PUNCTUATION, ''));
  for (const l of links) rest = rest.replace(l, ' '.repeat(l.length));
  return { emails, links, rest };
}

/** Placeholders left in a text ({{x}}, [First Name], <company>, %NAME%, ...), outside links; HTML tags excluded. */
export function placeholdersIn(text: string): string[] {
  return matchesOf(splitLinks(text).rest, PLACEHOLDERS).filter((m) => !m.match(HTML_TAG));
}

/** HTML or Markdown in what must be plain text (a Markdown link is looked for with its URL, the rest outside links). */
export function markupIn(text: string): string[] {
  return [...(text.match(MARKDOWN_LINK) ?? []), ...matchesOf(splitLinks(text).rest, MARKUP)];
}
