/** The provider sets activities are given: every port, real (credentials set) or sandbox. */
import type { ContentEngine } from './content.js';
import type { CrmClientFactory } from './crm.js';
import type { DncrRegister } from './dncr.js';
import type { EmailVerifier, PersonEnricher } from './enrichment.js';
import type { LeadSource } from './lead-source.js';
import type { LinkedInClient } from './linkedin.js';
import type { MailboxReader } from './mailbox.js';
import type { EmailSender, SmsSender } from './messaging.js';
import type { DomainRegistrar, MailboxCredentials, NumberProvider, SeatProvider, WarmupService } from './pool.js';
import type { RecordingStore, VoiceCaller, VoiceKnowledgeBase } from './voice.js';

/** The IMAP account a pool mailbox's replies and bounces are read from (as InfraForge gives it, or an operator). */
export type ImapAccount = MailboxCredentials['imap'];

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
  /** VO-001: the clients' knowledge-base files and query tools at the voice provider. */
  voiceKnowledgeBase: VoiceKnowledgeBase;
  recordings: RecordingStore;
  linkedin: LinkedInClient;
  dncr: DncrRegister;
  /** A sourcing API (Apollo people search); absent without credentials. */
  leadSource?: LeadSource;
  /** A person-data provider for the score's signals (Apollo people match); absent without credentials. */
  personEnricher?: PersonEnricher;
  /** An email verifier (ZeroBounce), or the sandbox one (which verifies nothing) without credentials. */
  emailVerifier: EmailVerifier;
  pool: PoolProviders;
  /** Writes answers (and, later, touches): an LLM with its key, else the template engine (SYS-003). */
  content: ContentEngine;
  /** The CRM client of a client's connection (HubSpot), for the CRM sync (SYS-004). */
  crm: CrmClientFactory;
  /** A reader of one of our own mailboxes over its IMAP account (replies and late bounces, SYS-003 ED-004); closed by its user. */
  mailboxReader: (account: ImapAccount) => MailboxReader;
}
