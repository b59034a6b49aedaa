/**
 * The IMAP mailbox reader (providers/email/imap-reader.ts): the real imapflow client against a
 * local IMAP4rev1 server (test/fakes/imap-fake.ts). Polling with a UID cursor, batches bounded by
 * `max`, a UIDVALIDITY change (RFC 3501 2.3.1.1), the error convention (auth refused: permanent
 * ProviderError; network: plain transient Error).
 */
import net from 'node:net';
import { once } from 'node:events';
import { ImapFlow } from 'imapflow';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createImapMailboxReader, type ImapMailboxReaderOptions } from '../../../providers/email/imap-reader.js';
import { INBOUND_MAIL_MAX_BYTES } from '../../../providers/email/inbound-mail.js';
import type { MailboxReader } from '../../../providers/ports/mailbox.js';
import { ProviderError } from '../../../providers/ports/provider-error.js';
import { ImapFake } from '../../fakes/imap-fake.js';
import { OURS, SAMPLES } from '../../fakes/mail-samples.js';

const USER = 'anna@agency-mail.test';
const PASS = 'correct horse battery staple';
const DAY = 24 * 60 * 60 * 1000;

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function startFake(): Promise<{ imap: ImapFake; host: string; port: number }> {
  const imap = new ImapFake({ user: USER, pass: PASS });
  const { host, port } = await imap.start();
  cleanup.push(() => imap.stop());
  return { imap, host, port };
}

function reader(at: { host: string; port: number }, extra: Partial<ImapMailboxReaderOptions> = {}): MailboxReader {
  const r = createImapMailboxReader({ host: at.host, port: at.port, secure: false, user: USER, pass: PASS, ...extra });
  cleanup.push(() => r.close());
  return r;
}

async function failure(p: Promise<unknown>): Promise<Error> {
  const err = await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  return err as Error;
}

