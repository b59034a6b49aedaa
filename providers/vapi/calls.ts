/**
 * VoiceCaller over Vapi (VO-001, VO-002, VO-004) with the real `@vapi-ai/server-sdk` client.
 *
 * Verified in node_modules/@vapi-ai/server-sdk (2.0.1, Fern-generated):
 * - `new VapiClient({ token, baseUrl, maxRetries, timeoutInSeconds })`; every endpoint calls
 *   `baseUrl ?? environment ?? 'https://api.vapi.ai'` + path (calls: POST /call, GET /call/{id}).
 * - Retries (core/fetcher/requestWithRetries): 408, 429 and every 5xx, POST included, default 2,
 *   per request `requestOptions.maxRetries ?? clientOptions.maxRetries`. Vapi has no idempotency
 *   key, so we set `maxRetries: 0` on the client and again on every request: one startCall()
 *   is at most one POST /call.
 * - VO-003: `calls.delete({ id })` is DELETE /call/{id} (answers the deleted Call); it removes the
 *   call's artifacts (recording, transcript) at Vapi. A 404 means it is already gone.
 * - `CreateCallDto` has no top-level `metadata`; the place for our metadata is
 *   `assistantOverrides.metadata`, which Vapi echoes back in the call object of every server
 *   message (`message.call.assistantOverrides.metadata`).
 * - Voicemail (VO-004): `assistantOverrides.voicemailDetection` (off by default) with the Vapi
 *   audio plan, plus `voicemailMessage` ("If unspecified, it will hang up"): leave_message sets
 *   it, hang_up leaves it out. The call then ends with endedReason 'voicemail'.
 * - First message: `assistantOverrides.firstMessage` is "the first message that the assistant will
 *   say", with `firstMessageMode: 'assistant-speaks-first'` (the SDK's default, set so a saved
 *   assistant that waits for the user cannot change it): the recording notice is heard first.
 * - Knowledge base (VO-001): Vapi searches a knowledge base through a query tool attached in the
 *   assistant's `model.toolIds` (PROVIDERS.md 3). Per call that is `assistantOverrides.model`,
 *   which Vapi merges field by field only when its `provider` is the saved one (else it replaces
 *   the whole model, prompt included); so the saved model is read first (GET /assistant/{id},
 *   `assistants.get`) and the override repeats its provider and model with the tool added to its tools.
 *
 * Errors (DESIGN.md convention 4): 408/429/5xx, timeouts and network failures reject with
 * ProviderError retryable=true ('rate_limited' carries Retry-After); 400 -> 'invalid_number'
 * when Vapi complains about the number, else 'invalid_request'; 401/403 -> 'auth_failed';
 * 404 -> 'not_found'; other 4xx -> 'rejected'; all retryable=false.
 */
import { VapiError, VapiTimeoutError, type Vapi } from '@vapi-ai/server-sdk';
import type { AssistantModel, CallEndOutcome, CallReport, OutboundCall, PlacedCall, VoiceCaller } from '../ports.js';
import { ProviderError } from '../ports.js';
import { parseRetryAfter } from '../http-errors.js';
import { vapiClient } from './client.js';

export { VAPI_API_BASE_URL } from './client.js';
const PROVIDER = 'vapi';

export interface VapiAdapterOptions {
  /** The org's private API key (sent as `Authorization: Bearer`). */
  apiKey: string;
  /** Defaults to https://api.vapi.ai; tests pass the fake's base URL. */
  baseUrl?: string;
  /** Per-request timeout (the SDK's default is 60 s). */
  timeoutSeconds?: number;
}

// ---- Outcome mapping (VO-002) ---------------------------------------------------------------

/** Ended reasons where someone (or something that was not voicemail) picked up and the call ran. */
const ANSWERED_REASONS = new Set([
  'customer-ended-call',
  'customer-ended-call-before-warm-transfer',
  'customer-ended-call-after-warm-transfer-attempt',
  'customer-ended-call-during-transfer',
  'assistant-ended-call',
  'assistant-said-end-call-phrase',
  'assistant-ended-call-with-hangup-task',
  'assistant-ended-call-after-message-spoken',
  'assistant-forwarded-call',
  'silence-timed-out',
  'exceeded-max-duration',
  'call.in-progress.twilio-completed-call',
  'call.in-progress.sip-completed-call',
  'vonage-completed',
  // The lead was reached; only the onward transfer to a human failed.
  'call.forwarding.operator-busy',
  'call.forwarding.no-answer',
]);
const BUSY_REASONS = new Set(['customer-busy']);
const NO_ANSWER_REASONS = new Set([
  'customer-did-not-answer',
  // SIP 480: the handset is off or out of coverage; for a retry it is the same as no answer.
  'call.in-progress.error-providerfault-outbound-sip-480-temporarily-unavailable',
]);
const VOICEMAIL_REASONS = new Set(['voicemail']);

