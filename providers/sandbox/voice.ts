/** Sandbox voice (Vapi) and recordings (Twilio): record the call, invent a plausible ending. */
import { createHash } from 'node:crypto';
import {
  ProviderError,
  type CallEndOutcome,
  type AssistantModel,
  type CallReport,
  type OutboundCall,
  type PlacedCall,
  type RecordingRef,
  type RecordingStore,
  type SandboxRecorder,
  type VoiceCaller,
} from '../ports.js';
import { SANDBOX_PROVIDERS } from './messaging.js';
import { sandboxId } from './recorder.js';

export interface SandboxVoiceOptions {
  /** How every placed call ends (default 'answered'), or a function of the call. */
  outcome?: CallEndOutcome | ((call: OutboundCall) => CallEndOutcome);
  /** getCall answers `in_progress` this many times before the call has ended (default 0). */
  pollsBeforeEnd?: number;
}

/** Vapi endedReason values for each outcome (PROVIDERS.md 3). */
const ENDED_REASON: Record<CallEndOutcome, string> = {
  answered: 'customer-ended-call',
  voicemail: 'voicemail',
  busy: 'customer-busy',
  no_answer: 'customer-did-not-answer',
  failed: 'twilio-failed-to-connect-call',
};

const SANDBOX_RECORDING_HOST = 'https://sandbox.invalid/recordings';
const SANDBOX_RECORDING_SECONDS = 42;

/**
 * startCall records `{ provider: 'vapi', kind: 'call', to: customer.number, payload: { callId, ...call } }`
 * and returns `{ callId: 'sandbox_call_...', status: 'queued' }`. getCall reports the configured
 * outcome: answered -> 42 s with a transcript, summary, recording URL and a `sandbox_CA...` call
 * SID (so createSandboxRecordingStore returns a recording); voicemail -> the voicemail message
 * as transcript; busy / no_answer / failed -> no duration or recording. An unknown callId is a
 * permanent ProviderError 'not_found' (404), as from Vapi. assistantModel answers the same
 * model for every assistant (SANDBOX_ASSISTANT_MODEL, no tools of its own).
 */
/** The model every sandbox assistant has. */
export const SANDBOX_ASSISTANT_MODEL: Readonly<AssistantModel> = Object.freeze({ provider: 'openai', model: 'gpt-4o', toolIds: [] });

export function createSandboxVoiceCaller(recorder: SandboxRecorder, opts: SandboxVoiceOptions = {}): VoiceCaller {
  const calls = new Map<string, { call: OutboundCall; polls: number }>();
  return {
    async startCall(call: OutboundCall): Promise<PlacedCall> {
      if (!/^\+[1-9]\d{6,14}$/.test(call.customer.number)) {
        throw new ProviderError(
          SANDBOX_PROVIDERS.voice,
          'invalid_number',
          `customer.number ${call.customer.number} is not E.164`,
          false,
          400,
        );
      }
      const callId = sandboxId('call');
      await recorder.record({ provider: SANDBOX_PROVIDERS.voice, kind: 'call', to: call.customer.number, payload: { callId, ...call } });
      calls.set(callId, { call: structuredClone(call), polls: 0 });
      return { callId, status: 'queued' };
    },
    async assistantModel(): Promise<AssistantModel> {
      return { ...SANDBOX_ASSISTANT_MODEL, toolIds: [] };
    },
    /** VO-003: recorded as a `delete_call`; the call (known or not: a worker restart forgets them) is gone afterwards. */
    async deleteCall(callId: string): Promise<'deleted' | 'not_found'> {
      await recorder.record({ provider: SANDBOX_PROVIDERS.voice, kind: 'delete_call', to: callId, payload: { callId } });
      return calls.delete(callId) ? 'deleted' : 'not_found';
    },
    async getCall(callId: string): Promise<CallReport | { callId: string; outcome: 'in_progress' }> {
      const entry = calls.get(callId);
      if (!entry) throw new ProviderError(SANDBOX_PROVIDERS.voice, 'not_found', `call ${callId} not found`, false, 404);
      if (entry.polls < (opts.pollsBeforeEnd ?? 0)) {
        entry.polls++;
        return { callId, outcome: 'in_progress' };
      }
      const outcome = typeof opts.outcome === 'function' ? opts.outcome(entry.call) : (opts.outcome ?? 'answered');
      return report(callId, entry.call, outcome);
    },
  };
}

function report(callId: string, call: OutboundCall, outcome: CallEndOutcome): CallReport {
  const base: CallReport = { callId, outcome, endedReason: ENDED_REASON[outcome] };
  const callSid = `sandbox_CA${createHash('sha256').update(callId).digest('hex').slice(0, 32)}`;
  if (outcome === 'answered') {
    return {
      ...base,
      durationSeconds: Math.min(SANDBOX_RECORDING_SECONDS, call.maxDurationSeconds),
      transcript: `AI: ${call.firstMessage}\nUser: Thanks, bye.`,
      summary: 'Sandbox call: answered, no real conversation took place.',
      recordingUrl: `${SANDBOX_RECORDING_HOST}/${callSid}.wav`,
      providerCallSid: callSid,
    };
  }
  if (outcome === 'voicemail') {
    const left = call.voicemail.action === 'leave_message' ? call.voicemail.message : undefined;
    return {
      ...base,
      durationSeconds: 20,
      ...(left ? { transcript: `AI: ${left}` } : {}),
      summary: left ? 'Sandbox call: voicemail, message left.' : 'Sandbox call: voicemail, hung up.',
      recordingUrl: `${SANDBOX_RECORDING_HOST}/${callSid}.wav`,
      providerCallSid: callSid,
    };
  }
  return base;
}

/**
 * Recordings for sandbox calls: one recording for a call SID the sandbox voice caller produced
 * (`sandbox_...`), none for any other SID. Deterministic (same SID -> same recording).
 */
export function createSandboxRecordingStore(): RecordingStore {
  return {
    async recordingsForCall(callSid: string): Promise<RecordingRef[]> {
      if (!callSid.startsWith('sandbox_')) return [];
      const recordingSid = `sandbox_RE${createHash('sha256').update(`recording:${callSid}`).digest('hex').slice(0, 32)}`;
      return [{ recordingSid, url: `${SANDBOX_RECORDING_HOST}/${recordingSid}.mp3`, durationSeconds: SANDBOX_RECORDING_SECONDS }];
    },
    /** Sandbox recordings are made up from their call: nothing is kept, so a deletion is always done. */
    async deleteRecording(recordingSid: string): Promise<'deleted' | 'not_found'> {
      return recordingSid.startsWith('sandbox_RE') ? 'deleted' : 'not_found';
    },
  };
}