describe('IMAP mailbox reader', () => {
  it('SYS-003: the first poll returns every message in UID order, parsed and classified, with the cursor; read-only, nothing marked \\Seen', async () => {
    const at = await startFake();
    const samples = Object.entries(SAMPLES);
    const uids = samples.map(([, raw]) => at.imap.deliver(raw));
    const batch = await reader(at).fetchNew({});

    expect(batch.messages.map((m) => m.uid)).toEqual(uids);
    expect(batch.cursor).toEqual({ uidValidity: '1700000000', lastUid: uids.at(-1) });
    expect(batch.hasMore).toBe(false);
    // No cursor yet: the batch starts from the resync window (7 days by default).
    expect(batch.restarted?.since).toBe(new Date(Date.now() - 7 * DAY).toISOString().slice(0, 10));
    expect(batch.restarted?.previousUidValidity).toBeUndefined();

    const kinds = Object.fromEntries(batch.messages.map((m, i) => [samples[i]![0], m.mail.kind]));
    expect(kinds).toEqual({
      plainReply: 'reply',
      htmlOnlyReply: 'reply',
      outOfOffice: 'auto_reply',
      postfixDsn: 'bounce',
      gmailDsn: 'bounce',
      exchangeNdr: 'bounce',
      delayedDsn: 'bounce',
      eximBounce: 'bounce',
      latin1Reply: 'reply',
      sjisReply: 'reply',
      withAttachment: 'reply',
    });
    expect(batch.messages[0]!.mail.inReplyTo).toBe(OURS.followUp);
    expect(batch.messages[3]!.mail.bounce).toMatchObject({ hard: true, originalMessageId: OURS.toNobody });

    const sent = at.imap.commands.map((c) => c.command);
    expect(sent).toContain('EXAMINE');
    expect(sent).not.toContain('SELECT');
    expect(at.imap.commands.find((c) => c.command === 'UID FETCH')?.line).toMatch(/BODY\.PEEK\[\]/);
    expect(at.imap.messages.every((m) => !m.flags.has('\\Seen'))).toBe(true);
  });

  it('SYS-003: a second poll returns only the new messages; a poll with nothing new keeps the cursor', async () => {
    const at = await startFake();
    at.imap.deliver(SAMPLES.plainReply);
    at.imap.deliver(SAMPLES.outOfOffice);
    const r = reader(at);
    const first = await r.fetchNew({});
    expect(first.messages.map((m) => m.uid)).toEqual([1, 2]);

    const third = at.imap.deliver(SAMPLES.postfixDsn);
    const second = await r.fetchNew(first.cursor);
    expect(second.messages.map((m) => m.uid)).toEqual([third]);
    expect(second.messages[0]!.mail.kind).toBe('bounce');
    expect(second.cursor).toEqual({ uidValidity: first.cursor.uidValidity, lastUid: third });
    expect(second.restarted).toBeUndefined();

    const empty = await r.fetchNew(second.cursor);
    expect(empty).toEqual({ cursor: second.cursor, messages: [], hasMore: false });
  });

  it('SYS-003: `max` bounds a batch; the cursor walks the rest in UID order', async () => {
    const at = await startFake();
    for (let i = 0; i < 5; i++) at.imap.deliver(SAMPLES.plainReply.replace('Message-ID: <CAB1x', `Message-ID: <n${i}.CAB1x`));
    const r = reader(at);
    const seen: number[][] = [];
    let cursor = {};
    for (let more = true; more;) {
      const batch = await r.fetchNew(cursor, 2);
      seen.push(batch.messages.map((m) => m.uid));
      cursor = batch.cursor;
      more = batch.hasMore;
    }
    expect(seen).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('SYS-003: only messages above the cursor are read: `n:*` naming the highest UID below n is filtered out', async () => {
    const at = await startFake();
    at.imap.deliver(SAMPLES.plainReply);
    at.imap.deliver(SAMPLES.htmlOnlyReply);
    // A cursor ahead of UIDNEXT (e.g. restored from a backup): the reader still asks nothing old.
    const batch = await reader(at).fetchNew({ uidValidity: '1700000000', lastUid: 9 });
    expect(batch.messages).toEqual([]);
    expect(batch.cursor).toEqual({ uidValidity: '1700000000', lastUid: 9 });
  });

  it('SYS-003: with the newest message deleted, `n:*` names an older UID: it is not read again', async () => {
    const at = await startFake();
    at.imap.deliver(SAMPLES.plainReply);
    at.imap.deliver(SAMPLES.htmlOnlyReply);
    const r = reader(at);
    const first = await r.fetchNew({});
    at.imap.expunge(at.imap.deliver(SAMPLES.outOfOffice));
    // UIDNEXT is 4, the highest UID 2: `UID 3:*` answers 2 (RFC 3501 6.4.8).
    const second = await r.fetchNew(first.cursor);
    expect(at.imap.commands.at(-1)?.line).toMatch(/UID SEARCH UID 3:\*/);
    expect(second).toEqual({ cursor: first.cursor, messages: [], hasMore: false });
  });

  it('SYS-003: a changed UIDVALIDITY restarts from the last 7 days (reported), older mail is left out', async () => {
    const at = await startFake();
    at.imap.deliver(SAMPLES.withAttachment, { internalDate: new Date(Date.now() - 30 * DAY) });
    at.imap.deliver(SAMPLES.plainReply);
    at.imap.deliver(SAMPLES.outOfOffice);
    const r = reader(at);
    const first = await r.fetchNew({});
    // The 30-day-old message is outside the window; the cursor still moves past it.
    expect(first.messages.map((m) => m.uid)).toEqual([2, 3]);
    expect(first.cursor.lastUid).toBe(3);

    at.imap.setUidValidity(42); // the mailbox was recreated: UIDs renumbered, the session ends (BYE)
    const fourth = at.imap.deliver(SAMPLES.gmailDsn);
    const second = await r.fetchNew(first.cursor);
    expect(second.restarted).toEqual({
      previousUidValidity: '1700000000',
      since: new Date(Date.now() - 7 * DAY).toISOString().slice(0, 10),
    });
    expect(second.messages.map((m) => [m.uid, m.mail.kind])).toEqual([
      [2, 'reply'],
      [3, 'auto_reply'],
      [fourth, 'bounce'],
    ]);
    expect(second.cursor).toEqual({ uidValidity: '42', lastUid: fourth });
    // The session the server ended was replaced by a new one.
    expect(new Set(at.imap.commands.map((c) => c.session))).toEqual(new Set([1, 2]));
  });

  it('SYS-003: a restart with nothing in the window starts after what the mailbox holds', async () => {
    const at = await startFake();
    at.imap.deliver(SAMPLES.plainReply, { internalDate: new Date(Date.now() - 30 * DAY) });
    const r = reader(at);
    const first = await r.fetchNew({});
    expect(first).toMatchObject({ messages: [], cursor: { lastUid: 1 } });
    const fresh = at.imap.deliver(SAMPLES.htmlOnlyReply);
    expect((await r.fetchNew(first.cursor)).messages.map((m) => m.uid)).toEqual([fresh]);
  });

  it('SYS-003: a message over the cap is fetched partially (BODY.PEEK[]<0.max>) and still parsed', async () => {
    const at = await startFake();
    const big = SAMPLES.plainReply.replace(
      'Lee\r\n\r\nOn Mon',
      `Lee\r\n${'filler line of a very long reply\r\n'.repeat(170_000)}\r\nOn Mon`,
    );
    expect(Buffer.byteLength(big)).toBeGreaterThan(5 * 1024 * 1024);
    at.imap.deliver(big);
    const batch = await reader(at).fetchNew({});
    expect(batch.messages[0]!.mail).toMatchObject({ kind: 'reply', inReplyTo: OURS.followUp });
    expect(at.imap.commands.find((c) => c.command === 'UID FETCH')?.line).toContain(`BODY.PEEK[]<0.${INBOUND_MAIL_MAX_BYTES}>`);
  });

  it('SYS-003: between polls the kept session IDLEs; new mail is reported by the next poll after DONE', async () => {
    const at = await startFake();
    at.imap.deliver(SAMPLES.plainReply);
    const r = reader(at, { idleAfterMs: 10 });
    const first = await r.fetchNew({});
    await vi.waitFor(() => expect(at.imap.commands.map((c) => c.command)).toContain('IDLE'), { timeout: 30_000, interval: 20 });
    const uid = at.imap.deliver(SAMPLES.outOfOffice);
    const second = await r.fetchNew(first.cursor);
    expect(second.messages.map((m) => m.uid)).toEqual([uid]);
    expect(at.imap.commands.every((c) => c.session === 1)).toBe(true);
  });

  it('SYS-003: a dropped session is reopened by the next poll', async () => {
    const at = await startFake();
    at.imap.deliver(SAMPLES.plainReply);
    const r = reader(at);
    const first = await r.fetchNew({});
    at.imap.dropConnections();
    const uid = at.imap.deliver(SAMPLES.htmlOnlyReply);
    const next = await r.fetchNew(first.cursor);
    expect(next.messages.map((m) => m.uid)).toEqual([uid]);
    expect(at.imap.commands.at(-1)?.session).toBe(2);
  });
});

describe('IMAP mailbox reader: errors', () => {
  it('SYS-003: a wrong password is a permanent ProviderError (auth_failed), and no mailbox is opened', async () => {
    const at = await startFake();
    const err = await failure(reader(at, { pass: 'wrong' }).fetchNew({}));
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ provider: 'imap', code: 'auth_failed', retryable: false });
    expect(at.imap.commands.map((c) => c.command)).not.toContain('EXAMINE');
  });

  it('SYS-003: a mailbox that does not exist is a permanent ProviderError', async () => {
    const at = await startFake();
    const err = await failure(reader(at, { mailbox: 'Replies' }).fetchNew({}));
    expect(err).toMatchObject({ code: 'mailbox_not_found', retryable: false });
  });

  it('SYS-003: the server gone (connection refused) is a plain, transient Error', async () => {
    const at = await startFake();
    await at.imap.stop();
    const err = await failure(reader(at).fetchNew({}));
    expect(err).not.toBeInstanceOf(ProviderError);
    expect(err.message).toMatch(/ECONNREFUSED|connect/i);
  });

  it('SYS-003: the server going away under an open session is a transient Error', async () => {
    const at = await startFake();
    const r = reader(at);
    const first = await r.fetchNew({});
    await at.imap.stop();
    const err = await failure(r.fetchNew(first.cursor));
    expect(err).not.toBeInstanceOf(ProviderError);
  });

  it('SYS-003: a server that never greets times out as a transient Error', async () => {
    const accepted: net.Socket[] = [];
    const silent = net.createServer((socket) => void accepted.push(socket));
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    cleanup.push(async () => {
      for (const socket of accepted) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });
    const port = (silent.address() as net.AddressInfo).port;
    const err = await failure(reader({ host: '127.0.0.1', port }, { connectTimeoutMs: 200 }).fetchNew({}));
    expect(err).not.toBeInstanceOf(ProviderError);
    expect(err.message).toMatch(/TIMEOUT/i);
  });

  it('SYS-003: a closed reader refuses to poll; close is safe twice', async () => {
    const at = await startFake();
    const r = reader(at);
    await r.fetchNew({});
    await r.close();
    await r.close();
    expect(at.imap.commands.at(-1)?.command).toBe('LOGOUT');
    await expect(r.fetchNew({})).rejects.toThrow(/closed/);
  });
});