/**
 * The business outcome of a Vapi `endedReason` (VO-002, VO-004): busy, no answer and voicemail
 * by their reasons; the normal endings of a conversation (either side hung up, silence,
 * max duration) are 'answered'; everything else, including 'manually-canceled', anything
 * with error/fault/failed (twilio-failed-to-connect-call, sip failures, concurrency limit)
 * and reasons we do not know, is 'failed'.
 */
export function outcomeFromEndedReason(endedReason: string | null | undefined): CallEndOutcome {
  const reason = (endedReason ?? '').trim();
  if (VOICEMAIL_REASONS.has(reason)) return 'voicemail';
  if (BUSY_REASONS.has(reason)) return 'busy';
  if (NO_ANSWER_REASONS.has(reason)) return 'no_answer';
  if (ANSWERED_REASONS.has(reason)) return 'answered';
  return 'failed';
}

// ---- Request and report mapping --------------------------------------------------------------

/** The Vapi voicemail detection plan we use (Vapi's own audio detector). */
export const VOICEMAIL_DETECTION_PLAN: Vapi.VapiVoicemailDetectionPlan = { provider: 'vapi', type: 'audio' };

/** POST /call body for an OutboundCall (exported for tests and the sandbox adapter). */
export function buildCreateCallRequest(call: OutboundCall): Vapi.CreateCallDto {
  const overrides: Vapi.AssistantOverrides = {
    firstMessage: call.firstMessage,
    firstMessageMode: 'assistant-speaks-first',
    voicemailDetection: VOICEMAIL_DETECTION_PLAN,
    maxDurationSeconds: call.maxDurationSeconds,
    metadata: { ...call.metadata },
  };
  if (call.voicemail.action === 'leave_message') overrides.voicemailMessage = call.voicemail.message;
  if (call.knowledgeBase) {
    const { toolId, model } = call.knowledgeBase;
    const toolIds = [...new Set([...model.toolIds, toolId])];
    overrides.model = { provider: model.provider, model: model.model, toolIds } as Vapi.AssistantOverridesModel;
  }
  return {
    assistantId: call.assistantId,
    phoneNumberId: call.phoneNumberId,
    customer: { number: call.customer.number, ...(call.customer.name ? { name: call.customer.name } : {}) },
    assistantOverrides: overrides,
  };
}

/** The fields of a Vapi call (GET /call/{id}) or end-of-call report we read, old and new places. */
export interface VapiCallLike {
  id: string;
  status?: string;
  endedReason?: string;
  startedAt?: string;
  endedAt?: string;
  durationSeconds?: number;
  phoneCallProviderId?: string;
  artifact?: {
    transcript?: string;
    recordingUrl?: string;
    stereoRecordingUrl?: string;
    recording?: { mono?: { combinedUrl?: string }; stereoUrl?: string };
  };
  analysis?: { summary?: string };
  /** Older payloads put these at the top level. */
  transcript?: string;
  summary?: string;
  recordingUrl?: string;
  stereoRecordingUrl?: string;
}

function durationSeconds(c: Pick<VapiCallLike, 'durationSeconds' | 'startedAt' | 'endedAt'>): number | undefined {
  if (typeof c.durationSeconds === 'number' && Number.isFinite(c.durationSeconds)) return Math.max(0, Math.round(c.durationSeconds));
  if (!c.startedAt || !c.endedAt) return undefined;
  const ms = Date.parse(c.endedAt) - Date.parse(c.startedAt);
  return Number.isFinite(ms) ? Math.max(0, Math.round(ms / 1000)) : undefined;
}

/** Drops undefined fields (CallReport travels through Temporal payloads and Postgres JSON). */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** CallReport of an ended call; transcript, summary and recording from artifact/analysis or the older top-level fields. */
export function callReportFromCall(call: VapiCallLike): CallReport {
  const endedReason = call.endedReason ?? 'unknown';
  return compact({
    callId: call.id,
    outcome: outcomeFromEndedReason(endedReason),
    endedReason,
    durationSeconds: durationSeconds(call),
    transcript: call.artifact?.transcript ?? call.transcript,
    summary: call.analysis?.summary ?? call.summary,
    recordingUrl: call.artifact?.recordingUrl ?? call.artifact?.recording?.mono?.combinedUrl ?? call.recordingUrl,
    providerCallSid: call.phoneCallProviderId,
  });
}

// ---- Errors ----------------------------------------------------------------------------------

function bodyMessage(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body && typeof body === 'object') {
    const m = (body as { message?: unknown }).message;
    if (Array.isArray(m)) return m.map(String).join('; ');
    if (typeof m === 'string') return m;
    try {
      return JSON.stringify(body);
    } catch {
      return '';
    }
  }
  return '';
}

