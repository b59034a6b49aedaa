/**
 * Every provider webhook delivery whose signature is valid, recorded once (system path: unique
 * provider + event id) before it is acted on, and marked processed after; a failed dispatch keeps
 * its error until a retry succeeds (SYS-008).
 *
 * Nothing a signed delivery carries can stop it being recorded: the exact bytes go in raw_body
 * (bytea), and `payload` holds the decoded body in the form Postgres can store (webhook-body.ts:
 * NUL removed, lone surrogates replaced). The provider's parser sees that same storable form, so
 * what is dispatched can be stored too. A body that cannot be decoded or does not match the
 * provider's schema is recorded as `invalid:<sha256 of the bytes>` with the reason in `error`
 * (a redelivery of the same bytes finds it), never dispatched, and raises one open alert per
 * provider for an operator.
 */
import { createHash, randomUUID } from 'node:crypto';
import { isSqlRead, type Db, type SqlRead } from '../db/client.js';

export type { SqlRead };
import { storableText } from '../domain/storable.js';
import type { AlertService } from './alerts.js';
import { decodeWebhookBody, undecodedPayload } from './webhook-body.js';
import { groupCommit } from '../lib/group-commit.js';

export interface WebhookEventRecord {
  eventId: string;
  type: string;
  clientId?: string;
}

export interface WebhookDelivery {
  /** The exact bytes received. */
  rawBody: Buffer;
  contentType?: string;
}

/** The provider's reading of a decoded body: its event, or why it is not one. */
export type WebhookParse<E extends WebhookEventRecord> = (body: unknown) => { ok: true; event: E } | { ok: false; reason: string };

/** What a read-only lookup run alongside the record gave: its value, or the error it threw. */
export type Prepared<X> = { ok: true; value: X } | { ok: false; error: unknown };

export type WebhookReceipt<E, X = undefined> =
  | { kind: 'invalid'; id: string; reason: string; duplicate: boolean }
  | { kind: 'event'; id: string; event: E; processed: boolean; duplicate: boolean; prepared: Prepared<X> };

/** Longest event id stored as is; a longer one (only a hostile or broken sender) is shortened with its hash. */
const MAX_EVENT_ID = 255;

function storableEventId(eventId: string): string {
  const id = storableText(eventId);
  if (id.length <= MAX_EVENT_ID) return id;
  const hash = createHash('sha256').update(eventId, 'utf8').digest('hex');
  return `${storableText(id.slice(0, 120))}...sha256:${hash}`;
}

/** Inserts the delivery, or returns the row recorded before under (provider, event id): one statement. */
const RECORD_ONCE_CTES = `
  WITH inserted AS (
    INSERT INTO webhook_events (id, provider, event_id, type, client_id, payload, raw_body, content_type, error)
    VALUES ($1::uuid, $2, $3, $4, $5::uuid, $6::jsonb, $7, $8, $9)
    ON CONFLICT (provider, event_id) DO NOTHING
    RETURNING id),
  recorded AS (
    SELECT id::text AS id, false AS processed, false AS duplicate FROM inserted
    UNION ALL
    SELECT id::text, processed_at IS NOT NULL, true FROM webhook_events
     WHERE provider = $2 AND event_id = $3 AND NOT EXISTS (SELECT 1 FROM inserted))`;
const RECORD_PARAMS = 9;
const RECORD_ONCE = `${RECORD_ONCE_CTES}
  SELECT id, processed, duplicate FROM recorded`;

/**
 * RECORD_ONCE carrying a read (its parameters numbered after the record's): its rows come back as
 * a JSON array on the recorded row, in the read's own order (an aggregate over a sorted subquery
 * keeps it). The texts are fixed per read, so each is a named statement like any other.
 */
const carryingTexts = new Map<string, string>();
function recordOnceCarrying(readText: string): string {
  let text = carryingTexts.get(readText);
  if (!text) {
    const shifted = readText.replace(/\$(\d+)\b/g, (_, n: string) => `$${Number(n) + RECORD_PARAMS}`);
    text = `${RECORD_ONCE_CTES}
  SELECT id, processed, duplicate, (SELECT coalesce(json_agg(r), '[]'::json) FROM (${shifted}) r) AS carried FROM recorded`;
    carryingTexts.set(readText, text);
  }
  return text;
}

