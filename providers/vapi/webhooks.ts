/**
 * Vapi server-URL webhooks (SYS-008, VO-002): request authentication, the zod schema of the
 * server message envelope, and the CallReport of an end-of-call report.
 *
 * Authentication (Vapi credentials on `server.credentialId`, fern/server-url/server-authentication):
 * - 'bearer': a shared token in a header, compared timing-safe. By default either
 *   `X-Vapi-Secret: <secret>` (the legacy secret: a Bearer credential with that header name and
 *   no prefix) or `Authorization: Bearer <secret>` is accepted; pass `headerName` to accept
 *   only one header (a "Bearer " prefix is always allowed).
 * - 'hmac': `x-signature` = hex(HMAC-SHA256(secret, `${x-timestamp}.${rawBody}`)) (Vapi's
 *   defaults: algorithm sha256, payloadFormat '{timestamp}.{body}', hex, no prefix). The
 *   timestamp must be within `toleranceSeconds` (default 300) of `now`, either way. Vapi does
 *   not document its unit, so values above 1e12 are read as milliseconds, others as seconds,
 *   and a non-numeric value as an HTTP/ISO date.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { CallReport } from '../ports.js';
import { callReportFromCall } from './calls.js';

export type VapiAuthMode = 'bearer' | 'hmac';
export type HeaderBag = Record<string, string | string[] | undefined>;

export interface VerifyVapiRequestInput {
  /** The exact bytes Vapi sent. */
  rawBody: Buffer | string;
  /** Request headers (any case). */
  headers: HeaderBag;
  secret: string;
  mode: VapiAuthMode;
  /** The current time (Date or epoch milliseconds); used by 'hmac' only. */
  now: Date | number;
  /** 'hmac': accepted clock difference; default 300 s (5 minutes). */
  toleranceSeconds?: number;
  /** 'bearer': the only header to read (e.g. 'x-vapi-secret' or 'authorization'). */
  headerName?: string;
  /** 'hmac': header names, Vapi's defaults 'x-signature' and 'x-timestamp'. */
  signatureHeader?: string;
  timestampHeader?: string;
}

export type VapiVerification =
  { ok: true } | { ok: false; reason: 'missing_credentials' | 'mismatch' | 'stale_timestamp' | 'bad_timestamp' | 'no_secret_configured' };

function header(headers: HeaderBag, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    const v = Array.isArray(value) ? value[0] : value;
    if (v !== undefined) return v;
  }
  return undefined;
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  // Compare equal-length buffers only; the length itself is not secret.
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

function stripBearer(value: string): string {
  return value.replace(/^Bearer\s+/i, '').trim();
}

/** Milliseconds since the epoch of an x-timestamp value, or undefined when unparsable. */
export function parseVapiTimestamp(value: string): number | undefined {
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) {
    const n = Number(v);
    return n > 1e12 ? n : n * 1000;
  }
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

/** hex(HMAC-SHA256(secret, `${timestamp}.${body}`)): the x-signature Vapi sends (for tests and fakes). */
export function signVapiHmac(secret: string, body: Buffer | string, timestamp: string | number): string {
  return createHmac('sha256', secret)
    .update(`${timestamp}.`, 'utf8')
    .update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body)
    .digest('hex');
}

/** Authenticates a Vapi server-URL request (see the module comment). Never throws. */
export function verifyVapiRequest(input: VerifyVapiRequestInput): VapiVerification {
  if (!input.secret) return { ok: false, reason: 'no_secret_configured' };
  if (input.mode === 'bearer') {
    const names = input.headerName ? [input.headerName] : ['x-vapi-secret', 'authorization'];
    const presented = names.map((n) => header(input.headers, n)).filter((v): v is string => v !== undefined);
    if (presented.length === 0) return { ok: false, reason: 'missing_credentials' };
    // Evaluate every candidate (no early exit on the first match).
    const matches = presented.map((v) => safeEqual(stripBearer(v), input.secret));
    return matches.some(Boolean) ? { ok: true } : { ok: false, reason: 'mismatch' };
  }
  const signature = header(input.headers, input.signatureHeader ?? 'x-signature');
  const timestamp = header(input.headers, input.timestampHeader ?? 'x-timestamp');
  if (!signature || !timestamp) return { ok: false, reason: 'missing_credentials' };
  const at = parseVapiTimestamp(timestamp);
  if (at === undefined) return { ok: false, reason: 'bad_timestamp' };
  const now = typeof input.now === 'number' ? input.now : input.now.getTime();
  const toleranceMs = (input.toleranceSeconds ?? 300) * 1000;
  if (Math.abs(now - at) > toleranceMs) return { ok: false, reason: 'stale_timestamp' };
  const expected = signVapiHmac(input.secret, input.rawBody, timestamp.trim());
  return safeEqual(signature.trim().toLowerCase(), expected) ? { ok: true } : { ok: false, reason: 'mismatch' };
}

// ---- Schemas ---------------------------------------------------------------------------------

