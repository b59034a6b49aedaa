/**
 * Alerts (SYS-009, RP-003), on the system path: stored in `alerts`, notified once on the
 * configured channels (providers/alerts/notifier.ts).
 *
 * - Not repeated while the condition lasts: one INSERT ... ON CONFLICT on the partial unique
 *   index alerts_open_dedupe_key (dedupe_key WHERE resolved_at IS NULL), so concurrent raises of
 *   the same condition create one row. Once resolved, a recurrence raises a new alert.
 * - Notified once: after the insert (or on finding the open alert), an alert whose notified_at is
 *   null is notified under a row lock and notified_at is set. A failed notification stores
 *   notify_error and throws, so the Temporal retry of the calling activity notifies again but never
 *   inserts twice; an alert that was notified is never notified again.
 */
import type { Db } from '../db/client.js';
import type { Alert, Prisma } from '../generated/prisma/client.js';
import type { AlertNotice, AlertNotifier } from '../providers/alerts/notifier.js';

export type AlertSeverity = 'info' | 'warning' | 'critical';
export type AlertRow = Alert;

export interface AlertInput {
  kind: string;
  severity: AlertSeverity;
  message: string;
  /** While an unresolved alert with this key exists, raising it again creates nothing. */
  dedupeKey: string;
  clientId?: string | null;
  data?: Record<string, unknown>;
}

export interface AlertFilter {
  /** open = unresolved (acknowledged or not); acknowledged = acknowledged and unresolved. */
  state: 'open' | 'acknowledged' | 'resolved' | 'all';
  severity?: AlertSeverity;
  kind?: string;
  clientId?: string;
  limit: number;
}

export interface AlertService {
  system: {
    /** Creates the alert unless one with the key is open; notifies it if not yet notified. */
    raise(a: AlertInput, now?: Date): Promise<{ id: string; created: boolean }>;
    /** Resolves the open alerts with these keys; returns how many were resolved. */
    resolve(dedupeKeys: string[], now?: Date): Promise<number>;
    /** Resolves the open alerts whose key starts with `prefix` (a condition's every variant); how many. */
    resolveByPrefix(prefix: string, now?: Date): Promise<number>;
    /** Marks an alert acknowledged (the first acknowledgement is kept); null when unknown. */
    acknowledge(id: string, by: string, now?: Date): Promise<AlertRow | null>;
    /** Resolves one alert by id (an operator says the condition is over); null when unknown. */
    resolveById(id: string, now?: Date): Promise<AlertRow | null>;
    /** Newest first. */
    list(filter: AlertFilter): Promise<AlertRow[]>;
    /** How many alerts are unresolved. */
    countOpen(): Promise<number>;
  };
}

export interface AlertServiceDeps {
  db: Db;
  notifier: AlertNotifier;
  log?: { warn(obj: object, msg: string): void };
}

/** Longest time a notification may hold the alert's row lock (the notifier times out first). */
const NOTIFY_TX_TIMEOUT_MS = 60_000;
const MAX_NOTIFY_ERROR_LENGTH = 2_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function toAlertNotice(a: AlertRow): AlertNotice {
  return {
    id: a.id,
    kind: a.kind,
    severity: a.severity,
    message: a.message,
    clientId: a.clientId,
    data: a.data && typeof a.data === 'object' && !Array.isArray(a.data) ? (a.data as Record<string, unknown>) : {},
    createdAt: a.createdAt.toISOString(),
  };
}

