/**
 * The global suppression list (system path; DOMAIN.md cross-cutting protections): an opted-out,
 * hard-bounced or complaining address or number is never contacted again, by any client.
 * Emails are kept lower-cased, numbers in E.164.
 */
import type { Db } from '../db/client.js';

export type SuppressionKind = 'email' | 'phone';

export interface Suppression {
  system: {
    /** Which of a person's address and number are suppressed. */
    check(email: string | null, phone: string | null): Promise<{ email: boolean; phone: boolean }>;
    /** Adds an address or number (idempotent: the first reason stands); blank values are ignored. */
    add(kind: SuppressionKind, value: string | null | undefined, reason: string, source?: string): Promise<void>;
  };
}

export function createSuppression(db: Db): Suppression {
  return {
    system: {
      async check(email, phone) {
        const values = [
          email ? { kind: 'email', value: email.toLowerCase() } : null,
          phone ? { kind: 'phone', value: phone } : null,
        ].filter(Boolean) as { kind: string; value: string }[];
        if (!values.length) return { email: false, phone: false };
        const rows = await db.system.suppression.findMany({ where: { OR: values } });
        return { email: rows.some((r) => r.kind === 'email'), phone: rows.some((r) => r.kind === 'phone') };
      },
      async add(kind, value, reason, source) {
        const v = kind === 'email' ? value?.trim().toLowerCase() : value?.trim();
        if (!v) return;
        // INSERT ... ON CONFLICT DO NOTHING: concurrent deliveries cannot collide; the first reason stands.
        await db.system.suppression.createMany({ data: [{ kind, value: v, reason, source: source ?? null }], skipDuplicates: true });
      },
    },
  };
}
