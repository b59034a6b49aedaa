/** The messaging ports: email over SMTP and SMS (Twilio). */

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
  /** The mailbox's SMTP account; null when it has none (only a sandbox sender can take it). */
  smtp: SmtpAccount | null;
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

/** The permanent ProviderError code of a send from a mailbox without SMTP credentials (SMTP sender). */
export const MAILBOX_WITHOUT_SMTP_CREDENTIALS = 'mailbox_without_smtp_credentials';

export interface EmailSender {
  /**
   * Whether an email from a mailbox with this account can go through this sender: the sandbox
   * records from any mailbox; SMTP sends only with real credentials (never through a sandbox).
   */
  canSendFrom(smtp: SmtpAccount | null): boolean;
  /** From a mailbox `canSendFrom` refuses: a permanent ProviderError MAILBOX_WITHOUT_SMTP_CREDENTIALS. */
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
