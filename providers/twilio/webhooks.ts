/**
 * Twilio webhooks (SYS-008, SM-003): X-Twilio-Signature verification and the zod schemas of the
 * two messaging webhooks we receive: inbound SMS (a reply) and the outbound message status
 * callback.
 *
 * Signature (twilio/lib/webhooks/webhooks.js): base64(HMAC-SHA1(authToken, url + for each param
 * name in sorted order: name + value)), where `url` is exactly the public URL Twilio called
 * (with its query string) and the params are the form-encoded POST fields. Verification uses
 * the SDK's `validateRequest`, which also tries the URL with and without the default port.
 */
import twilio from 'twilio';
import { z } from 'zod';

export type TwilioParams = Record<string, string | string[]>;

export interface VerifyTwilioSignatureInput {
  authToken: string;
  /** The full public URL Twilio requested, including any query string. */
  url: string;
  /** The decoded form fields of the POST body ({} for GET). */
  params: TwilioParams;
  /** The X-Twilio-Signature header (as Node gives headers: string, string[] or undefined). */
  signature: string | string[] | undefined;
}

/** True when `signature` is Twilio's signature of this URL and these params. */
export function verifyTwilioSignature(input: VerifyTwilioSignatureInput): boolean {
  const signature = Array.isArray(input.signature) ? input.signature[0] : input.signature;
  if (!signature || !input.authToken) return false;
  try {
    return twilio.validateRequest(input.authToken, signature, input.url, input.params);
  } catch {
    return false; // e.g. an unparsable URL
  }
}

/**
 * The X-Twilio-Signature Twilio would send for this request (for tests and fakes). The SDK's
 * own `getExpectedTwilioSignature`, so it is computed exactly as Twilio does.
 */
export function signTwilioRequest(authToken: string, url: string, params: TwilioParams): string {
  return twilio.getExpectedTwilioSignature(authToken, url, params);
}

/**
 * Form fields of a Twilio webhook body (application/x-www-form-urlencoded). Repeated names
 * become arrays, as Twilio signs every value.
 */
export function parseTwilioForm(rawBody: Buffer | string): TwilioParams {
  const params: TwilioParams = {};
  for (const [key, value] of new URLSearchParams(typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8'))) {
    const existing = params[key];
    if (existing === undefined) params[key] = value;
    else params[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return params;
}

/**
 * Verifies a webhook request as api/webhooks/registry.ts receives it (raw body, Node headers,
 * public URL). Only form-encoded bodies are supported (what messaging webhooks send).
 */
export function verifyTwilioWebhookRequest(input: {
  authToken: string;
  url: string;
  rawBody: Buffer | string;
  headers: Record<string, string | string[] | undefined>;
}): boolean {
  return verifyTwilioSignature({
    authToken: input.authToken,
    url: input.url,
    params: parseTwilioForm(input.rawBody),
    signature: input.headers['x-twilio-signature'],
  });
}

const sid = (prefix: string) => z.string().regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`), `expected a ${prefix}... sid`);
const digits = z.string().regex(/^\d+$/, 'expected a non-negative integer');

/**
 * Inbound SMS (SM-003): what Twilio POSTs to the number's SmsUrl when a lead replies. Every
 * other field (MediaUrl0, FromCity, ...) is kept as is.
 */
export const TwilioInboundSmsSchema = z.looseObject({
  MessageSid: sid('(SM|MM)'),
  AccountSid: sid('AC'),
  From: z.string().min(1),
  To: z.string().min(1),
  Body: z.string().default(''),
  NumSegments: digits.optional(),
  NumMedia: digits.optional(),
  SmsSid: z.string().optional(),
  SmsMessageSid: z.string().optional(),
  SmsStatus: z.string().optional(),
  MessagingServiceSid: z.string().optional(),
  ApiVersion: z.string().optional(),
  FromCountry: z.string().optional(),
  ToCountry: z.string().optional(),
});
export type TwilioInboundSms = z.infer<typeof TwilioInboundSmsSchema>;

/** The message statuses Twilio reports (MessageStatus); the schema accepts others too. */
export const TWILIO_MESSAGE_STATUSES = [
  'queued',
  'sending',
  'sent',
  'failed',
  'delivered',
  'undelivered',
  'receiving',
  'received',
  'accepted',
  'scheduled',
  'read',
  'partially_delivered',
  'canceled',
] as const;
export type TwilioMessageStatus = (typeof TWILIO_MESSAGE_STATUSES)[number];

/**
 * Outbound message status callback (StatusCallback of messages.create). No callback is sent
 * for the initial status; ErrorCode comes with failed/undelivered (e.g. 30003 unreachable,
 * 30005 unknown destination, 30006 landline, 30007 carrier filtering).
 */
export const TwilioStatusCallbackSchema = z.looseObject({
  MessageSid: sid('(SM|MM)'),
  MessageStatus: z.string().min(1),
  AccountSid: sid('AC'),
  To: z.string().min(1),
  From: z.string().optional(),
  ErrorCode: z.string().optional(),
  ErrorMessage: z.string().optional(),
  SmsSid: z.string().optional(),
  SmsStatus: z.string().optional(),
  MessagingServiceSid: z.string().optional(),
  ApiVersion: z.string().optional(),
  /** YYMMDDhhmm, no time zone; on delivered/undelivered. */
  RawDlrDoneDate: z.string().optional(),
});
export type TwilioStatusCallback = z.infer<typeof TwilioStatusCallbackSchema>;

/** Where a message status stands: still moving, reached the handset, or will not. */
export function smsDeliveryState(status: string): 'pending' | 'delivered' | 'failed' {
  if (status === 'delivered' || status === 'read') return 'delivered';
  if (status === 'failed' || status === 'undelivered' || status === 'canceled') return 'failed';
  return 'pending';
}
