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
  search(
    query: SourcingQuery,
    page: { cursor?: string; pageSize: number },
  ): Promise<{ leads: SourcedLead[]; nextCursor?: string; total?: number }>;
}

// ---- Resource pool (RP-004..008): domains and mailboxes (InfraForge), warmup (Warmforge),
// phone numbers (Twilio), LinkedIn seats (Unipile). None of these purchases has a provider
// idempotency key: callers list what exists first and only then buy what is still missing.

export interface RegistrarDomain {
  /** The provider's id of the domain. */
  ref: string;
  name: string;
  /** InfraForge domain status: draft | active | pending | failed | expired. */
  status: string;
}

export interface MailboxCredentials {
  smtp: SmtpAccount;
  imap: { host: string; port: number; secure: boolean; user: string; pass: string };
}

export interface RegistrarMailbox {
  ref: string;
  email: string;
  /** InfraForge mailbox status: draft | active | pending | processing | failed. */
  status: string;
}

export interface DomainRegistrar {
  /** Domains of the workspace among `names` (what a timed-out purchase may already have bought). */
  findDomains(names: string[]): Promise<RegistrarDomain[]>;
  /** Availability and price of up to 100 names. */
  checkAvailability(names: string[]): Promise<{ domain: string; available: boolean; priceUsd?: number }[]>;
  /** Buys the names (SPF, DKIM, DMARC set up by the provider). Never retried blindly. */
  buyDomains(names: string[]): Promise<RegistrarDomain[]>;
  listMailboxes(domain: string): Promise<RegistrarMailbox[]>;
  createMailboxes(domain: string, mailboxes: { email: string; firstName: string; lastName: string }[]): Promise<RegistrarMailbox[]>;
  mailboxCredentials(ref: string): Promise<MailboxCredentials>;
  /**
   * Turns auto-renewal off for the domains (RP-009: a retired domain is left to lapse).
   * `domainRefs` are RegistrarDomain.ref values. Idempotent: a domain whose renewal is already
   * off, or a domain already gone (unknown to the provider), is not an error. An empty list does
   * nothing.
   */
  disableAutoRenew(domainRefs: string[]): Promise<void>;
}

export interface WarmupMailbox {
  address: string;
  /** Warmforge: active | access_lost | pending | suspended. */
  status: string;
  warmupEnabled: boolean;
  /** healthReport.heatScore (100 is optimal); null before the first check. */
  heatScore: number | null;
  warmupDaysCompleted?: number;
}

export interface WarmupSettings {
  /** YYYY-MM-DD */
  startDate: string;
  minEmailsPerDay: number;
  /** Warmforge caps this at 20. */
  maxEmailsPerDay: number;
  emailRampUp: number;
  replyRatePercent: number;
}

export interface WarmupService {
  findMailbox(address: string): Promise<WarmupMailbox | null>;
  /** Connects the mailbox over SMTP/IMAP; a mailbox already connected is returned as it is. */
  connectMailbox(input: {
    address: string;
    firstName: string;
    lastName: string;
    credentials: MailboxCredentials;
    externalReference: string;
  }): Promise<WarmupMailbox>;
  /** Turns warmup on (or updates its settings). Idempotent. */
  enableWarmup(address: string, settings: WarmupSettings): Promise<void>;
  /**
   * Turns warmup off (RP-009: the mailbox's domain is retired). Idempotent: a mailbox whose
   * warmup is already off, or a mailbox already gone (unknown to the provider), is not an error.
   */
  disableWarmup(address: string): Promise<void>;
}

export interface OwnedNumber {
  ref: string;
  e164: string;
  /** Our purchase tag (Twilio friendlyName), to find a purchase after a timeout. */
  tag: string;
}

export interface NumberProvider {
  /** Numbers of the account carrying `tag`. */
  findNumbers(tag: string): Promise<OwnedNumber[]>;
  /** Finds an available number in the country and buys it, tagged. Never retried blindly. */
  buyNumber(input: { country: string; tag: string; smsUrl?: string; statusCallback?: string }): Promise<OwnedNumber>;
}

export interface SeatAccount {
  accountRef: string;
  name?: string;
  /** Unipile source status: OK | STOPPED | ERROR | CREDENTIALS | PERMISSIONS | CONNECTING. */
  status: string;
}

export interface SeatProvider {
  /** The LinkedIn accounts connected to the workspace. */
  listLinkedInAccounts(): Promise<SeatAccount[]>;
  /** A hosted-auth link an operator opens to connect a new LinkedIn account (a new seat). */
  requestSeatLink(input: { name: string; expiresAt: string; notifyUrl?: string }): Promise<{ url: string }>;
  /** Cancels a pending invitation the seat sent (seat clean-up on release). */
  cancelInvitation(accountRef: string, invitationRef: string): Promise<void>;
}

// ---- Billing (Stripe) (SYS-005, RP-001) ------------------------------------------------------

export interface CheckoutRequest {
  clientId: string;
  tier: string;
  priceId: string;
  successUrl: string;
  cancelUrl: string;
  customerId?: string;
  customerEmail?: string;
  /** Sent as Stripe's Idempotency-Key: a retried request returns the same session. */
  idempotencyKey: string;
}

export interface BillingCheckout {
  /** A subscription-mode Checkout Session; clientId and tier travel in its and the subscription's metadata. */
  createCheckoutSession(input: CheckoutRequest): Promise<{ id: string; url: string }>;
}

// ---- The provider sets activities are given -------------------------------------------------

/** Makes a bought number callable by the voice agent (Vapi import); returns the voice provider's id. */
export interface VoiceNumbers {
  register(e164: string, name: string): Promise<{ id: string }>;
}

/** What the pool buys from: InfraForge, Warmforge, Twilio numbers, Unipile seats (RP-004..008). */
export interface PoolProviders {
  registrar: DomainRegistrar;
  warmup: WarmupService;
  numbers: NumberProvider;
  seats: SeatProvider;
  voiceNumbers: VoiceNumbers;
}

/** Every provider port, each real (credentials set) or sandbox (recorded, not sent). */
export interface ProviderSet {
  email: EmailSender;
  sms: SmsSender;
  voice: VoiceCaller;
  recordings: RecordingStore;
  linkedin: LinkedInClient;
  dncr: DncrRegister;
  /** A sourcing API (Apollo people search); absent without credentials. */
  leadSource?: LeadSource;
  pool: PoolProviders;
}
