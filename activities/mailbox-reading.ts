/**
 * Replies and late bounces read from the pool's own mailboxes over IMAP (SYS-003, ED-004,
 * SYS-008), without a third party. One activity reads one batch of one mailbox: the messages
 * above its UID cursor (providers/email/imap-reader.ts, read-only), each parsed and classified
 * (providers/email/inbound-mail.ts) and handed to the lead events as the inbound-email webhook
 * hands them (services/lead-events.ts):
 *   - a bounce: the lead of the email that bounced (its Message-ID, else the recipient's address
 *     within the mailbox's client); a hard bounce suppresses the address even when no lead is found;
 *   - a reply or an auto-reply from a lead (by its thread, else by the sender's address within the
 *     mailbox's client): replied(), which holds the sequence and tells the lead's conversation;
 *   - anything else (warmup traffic, newsletters, strangers): ignored, counted.
 * The cursor is saved after the batch: every hand-over is idempotent (event ids
 * `imap:<mailbox>:<uidvalidity>:<uid>`, a message kept once per Message-ID), so a crash reads at
 * most one batch again. Only counts go back to the workflow, never a message (payload limits).
 * A failure a person must fix (credentials refused, no INBOX, TLS) is recorded on the mailbox and
 * alerted once per mailbox, and the activity returns; a network failure is recorded and thrown
 * (Temporal retries it, and the next run reads again).
 */
import { log } from '@temporalio/activity';
import type { InboundMessage } from '../domain/processes.js';
import { ProviderError, type InboundMail, type ProviderSet } from '../providers/ports.js';
import type { Services } from '../services/index.js';
import type { ReplyMessage } from '../services/lead-events.js';
import { IMAP_UNREACHABLE, type MailboxToRead } from '../services/mailbox-reading.js';

/** Messages read per activity: small enough for one short activity, and all a crash can read again. */
export const MAILBOX_READ_BATCH = 25;
/** The alert of a mailbox that cannot be read (one open per mailbox). */
export const MAILBOX_IMAP_FAILED = 'mailbox_imap_failed';
/** Characters of a reply handed on: what a conversation keeps (services/conversations.ts), and a bound on the signal. */
const REPLY_TEXT_MAX = 20_000;
/** A Date header this far ahead of our clock is not believed (the sender's clock is wrong). */
const CLOCK_SKEW_MS = 5 * 60_000;

export interface MailboxesToReadInput {
  version: 1;
  /** The workflow's clock. */
  nowMs: number;
}

export interface ReadMailboxInput {
  version: 1;
  mailboxId: string;
  /** The workflow's clock (the read's time, and a message's when its Date cannot be believed). */
  nowMs: number;
  /** Messages in this batch (default MAILBOX_READ_BATCH). */
  max?: number;
}

export interface ReadMailboxResult {
  /** read; failed: a failure a person must fix (recorded and alerted); skipped: no longer to be read. */
  status: 'read' | 'failed' | 'skipped';
  /** Messages read in this batch. */
  messages: number;
  replies: number;
  autoReplies: number;
  bounces: number;
  /** Not from or about anyone we wrote to, or a bounce with nothing to act on. */
  ignored: number;
  /** Already kept on a conversation (brought by the inbound-email webhook first). */
  duplicates: number;
  /** More new messages wait than this batch took. */
  hasMore: boolean;
  /** The cursor could not be continued (first read, UIDVALIDITY changed): the recent days were read. */
  restarted?: boolean;
  error?: string;
}

type Outcome = 'replies' | 'autoReplies' | 'bounces' | 'ignored' | 'duplicates';

const empty = (status: ReadMailboxResult['status']): ReadMailboxResult => ({
  status,
  messages: 0,
  replies: 0,
  autoReplies: 0,
  bounces: 0,
  ignored: 0,
  duplicates: 0,
  hasMore: false,
});

/** The message's own date when it can be believed, else our clock's. */
function eventTime(date: string | undefined, nowMs: number): string {
  const t = date ? Date.parse(date) : NaN;
  return new Date(Number.isFinite(t) && t <= nowMs + CLOCK_SKEW_MS ? Math.min(t, nowMs) : nowMs).toISOString();
}

export const imapAlertKey = (mailboxId: string) => `mailbox:${mailboxId}:imap`;

