/**
 * Reading our own pool mailboxes over IMAP (SYS-003, ED-004, SYS-008), on the system path: which
 * mailboxes are read, where each read stopped (the UID cursor), and how the last read went.
 *
 * A mailbox is read while a client holds it (replies are tied to leads within the holder), it is
 * ready or warming, and it has an IMAP account. A sandbox mailbox (the sandbox registrar's host)
 * has no server to read. A read that failed for a reason a person must fix (credentials refused,
 * no INBOX, TLS) is tried again only after IMAP_RETRY_AFTER_FAILURE_MS: logging in once a minute
 * with a refused password could get the account locked by its provider. A network failure is
 * tried again at the next run.
 */
import type { Db } from '../db/client.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { MailboxCursor } from '../providers/ports/mailbox.js';
import type { ImapAccount } from '../providers/ports/provider-sets.js';
import { SANDBOX_MAILBOX_HOST } from '../providers/sandbox/domains.js';
import { storedMailAccount } from './pool/inventory.js';

/** How long a mailbox whose read needs a person's fix is left alone before it is tried again. */
export const IMAP_RETRY_AFTER_FAILURE_MS = 60 * 60 * 1000;
/** The kind of a failure that may pass by itself (network, timeout, server busy): `unreachable: ...`. */
export const IMAP_UNREACHABLE = 'unreachable';
const MAX_ERROR_CHARS = 1_000;

/** A mailbox's stored IMAP settings as an account; null when missing, incomplete or the sandbox's. */
export function imapAccountOf(stored: unknown): ImapAccount | null {
  // 993 is IMAP over TLS; any other port starts in clear and must upgrade (the reader requires STARTTLS).
  const account = storedMailAccount(stored, 993);
  return account && account.host !== SANDBOX_MAILBOX_HOST ? account : null;
}

function cursorOf(stored: unknown): MailboxCursor {
  const s = stored && typeof stored === 'object' && !Array.isArray(stored) ? (stored as Record<string, unknown>) : {};
  const cursor: MailboxCursor = {};
  if (typeof s.uidValidity === 'string' && s.uidValidity) cursor.uidValidity = s.uidValidity;
  if (typeof s.lastUid === 'number' && Number.isSafeInteger(s.lastUid) && s.lastUid >= 0) cursor.lastUid = s.lastUid;
  return cursor;
}

/** A mailbox as a read needs it. */
export interface MailboxToRead {
  id: string;
  email: string;
  /** The client holding it: a reply is only tied to that client's leads by its sender's address. */
  clientId: string;
  account: ImapAccount;
  cursor: MailboxCursor;
  /** The last read's failure, if it failed. */
  error: string | null;
}

/** Mailboxes held by a client, ready or warming, with an IMAP account; the longest unread first. */
const TO_READ = `
  SELECT m.id::text AS id, m.imap
    FROM mailboxes m
    JOIN resource_allocations a ON a.resource_type = 'mailbox' AND a.resource_id = m.id AND a.released_at IS NULL
   WHERE m.status IN ('ready', 'warming') AND m.imap IS NOT NULL
     AND (m.imap_error IS NULL OR m.imap_error LIKE '${IMAP_UNREACHABLE}:%' OR m.imap_read_at IS NULL OR m.imap_read_at <= $1)
   ORDER BY m.imap_read_at ASC NULLS FIRST, m.id`;

const ONE = `
  SELECT m.id::text AS id, m.email, m.imap, m.imap_cursor AS cursor, m.imap_error AS error, a.client_id::text AS "clientId"
    FROM mailboxes m
    JOIN resource_allocations a ON a.resource_type = 'mailbox' AND a.resource_id = m.id AND a.released_at IS NULL
   WHERE m.id = $1::uuid AND m.status IN ('ready', 'warming')
   LIMIT 1`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createMailboxReading(db: Db) {
  const system = {
    /** The ids of the mailboxes to read now (`nowMs`: the caller's clock, for the wait after a failure). */
    async toRead(nowMs: number): Promise<string[]> {
      const rows = await db.systemSql.query<{ id: string; imap: unknown }>(TO_READ, [new Date(nowMs - IMAP_RETRY_AFTER_FAILURE_MS)]);
      return rows.filter((r) => imapAccountOf(r.imap)).map((r) => r.id);
    },

    /** The mailbox with its account and cursor; null when it is no longer to be read (released, retired, no account). */
    async mailbox(id: string): Promise<MailboxToRead | null> {
      if (!UUID.test(id)) return null;
      const [row] = await db.systemSql.query<{
        id: string;
        email: string;
        imap: unknown;
        cursor: unknown;
        error: string | null;
        clientId: string;
      }>(ONE, [id]);
      const account = row ? imapAccountOf(row.imap) : null;
      if (!row || !account) return null;
      return { id: row.id, email: row.email, clientId: row.clientId, account, cursor: cursorOf(row.cursor), error: row.error };
    },

    /** A read succeeded: where it stopped, and when; the last failure is cleared. */
    async read(id: string, cursor: { uidValidity: string; lastUid: number }, at: Date): Promise<void> {
      await db.system.mailbox.update({
        where: { id },
        data: { imapCursor: cursor as Prisma.InputJsonValue, imapReadAt: at, imapError: null },
      });
    },

    /** A read failed: `kind` is the reader's failure code, or IMAP_UNREACHABLE for one that may pass by itself. */
    async failed(id: string, kind: string, message: string, at: Date): Promise<string> {
      const error = `${kind}: ${message}`.slice(0, MAX_ERROR_CHARS);
      await db.system.mailbox.update({ where: { id }, data: { imapReadAt: at, imapError: error } });
      return error;
    },

    /**
     * Whether a message is already kept on a conversation (`provider`, its id there): one the
     * inbound-email webhook brought first is not handed on again.
     */
    async messageKept(provider: string, providerMessageId: string): Promise<boolean> {
      const row = await db.system.message.findUnique({
        where: { provider_providerMessageId: { provider, providerMessageId } },
        select: { id: true },
      });
      return row !== null;
    },
  };
  return { system };
}
export type MailboxReading = ReturnType<typeof createMailboxReading>;
