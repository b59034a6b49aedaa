/**
 * Stripe-Signature verification (SYS-005, SYS-008): `t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "t.payload">`, checked with the SDK's own `webhooks.constructEvent` over the raw body. The SDK
 * refuses a timestamp older than its tolerance but accepts any timestamp in the future; a
 * captured or pre-signed delivery dated ahead would stay replayable until then, so a timestamp
 * more than the same tolerance (5 minutes) ahead of our clock is refused here too.
 */
import Stripe from 'stripe';

export const STRIPE_SIGNATURE_TOLERANCE_SECONDS = 300;

export type StripeSignatureCheck = { ok: true } | { ok: false; reason: 'no_secret' | 'missing_header' | 'mismatch_or_stale' | 'future' };

/** The header's timestamp as the SDK reads it (the last `t=` wins); NaN when absent or unreadable. */
function signedAt(header: string): number {
  let t = Number.NaN;
  for (const item of header.split(',')) {
    const [k, v] = item.split('=');
    if (k === 't') t = Number.parseInt(v ?? '', 10);
  }
  return t;
}

export function verifyStripeSignature(input: {
  rawBody: Buffer | string;
  header: string | string[] | undefined;
  secret: string | undefined;
  /** Our clock, epoch milliseconds. */
  nowMs: number;
  toleranceSeconds?: number;
}): StripeSignatureCheck {
  const tolerance = input.toleranceSeconds ?? STRIPE_SIGNATURE_TOLERANCE_SECONDS;
  if (!input.secret) return { ok: false, reason: 'no_secret' };
  if (typeof input.header !== 'string' || input.header === '') return { ok: false, reason: 'missing_header' };
  try {
    Stripe.webhooks.constructEvent(input.rawBody, input.header, input.secret, tolerance, undefined, input.nowMs);
  } catch {
    return { ok: false, reason: 'mismatch_or_stale' };
  }
  const t = signedAt(input.header);
  if (!Number.isFinite(t) || t - Math.floor(input.nowMs / 1000) > tolerance) return { ok: false, reason: 'future' };
  return { ok: true };
}