describe('IMAP fake: the wire format imapflow expects', () => {
  it('SYS-003: LOGIN with a literal password, ENVELOPE, INTERNALDATE, RFC822.SIZE and exact literal byte counts', async () => {
    const pass = 'pässwörd "quoted" \\ back';
    const imap = new ImapFake({ user: USER, pass });
    const { host, port } = await imap.start();
    cleanup.push(() => imap.stop());
    const date = new Date('2025-11-04T14:21:07Z');
    imap.deliver(SAMPLES.latin1Reply, { internalDate: date });
    const client = new ImapFlow({
      host,
      port,
      secure: false,
      auth: { user: USER, pass, loginMethod: 'LOGIN' },
      logger: false,
      disableAutoIdle: true,
    });
    await client.connect();
    cleanup.push(() => client.logout());
    await client.mailboxOpen('INBOX', { readOnly: true });
    const msg = await client.fetchOne(
      '1',
      { uid: true, envelope: true, internalDate: true, size: true, source: true, headers: ['subject'] },
      { uid: true },
    );
    expect(msg).not.toBe(false);
    if (!msg) return;
    expect(msg.size).toBe(Buffer.byteLength(SAMPLES.latin1Reply));
    expect(msg.source?.toString()).toBe(SAMPLES.latin1Reply);
    expect(new Date(msg.internalDate!).toISOString()).toBe(date.toISOString());
    expect(msg.envelope).toMatchObject({
      subject: 'Re: Rendez-vous après-midi',
      messageId: '<5a1b2c3d@entreprise.test>',
      inReplyTo: OURS.first,
      from: [{ address: 'francois.leger@entreprise.test' }],
      to: [{ address: 'anna@agency-mail.test' }],
    });
    expect(msg.headers?.toString()).toMatch(/^Subject: =\?ISO-8859-1\?Q\?Re=3A_Rendez-vous_apr=E8s-midi\?=\r\n\r\n$/);
    expect(imap.commands.find((c) => c.command === 'LOGIN')?.line).toBe(
      `${imap.commands.find((c) => c.command === 'LOGIN')?.tag} LOGIN ***`,
    );
  });

  it('SYS-003: unknown commands are BAD, wrong credentials NO [AUTHENTICATIONFAILED], commands before login BAD, literals read', async () => {
    const imap = new ImapFake({ user: USER, pass: PASS });
    const { host, port } = await imap.start();
    cleanup.push(() => imap.stop());
    const socket = net.connect(port, host);
    cleanup.push(async () => void socket.destroy());
    let received = '';
    socket.on('data', (d: Buffer) => (received += d.toString()));
    const reply = async (line: string, tag: string) => {
      socket.write(`${line}\r\n`);
      await vi.waitFor(() => expect(received).toMatch(new RegExp(`^${tag} `, 'm')));
      return received.split('\r\n').find((l) => l.startsWith(`${tag} `));
    };
    await vi.waitFor(() => expect(received).toMatch(/^\* OK \[CAPABILITY IMAP4rev1 /));
    expect(await reply('a1 FROB', 'a1')).toMatch(/^a1 BAD/);
    expect(await reply('a2 EXAMINE INBOX', 'a2')).toMatch(/^a2 BAD/);
    expect(await reply(`a3 LOGIN "${USER}" "nope"`, 'a3')).toBe('a3 NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)');
    // The user name as a synchronising literal (the server answers `+`), the password as a LITERAL+ one.
    socket.write(`a4 LOGIN {${Buffer.byteLength(USER)}}\r\n`);
    await vi.waitFor(() => expect(received).toMatch(/^\+ /m));
    expect(await reply(`${USER} {${Buffer.byteLength(PASS)}+}\r\n${PASS}`, 'a4')).toMatch(/^a4 OK/);
    expect(await reply('a5 UID FROB 1', 'a5')).toMatch(/^a5 BAD/);
    expect(await reply('a6 EXAMINE INBOX', 'a6')).toBe('a6 OK [READ-ONLY] EXAMINE completed');
    expect(await reply('a7 UID SEARCH WHATEVER', 'a7')).toMatch(/^a7 BAD/);
  });
});
