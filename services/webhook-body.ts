/**
 * A signed webhook body, decoded into what Postgres can store (SYS-008): JSON, or form fields
 * (application/x-www-form-urlencoded, Twilio), then every string and key through
 * domain/storable.ts (U+0000 removed, lone surrogates replaced by U+FFFD). Never throws: a body
 * that cannot be decoded is a reason, and the delivery is still recorded with its raw bytes.
 *
 * Tolerated on the way, because the signature proves the provider sent it: a UTF-8 byte order
 * mark, and raw NUL bytes (not valid JSON) which are removed as an escaped \u0000 would be.
 * Invalid UTF-8 decodes to U+FFFD.
 */
import { storableJson, storableText } from '../domain/storable.js';

export type DecodedBody = { ok: true; value: unknown; sanitised: boolean } | { ok: false; reason: string };

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

export function decodeWebhookBody(rawBody: Buffer, contentType: string | undefined): DecodedBody {
  const text = rawBody.toString('utf8').replace(/^\uFEFF/, '');
  const type = (contentType ?? '').toLowerCase();
  let value: unknown;
  let rawNul = false;
  if (type.includes('application/x-www-form-urlencoded')) {
    // Repeated names: the last value wins (as Object.fromEntries); every value stays signed.
    value = Object.fromEntries(new URLSearchParams(text));
  } else {
    let parsed = parseJson(text);
    if (!parsed.ok && text.includes('\u0000')) {
      parsed = parseJson(text.replaceAll('\u0000', ''));
      rawNul = parsed.ok;
    }
    if (!parsed.ok) return { ok: false, reason: 'the body is not valid JSON' };
    value = parsed.value;
  }
  const storable = storableJson(value);
  if (!storable.ok) return { ok: false, reason: `the body is ${storable.reason}` };
  return { ok: true, value: storable.value, sanitised: storable.changed || rawNul };
}

/** What is stored of a body that could not be decoded: a note and its text as far as it is storable. */
export function undecodedPayload(rawBody: Buffer, reason: string): Record<string, unknown> {
  const text = rawBody.toString('utf8');
  return { undecoded: reason, bytes: rawBody.length, text: storableText(text.slice(0, 10_000)) };
}
