/**
 * One-click unsubscribe links (RFC 8058): `{publicBaseUrl}/u/{token}` where the token is the
 * lead id with an HMAC of it, so the URL alone identifies the recipient and cannot be forged.
 * Written into every email (activities) and read back by the unsubscribe page (API).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function unsubscribeToken(secret: string, leadId: string): string {
  return `${leadId}.${createHmac('sha256', secret).update(`unsubscribe:${leadId}`).digest('base64url').slice(0, 32)}`;
}

/** The lead id of a genuine token, else null. */
export function verifyUnsubscribeToken(secret: string, token: string): string | null {
  const leadId = token.split('.')[0] ?? '';
  if (!/^[0-9a-f-]{36}$/i.test(leadId)) return null;
  const expected = Buffer.from(unsubscribeToken(secret, leadId));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given) ? leadId : null;
}

/** The unsubscribe URL of a lead. */
export const unsubscribeUrl = (publicBaseUrl: string, secret: string, leadId: string): string =>
  `${publicBaseUrl}/u/${unsubscribeToken(secret, leadId)}`;
