/**
 * RecordingStore over Twilio call recordings (VO-003): `client.recordings.list({ callSid })`
 * (GET /2010-04-01/Accounts/{AccountSid}/Recordings.json?CallSid=..., every page).
 *
 * Completed recordings are returned by reference (media URL at Twilio, fetched with Basic auth
 * when media auth is enforced). Deleted, absent and failed recordings are skipped. While any
 * recording of the call is still `processing`, the call rejects with a transient ProviderError
 * ('recording_processing', retryable) so the activity retries until Twilio has finished.
 * VO-003: `client.recordings(sid).remove()` (DELETE /2010-04-01/Accounts/{AC}/Recordings/{RE}.json,
 * 204) deletes one past its retention; a 404 means it is already gone.
 */
import type { RecordingRef, RecordingStore } from '../ports.js';
import { ProviderError } from '../ports.js';
import { classifyTwilioError, createTwilioClient, TWILIO_API_BASE_URL, type TwilioAdapterOptions } from './client.js';

/** What we read of a Twilio recording resource (the SDK's RecordingInstance has these). */
export interface TwilioRecordingLike {
  sid: string;
  accountSid?: string;
  status?: string;
  duration?: string | number | null;
  uri?: string | null;
  mediaUrl?: string | null;
}

/**
 * The recording's media URL, the way Twilio builds it: `media_url` when the API gave one, else
 * the resource `uri` without `.json`, else /2010-04-01/Accounts/{AC}/Recordings/{RE} (append
 * `.mp3` or `.wav` to choose a format).
 */
export function twilioRecordingMediaUrl(rec: TwilioRecordingLike, accountSid: string, apiBaseUrl: string = TWILIO_API_BASE_URL): string {
  if (rec.mediaUrl) return rec.mediaUrl;
  const base = apiBaseUrl.replace(/\/+$/, '');
  if (rec.uri) return `${base}/${rec.uri.replace(/^\/+/, '').replace(/\.json$/, '')}`;
  return `${base}/2010-04-01/Accounts/${rec.accountSid ?? accountSid}/Recordings/${rec.sid}`;
}

export function createTwilioRecordingStore(opts: TwilioAdapterOptions): RecordingStore {
  const client = createTwilioClient(opts);
  const apiBaseUrl = opts.baseUrl ?? TWILIO_API_BASE_URL;
  return {
    async deleteRecording(recordingSid: string): Promise<'deleted' | 'not_found'> {
      try {
        await client.recordings(recordingSid).remove();
        return 'deleted';
      } catch (err) {
        const e = classifyTwilioError(err);
        if (e.code === 'not_found') return 'not_found';
        throw e;
      }
    },
    async recordingsForCall(callSid: string): Promise<RecordingRef[]> {
      let recordings: TwilioRecordingLike[];
      try {
        recordings = await client.recordings.list({ callSid });
      } catch (err) {
        throw classifyTwilioError(err);
      }
      const processing = recordings.filter((r) => r.status === 'processing');
      if (processing.length > 0) {
        throw new ProviderError(
          'twilio',
          'recording_processing',
          `recording ${processing.map((r) => r.sid).join(', ')} of call ${callSid} is still processing`,
          true,
        );
      }
      return recordings
        .filter((r) => r.status === undefined || r.status === 'completed')
        .map((r) => {
          const duration = Number.parseInt(String(r.duration ?? '0'), 10);
          return {
            recordingSid: r.sid,
            url: twilioRecordingMediaUrl(r, opts.accountSid, apiBaseUrl),
            durationSeconds: Number.isFinite(duration) && duration > 0 ? duration : 0,
          };
        });
    },
  };
}
