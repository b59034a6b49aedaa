/**
 * Resource pool (RP-004..008): domains and mailboxes (InfraForge), warmup (Warmforge), phone
 * numbers (Twilio), LinkedIn seats (Unipile). None of these purchases has a provider
 * idempotency key: callers list what exists first and only then buy what is still missing.
 */
import type { SmtpAccount } from './messaging.js';

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
