/**
 * One raw message from our own mailboxes, parsed (mailparser) and classified, so that only a
 * person's reply counts as a reply (ED-004, ED-005):
 *   - bounce: an RFC 3464 delivery status notification (multipart/report; report-type=
 *     delivery-status: per recipient Action, Status, Final-Recipient, Diagnostic-Code), or a
 *     non-standard one (no DSN part) with X-Failed-Recipients or from MAILER-DAEMON / postmaster;
 *   - auto_reply: RFC 3834 Auto-Submitted other than `no`, X-Autoreply, X-Autorespond,
 *     Precedence auto_reply / bulk / junk, X-Auto-Response-Suppress, Microsoft's "Automatic
 *     reply:" / "Out of Office" subjects, other reports (read receipts) and success DSNs;
 *   - reply: everything else.
 * Hard or soft (RFC 3463): Action failed with a 5.x.x status is hard; 4.x.x or delayed is soft.
 * A non-standard bounce is hard when an SMTP 5xx code appears in its text.
 *
 * Hostile input never throws: an unreadable message is a reply with whatever text could be read
 * (or none), and only the first INBOUND_MAIL_MAX_BYTES are parsed.
 */
import { simpleParser, type AddressObject, type Attachment, type EmailAddress, type ParsedMail, type StructuredHeader } from 'mailparser';
import { replyBody } from '../../domain/reply-text.js';
import type { InboundBounce, InboundMail } from '../ports/mailbox.js';
import { normalizeMessageId } from './headers.js';

export type { InboundBounce, InboundMail } from '../ports/mailbox.js';

/** Bytes of a message that are parsed (the reader fetches no more): text and DSN parts come first. */
export const INBOUND_MAIL_MAX_BYTES = 2 * 1024 * 1024;
const MAX_HTML_CHARS = 1_000_000;
/** Characters of text kept: enough for any reply, and a bound on what travels on (workflow payloads). */
export const INBOUND_MAIL_MAX_TEXT_CHARS = 200_000;
const MAX_HEADER_CHARS = 1_000;

export async function parseInboundMail(raw: Buffer | string): Promise<InboundMail> {
  const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(bytes.subarray(0, INBOUND_MAIL_MAX_BYTES), {
      // The DSN fields and the returned message are read from their parts, not from the text.
      keepDeliveryStatus: true,
      ignoreEmbedded: true,
      maxHtmlLengthToParse: MAX_HTML_CHARS,
      skipImageLinks: true,
      skipTextToHtml: true,
      skipTextLinks: true,
      keepCidLinks: true,
      checksumAlgo: false,
    });
  } catch {
    // mailparser refuses some broken structures (oversized header block, too many parts).
    return { references: [], to: [], text: '', fullText: '', kind: 'reply' };
  }
  const fullText = (parsed.text ?? '').slice(0, INBOUND_MAIL_MAX_TEXT_CHARS);
  const mail: InboundMail = {
    // mailparser splits References into an array of ids.
    references: messageIds(
      [parsed.headers.get('references')]
        .flat()
        .filter((v) => typeof v === 'string')
        .join(' '),
    ),
    to: addresses(parsed.to).map((a) => a.address),
    text: replyBody(fullText).trim(),
    fullText,
    kind: 'reply',
  };
  const messageId = messageIds(header(parsed, 'message-id'))[0];
  if (messageId) mail.messageId = messageId;
  const inReplyTo = messageIds(header(parsed, 'in-reply-to'))[0];
  if (inReplyTo) mail.inReplyTo = inReplyTo;
  const from = addresses(parsed.from)[0];
  if (from) mail.from = from;
  if (parsed.subject) mail.subject = parsed.subject.slice(0, MAX_HEADER_CHARS);
  const date = headerDate(parsed);
  if (date) mail.date = date;

  const report = readReport(parsed, mail);
  if (report && 'bounce' in report) {
    mail.kind = 'bounce';
    mail.bounce = report.bounce;
    return mail;
  }
  const autoReason = report?.autoReason ?? autoReplyReason(parsed);
  if (autoReason) {
    mail.kind = 'auto_reply';
    mail.autoReply = { reason: autoReason };
  }
  return mail;
}

// ---- Headers ------------------------------------------------------------------------------------

/** A header's first string value (mailparser turns a repeated header into an array). */
function header(parsed: ParsedMail, name: string): string | undefined {
  const v = parsed.headers.get(name);
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first.trim().slice(0, 10 * MAX_HEADER_CHARS) : undefined;
}

/** Every `<id>` in a header (In-Reply-To may carry comments; References is a list), normalised. */
function messageIds(value: string | undefined): string[] {
  if (!value) return [];
  const bracketed = value.match(/<[^<>\s]+>/g);
  if (bracketed) return bracketed.map(normalizeMessageId);
  return value
    .split(/\s+/)
    .filter((v) => v.includes('@'))
    .map(normalizeMessageId);
}