function retryAfterSeconds(err: VapiError): number | undefined {
  return parseRetryAfter(err.rawResponse?.headers?.get?.('retry-after'));
}

/** Classifies anything a Vapi SDK call rejected with (see the module comment). */
export function classifyVapiError(err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  if (err instanceof VapiTimeoutError) return new ProviderError(PROVIDER, 'timeout', `Vapi request timed out: ${err.message}`, true);
  if (err instanceof VapiError) {
    const status = err.statusCode;
    const detail = bodyMessage(err.body) || err.message;
    const text = `Vapi HTTP ${status ?? '-'}: ${detail}`;
    if (status === undefined) {
      // The SDK aborts on its timeout with reason 'timeout'; under Node's fetch that surfaces as
      // an 'unknown' VapiError whose cause is the string 'timeout', not as VapiTimeoutError.
      const timedOut = err.cause === 'timeout' || /timeout|timed out/i.test(err.message);
      return new ProviderError(PROVIDER, timedOut ? 'timeout' : 'network_error', `Vapi request failed without an answer: ${detail}`, true);
    }
    if (status === 429) return new ProviderError(PROVIDER, 'rate_limited', text, true, status, retryAfterSeconds(err));
    if (status === 408 || status >= 500)
      return new ProviderError(PROVIDER, 'provider_unavailable', text, true, status, retryAfterSeconds(err));
    if (status === 401 || status === 403) return new ProviderError(PROVIDER, 'auth_failed', text, false, status);
    if (status === 404) return new ProviderError(PROVIDER, 'not_found', text, false, status);
    if (status === 400 && /customer\.number|customers\.\d+\.number|E\.?164/i.test(detail)) {
      return new ProviderError(PROVIDER, 'invalid_number', text, false, status);
    }
    if (status === 400) return new ProviderError(PROVIDER, 'invalid_request', text, false, status);
    return new ProviderError(PROVIDER, 'rejected', text, false, status);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ProviderError(PROVIDER, 'network_error', `Vapi request failed: ${message}`, true);
}

// ---- Adapter ---------------------------------------------------------------------------------

const ENDED_STATUSES = new Set(['ended']);

export function createVapiVoiceCaller(opts: VapiAdapterOptions): VoiceCaller {
  const { client, requestOptions } = vapiClient(opts);

  return {
    async startCall(call: OutboundCall): Promise<PlacedCall> {
      let response: Vapi.CreateCallsResponse;
      try {
        response = await client.calls.create(buildCreateCallRequest(call), requestOptions);
      } catch (err) {
        throw classifyVapiError(err);
      }
      // A single `customer` gives a Call; a batch (`customers`) would give { results, errors }.
      const created: Partial<Vapi.Call> | undefined = 'results' in response ? response.results[0] : response;
      if (!created?.id) throw new ProviderError(PROVIDER, 'invalid_response', 'Vapi created the call but returned no id', false);
      return { callId: created.id, status: created.status ?? 'queued' };
    },

    async assistantModel(assistantId: string): Promise<AssistantModel> {
      let assistant: Vapi.Assistant;
      try {
        assistant = await client.assistants.get({ id: assistantId }, requestOptions);
      } catch (err) {
        throw classifyVapiError(err);
      }
      const model = assistant.model as { provider?: unknown; model?: unknown; toolIds?: unknown } | undefined;
      if (!model || typeof model.provider !== 'string' || typeof model.model !== 'string') {
        throw new ProviderError(
          PROVIDER,
          'invalid_config',
          `Vapi assistant ${assistantId} has no model to add the knowledge base to`,
          false,
        );
      }
      const toolIds = Array.isArray(model.toolIds) ? model.toolIds.filter((t): t is string => typeof t === 'string') : [];
      return { provider: model.provider, model: model.model, toolIds };
    },

    async deleteCall(callId: string): Promise<'deleted' | 'not_found'> {
      try {
        await client.calls.delete({ id: callId }, requestOptions);
        return 'deleted';
      } catch (err) {
        const e = classifyVapiError(err);
        if (e.code === 'not_found') return 'not_found';
        throw e;
      }
    },

    async getCall(callId: string): Promise<CallReport | { callId: string; outcome: 'in_progress' }> {
      let call: Vapi.Call;
      try {
        call = await client.calls.get({ id: callId }, requestOptions);
      } catch (err) {
        throw classifyVapiError(err);
      }
      if (call.status === 'not-found') throw new ProviderError(PROVIDER, 'not_found', `Vapi call ${callId} was not found`, false);
      const ended =
        (call.status !== undefined && ENDED_STATUSES.has(call.status)) || (call.status === undefined && call.endedReason !== undefined);
      if (!ended) return { callId: call.id ?? callId, outcome: 'in_progress' };
      return callReportFromCall({ ...(call as unknown as VapiCallLike), id: call.id ?? callId });
    },
  };
}
