/**
 * API keys: `aos_<random>`; only the SHA-256 hash is stored, with a short prefix for display.
 * The admin key comes from ADMIN_API_KEY and is compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const key = `aos_${randomBytes(24).toString('base64url')}`;
  return { key, prefix: key.slice(0, 10), hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/**
 * The API key a request presents, one reading for authentication and rate limiting (SYS-010):
 * `Authorization: Bearer <key>` (the scheme in any case, any spacing) or else `X-Api-Key: <key>`,
 * trimmed; undefined when none (or empty).
 */
export function presentedApiKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === 'string') {
    const bearer = /^\s*bearer\s+([\s\S]*)$/i.exec(authorization);
    const key = bearer?.[1]?.trim();
    if (key) return key;
  }
  const x = headers['x-api-key'];
  const key = (Array.isArray(x) ? x[0] : x)?.trim();
  return key ? key : undefined;
}

/**
 * Hashes of keys that authenticated recently (bounded, oldest forgotten first): the rate limit
 * gives such a key its own allowance, while a key never seen valid counts against its caller's
 * IP. A key that fails authentication (revoked) is forgotten at once. Never used to authenticate.
 */
export class KnownKeys {
  private readonly hashes = new Map<string, true>();
  constructor(private readonly max = 10_000) {}
  has(hash: string): boolean {
    return this.hashes.has(hash);
  }
  add(hash: string): void {
    this.hashes.delete(hash);
    this.hashes.set(hash, true);
    if (this.hashes.size > this.max) this.hashes.delete(this.hashes.keys().next().value!);
  }
  forget(hash: string): void {
    this.hashes.delete(hash);
  }
}
