/** The voice ports: outbound calls (Vapi) and call recordings (Twilio). */

export interface OutboundCall {
  /** The client's Vapi assistant (carries its knowledge base). */
  assistantId: string;
  /** The Vapi phone-number id of the number to call from. */
  phoneNumberId: string;
  customer: { number: string; name?: string };
  /** What to do on voicemail: leave the configured message, or hang up. */
  voicemail: { action: 'leave_message'; message: string } | { action: 'hang_up' };
  /** Returned in every webhook about this call (leadId, workflowId, step). */
  metadata: Record<string, string>;
  maxDurationSeconds: number;
}

export interface PlacedCall {
  callId: string;
  status: string;
}

export type CallEndOutcome = 'answered' | 'voicemail' | 'busy' | 'no_answer' | 'failed';

export interface CallReport {
  callId: string;
  outcome: CallEndOutcome;
  endedReason: string;
  durationSeconds?: number;
  transcript?: string;
  summary?: string;
  recordingUrl?: string;
  /** The telephony call SID, to fetch the recording from Twilio. */
  providerCallSid?: string;
}

export interface VoiceCaller {
  /** Called with SDK retries off: one call places at most one phone call. */
  startCall(call: OutboundCall): Promise<PlacedCall>;
  getCall(callId: string): Promise<CallReport | { callId: string; outcome: 'in_progress' }>;
}

export interface RecordingRef {
  recordingSid: string;
  /** Media URL at the provider (stored by reference, kept 90 days). */
  url: string;
  durationSeconds: number;
}

export interface RecordingStore {
  recordingsForCall(callSid: string): Promise<RecordingRef[]>;
}
