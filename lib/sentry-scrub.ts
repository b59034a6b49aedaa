/**
 * What never leaves for Sentry (SYS-009, issue 14): personal data. Every event and breadcrumb goes
 * through here in `beforeSend` / `beforeBreadcrumb` (lib/sentry.ts):
 * - email addresses and phone numbers (E.164 and local formats: 0412 345 678, (02) 9123 4567,
 *   555-123-4567) inside any string are replaced by [email] and [phone];
 * - the values of fields that carry a message's words or a person's contact (text, body, content,
 *   subject, transcript, html, email, phone, ... at any depth) are replaced by [redacted];
 * - a request's URL, query string, body, cookies and headers are dropped (query strings carry tokens).
 * Pure: no Sentry import, so it is tested on its own (test/unit/sentry-scrub.test.ts).
 */

/** Field names (lower case, letters and digits only) whose whole value is personal or message text. */
const REDACTED_KEYS = new Set([
  'text',
  'body',
  'content',
  'messagecontent',
  'messagetext',
  'messagebody',
  'bodytext',
  'bodyhtml',
  'html',
  'subject',
  'transcript',
  'snippet',
  'email',
  'emails',
  'phone',
  'phonee164',
  'phonenumber',
  'mobile',
  'to',
  'from',
  'recipient',
  'firstname',
  'lastname',
  'fullname',
  'ipaddress',
  'cookies',
]);

export const REDACTED = '[redacted]';

const normalise = (key: string) => key.toLowerCase().replace(/[^a-z0-9]/g, '');
export const isRedactedKey = (key: string): boolean => REDACTED_KEYS.has(normalise(key));

const EMAIL_RE =
  /[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+/g;
/** A run that may be a phone number: digits with spaces, dots, dashes and brackets, 8-15 digits (checked below). */
const PHONE_CANDIDATE_RE = /(?<![\w.+-])(?:\+|\(\+?)?\d[\d\s().-]{5,22}\d(?![\w-])/g;
const DATE_LIKE_RE = /^\d{4}[-./]\d{1,2}[-./]\d{1,2}|^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$|^\d{1,2}:\d{2}/;

function looksLikePhone(candidate: string): boolean {
  const digits = candidate.replace(/\D/g, '');
  if (digits.length < 8 || digits.length > 15) return false;
  if (DATE_LIKE_RE.test(candidate.trim())) return false;
  const t = candidate.trim();
  // International (+61..., (+61)...), trunk-prefixed local (04.., (02)...), or grouped like a phone (555-123-4567).
  if (t.startsWith('+') || t.startsWith('(') || t.startsWith('0')) return true;
  return /^\d{2,5}[\s.-]\d{2,5}[\s.-]\d{2,5}(?:[\s.-]\d{1,5})?$/.test(t);
}

/** Phone numbers replaced; a run that is not one ("step 3 0412 345 678") is tried again without its first group. */
function scrubPhones(s: string): string {
  return s.replace(PHONE_CANDIDATE_RE, (m) => {
    if (looksLikePhone(m)) return '[phone]';
    const cut = m.slice(1).search(/[\s().-]/) + 1;
    return cut <= 0 ? m : m.slice(0, cut + 1) + scrubPhones(m.slice(cut + 1));
  });
}

/** A string with its email addresses and phone numbers replaced. */
export function scrubText(s: string): string {
  return scrubPhones(s.replace(EMAIL_RE, '[email]'));
}

/** Any JSON-like value scrubbed (a copy): strings cleaned, personal fields redacted, depth-limited. */
export function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 12) return REDACTED;
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth + 1));
  if (value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = isRedactedKey(k) && v !== null && v !== undefined && v !== '' ? REDACTED : scrubValue(v, depth + 1);
  }
  return out;
}

/** The parts of a Sentry event this scrubs specially (structural: no Sentry types here). */
interface ScrubbableEvent {
  request?: { [k: string]: unknown };
  user?: { [k: string]: unknown };
  [k: string]: unknown;
}

/** A Sentry event without personal data (beforeSend). */
export function scrubEvent<E extends object>(event: E): E {
  const { request, user, ...rest } = event as ScrubbableEvent;
  const scrubbed = scrubValue(rest) as ScrubbableEvent;
  if (request) {
    // The route pattern is a tag (lib/sentry.ts); the URL, its query string, body, cookies and headers stay home.
    const { url: _url, query_string: _q, data: _d, cookies: _c, headers: _h, ...safe } = request;
    scrubbed.request = scrubValue(safe) as ScrubbableEvent['request'];
  }
  if (user) scrubbed.user = typeof user.id === 'string' || typeof user.id === 'number' ? { id: user.id } : {};
  return scrubbed as E;
}

/** A breadcrumb without personal data (beforeBreadcrumb): its message and data scrubbed. */
export function scrubBreadcrumb<B extends object>(crumb: B): B {
  return scrubValue(crumb) as B;
}
