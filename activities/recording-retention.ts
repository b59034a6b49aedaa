/**
 * Recording retention (VO-003): call recordings older than their retention (90 days,
 * `voice.recordingRetentionDays`) are deleted at the provider (Vapi `DELETE /call/{id}`: the
 * call with its recording and transcript; and the Twilio copy, DELETE .../Recordings/{RE}.json)
 * and their reference is cleared on the touch, with the deletion recorded there. One keyset page per activity; a retried page deletes nothing twice (a
 * call already gone answers 404 = done, a touch already cleared is skipped).
 */
import type { RecordingStore, VoiceCaller } from '../providers/ports.js';
import type { Services } from '../services/index.js';

export const RETENTION_PAGE_SIZE = 100;
const DAY_MS = 86_400_000;

export interface RetentionPageResult {
  nextAfterId: string | null;
  deleted: number;
  /** Already gone at the provider (deleted before, or never kept): the reference is cleared all the same. */
  alreadyGone: number;
  cleared: number;
}

export function createRecordingRetentionActivities({
  services,
  voice,
  recordings,
}: {
  services: Services;
  voice: VoiceCaller;
  recordings: RecordingStore;
}) {
  const { recordingRetention, domainConfig } = services;
  return {
    async deleteExpiredRecordings(input: { version: 1; afterId: string | null; nowMs: number }): Promise<RetentionPageResult> {
      const cutoff = new Date(input.nowMs - domainConfig.voice.recordingRetentionDays * DAY_MS);
      const page = await recordingRetention.system.expired(cutoff, input.afterId, RETENTION_PAGE_SIZE);
      const out: RetentionPageResult = { nextAfterId: null, deleted: 0, alreadyGone: 0, cleared: 0 };
      for (const r of page) {
        const provider = r.provider ?? 'vapi';
        const result = r.callId ? await voice.deleteCall(r.callId) : 'not_found';
        if (result === 'deleted') out.deleted++;
        else out.alreadyGone++;
        // The copy at the telephony provider (Twilio), when the reference names one.
        const recording = r.recordingSid
          ? { provider: 'twilio', sid: r.recordingSid, result: await recordings.deleteRecording(r.recordingSid) }
          : undefined;
        const deletion = { at: new Date(input.nowMs), provider, result, ...(recording ? { recording } : {}) };
        if (await recordingRetention.system.clear(r.touchId, deletion)) out.cleared++;
      }
      out.nextAfterId = page.length === RETENTION_PAGE_SIZE ? page[page.length - 1]!.touchId : null;
      return out;
    },
  };
}
