/**
 * Checks an OutboundEmail before it is sent (by the SMTP sender) or recorded (by the sandbox), so
 * both refuse the same mistakes. Failures are permanent ProviderErrors with code 'invalid_request'.
 */
import { ProviderError, type OutboundEmail } from '../ports.js';

/** Headers the sender sets itself from OutboundEmail fields; not allowed in `headers`. */
const RESERVED_HEADERS = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'sender',
  'reply-to',
  'subject',
  'date',
  'message-id',
  'in-reply-to',
  'references',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'return-path',
]);
/** RFC 5322 field name: printable US-ASCII except colon. */
const HEADER_NAME_RE = /^[!-9;-~]+$/;
const MESSAGE_ID_RE = /^<[^<>\s@]+@[^<>\s@]+>$/;
const ADDRESS_RE = /^[^\s@<>]+@[^\s@<>]+$/;

/** Returns the extra headers, checked; throws ProviderError(provider, 'invalid_request') otherwise. */
export function assertValidOutboundEmail(email: OutboundEmail, provider: string): Record<string, string> {
  const invalid = (message: string) => new ProviderError(provider, 'invalid_request', message, false);
  if (!email.to?.address || !ADDRESS_RE.test(email.to.address)) throw invalid(`bad recipient address ${JSON.stringify(email.to?.address)}`);
  if (!email.from?.address || !ADDRESS_RE.test(email.from.address))
    throw invalid(`bad sender address ${JSON.stringify(email.from?.address)}`);
  if (!MESSAGE_ID_RE.test(email.messageId)) {
    throw invalid(`messageId must look like <local@domain>, got ${JSON.stringify(email.messageId)}`);
  }
  for (const id of [email.inReplyTo, ...(email.references ?? [])]) {
    if (id !== undefined && !MESSAGE_ID_RE.test(id))
      throw invalid(`In-Reply-To/References must be <local@domain> ids, got ${JSON.stringify(id)}`);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(email.headers ?? {})) {
    if (!HEADER_NAME_RE.test(name)) throw invalid(`malformed header name ${JSON.stringify(name)}`);
    if (RESERVED_HEADERS.has(name.toLowerCase())) throw invalid(`header ${name} is set from the OutboundEmail fields, not from headers`);
    if (typeof value !== 'string' || /[\r\n]/.test(value)) throw invalid(`header ${name} must be a single-line string`);
    headers[name] = value;
  }
  return headers;
}