const Metadata = z.record(z.string(), z.unknown());

/** The call object inside a server message (only what we route on is checked). */
export const VapiMessageCallSchema = z.looseObject({
  id: z.string().min(1),
  status: z.string().optional(),
  type: z.string().optional(),
  phoneCallProviderId: z.string().optional(),
  metadata: Metadata.optional(),
  assistantOverrides: z.looseObject({ metadata: Metadata.optional() }).optional(),
  customer: z.looseObject({ number: z.string().optional(), name: z.string().optional() }).optional(),
});

const ArtifactSchema = z.looseObject({
  transcript: z.string().optional(),
  recordingUrl: z.string().optional(),
  stereoRecordingUrl: z.string().optional(),
  recording: z
    .looseObject({
      stereoUrl: z.string().optional(),
      mono: z.looseObject({ combinedUrl: z.string().optional() }).optional(),
    })
    .optional(),
  messages: z.array(z.unknown()).optional(),
});

const AnalysisSchema = z.looseObject({
  summary: z.string().optional(),
  structuredData: Metadata.optional(),
  successEvaluation: z.unknown().optional(),
});

const common = {
  call: VapiMessageCallSchema,
  timestamp: z.number().optional(),
  assistant: z.looseObject({ metadata: Metadata.optional() }).optional(),
  customer: z.looseObject({ number: z.string().optional() }).optional(),
};

export const VapiEndOfCallReportSchema = z.looseObject({
  type: z.literal('end-of-call-report'),
  ...common,
  endedReason: z.string().min(1),
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
  durationSeconds: z.number().optional(),
  cost: z.number().optional(),
  artifact: ArtifactSchema.optional(),
  analysis: AnalysisSchema.optional(),
  /** Older payloads: at the top level of the message. */
  transcript: z.string().optional(),
  summary: z.string().optional(),
  recordingUrl: z.string().optional(),
  stereoRecordingUrl: z.string().optional(),
});
export type VapiEndOfCallReport = z.infer<typeof VapiEndOfCallReportSchema>;

export const VapiStatusUpdateSchema = z.looseObject({
  type: z.literal('status-update'),
  ...common,
  /** scheduled | queued | ringing | in-progress | forwarding | ended | not-found | deletion-failed */
  status: z.string().min(1),
  endedReason: z.string().optional(),
  transcript: z.string().optional(),
  summary: z.string().optional(),
  artifact: ArtifactSchema.optional(),
});
export type VapiStatusUpdate = z.infer<typeof VapiStatusUpdateSchema>;

const TYPED = new Set(['end-of-call-report', 'status-update']);

/** Every other message type (transcript, hang, tool-calls, ...), passed through untouched. */
export const VapiOtherMessageSchema = z.looseObject({
  type: z
    .string()
    .min(1)
    .refine((t) => !TYPED.has(t), { message: 'typed message failed its own schema' }),
  call: VapiMessageCallSchema.optional(),
  timestamp: z.number().optional(),
});
export type VapiOtherMessage = z.infer<typeof VapiOtherMessageSchema>;

/** The POST body Vapi sends to a server URL: `{ message: { type, call, ... } }`. */
export const VapiServerMessageSchema = z.looseObject({
  message: z.union([VapiEndOfCallReportSchema, VapiStatusUpdateSchema, VapiOtherMessageSchema]),
});
export type VapiServerMessage = z.infer<typeof VapiServerMessageSchema>;
export type VapiMessage = VapiServerMessage['message'];

export function isEndOfCallReport(m: VapiMessage): m is VapiEndOfCallReport {
  return m.type === 'end-of-call-report';
}
export function isStatusUpdate(m: VapiMessage): m is VapiStatusUpdate {
  return m.type === 'status-update';
}

/**
 * The metadata we set on the call (leadId, workflowId, step). startCall puts it in
 * `assistantOverrides.metadata`; `call.metadata` and `assistant.metadata` are read as well.
 * String values only.
 */
export function vapiCallMetadata(message: {
  call?: z.infer<typeof VapiMessageCallSchema>;
  assistant?: { metadata?: Record<string, unknown> };
}): Record<string, string> {
  const merged = { ...message.assistant?.metadata, ...message.call?.metadata, ...message.call?.assistantOverrides?.metadata };
  return Object.fromEntries(Object.entries(merged).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** CallReport of an end-of-call report (artifact/analysis first, then the older top-level fields). */
export function callReportFromEndOfCall(message: VapiEndOfCallReport): CallReport {
  return callReportFromCall({
    id: message.call.id,
    endedReason: message.endedReason,
    startedAt: message.startedAt,
    endedAt: message.endedAt,
    durationSeconds: message.durationSeconds,
    phoneCallProviderId: message.call.phoneCallProviderId,
    artifact: message.artifact,
    analysis: message.analysis,
    transcript: message.transcript,
    summary: message.summary,
    recordingUrl: message.recordingUrl,
  });
}
