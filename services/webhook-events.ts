/**
 * Every provider webhook delivery, recorded once (system path: unique provider + event id) before
 * it is acted on, and marked processed after; a failed dispatch keeps its error until a retry
 * succeeds.
 */
import type { Db } from '../db/client.js';
import { isUniqueViolation } from '../db/client.js';

export interface WebhookEventRecord {
  eventId: string;
  type: string;
  clientId?: string;
  payload: unknown;
}

export function createWebhookEvents(db: Db) {
  const events = db.system.webhookEvent;
  return {
    system: {
      /** Records the event, or finds it: `processed` when an earlier delivery was acted on. */
      async record(provider: string, e: WebhookEventRecord): Promise<{ id: string; processed: boolean; duplicate: boolean }> {
        try {
          const row = await events.create({
            data: { provider, eventId: e.eventId, type: e.type, clientId: e.clientId ?? null, payload: e.payload as object },
          });
          return { id: row.id, processed: false, duplicate: false };
        } catch (err) {
          if (!isUniqueViolation(err)) throw err;
          const existing = await events.findUniqueOrThrow({ where: { provider_eventId: { provider, eventId: e.eventId } } });
          return { id: existing.id, processed: existing.processedAt !== null, duplicate: true };
        }
      },
      async markProcessed(id: string): Promise<void> {
        await events.update({ where: { id }, data: { processedAt: new Date(), error: null } });
      },
      async markFailed(id: string, error: string): Promise<void> {
        await events.update({ where: { id }, data: { error: error.slice(0, 1000) } });
      },
    },
  };
}
export type WebhookEvents = ReturnType<typeof createWebhookEvents>;