function addresses(value: AddressObject | AddressObject[] | undefined): Array<{ address: string; name?: string }> {
  const flat = (list: EmailAddress[]): EmailAddress[] => list.flatMap((a) => (a.group ? flat(a.group) : [a]));
  const all = (Array.isArray(value) ? value : value ? [value] : []).flatMap((o) => flat(o.value ?? []));
  return all.flatMap((a) => {
    if (!a.address) return [];
    const address = a.address.trim().toLowerCase();
    return a.name ? [{ address, name: a.name.slice(0, MAX_HEADER_CHARS) }] : [{ address }];
  });
}

/** mailparser puts the current time for an unreadable Date header: read the header line ourselves. */
function headerDate(parsed: ParsedMail): string | undefined {
  const line = parsed.headerLines.find((l) => l.key === 'date')?.line;
  const value = line
    ?.replace(/^[^:]*:/, '')
    .replace(/\s+/g, ' ')
    .trim();
  const t = value ? Date.parse(value) : NaN;
  return Number.isFinite(t) ? new Date(t).toISOString() : undefined;
}

// ---- Bounces --------------------------------------------------------------------------------------

const DSN_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']);
const RETURNED_TYPES = new Set(['message/rfc822', 'text/rfc822-headers', 'message/global', 'message/global-headers']);
const FAILURE_ACTIONS = new Set(['failed', 'delayed']);

/**
 * A bounce, or (for a report that is no failure: a success DSN, a read receipt) the reason it is
 * an automatic message; undefined when it is neither.
 */
function readReport(parsed: ParsedMail, mail: InboundMail): { bounce: InboundBounce } | { autoReason: string } | undefined {
  const contentType = parsed.headers.get('content-type') as StructuredHeader | undefined;
  const reportType = contentType?.params?.['report-type']?.toLowerCase();
  const dsnParts = parsed.attachments.filter((a) => DSN_TYPES.has(a.contentType.toLowerCase()));
  const originalMessageId = returnedMessageId(parsed.attachments) ?? fieldsMessageId(dsnParts, 'x-original-message-id');
  const fallbackId = mail.inReplyTo ?? mail.references.at(-1);

  if (dsnParts.length) {
    const groups = dsnParts.flatMap((p) => fieldGroups(p.content.toString('utf8')));
    const recipients = groups.flatMap(dsnRecipient);
    const failures = recipients.filter((r) => FAILURE_ACTIONS.has(r.action));
    if (recipients.length && !failures.length) return { autoReason: `delivery-status: ${recipients[0]!.action}` };
    const hard = failures.length
      ? failures.some((r) => r.action === 'failed' && (r.status ? r.status.startsWith('5') : smtpCode(r.diagnostic ?? '')?.hard))
      : !!smtpCode(beforeReturnedCopy(mail.fullText))?.hard;
    return withOriginal({ recipients, hard, reason: 'delivery-status' }, originalMessageId ?? fallbackId);
  }
  if (reportType && reportType !== 'delivery-status') return { autoReason: `report-type: ${reportType}` };

  const failed = (header(parsed, 'x-failed-recipients') ?? '').split(/[\s,;]+/).filter((a) => a.includes('@'));
  const fromDaemon = /^(mailer-daemon|postmaster)@/i.test(mail.from?.address ?? '');
  if (!failed.length && !fromDaemon) return undefined;
  const code = smtpCode(beforeReturnedCopy(mail.fullText));
  const recipients = failed.map((address) => {
    const r: InboundBounce['recipients'][number] = { address: address.replace(/^<|>$/g, '').toLowerCase(), action: 'failed' };
    if (code?.status) r.status = code.status;
    if (code?.line) r.diagnostic = code.line;
    return r;
  });
  const reason = failed.length ? 'x-failed-recipients' : 'from: mailer-daemon';
  return withOriginal({ recipients, hard: !!code?.hard, reason }, originalMessageId ?? fallbackId ?? copiedMessageId(mail.fullText));
}

function withOriginal(bounce: InboundBounce, originalMessageId: string | undefined): { bounce: InboundBounce } {
  return { bounce: originalMessageId ? { ...bounce, originalMessageId } : bounce };
}

