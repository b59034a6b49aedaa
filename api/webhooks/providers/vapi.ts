/**
 * Vapi server-URL messages (SYS-008, VO-002) at POST /webhooks/vapi.
 *
 * Authentication with VAPI_WEBHOOK_SECRET (providers/vapi/webhooks.ts verifyVapiRequest):
 * - 'hmac': `x-signature` = hex(HMAC-SHA256(secret, `${x-timestamp}.${rawBody}`)), timestamp
 *   within 5 minutes;
 * - 'bearer': `Authorization: Bearer <secret>` or `X-Vapi-Secret: <secret>`.
 * The default mode 'either' uses HMAC when the request carries `x-signature`, else the bearer
 * secret; both need the same configured secret. No secret configured: every request is 401.
 *
 * Event ids: `end-of-call-report:{call.id}` (one per call: Vapi's redeliveries collapse);
 * `status-update:{call.id}:{status}`; other types `{type}:{call.id}:{timestamp | body hash}`.
 * Only the end-of-call report is acted on: a callEnded signal to the lead named in the call's
 * metadata (assistantOverrides.metadata.leadId, set when the call was placed). Everything else
 * is recorded and ignored.
 */
import { createHash } from 'node:crypto';
import {
  VapiServerMessageSchema,
  callReportFromEndOfCall,
  isEndOfCallReport,
  isStatusUpdate,
  vapiCallMetadata,
  verifyVapiRequest,
  type VapiAuthMode,
  type VapiServerMessage,
} from '../../../providers/vapi/webhooks.js';
import type { CallEnded } from '../../../workflows/contracts.js';
import type { WebhookProvider } from '../registry.js';
import type { ProviderWebhookOptions } from './twilio.js';
import type { LeadRef } from '../../../services/leads/lookup.js';

export const VAPI_PATH = '/webhooks/vapi';

export type VapiWebhookAuth = VapiAuthMode | 'either';

export interface VapiWebhookOptions extends ProviderWebhookOptions {
  /** Which authentication to accept (default 'either'). */
  auth?: VapiWebhookAuth;
  /** Clock for the HMAC timestamp check (tests). */
  now?: () => number;
}

function hasHeader(headers: Record<string, unknown>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name && headers[k] !== undefined);
}

export function vapiWebhook({
  config,
  events,
  auth = 'either',
  now = Date.now,
}: VapiWebhookOptions): WebhookProvider<VapiServerMessage, LeadRef | null> {
  return {
    provider: 'vapi',
    path: VAPI_PATH,
    verify(req) {
      const secret = config.providers.vapi.webhookSecret;
      if (!secret) return false; // never accept unsigned input
      const mode: VapiAuthMode = auth === 'either' ? (hasHeader(req.headers, 'x-signature') ? 'hmac' : 'bearer') : auth;
      return verifyVapiRequest({ rawBody: req.rawBody, headers: req.headers, secret, mode, now: now() }).ok;
    },
    schema: VapiServerMessageSchema,
    describe(payload, req) {
      const m = payload.message;
      const callId = m.call?.id ?? 'no-call';
      let eventId: string;
      if (isEndOfCallReport(m)) eventId = `${m.type}:${callId}`;
      else if (isStatusUpdate(m)) eventId = `${m.type}:${callId}:${m.status}`;
      else eventId = `${m.type}:${callId}:${m.timestamp ?? createHash('sha256').update(req.rawBody).digest('hex').slice(0, 32)}`;
      return { eventId, type: m.type, payload };
    },
    // The lead an end-of-call report is about, found while it is recorded.
    prepare: async ({ payload: { message: m } }) =>
      isEndOfCallReport(m) ? events.leadFromCallMetadata(vapiCallMetadata(m), m.call.id) : null,
    async dispatch(event, lead) {
      const m = event.payload.message;
      if (!isEndOfCallReport(m)) return; // recorded only
      if (!lead) return; // not one of our sequence calls: recorded only
      const report = callReportFromEndOfCall(m);
      const endedAt = m.endedAt && !Number.isNaN(Date.parse(m.endedAt)) ? new Date(m.endedAt).toISOString() : new Date().toISOString();
      const ended: CallEnded = {
        eventId: event.eventId,
        at: endedAt,
        callId: report.callId,
        outcome: report.outcome,
        endedReason: report.endedReason,
        ...(report.providerCallSid !== undefined ? { providerCallSid: report.providerCallSid } : {}),
        ...(report.durationSeconds !== undefined ? { durationSeconds: report.durationSeconds } : {}),
        ...(report.summary !== undefined ? { summary: report.summary } : {}),
        ...(report.transcript !== undefined ? { transcript: report.transcript } : {}),
        ...(report.recordingUrl !== undefined ? { recordingUrl: report.recordingUrl } : {}),
      };
      await events.callEnded(lead, ended);
    },
  };
}
