/** The voice ports: outbound calls (Vapi) and call recordings (Twilio). */

/** An assistant's model as a per-call override must repeat it: Vapi merges a model override only when the provider matches. */
export interface AssistantModel {
  provider: string;
  model: string;
  /** The tools the assistant already has (kept when the knowledge base is added for a call). */
  toolIds: string[];
}

export interface OutboundCall {
  /** The client's Vapi assistant. */
  assistantId: string;
  /** What the assistant says first: the recording notice, then who is calling (DOMAIN.md Voice). */
  firstMessage: string;
  /** The client's knowledge base for this call (VO-001): the query tool that searches it, added to the assistant's model. */
  knowledgeBase?: { toolId: string; model: AssistantModel };
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
  /** The assistant's model (provider, model, tools): read before a call that adds the knowledge base; no side effect. */
  assistantModel(assistantId: string): Promise<AssistantModel>;
  /**
   * VO-003: deletes the call at the provider with its recording and transcript (Vapi `DELETE
   * /call/{id}`). 'deleted' when it was deleted now, 'not_found' when it was already gone (a
   * retry after a lost answer is done, not a failure).
   */
  deleteCall(callId: string): Promise<'deleted' | 'not_found'>;
}

export interface RecordingRef {
  recordingSid: string;
  /** Media URL at the provider (stored by reference, kept 90 days). */
  url: string;
  durationSeconds: number;
}

export interface RecordingStore {
  recordingsForCall(callSid: string): Promise<RecordingRef[]>;
  /** VO-003: deletes a recording past its retention (Twilio `DELETE .../Recordings/{RE}.json`); 'not_found' when already gone. */
  deleteRecording(recordingSid: string): Promise<'deleted' | 'not_found'>;
}

/** A knowledge-base file as the provider is given it (VO-001). */
export interface KnowledgeFile {
  /** The file name the client uploaded (its extension tells the provider the format). */
  name: string;
  contentType: string;
  bytes: Uint8Array;
}

/**
 * VO-001: a client's knowledge base at the voice provider (Vapi, PROVIDERS.md 3): its files, and
 * the query tool that searches them, which a call adds to the assistant's model.
 */
export interface VoiceKnowledgeBase {
  /** Uploads one file (Vapi `POST /file`, multipart field `file`); the provider's file id. */
  uploadFile(file: KnowledgeFile): Promise<{ fileId: string }>;
  /** Deletes a file (Vapi `DELETE /file/{id}`); 'not_found' when it was already gone. */
  deleteFile(fileId: string): Promise<'deleted' | 'not_found'>;
  /**
   * The query tool over exactly these files: created (Vapi `POST /tool`, type 'query', one
   * knowledge base of provider 'google') when `toolId` is null or no longer exists at the
   * provider, else its knowledge base replaced (`PATCH /tool/{id}`). Answers the tool's id.
   */
  upsertQueryTool(tool: { toolId: string | null; name: string; description: string; fileIds: string[] }): Promise<{ toolId: string }>;
}
