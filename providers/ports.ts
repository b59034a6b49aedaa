/**
 * The interfaces activities use to reach providers. Each provider folder implements them with
 * the provider's real SDK or HTTP API (base URL injectable, so tests point them at local fakes);
 * providers/sandbox/ implements them by recording instead of sending (no credentials set).
 *
 * Error convention (DESIGN.md convention 4): transient failures (network, 5xx, 429) throw a
 * plain Error (Temporal retries the activity); permanent ones throw ProviderError with
 * retryable=false (the activity turns it into a non-retryable ApplicationFailure); business
 * results (DNCR hit, busy line, invalid number) are returned as typed outcomes.
 */

export class ProviderError extends Error {
  constructor(
    readonly provider: string,
    /** Stable machine code, e.g. 'invalid_number', 'auth_failed', 'rate_limited'. */
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    /** Seconds to wait before retrying, when the provider said (Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

// ---- Email (SMTP) ---------------------------------------------------------------------------

export interface SmtpAccount {
  host: string;
  port: number;
  /** TLS from the first byte (465); otherwise STARTTLS when offered. */
  secure: boolean;
  user: string;
  pass: string;
}

export interface OutboundEmail {
  smtp: SmtpAccount;
  from: { address: string; name?: string };
  to: { address: string; name?: string };
  subject: string;
  text: string;
  html?: string;
  /** Our own Message-ID (<...@domain>), fixed before sending so a retry is recognisable. */
  messageId: string;
  /** Threading of a follow-up: the first email's Message-ID. */
  inReplyTo?: string;
  references?: string[];
  /** e.g. List-Unsubscribe and List-Unsubscribe-Post (RFC 8058). */
  headers?: Record<string, string>;
}

export interface SentEmail {
  messageId: string;
  accepted: string[];
  rejected: string[];
  /** The server's final response line, e.g. "250 2.0.0 OK queued as ...". */
  response: string;
}

export interface EmailSender {
  send(email: OutboundEmail): Promise<SentEmail>;
}

// ---- SMS (Twilio) ---------------------------------------------------------------------------

export interface OutboundSms {
  from: string; // E.164
  to: string; // E.164
  body: string;
  statusCallback?: string;
}

export interface SentSms {
  sid: string;
  status: string;
  numSegments: number;
}

export interface SmsSender {
  /** Called with SDK retries off: one call places at most one message. */
  send(sms: OutboundSms): Promise<SentSms>;
}

// ---- Voice (Vapi) and recordings (Twilio) ---------------------------------------------------

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

// ---- LinkedIn (Unipile) ---------------------------------------------------------------------

export interface LinkedInProfile {
  providerId: string;
  publicIdentifier: string;
  name?: string;
  /** FIRST_DEGREE when already connected. */
  networkDistance?: 'FIRST_DEGREE' | 'SECOND_DEGREE' | 'THIRD_DEGREE' | 'OUT_OF_NETWORK';
  /** An invitation already pending from this account (Unipile has no idempotency: check first). */
  invitationPending: boolean;
}

export interface LinkedInClient {
  /** `identifier`: a public identifier or profile URL slug. */
  getProfile(accountId: string, identifier: string): Promise<LinkedInProfile>;
  sendInvitation(input: { accountId: string; providerId: string; message?: string }): Promise<{ invitationId: string }>;
  sendMessage(input: { accountId: string; attendeeProviderId: string; text: string }): Promise<{ chatId: string; messageId: string }>;
}

// ---- DNCR (ACMA Do Not Call Register) -------------------------------------------------------

export type DncrResult = 'registered' | 'not_registered' | 'invalid';

export interface DncrRegister {
  /**
   * Washes Australian numbers (E.164 +61...). Resolves every number, or throws when the
   * register cannot answer (callers fail closed: no answer means no call and no SMS).
   */
  wash(numbersE164: string[], clientReferenceId: string): Promise<Map<string, DncrResult>>;
}

// ---- Sandbox ---------------------------------------------------------------------------------

/** Where sandbox adapters record what they would have sent. */
export interface SandboxRecorder {
  record(entry: { provider: string; kind: string; to: string; payload: unknown }): Promise<void>;
}

// ---- Lead sources (SYS-001 sourcing) --------------------------------------------------------

/** The ICP as a lead source understands it (a subset of the campaign's ICP). */
export interface SourcingQuery {
  titles: string[];
  industries: string[];
  /** ISO 3166 alpha-2 codes. */
  countries: string[];
  employeeMin?: number;
  employeeMax?: number;
  keywords: string[];
}

/** A sourced person, in the lead-row shape the API accepts (domain/lead-row.ts keys). */
export interface SourcedLead {
  email?: string;
  first_name?: string;
  last_name?: string;
  title?: string;
  company?: string;
  company_domain?: string;
  industry?: string;
  employee_count?: number;
  city?: string;
  state?: string;
  country?: string;
  phone?: string;
  linkedin_url?: string;
  /** The source's own id of the person, to de-duplicate across pages and runs. */
  externalId: string;
}

export interface LeadSource {
  readonly name: string;
  /** One page of people matching the query; `nextCursor` undefined on the last page. */
  search(query: SourcingQuery, page: { cursor?: string; pageSize: number }): Promise<{ leads: SourcedLead[]; nextCursor?: string; total?: number }>;
}
