/**
 * The interfaces activities use to reach providers. Each provider folder implements them with
 * the provider's real SDK or HTTP API (base URL injectable, so tests point them at local fakes);
 * providers/sandbox/ implements them by recording instead of sending (no credentials set).
 *
 * Error convention (DESIGN.md convention 4): transient failures (network, 5xx, 429) throw a
 * plain Error (Temporal retries the activity); permanent ones throw ProviderError with
 * retryable=false (the activity turns it into a non-retryable ApplicationFailure); business
 * results (DNCR hit, busy line, invalid number) are returned as typed outcomes.
 *
 * One file per port family under ports/ (messaging, voice, linkedin, dncr, lead-source, enrichment, pool,
 * billing, sandbox, provider-error, provider-sets); this file re-exports them all.
 */

export { ProviderError } from './ports/provider-error.js';
export type { EmailSender, OutboundEmail, OutboundSms, SentEmail, SentSms, SmsSender, SmtpAccount } from './ports/messaging.js';
export { MAILBOX_WITHOUT_SMTP_CREDENTIALS } from './ports/messaging.js';
export type {
  AssistantModel,
  CallEndOutcome,
  CallReport,
  OutboundCall,
  PlacedCall,
  RecordingRef,
  RecordingStore,
  KnowledgeFile,
  VoiceCaller,
  VoiceKnowledgeBase,
} from './ports/voice.js';
export type { LinkedInClient, LinkedInProfile } from './ports/linkedin.js';
export type { DncrRegister, DncrResult } from './ports/dncr.js';
export type { SandboxRecorder } from './ports/sandbox.js';
export type { LeadSource, SourcedLead, SourcingQuery } from './ports/lead-source.js';
export type { EmailCheck, EmailVerifier, PersonEnricher, PersonFacts, PersonMatch, PersonQuery } from './ports/enrichment.js';
export type {
  DomainRegistrar,
  MailboxCredentials,
  NumberProvider,
  OwnedNumber,
  RegistrarDomain,
  RegistrarMailbox,
  SeatAccount,
  SeatProvider,
  WarmupMailbox,
  WarmupService,
  WarmupSettings,
} from './ports/pool.js';
export type { BillingCheckout, CheckoutRequest } from './ports/billing.js';
export type { PoolProviders, ProviderSet, VoiceNumbers } from './ports/provider-sets.js';
export type { ContentDraft, ContentEngine, ContentFacts, ContentPurpose, ContentRequest, ConversationTurn } from './ports/content.js';
export type {
  CrmClient,
  CrmClientFactory,
  CrmCompanyInput,
  CrmConnectionConfig,
  CrmContactInput,
  CrmDealInput,
  CrmIds,
  CrmMeetingInput,
} from './ports/crm.js';
export type { InboundMail, MailboxReader } from './ports/mailbox.js';
