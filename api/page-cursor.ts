/**
 * The opaque cursor of keyset-paginated lists (SYS-006 admin console, SYS-007 lead search): the last row's created
 * time and id, base64url-encoded. A list answers `nextCursor` (null on its last page); the caller
 * passes it back as `cursor`. A cursor that does not decode is a 400 naming the field.
 */
import { z } from 'zod';

export interface CursorPosition {
  createdAt: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const encodeCursor = (p: CursorPosition | null): string | null =>
  p ? Buffer.from(`${p.createdAt.toISOString()}|${p.id}`, 'utf8').toString('base64url') : null;

function decodeCursor(v: string): CursorPosition | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(v)) return null;
  const [at, id, extra] = Buffer.from(v, 'base64url').toString('utf8').split('|');
  if (extra !== undefined || !at || !id || !UUID.test(id) || !/^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(at)) return null;
  const createdAt = new Date(at);
  return Number.isNaN(createdAt.getTime()) ? null : { createdAt, id };
}

/** The `cursor` query parameter: absent, or a cursor a list answered. */
export const CursorParam = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v === '') return undefined;
    const p = decodeCursor(v);
    if (!p) {
      ctx.addIssue({ code: 'custom', message: 'not a cursor this list answered (pass nextCursor back unchanged)' });
      return z.NEVER;
    }
    return p;
  });

/** The `limit` query parameter of the keyset lists. */
export const LimitParam = z.coerce.number().int().min(1).max(200).default(50);
