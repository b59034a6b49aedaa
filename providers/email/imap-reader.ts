/**
 * MailboxReader over IMAP with imapflow: reads one of our own pool mailboxes, so replies and late
 * bounces arrive without a third party (SYS-003, ED-004, ED-005).
 *
 * Polling with a UID cursor: each fetchNew EXAMINEs the mailbox (read-only, so nothing on the
 * server changes: we keep our own cursor, and \Seen stays what a person reading the mailbox left
 * it), searches UIDs above the cursor and fetches them with BODY.PEEK[] (at most
 * INBOUND_MAIL_MAX_BYTES each), oldest first, at most `max` per batch. UIDs only compare under
 * one UIDVALIDITY (RFC 3501 2.3.1.1): without a cursor, or when the mailbox's UIDVALIDITY changed,
 * the batch restarts from the messages received in the last `resyncDays` (reported as
 * `restarted`). The session is kept between polls and IDLEs while unused (imapflow's auto-IDLE),
 * which keeps it open without NOOPs; a kept session found dead is replaced and the poll tried
 * once more (it only reads).
 *
 * Errors (DESIGN.md convention 4, ports.ts): ProviderError('imap', ..., retryable=false) for
 * 'auth_failed' (credentials refused: NO to LOGIN / AUTHENTICATE, except [UNAVAILABLE] / [INUSE]),
 * 'mailbox_not_found', 'no_uidvalidity' (a server that cannot be polled by UID) and 'tls_failed'
 * (certificate not trusted, STARTTLS required and not offered); anything else (refused or reset
 * connection, timeout, BYE, a failed command) is a plain Error: transient.
 */
import { ImapFlow, type ImapFlowError, type Logger } from 'imapflow';
import { ProviderError } from '../ports/provider-error.js';
import type { MailboxBatch, MailboxCursor, MailboxReader } from '../ports/mailbox.js';
import { INBOUND_MAIL_MAX_BYTES, parseInboundMail } from './inbound-mail.js';
import { isLoopbackHost } from './smtp.js';

export const IMAP_PROVIDER = 'imap';
const DAY_MS = 24 * 60 * 60 * 1000;

export interface ImapMailboxReaderOptions {
  host: string;
  port: number;
  /** TLS from the first byte (993); otherwise STARTTLS, required except on loopback (local fakes). */
  secure: boolean;
  user: string;
  pass: string;
  /** Default INBOX. */
  mailbox?: string;
  /** A pino-like logger (debug, info, warn, error) for imapflow's protocol log; default none. */
  logger?: false | object;
  /** Connection and greeting timeout in ms (default 30 000). */
  connectTimeoutMs?: number;
  /** Days of mail read when the cursor cannot be continued (none yet, UIDVALIDITY changed); default 7. */
  resyncDays?: number;
  /** The kept session starts IDLE after this many ms without a command (default 15 000, imapflow's). */
  idleAfterMs?: number;
  /** LOCAL TESTS ONLY: accept self-signed certificates. Never for a real mailbox. */
  allowSelfSignedCertificates?: boolean;
}