export function createMailboxReadingActivities({
  services,
  mailboxReader,
}: {
  services: Services;
  mailboxReader: ProviderSet['mailboxReader'];
}) {
  const { alerts } = services;
  const events = services.leadEvents.system;
  const reading = services.mailboxReading.system;

  async function bounce(box: MailboxToRead, eventId: string, mail: InboundMail, at: string): Promise<Outcome> {
    const b = mail.bounce!;
    const original = b.originalMessageId;
    const failures = b.recipients.filter((r) => r.action === 'failed' || r.action === 'delayed');
    const first = failures[0]?.address;
    const lead =
      (original ? await events.leadByMessageId(original) : null) ??
      (first ? await events.leadByEmail(first, { mailbox: box.email }) : null);
    if (!failures.length) {
      // A bounce without its recipients (a MAILER-DAEMON notice): only the lead's own address can be meant.
      if (!lead) return 'ignored';
      await events.bounced(lead, { eventId, at, hard: b.hard, ...(original ? { messageId: original } : {}), source: eventId });
      return 'bounces';
    }
    // We send one recipient per email: the lead goes with its own address; any other is only suppressed.
    const own = failures.find((r) => lead?.email && r.address === lead.email.toLowerCase()) ?? failures[0];
    for (const [i, r] of failures.entries()) {
      const hard = r.action === 'failed' && (r.status ? r.status.startsWith('5') : b.hard);
      await events.bounced(r === own ? lead : null, {
        eventId: i === 0 ? eventId : `${eventId}:${i}`,
        at,
        hard,
        address: r.address,
        ...(r === own && original ? { messageId: original } : {}),
        source: eventId,
      });
    }
    return 'bounces';
  }

  async function reply(box: MailboxToRead, eventId: string, mail: InboundMail, at: string): Promise<Outcome> {
    const threadIds = [...new Set([mail.inReplyTo, ...mail.references].filter((x): x is string => Boolean(x)))];
    const lead =
      (threadIds.length ? await events.leadByMessageId(...threadIds) : null) ??
      (mail.from ? await events.leadByEmail(mail.from.address, { mailbox: box.email }) : null);
    if (!lead) return 'ignored';
    // The reply's own Message-ID, as the inbound-email webhook keys it: a message seen both ways is kept once.
    const providerMessageId = mail.messageId ?? eventId;
    // Handed on again, the sequence would be held once more with no decision to follow (the
    // conversation keeps a message once and tells the sequence only the first time).
    if (await reading.messageKept('email', providerMessageId)) return 'duplicates';
    const auto = mail.kind === 'auto_reply';
    // `auto` travels with the message (the conversation releases the sequence unless it is an out-of-office).
    const message: ReplyMessage & Pick<InboundMessage, 'auto'> = {
      provider: 'email',
      providerMessageId,
      to: box.email,
      ...(mail.subject ? { subject: mail.subject } : {}),
      ...(threadIds.length ? { threadIds } : {}),
      auto,
    };
    await events.replied(lead, { eventId, at, channel: 'email', text: mail.text.slice(0, REPLY_TEXT_MAX) }, message);
    return auto ? 'autoReplies' : 'replies';
  }

  return {
    /** The ids of the mailboxes to read now. */
    async mailboxesToRead(input: MailboxesToReadInput): Promise<string[]> {
      return reading.toRead(input.nowMs);
    },

    /** Reads one batch of one mailbox and hands each message on; returns what it found. */
    async readMailbox(input: ReadMailboxInput): Promise<ReadMailboxResult> {
      const box = await reading.mailbox(input.mailboxId);
      if (!box) return empty('skipped');
      const now = new Date(input.nowMs);
      const reader = mailboxReader(box.account);
      try {
        let batch;
        try {
          batch = await reader.fetchNew(box.cursor, input.max ?? MAILBOX_READ_BATCH);
        } catch (err) {
          if (err instanceof ProviderError && !err.retryable) {
            const error = await reading.failed(box.id, err.code, err.message, now);
            await alerts.system.raise(
              {
                kind: MAILBOX_IMAP_FAILED,
                severity: 'critical',
                dedupeKey: imapAlertKey(box.id),
                clientId: box.clientId,
                message: `Mailbox ${box.email} cannot be read over IMAP (${error}): replies and bounces reaching it are not seen, so its leads may be mailed after they answered. Fix its IMAP account; it is tried again every hour.`,
                data: { mailboxId: box.id, email: box.email, code: err.code },
              },
              now,
            );
            return { ...empty('failed'), error };
          }
          await reading.failed(box.id, IMAP_UNREACHABLE, err instanceof Error ? err.message : String(err), now);
          throw err;
        }

        const result: ReadMailboxResult = { ...empty('read'), messages: batch.messages.length, hasMore: batch.hasMore };
        if (batch.restarted) result.restarted = true;
        for (const { uid, mail } of batch.messages) {
          const eventId = `imap:${box.id}:${batch.cursor.uidValidity}:${uid}`;
          const at = eventTime(mail.date, input.nowMs);
          const outcome = mail.kind === 'bounce' ? await bounce(box, eventId, mail, at) : await reply(box, eventId, mail, at);
          result[outcome]++;
          if (outcome === 'ignored') log.debug('mailbox message ignored', { mailboxId: box.id, uid, kind: mail.kind });
        }
        await reading.read(box.id, batch.cursor, now);
        // Read again: the failure the mailbox was alerted for is over.
        if (box.error) await alerts.system.resolve([imapAlertKey(box.id)], now);
        return result;
      } finally {
        await reader.close();
      }
    },
  };
}