export function createAlertService(deps: AlertServiceDeps): AlertService {
  const { db, notifier, log } = deps;
  const system = db.system;

  /** Inserts the alert, or finds the open one with the same key. */
  async function insertOrFind(a: AlertInput, now: Date): Promise<{ id: string; created: boolean; notifiedAt: Date | null }> {
    const data = JSON.stringify(a.data ?? {});
    const clientId = a.clientId ?? null;
    // A conflicting open alert may be resolved between the INSERT and the SELECT: then insert again.
    for (let attempt = 0; attempt < 5; attempt++) {
      const inserted = await system.$queryRaw<Array<{ id: string }>>`
        INSERT INTO alerts (id, client_id, kind, severity, message, dedupe_key, data, created_at)
        VALUES (gen_random_uuid(), ${clientId}::uuid, ${a.kind}, ${a.severity}::"AlertSeverity", ${a.message},
                ${a.dedupeKey}, ${data}::jsonb, ${now})
        ON CONFLICT (dedupe_key) WHERE resolved_at IS NULL DO NOTHING
        RETURNING id::text AS id`;
      if (inserted[0]) return { id: inserted[0].id, created: true, notifiedAt: null };
      const open = await system.alert.findFirst({
        where: { dedupeKey: a.dedupeKey, resolvedAt: null },
        select: { id: true, notifiedAt: true },
      });
      if (open) return { id: open.id, created: false, notifiedAt: open.notifiedAt };
    }
    throw new Error(`alert ${a.dedupeKey}: could not insert or find the open alert`);
  }

  /** Notifies the alert unless it was notified already; one notifier at a time per alert. */
  async function notifyOnce(id: string, now: Date): Promise<void> {
    const outcome = await system.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT id FROM alerts WHERE id = ${id}::uuid FOR UPDATE`;
        const alert = await tx.alert.findUnique({ where: { id } });
        if (!alert || alert.notifiedAt) return { error: undefined };
        try {
          await notifier.notify(toAlertNotice(alert));
        } catch (err) {
          const message = (err instanceof Error ? err.message : String(err)).slice(0, MAX_NOTIFY_ERROR_LENGTH);
          await tx.alert.update({ where: { id }, data: { notifyError: message } });
          return { error: err };
        }
        await tx.alert.update({ where: { id }, data: { notifiedAt: now, notifyError: null } });
        return { error: undefined };
      },
      { timeout: NOTIFY_TX_TIMEOUT_MS, maxWait: 30_000 },
    );
    if (outcome.error !== undefined) {
      log?.warn({ alertId: id, channels: notifier.channels, err: outcome.error }, 'alert notification failed; the activity retries it');
      throw outcome.error;
    }
  }

  return {
    system: {
      async raise(a, now = new Date()) {
        const { id, created, notifiedAt } = await insertOrFind(a, now);
        if (notifiedAt === null && notifier.channels.length > 0) await notifyOnce(id, now);
        return { id, created };
      },

      async resolve(dedupeKeys, now = new Date()) {
        if (dedupeKeys.length === 0) return 0;
        const { count } = await system.alert.updateMany({
          where: { dedupeKey: { in: dedupeKeys }, resolvedAt: null },
          data: { resolvedAt: now },
        });
        return count;
      },

      async resolveByPrefix(prefix, now = new Date()) {
        if (prefix === '') return 0;
        const { count } = await system.alert.updateMany({
          where: { dedupeKey: { startsWith: prefix }, resolvedAt: null },
          data: { resolvedAt: now },
        });
        return count;
      },

      async acknowledge(id, by, now = new Date()) {
        if (!UUID.test(id)) return null;
        await system.alert.updateMany({ where: { id, acknowledgedAt: null }, data: { acknowledgedAt: now, acknowledgedBy: by } });
        return system.alert.findUnique({ where: { id } });
      },

      async resolveById(id, now = new Date()) {
        if (!UUID.test(id)) return null;
        await system.alert.updateMany({ where: { id, resolvedAt: null }, data: { resolvedAt: now } });
        return system.alert.findUnique({ where: { id } });
      },

      async list(q) {
        const where: Prisma.AlertWhereInput = {
          ...(q.severity ? { severity: q.severity } : {}),
          ...(q.kind ? { kind: q.kind } : {}),
          ...(q.clientId ? { clientId: q.clientId } : {}),
          ...(q.state === 'open' ? { resolvedAt: null } : {}),
          ...(q.state === 'acknowledged' ? { resolvedAt: null, acknowledgedAt: { not: null } } : {}),
          ...(q.state === 'resolved' ? { resolvedAt: { not: null } } : {}),
        };
        return system.alert.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: q.limit });
      },

      countOpen: () => system.alert.count({ where: { resolvedAt: null } }),
    },
  };
}