/** RFC 3464 2.3: the recipient of a per-recipient field group; none for the per-message group. */
function dsnRecipient(fields: Map<string, string>): InboundBounce['recipients'] {
  const recipient = fields.get('final-recipient') ?? fields.get('original-recipient');
  const action = fields.get('action');
  if (!recipient || !action) return [];
  // `rfc822; a@b` (RFC 3464 2.3.2): the address type is not part of the address.
  const address = recipient
    .replace(/^[^;]*;/, '')
    .trim()
    .replace(/^<|>$/g, '')
    .toLowerCase();
  const r: InboundBounce['recipients'][number] = { address, action: action.split(/[\s(;]/)[0]!.toLowerCase() };
  const status = /\b[245]\.\d{1,3}\.\d{1,3}\b/.exec(fields.get('status') ?? '')?.[0];
  if (status) r.status = status;
  const diagnostic = fields.get('diagnostic-code')?.replace(/^[^;]*;\s*/, '');
  if (diagnostic) r.diagnostic = diagnostic.slice(0, MAX_HEADER_CHARS);
  return address ? [r] : [];
}

/**
 * Header-format field groups separated by blank lines (a DSN body, RFC 3464 2.1, or a header
 * block): names lower-cased, folded lines unfolded, the first occurrence of a field kept.
 */
function fieldGroups(text: string): Array<Map<string, string>> {
  return text
    .split(/\r?\n[ \t]*\r?\n/)
    .slice(0, 1000)
    .map((block) => {
      const fields = new Map<string, string>();
      let current: string | undefined;
      for (const line of block.split(/\r?\n/)) {
        if (/^[ \t]/.test(line)) {
          if (current) fields.set(current, `${fields.get(current)} ${line.trim()}`.trim());
          continue;
        }
        const m = /^([!-9;-~]+):\s*(.*)$/.exec(line);
        current = m && !fields.has(m[1]!.toLowerCase()) ? m[1]!.toLowerCase() : undefined;
        if (m && current) fields.set(current, m[2]!.trim());
      }
      return fields;
    })
    .filter((f) => f.size > 0);
}

/** The Message-ID of the returned message (message/rfc822 or text/rfc822-headers part). */
function returnedMessageId(attachments: Attachment[]): string | undefined {
  for (const part of attachments.filter((a) => RETURNED_TYPES.has(a.contentType.toLowerCase()))) {
    const head = part.content.subarray(0, 256 * 1024).toString('utf8');
    const id = messageIds(fieldGroups(head)[0]?.get('message-id'))[0];
    if (id) return id;
  }
  return undefined;
}

function fieldsMessageId(parts: Attachment[], field: string): string | undefined {
  for (const part of parts) {
    const id = messageIds(fieldGroups(part.content.toString('utf8'))[0]?.get(field))[0];
    if (id) return id;
  }
  return undefined;
}

/**
 * A non-standard bounce quotes the message after a dashed marker line (Exim "------ This is a copy
 * of the message", qmail "--- Below this line", sendmail "----- Original message follows"): the
 * codes in the copy are not the bounce's.
 */
function beforeReturnedCopy(text: string): string {
  const m = /^[ \t]*-{2,}.*(copy of the message|original message|below this line)/im.exec(text);
  return m ? text.slice(0, m.index) : text;
}

/** The Message-ID header line of a message copied into the text (Exim's non-DSN bounce). */
function copiedMessageId(text: string): string | undefined {
  const m = /^\s*message-id:\s*(<[^<>\s]+>)/im.exec(text.slice(beforeReturnedCopy(text).length));
  return m ? normalizeMessageId(m[1]!) : undefined;
}

/** The first SMTP reply code (4xx/5xx) in the text, its enhanced status and its line. */
function smtpCode(text: string): { hard: boolean; status?: string; line: string } | undefined {
  for (const line of text.split(/\r?\n/)) {
    const m = /(?:^|[^\d.])([45][0-5]\d)(?:[ -]|$)/.exec(line);
    if (!m) continue;
    const status = /\b[45]\.\d{1,3}\.\d{1,3}\b/.exec(line)?.[0];
    const hard = m[1]!.startsWith('5') || !!status?.startsWith('5');
    return { hard, line: line.trim().slice(0, MAX_HEADER_CHARS), ...(status ? { status } : {}) };
  }
  return undefined;
}

// ---- Auto-replies ---------------------------------------------------------------------------------

/** Microsoft's automatic-reply subjects ("Automatic reply:", "Out of Office:", "Out of Office AutoReply:"). */
const AUTO_SUBJECT = /^\s*(automatic reply|auto[- ]?reply|out of (the )?office)\b/i;

function autoReplyReason(parsed: ParsedMail): string | undefined {
  const said = (name: string, value: string) => `${name}: ${value.replace(/\s+/g, ' ').slice(0, 100)}`;
  // RFC 3834 5.1: the keyword before any comment or parameter; `no` marks a person's message.
  const autoSubmitted = header(parsed, 'auto-submitted');
  const keyword = autoSubmitted?.split(/[\s;(]/)[0]?.toLowerCase();
  if (autoSubmitted && keyword && keyword !== 'no') return said('auto-submitted', autoSubmitted);
  for (const name of ['x-autoreply', 'x-autorespond']) {
    if (parsed.headers.has(name)) return said(name, header(parsed, name) ?? '');
  }
  const precedence = header(parsed, 'precedence');
  if (precedence && /^(auto_reply|bulk|junk)$/i.test(precedence)) return said('precedence', precedence);
  const suppress = header(parsed, 'x-auto-response-suppress');
  if (suppress) return said('x-auto-response-suppress', suppress);
  const subject = parsed.subject ?? '';
  if (AUTO_SUBJECT.test(subject)) return said('subject', AUTO_SUBJECT.exec(subject)![1]!.toLowerCase());
  return undefined;
}
