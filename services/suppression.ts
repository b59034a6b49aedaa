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
    /** check() for many people at once (one query), in their order. */
    checkMany(people: { email: string | null; phone: string | null }[]): Promise<{ email: boolean; phone: boolean }[]>;
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
      async checkMany(people) {
        const emails = [...new Set(people.flatMap((p) => (p.email ? [p.email.toLowerCase()] : [])))];
        const phones = [...new Set(people.flatMap((p) => (p.phone ? [p.phone] : [])))];
        const rows =
          emails.length || phones.length
            ? await db.system.suppression.findMany({
                where: {
                  OR: [
                    { kind: 'email', value: { in: emails } },
                    { kind: 'phone', value: { in: phones } },
                  ],
                },
                select: { kind: true, value: true },
              })
            : [];
        const found = new Set(rows.map((r) => `${r.kind}:${r.value}`));
        return people.map((p) => ({
          email: Boolean(p.email && found.has(`email:${p.email.toLowerCase()}`)),
          phone: Boolean(p.phone && found.has(`phone:${p.phone}`)),
        }));
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
