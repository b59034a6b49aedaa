/**
 * The mailbox port: reading our own pool mailboxes (IMAP), so replies and late bounces reach us
 * without a third party (SYS-003, ED-004, ED-005). providers/email/imap-reader.ts implements it;
 * providers/email/inbound-mail.ts parses and classifies each message into an InboundMail.
 */

/** One received message, parsed and classified (replies are told apart from robots). */
export interface InboundMail {
  /** `<id@host>` form (normalizeMessageId). */
  messageId?: string;
  /** `<id@host>` form: for a reply, our Message-ID it answers. */
  inReplyTo?: string;
  /** `<id@host>` form, oldest first, as in the header. */
  references: string[];
  /** Address lower-cased; the display name decoded, when there is one. */
  from?: { address: string; name?: string };
  /** The To addresses, lower-cased. */
  to: string[];
  subject?: string;
  /** The Date header as ISO 8601 UTC, when it could be read. */
  date?: string;
  /** The reply itself: the plain text (from the HTML when there is no text part) without the quoted original. */
  text: string;
  /** The whole plain text. */
  fullText: string;
  kind: 'reply' | 'auto_reply' | 'bounce';
  /** Set when kind is auto_reply: which header or subject made it one, e.g. `auto-submitted: auto-replied`. */
  autoReply?: { reason: string };
  /** Set when kind is bounce. */
  bounce?: InboundBounce;
}

export interface InboundBounce {
  /** Per recipient (RFC 3464 Final-Recipient, else Original-Recipient; or X-Failed-Recipients). */
  recipients: Array<{
    /** Lower-cased, without the address type (`rfc822;`). */
    address: string;
    /** RFC 3464 Action, lower-cased: failed, delayed, ... */
    action: string;
    /** RFC 3463 enhanced status code, e.g. `5.1.1`. */
    status?: string;
    /** The Diagnostic-Code text without its type (`smtp;`), e.g. `550 5.1.1 User unknown`. */
    diagnostic?: string;
  }>;
  /** A permanent failure (5.x.x / SMTP 5xx): the address must not be mailed again. */
  hard: boolean;
  /** `<id@host>`: the Message-ID of the message that bounced (one of ours). */
  originalMessageId?: string;
  /** How it was recognised: `delivery-status` (RFC 3464), `x-failed-recipients` or `from: mailer-daemon`. */
  reason: string;
}

/** Where the last poll of a mailbox stopped: UIDs are only comparable under the same UIDVALIDITY. */
export interface MailboxCursor {
  uidValidity?: string;
  lastUid?: number;
}

export interface MailboxBatch {
  /** Store it and pass it to the next fetchNew. */
  cursor: { uidValidity: string; lastUid: number };
  /** In UID order. */
  messages: Array<{ uid: number; mail: InboundMail }>;
  /** More new messages are waiting than `max` allowed in this batch. */
  hasMore: boolean;
  /**
   * Set when the cursor could not be continued (no cursor yet, or the mailbox's UIDVALIDITY
   * changed): the batch restarted from the messages received since `since` (ISO date).
   */
  restarted?: { previousUidValidity?: string; since: string };
}

export interface MailboxReader {
  /**
   * Messages with a UID above the cursor, oldest first, at most `max`. Authentication failure:
   * ProviderError retryable=false; a network error or timeout: a plain Error (transient).
   */
  fetchNew(cursor: MailboxCursor, max?: number): Promise<MailboxBatch>;
  /** Logs out and closes the connection. Safe to call twice. */
  close(): Promise<void>;
}