export function createWebhookEvents(db: Db, deps: { alerts?: AlertService } = {}) {
  // Group commit: under load, the processed marks of concurrent deliveries go to Postgres in one
  // statement instead of one each (each caller still waits for its own mark to be written).
  const processedMarks = groupCommit<string>(async (ids) => {
    await db.systemSql.execute('UPDATE webhook_events SET processed_at = $1, error = NULL WHERE id = ANY($2::uuid[])', [new Date(), ids]);
  });
  /**
   * The delivery's row, inserted, or the one recorded before under (provider, event id): one
   * statement, one round trip, whichever it is. When a concurrent delivery of the same event
   * commits after this statement's snapshot, neither half returns it: the statement runs again.
   */
  async function record(
    provider: string,
    row: { eventId: string; type: string; clientId?: string; payload: unknown; delivery?: WebhookDelivery; error?: string },
    carry?: SqlRead<unknown>,
  ): Promise<{ id: string; processed: boolean; duplicate: boolean; carried?: Record<string, unknown>[] }> {
    const eventId = storableEventId(row.eventId);
    const type = storableText(row.type).slice(0, 255);
    const payload = JSON.stringify(row.payload ?? null);
    const rawBody = row.delivery ? row.delivery.rawBody : null;
    const contentType = row.delivery?.contentType ? storableText(row.delivery.contentType).slice(0, 255) : null;
    const error = row.error ? storableText(row.error).slice(0, 1000) : null;
    const params: unknown[] = [randomUUID(), provider, eventId, type, row.clientId ?? null, payload, rawBody, contentType, error];
    const text = carry ? recordOnceCarrying(carry.text) : RECORD_ONCE;
    if (carry) params.push(...carry.params);
    for (let attempt = 0; attempt < 5; attempt++) {
      const [found] = await db.systemSql.query<{ id: string; processed: boolean; duplicate: boolean; carried?: Record<string, unknown>[] }>(
        text,
        params,
      );
      if (found) return found;
    }
    throw new Error(`webhook event ${provider}/${eventId}: could not insert or find it`);
  }

  async function alertInvalid(provider: string, id: string, reason: string): Promise<void> {
    if (!deps.alerts) return;
    try {
      await deps.alerts.system.raise({
        kind: 'webhook_invalid',
        severity: 'warning',
        dedupeKey: `webhook_invalid:${provider}`,
        message: `${provider} sent a signed webhook we cannot read (${reason.slice(0, 300)}); it is recorded (webhook_events ${id}, with its raw body) and was not acted on`,
        data: { provider, webhookEventId: id },
      });
    } catch {
      // The delivery is recorded with its reason whatever happens to the notification.
    }
  }

  return {
    system: {
      /**
       * Decodes, parses and records a signed delivery: an event (processed when an earlier
       * delivery was acted on), or an invalid delivery recorded with its reason. `prepare`, when
       * given, is a read-only lookup the dispatch will need (the lead a message is about): a
       * SqlRead goes in the record's own statement (one round trip for both); a promise runs while
       * the event is recorded. It must change nothing: it also runs for a duplicate, which is then
       * not dispatched.
       */
      async receive<E extends WebhookEventRecord, X = undefined>(
        provider: string,
        delivery: WebhookDelivery,
        parse: WebhookParse<E>,
        prepare?: (event: E) => Promise<X> | SqlRead<X>,
      ): Promise<WebhookReceipt<E, X>> {
        const body = decodeWebhookBody(delivery.rawBody, delivery.contentType);
        let parsed: ReturnType<WebhookParse<E>>;
        try {
          parsed = body.ok ? parse(body.value) : body;
        } catch (err) {
          parsed = { ok: false, reason: `the event cannot be read: ${(err as Error).message}` };
        }
        if (!parsed.ok) {
          const hash = createHash('sha256').update(delivery.rawBody).digest('hex');
          const row = await record(provider, {
            eventId: `invalid:${hash}`,
            type: 'invalid',
            payload: body.ok ? body.value : undecodedPayload(delivery.rawBody, body.reason),
            delivery,
            error: parsed.reason,
          });
          if (!row.duplicate) await alertInvalid(provider, row.id, parsed.reason);
          return { kind: 'invalid', id: row.id, reason: parsed.reason, duplicate: row.duplicate };
        }
        const e = parsed.event;
        const fields = {
          eventId: e.eventId,
          type: e.type,
          ...(e.clientId ? { clientId: e.clientId } : {}),
          payload: body.ok ? body.value : undefined,
          delivery,
        };
        let pending: Promise<X> | SqlRead<X> | undefined;
        try {
          pending = prepare?.(e);
        } catch (error) {
          pending = Promise.reject(error);
        }
        if (pending && isSqlRead(pending)) {
          const read = pending;
          const row = await record(provider, fields, read);
          let prepared: Prepared<X>;
          try {
            prepared = { ok: true, value: read.read(row.carried ?? []) };
          } catch (error) {
            prepared = { ok: false, error };
          }
          return { kind: 'event', id: row.id, event: e, processed: row.processed, duplicate: row.duplicate, prepared };
        }
        const lookup: Promise<Prepared<X>> = (pending ?? Promise.resolve(undefined as X)).then(
          (value) => ({ ok: true as const, value }),
          (error: unknown) => ({ ok: false as const, error }),
        );
        const [row, prepared] = await Promise.all([record(provider, fields), lookup]);
        return { kind: 'event', id: row.id, event: e, processed: row.processed, duplicate: row.duplicate, prepared };
      },
      /** Resolves once the mark is committed; marks asked for while one is being written share the next statement. */
      markProcessed(id: string): Promise<void> {
        return processedMarks.add(id);
      },
      async markFailed(id: string, error: string): Promise<void> {
        await db.systemSql.execute('UPDATE webhook_events SET error = $1 WHERE id = $2::uuid', [storableText(error).slice(0, 1000), id]);
      },
    },
  };
}
export type WebhookEvents = ReturnType<typeof createWebhookEvents>;