export function createImapMailboxReader(opts: ImapMailboxReaderOptions): MailboxReader {
  const mailbox = opts.mailbox ?? 'INBOX';
  const resyncDays = opts.resyncDays ?? 7;
  let client: ImapFlow | undefined;
  let closed = false;
  // One poll at a time per reader: the session has one selected mailbox.
  let queue: Promise<unknown> = Promise.resolve();

  async function session(): Promise<ImapFlow> {
    if (client?.usable) return client;
    client?.close();
    const timeout = opts.connectTimeoutMs ?? 30_000;
    const c = new ImapFlow({
      host: opts.host,
      port: opts.port,
      secure: opts.secure,
      // Credentials never cross the network in clear text, except to a local test server.
      doSTARTTLS: opts.secure || isLoopbackHost(opts.host) ? undefined : true,
      auth: { user: opts.user, pass: opts.pass },
      tls: { rejectUnauthorized: !opts.allowSelfSignedCertificates, minVersion: 'TLSv1.2' },
      logger: opts.logger ? (opts.logger as Logger) : false,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      // Servers may end a session silent for 30 minutes (RFC 9051 5.4): IDLE is renewed before.
      maxIdleTime: 20 * 60 * 1000,
      ...(opts.idleAfterMs !== undefined ? { autoIdleDelay: opts.idleAfterMs } : {}),
    });
    // A session lost between polls must not crash the process: the next poll reconnects.
    c.on('error', () => undefined);
    client = c;
    try {
      await c.connect();
    } catch (err) {
      client = undefined;
      c.close();
      throw err;
    }
    return c;
  }

  async function poll(c: ImapFlow, cursor: MailboxCursor, max: number): Promise<MailboxBatch> {
    // EXAMINE on every poll, also on a kept session: it reports the current UIDVALIDITY and UIDNEXT.
    const box = await c.mailboxOpen(mailbox, { readOnly: true });
    // RFC 3501 requires UIDVALIDITY: without it no cursor can ever be trusted.
    if (box.uidValidity === undefined)
      throw new ProviderError(IMAP_PROVIDER, 'no_uidvalidity', `IMAP: ${mailbox} has no UIDVALIDITY`, false);
    const uidValidity = box.uidValidity.toString();
    const continuing = cursor.uidValidity === uidValidity;
    const prior = Math.floor(Number(cursor.lastUid ?? 0));
    const lastUid = continuing && Number.isFinite(prior) ? Math.max(0, prior) : 0;
    const since = continuing ? undefined : new Date(Date.now() - resyncDays * DAY_MS);

    let found: number[] = [];
    if (since) found = await searchUids(c, { since });
    // `n:*` names the highest UID even when it is below n (RFC 3501 6.4.8): filtered below.
    else if (!box.uidNext || box.uidNext > lastUid + 1) found = await searchUids(c, { uid: `${lastUid + 1}:*` });
    const uids = [...new Set(found)].filter((u) => u > lastUid).sort((a, b) => a - b);
    const batch = uids.slice(0, max);

    const sources = new Map<number, Buffer>();
    if (batch.length) {
      const query = { uid: true, source: { maxLength: INBOUND_MAIL_MAX_BYTES } };
      for await (const msg of c.fetch(batch, query, { uid: true })) if (msg.source) sources.set(msg.uid, msg.source);
    }
    const messages: MailboxBatch['messages'] = [];
    // A message expunged between SEARCH and FETCH has no source: it is passed over.
    for (const uid of batch) {
      const source = sources.get(uid);
      if (source) messages.push({ uid, mail: await parseInboundMail(source) });
    }

    const hasMore = uids.length > batch.length;
    // A restart that read its whole window continues after everything the mailbox held, so older
    // mail outside the window is not read later (UIDNEXT was read before the search).
    const held = since && !hasMore ? Math.max(0, (box.uidNext || 1) - 1) : 0;
    const next = Math.max(batch.at(-1) ?? lastUid, held);
    const result: MailboxBatch = { cursor: { uidValidity, lastUid: next }, messages, hasMore };
    if (since) {
      result.restarted = { since: since.toISOString().slice(0, 10) };
      if (cursor.uidValidity !== undefined) result.restarted.previousUidValidity = cursor.uidValidity;
    }
    return result;
  }

  function drop(): void {
    client?.close();
    client = undefined;
  }

  return {
    fetchNew(cursor, max = 100) {
      const limit = Math.max(1, Math.floor(Number.isFinite(max) ? max : 100));
      const run = queue.then(async () => {
        if (closed) throw new Error('imap: the mailbox reader is closed');
        const kept = client?.usable === true;
        try {
          return await poll(await session(), cursor, limit);
        } catch (err) {
          // Whatever broke, the next attempt starts from a fresh session.
          drop();
          // A kept session may have died since the last poll (server or NAT timeout, BYE): a poll
          // only reads, so it is tried once more on a new session before reporting the failure.
          if (!kept || err instanceof ProviderError) throw imapFailure(err);
        }
        try {
          return await poll(await session(), cursor, limit);
        } catch (err) {
          drop();
          throw imapFailure(err);
        }
      });
      queue = run.catch(() => undefined);
      return run;
    },
    async close() {
      closed = true;
      await queue;
      const c = client;
      client = undefined;
      if (!c) return;
      if (c.usable) await c.logout().catch(() => undefined);
      c.close();
    },
  };
}

async function searchUids(c: ImapFlow, query: { since?: Date; uid?: string }): Promise<number[]> {
  const found = await c.search(query, { uid: true });
  if (!Array.isArray(found)) throw new Error(`imap: SEARCH was refused (${JSON.stringify(query)})`);
  return found;
}

/** Permanent failures as ProviderError(retryable=false); everything else stays a plain, transient Error. */
export function imapFailure(err: unknown): Error {
  if (err instanceof ProviderError) return err;
  const e = (err ?? {}) as ImapFlowError;
  const detail = typeof e.response === 'string' && e.response ? e.response : (e.message ?? String(err));
  // RFC 5530: UNAVAILABLE and INUSE refuse a login for now, not for good.
  if (e.authenticationFailed && !['UNAVAILABLE', 'INUSE'].includes(e.serverResponseCode ?? '')) {
    return new ProviderError(IMAP_PROVIDER, 'auth_failed', `IMAP login refused: ${detail}`, false);
  }
  if (e.mailboxMissing) return new ProviderError(IMAP_PROVIDER, 'mailbox_not_found', `IMAP mailbox not found: ${detail}`, false);
  // An untrusted certificate, or STARTTLS required and not offered; a handshake cut short stays transient.
  const certificate = /CERT|SELF_SIGNED|ALTNAME|UNABLE_TO_(GET|VERIFY)/.test(e.code ?? '');
  if (certificate || (e.tlsFailed && !e.code && /STARTTLS/.test(e.message ?? ''))) {
    return new ProviderError(IMAP_PROVIDER, 'tls_failed', `IMAP TLS failed: ${detail}`, false);
  }
  return new Error(`imap: ${e.code ? `${e.code}: ` : ''}${detail}`, { cause: err });
}
