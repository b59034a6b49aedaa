/**
 * Call recordings past their retention (VO-003: kept 90 days, `voice.recordingRetentionDays`),
 * system path (the job spans clients): keyset pages of voice touches whose outcome still holds a
 * recording reference and whose call was placed before the cutoff, and the clearing of a
 * reference once the provider deleted the call, with the deletion recorded on the touch
 * (`outcome.recordingDeleted`: when, at which provider, its answer, and the telephony provider's
 * recording's). Clearing is idempotent: a
 * touch already cleared is left as it is.
 */
import type { Db } from '../db/client.js';

export interface ExpiredRecording {
  touchId: string;
  clientId: string;
  /** The provider's call id (Vapi), null when the call never got one. */
  callId: string | null;
  provider: string | null;
  /** The recording's id at the telephony provider (Twilio `RE...`), when the reference has one. */
  recordingSid: string | null;
  placedAt: Date;
}

type Outcome = { recording?: unknown; call?: Record<string, unknown> } & Record<string, unknown>;

export function createRecordingRetention(db: Db) {
  return {
    system: {
      /** Voice touches with a recording reference placed before `cutoff`, after `afterId`, by id. */
      async expired(cutoff: Date, afterId: string | null, limit: number): Promise<ExpiredRecording[]> {
        const rows = await db.system.$queryRaw<
          {
            id: string;
            client_id: string;
            provider_ref: string | null;
            provider: string | null;
            recording_sid: string | null;
            placed_at: Date;
          }[]
        >`
          SELECT id, client_id, provider_ref, provider, outcome -> 'recording' ->> 'recordingSid' AS recording_sid,
                 COALESCE(sent_at, created_at) AS placed_at
            FROM touches
           WHERE channel = 'voice'
             AND jsonb_typeof(outcome -> 'recording') = 'object'
             AND COALESCE(sent_at, created_at) < ${cutoff}
             AND (${afterId}::uuid IS NULL OR id > ${afterId}::uuid)
           ORDER BY id
           LIMIT ${limit}`;
        return rows.map((r) => ({
          touchId: r.id,
          clientId: r.client_id,
          callId: r.provider_ref,
          provider: r.provider,
          recordingSid: r.recording_sid,
          placedAt: r.placed_at,
        }));
      },

      /**
       * Clears the touch's recording reference (and the report's recording URL) and records the
       * deletion; false when it was already cleared.
       */
      async clear(
        touchId: string,
        deletion: { at: Date; provider: string; result: string; recording?: { provider: string; sid: string; result: string } },
      ): Promise<boolean> {
        return db.system.$transaction(async (tx) => {
          const rows = await tx.$queryRaw<
            { outcome: Outcome | null }[]
          >`SELECT outcome FROM touches WHERE id = ${touchId}::uuid FOR UPDATE`;
          const outcome = rows[0]?.outcome;
          if (!outcome || typeof outcome.recording !== 'object' || outcome.recording === null) return false;
          const call = outcome.call ? { ...outcome.call } : undefined;
          if (call) delete call.recordingUrl;
          const next = {
            ...outcome,
            ...(call ? { call } : {}),
            recording: null,
            recordingDeleted: { ...deletion, at: deletion.at.toISOString() },
          };
          await tx.touch.update({ where: { id: touchId }, data: { outcome: next as object } });
          return true;
        });
      },
    },
  };
}
export type RecordingRetention = ReturnType<typeof createRecordingRetention>;
