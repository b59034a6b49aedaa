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
