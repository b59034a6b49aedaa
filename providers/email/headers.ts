/**
 * Header helpers for outbound email (DOMAIN.md, Email):
 *   - List-Unsubscribe with one-click unsubscribe (RFC 2369 + RFC 8058) on every email;
 *   - our own deterministic Message-ID, fixed before sending so a retried send is recognisable;
 *   - threading of the day-8 follow-up as a reply to the first email (AD-001): `Re: ` subject,
 *     In-Reply-To and References (RFC 5322 section 3.6.4).
 *
 * Activity-side code (uses node:crypto); not for workflow code.
 */
import { createHash } from 'node:crypto';

export interface ListUnsubscribeInput {
  /**
   * The one-click unsubscribe endpoint. RFC 8058 requires an HTTPS URI: the mail client POSTs
   * `List-Unsubscribe=One-Click` to it. It must identify the recipient and list by itself
   * (an opaque token in the URL), because the POST carries no other context.
   */
  unsubscribeUrl: string;
  /** Optional mailto fallback (`unsubscribe@domain` or `mailto:unsubscribe@domain?subject=...`). */
  mailto?: string;
}

export interface ListUnsubscribeHeaders {
  'List-Unsubscribe': string;
  'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click';
  [name: string]: string;
}

/**
 * `List-Unsubscribe: <https://...>, <mailto:...>` and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`.
 * Throws a TypeError when the URL is not an absolute https: URL (RFC 8058 section 3.1: one-click
 * needs an HTTPS URI) or the mailto is not an address.
 */
export function listUnsubscribeHeaders(input: ListUnsubscribeInput): ListUnsubscribeHeaders {
  let url: URL;
  try {
    url = new URL(input.unsubscribeUrl.trim());
  } catch {
    throw new TypeError(`List-Unsubscribe: not an absolute URL: ${JSON.stringify(input.unsubscribeUrl)}`);
  }
  if (url.protocol !== 'https:') {
    throw new TypeError(`List-Unsubscribe: RFC 8058 one-click unsubscribe needs an https: URL, got ${url.protocol}`);
  }
  if (url.username || url.password) throw new TypeError('List-Unsubscribe: the URL must not carry credentials');
  // URL#href percent-encodes spaces, '<' and '>', so the value cannot break out of its angle brackets.
  const parts = [`<${url.href}>`];
  if (input.mailto !== undefined) parts.push(`<${mailtoUri(input.mailto)}>`);
  return {
    'List-Unsubscribe': parts.join(', '),
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}

const ADDRESS_RE = /^[^\s@<>(),;:"[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

function mailtoUri(raw: string): string {
  const value = raw.trim().replace(/^mailto:/i, '');
  const [address = '', query] = splitOnce(value, '?');
  if (!ADDRESS_RE.test(address)) throw new TypeError(`List-Unsubscribe: not an email address: ${JSON.stringify(raw)}`);
  if (query !== undefined && /[\s<>]/.test(query)) {
    throw new TypeError('List-Unsubscribe: the mailto query must be URI-encoded (no spaces or angle brackets)');
  }
  return `mailto:${address}${query !== undefined ? `?${query}` : ''}`;
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}

const DOMAIN_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

/**
 * Deterministic Message-ID for an outbound email: `<{32 hex of sha256(key)}.agencyos@{domain}>`.
 * Same idempotency key (e.g. `{workflowId}:step-{n}`) and domain -> same Message-ID, so a retried
 * send carries the same id and the follow-up can reference it without reading it back.
 * Use the sending mailbox's domain (alignment with the From domain helps deliverability).
 */
export function makeMessageId(input: { idempotencyKey: string; domain: string }): string {
  if (!input.idempotencyKey) throw new TypeError('makeMessageId: idempotencyKey is empty');
  const domain = input.domain.trim().toLowerCase().replace(/\.$/, '');
  if (!DOMAIN_RE.test(domain)) throw new TypeError(`makeMessageId: not a domain name: ${JSON.stringify(input.domain)}`);
  const digest = createHash('sha256').update(input.idempotencyKey, 'utf8').digest('hex').slice(0, 32);
  return `<${digest}.agencyos@${domain}>`;
}

/** The domain part of an address (`a@b.com` -> `b.com`), handy for makeMessageId. */
export function domainOfAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 0 || at === address.length - 1) throw new TypeError(`not an email address: ${JSON.stringify(address)}`);
  return address
    .slice(at + 1)
    .trim()
    .toLowerCase();
}

/** `Re: ` + subject, once: a subject that already starts with `Re:` (any case) is kept as it is. */
export function replySubject(subject: string): string {
  const s = subject.trim();
  if (/^re\s*:/i.test(s)) return s;
  return s ? `Re: ${s}` : 'Re:';
}

/**
 * In-Reply-To and References of a reply to `parent` (RFC 5322 3.6.4): In-Reply-To is the parent's
 * Message-ID; References is the parent's References (or its In-Reply-To) followed by its Message-ID.
 * For the day-8 follow-up of a first email: `{ inReplyTo: first, references: [first] }`.
 */
export function replyThreading(parent: { messageId: string; references?: readonly string[]; inReplyTo?: string }): {
  inReplyTo: string;
  references: string[];
} {
  const prior = parent.references?.length ? [...parent.references] : parent.inReplyTo ? [parent.inReplyTo] : [];
  const references = [...prior.filter((id) => id !== parent.messageId), parent.messageId];
  return { inReplyTo: parent.messageId, references };
}

/** `<id@host>` form of a Message-ID, whether or not the input had the angle brackets. */
export function normalizeMessageId(id: string): string {
  const v = id.trim();
  if (!v) return v;
  return `${v.startsWith('<') ? '' : '<'}${v}${v.endsWith('>') ? '' : '>'}`;
}
