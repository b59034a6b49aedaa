/**
 * An IMAP4rev1 server (RFC 3501) for tests, over plain TCP on 127.0.0.1 and a free port: one
 * mailbox (INBOX), enough of the protocol for imapflow. Reusable by provider, workflow and
 * end-to-end tests.
 *
 *   const imap = new ImapFake({ user: 'anna@agency-mail.test', pass: 'secret' });
 *   const { host, port } = await imap.start();
 *   imap.deliver(SAMPLES.plainReply);                                   // UID 1, INTERNALDATE now
 *   imap.deliver(raw, { internalDate: new Date('2025-01-01T00:00:00Z') });
 *   imap.expunge(2);             // someone deleted UID 2 (EXPUNGE at the sessions' next NOOP / IDLE)
 *   imap.setUidValidity(7);      // the mailbox was recreated: UIDs renumbered from 1, sessions get BYE
 *   imap.dropConnections();      // the network fails under every open session
 *   imap.commands;               // every command received: { session, tag, command, line } (secrets masked)
 *   imap.messages;               // what the mailbox holds, flags included
 *   await imap.stop();
 *
 * Protocol: greeting with CAPABILITY (IMAP4rev1 ID ENABLE IDLE NAMESPACE UIDPLUS AUTH=PLAIN);
 * CAPABILITY, ID, ENABLE (enables nothing), NAMESPACE, LOGIN, AUTHENTICATE PLAIN (with or without
 * an initial response), LIST / LSUB, SELECT / EXAMINE (FLAGS, EXISTS, RECENT, UIDVALIDITY,
 * UIDNEXT, PERMANENTFLAGS, READ-ONLY / READ-WRITE), STATUS, [UID] SEARCH (ALL, UID, sequence
 * sets, SINCE / BEFORE / ON, SEEN / UNSEEN, NOT, OR, lists), [UID] FETCH (UID, FLAGS,
 * INTERNALDATE, RFC822.SIZE, ENVELOPE, the ALL / FAST macros, BODY[] / BODY.PEEK[] with HEADER,
 * HEADER.FIELDS[.NOT], TEXT and <start.length> partials, literals with exact byte counts; BODY[]
 * sets \Seen on a read-write session only), NOOP / CHECK (report EXPUNGE and EXISTS), IDLE /
 * DONE (new messages and expunges are pushed at once), CLOSE / UNSELECT, LOGOUT. Synchronising
 * literals ({n}, answered with a continuation) and non-synchronising ones ({n+}) are read in
 * commands. Anything else is BAD; a command before authentication that needs it is BAD; wrong
 * credentials are `NO [AUTHENTICATIONFAILED]`. A simplification: sequence numbers follow the
 * mailbox at once, not only after the session heard of an expunge.
 */
import net from 'node:net';
import { once } from 'node:events';
import { parseAddressHeader, type EmailAddress } from 'mailparser';

export interface ImapFakeMessage {
  uid: number;
  raw: Buffer;
  internalDate: Date;
  flags: Set<string>;
}

export interface ImapCommandRecord {
  /** Connection number, from 1 in the order clients connected. */
  session: number;
  tag: string;
  /** Upper case, `UID FETCH` for UID commands. */
  command: string;
  /** The command as received (literals inline), credentials replaced by `***`. */
  line: string;
}

const MAILBOX = 'INBOX';
const FLAGS = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'];
const CAPS = 'IMAP4rev1 ID ENABLE IDLE NAMESPACE UIDPLUS';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MAX_LINE = 64 * 1024;

class Bad extends Error {}

type Token = string | Buffer | Token[];

export class ImapFake {
  readonly commands: ImapCommandRecord[] = [];
  private readonly store: ImapFakeMessage[] = [];
  private uidValidity: number;
  private uidNext = 1;
  private server: net.Server | undefined;
  private readonly sessions = new Set<Session>();
  private sessionCount = 0;

  constructor(readonly options: { user: string; pass: string; uidValidity?: number }) {
    this.uidValidity = options.uidValidity ?? 1_700_000_000;
  }

  async start(): Promise<{ host: string; port: number }> {
    const server = net.createServer((socket) => {
      const session = new Session(this, socket, ++this.sessionCount);
      this.sessions.add(session);
      socket.on('close', () => this.sessions.delete(session));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    this.server = server;
    return { host: '127.0.0.1', port: (server.address() as net.AddressInfo).port };
  }

  async stop(): Promise<void> {
    this.dropConnections();
    const server = this.server;
    this.server = undefined;
    if (server?.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Adds a message to INBOX; returns its UID. Idling sessions are told at once (EXISTS). */
  deliver(raw: string | Buffer, opts: { internalDate?: Date; flags?: string[] } = {}): number {
    const uid = this.uidNext++;
    const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : Buffer.from(raw);
    this.store.push({ uid, raw: bytes, internalDate: opts.internalDate ?? new Date(), flags: new Set(opts.flags ?? []) });
    for (const s of this.sessions) s.notifyNew();
    return uid;
  }

  /** The message was deleted (by someone reading the mailbox): sessions hear EXPUNGE at their next NOOP / IDLE. */
  expunge(uid: number): boolean {
    const index = this.store.findIndex((m) => m.uid === uid);
    if (index < 0) return false;
    this.store.splice(index, 1);
    for (const s of this.sessions) s.notifyExpunge(index + 1);
    return true;
  }

  /** The mailbox was recreated: a new UIDVALIDITY, UIDs renumbered from 1; selected sessions get BYE. */
  setUidValidity(n: number): void {
    this.uidValidity = n;
    this.store.forEach((m, i) => (m.uid = i + 1));
    this.uidNext = this.store.length + 1;
    for (const s of this.sessions) if (s.selected) s.bye('Mailbox was recreated');
  }

  /** Destroys every open connection without a goodbye (a network failure). */
  dropConnections(): void {
    for (const s of this.sessions) s.socket.destroy();
  }

  get messages(): readonly ImapFakeMessage[] {
    return this.store;
  }

  get openSessions(): number {
    return this.sessions.size;
  }

  /** @internal */
  mailbox() {
    return { messages: this.store, uidValidity: this.uidValidity, uidNext: this.uidNext };
  }

  /** @internal */
  log(record: ImapCommandRecord): void {
    this.commands.push(record);
  }
}

class Session {
  private buffer = Buffer.alloc(0);
  private literalLeft = 0;
  private pendingText = '';
  private readonly literals: Buffer[] = [];
  private authenticated = false;
  private awaitingAuth: string | undefined;
  private expunged: number[] = [];
  private idleTag: string | undefined;
  selected: { readOnly: boolean; knownExists: number } | undefined;

  constructor(
    private readonly fake: ImapFake,
    readonly socket: net.Socket,
    private readonly id: number,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => socket.destroy());
    this.send(`* OK [CAPABILITY ${CAPS} AUTH=PLAIN] imap-fake ready\r\n`);
  }

  bye(text: string): void {
    this.send(`* BYE ${text}\r\n`);
    this.socket.end();
  }

  notifyNew(): void {
    if (this.selected && this.idleTag) this.flushUpdates();
  }

  notifyExpunge(seq: number): void {
    if (!this.selected) return;
    this.expunged.push(seq);
    if (this.idleTag) this.flushUpdates();
  }

  private send(data: string | Buffer): void {
    if (!this.socket.destroyed && this.socket.writable) this.socket.write(data);
  }

  /** Untagged EXPUNGE, then EXISTS, for what changed since the session last heard. */
  private flushUpdates(): void {
    for (const seq of this.expunged.splice(0)) {
      this.send(`* ${seq} EXPUNGE\r\n`);
      if (this.selected) this.selected.knownExists--;
    }
    const exists = this.fake.mailbox().messages.length;
    if (this.selected && exists !== this.selected.knownExists) {
      this.selected.knownExists = exists;
      this.send(`* ${exists} EXISTS\r\n`);
    }
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.literalLeft > 0) {
        if (this.buffer.length < this.literalLeft) return;
        this.literals.push(this.buffer.subarray(0, this.literalLeft));
        this.pendingText += `\u0000${this.literals.length - 1}\u0000`;
        this.buffer = this.buffer.subarray(this.literalLeft);
        this.literalLeft = 0;
      }
      const end = this.buffer.indexOf('\r\n');
      if (end < 0) {
        if (this.buffer.length > MAX_LINE) this.bye('Line too long');
        return;
      }
      // NUL is not allowed in a command (RFC 3501 9); it also marks the literals read so far.
      const line = this.buffer
        .subarray(0, end)
        .toString('utf8')
        .replace(/\u0000/g, '');
      this.buffer = this.buffer.subarray(end + 2);
      this.onLine(line);
    }
  }

  private onLine(line: string): void {
    if (this.awaitingAuth !== undefined) return this.finishPlain(this.awaitingAuth, line);
    if (this.idleTag !== undefined) {
      if (line.trim().toUpperCase() !== 'DONE') return this.send('* BAD Expected DONE\r\n');
      const tag = this.idleTag;
      this.idleTag = undefined;
      return this.send(`${tag} OK IDLE terminated\r\n`);
    }
    const literal = /\{(\d+)(\+?)\}$/.exec(line);
    if (literal) {
      this.pendingText += line.slice(0, literal.index);
      this.literalLeft = Number(literal[1]);
      if (!literal[2]) this.send('+ Ready for literal data\r\n');
      if (this.literalLeft === 0) {
        this.literals.push(Buffer.alloc(0));
        this.pendingText += `\u0000${this.literals.length - 1}\u0000`;
      }
      return;
    }
    const text = this.pendingText + line;
    const literals = this.literals.splice(0);
    this.pendingText = '';
    this.run(text, literals);
  }

  private run(text: string, literals: Buffer[]): void {
    const tokens = tokenize(text, literals);
    const tag = typeof tokens[0] === 'string' ? tokens[0] : '*';
    let name = typeof tokens[1] === 'string' ? tokens[1].toUpperCase() : '';
    let args = tokens.slice(2);
    const uid = name === 'UID';
    if (uid) {
      name = typeof args[0] === 'string' ? args[0].toUpperCase() : '';
      args = args.slice(1);
    }
    const command = uid ? `UID ${name}` : name;
    const masked = name === 'LOGIN' || name === 'AUTHENTICATE' ? `${tag} ${command} ***` : text.replace(/\u0000(\d+)\u0000/g, '{literal}');
    this.fake.log({ session: this.id, tag, command, line: masked });
    try {
      if (!/^[A-Za-z0-9.\-_]+$/.test(tag) || !name) throw new Bad('Malformed command');
      this.dispatch(tag, name, args, uid);
    } catch (err) {
      this.send(`${tag} BAD ${err instanceof Bad ? err.message : `imap-fake internal error: ${String(err).replace(/\s+/g, ' ')}`}\r\n`);
    }
  }

  private dispatch(tag: string, name: string, args: Token[], uid: boolean): void {
    const open = ['CAPABILITY', 'NOOP', 'LOGOUT', 'ID', 'LOGIN', 'AUTHENTICATE'];
    if (!open.includes(name) && !this.authenticated) throw new Bad('Command not allowed in this state');
    if (['SEARCH', 'FETCH', 'CLOSE', 'UNSELECT', 'CHECK', 'IDLE'].includes(name) && !this.selected) throw new Bad('No mailbox selected');
    if (uid && name !== 'FETCH' && name !== 'SEARCH') throw new Bad(`UID ${name} is not supported`);
    switch (name) {
      case 'CAPABILITY':
        this.send(`* CAPABILITY ${CAPS}${this.authenticated ? '' : ' AUTH=PLAIN'}\r\n${tag} OK CAPABILITY completed\r\n`);
        return;
      case 'NOOP':
      case 'CHECK':
        this.flushUpdates();
        this.send(`${tag} OK ${name} completed\r\n`);
        return;
      case 'LOGOUT':
        this.send(`* BYE imap-fake logging out\r\n${tag} OK LOGOUT completed\r\n`);
        this.socket.end();
        return;
      case 'ID':
        this.send(`* ID ("name" "imap-fake" "version" "1")\r\n${tag} OK ID completed\r\n`);
        return;
      case 'ENABLE':
        this.send(`* ENABLED\r\n${tag} OK ENABLE completed\r\n`);
        return;
      case 'NAMESPACE':
        this.send(`* NAMESPACE (("" "/")) NIL NIL\r\n${tag} OK NAMESPACE completed\r\n`);
        return;
      case 'LOGIN':
        return this.login(tag, text(args[0]), text(args[1]));
      case 'AUTHENTICATE':
        if (text(args[0]).toUpperCase() !== 'PLAIN') throw new Bad('Unsupported mechanism');
        if (args[1] !== undefined) return this.finishPlain(tag, text(args[1]));
        this.awaitingAuth = tag;
        this.send('+ \r\n');
        return;
      case 'LIST':
      case 'LSUB':
        return this.list(tag, name, text(args[0]), text(args[1]));
      case 'SELECT':
      case 'EXAMINE':
        return this.select(tag, name, text(args[0]));
      case 'STATUS':
        return this.status(tag, text(args[0]), args[1]);
      case 'SEARCH':
        return this.search(tag, args, uid);
      case 'FETCH':
        return this.fetch(tag, args, uid);
      case 'IDLE':
        this.idleTag = tag;
        this.send('+ idling\r\n');
        this.flushUpdates();
        return;
      case 'CLOSE':
      case 'UNSELECT':
        this.selected = undefined;
        this.send(`${tag} OK ${name} completed\r\n`);
        return;
      default:
        throw new Bad(`Unknown command ${name}`);
    }
  }

  private login(tag: string, user: string, pass: string): void {
    if (this.authenticated) throw new Bad('Already authenticated');
    if (user !== this.fake.options.user || pass !== this.fake.options.pass) {
      this.send(`${tag} NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)\r\n`);
      return;
    }
    this.authenticated = true;
    this.send(`${tag} OK [CAPABILITY ${CAPS}] Logged in\r\n`);
  }

  /** SASL PLAIN (RFC 4616): base64 of authzid NUL authcid NUL password. */
  private finishPlain(tag: string, response: string): void {
    this.awaitingAuth = undefined;
    if (response.trim() === '*') return this.send(`${tag} BAD Authentication cancelled\r\n`);
    const [, user = '', pass = ''] = Buffer.from(response.trim(), 'base64').toString('utf8').split('\u0000');
    this.login(tag, user, pass);
  }

  private list(tag: string, name: string, _reference: string, pattern: string): void {
    if (pattern === '') {
      this.send(`* ${name} (\\Noselect) "/" ""\r\n`);
    } else {
      const re = new RegExp(
        `^${pattern
          .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/%/g, '[^/]*')}$`,
        'i',
      );
      if (re.test(MAILBOX)) this.send(`* ${name} (\\HasNoChildren) "/" ${MAILBOX}\r\n`);
    }
    this.send(`${tag} OK ${name} completed\r\n`);
  }

  private select(tag: string, name: string, mailbox: string): void {
    this.selected = undefined;
    if (mailbox.toUpperCase() !== MAILBOX) {
      this.send(`${tag} NO [NONEXISTENT] Mailbox does not exist\r\n`);
      return;
    }
    const box = this.fake.mailbox();
    const readOnly = name === 'EXAMINE';
    this.selected = { readOnly, knownExists: box.messages.length };
    this.expunged = [];
    const unseen = box.messages.findIndex((m) => !m.flags.has('\\Seen'));
    this.send(
      [
        `* FLAGS (${FLAGS.join(' ')})`,
        `* OK [PERMANENTFLAGS (${readOnly ? '' : `${FLAGS.join(' ')} \\*`})] Flags permitted`,
        `* ${box.messages.length} EXISTS`,
        '* 0 RECENT',
        ...(unseen >= 0 ? [`* OK [UNSEEN ${unseen + 1}] First unseen`] : []),
        `* OK [UIDVALIDITY ${box.uidValidity}] UIDs valid`,
        `* OK [UIDNEXT ${box.uidNext}] Predicted next UID`,
        `${tag} OK [${readOnly ? 'READ-ONLY' : 'READ-WRITE'}] ${name} completed`,
        '',
      ].join('\r\n'),
    );
  }

  private status(tag: string, mailbox: string, items: Token | undefined): void {
    if (mailbox.toUpperCase() !== MAILBOX) return this.send(`${tag} NO [NONEXISTENT] Mailbox does not exist\r\n`);
    const box = this.fake.mailbox();
    const values: Record<string, number> = {
      MESSAGES: box.messages.length,
      RECENT: 0,
      UIDNEXT: box.uidNext,
      UIDVALIDITY: box.uidValidity,
      UNSEEN: box.messages.filter((m) => !m.flags.has('\\Seen')).length,
    };
    const asked = (Array.isArray(items) ? items : [items]).map((i) => text(i).toUpperCase());
    const out = asked.map((k) => {
      if (values[k] === undefined) throw new Bad(`Unknown status item ${k}`);
      return `${k} ${values[k]}`;
    });
    this.send(`* STATUS ${MAILBOX} (${out.join(' ')})\r\n${tag} OK STATUS completed\r\n`);
  }

  private search(tag: string, args: Token[], uid: boolean): void {
    const messages = this.fake.mailbox().messages;
    let rest = args;
    if (typeof rest[0] === 'string' && rest[0].toUpperCase() === 'CHARSET') {
      if (!/^(utf-8|us-ascii)$/i.test(text(rest[1]))) return this.send(`${tag} NO [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset\r\n`);
      rest = rest.slice(2);
    }
    if (!rest.length) throw new Bad('Missing search criteria');
    const match = all(rest, messages);
    const hits = messages.flatMap((m, i) => (match(m, i + 1) ? [uid ? m.uid : i + 1] : []));
    this.send(`* SEARCH${hits.map((n) => ` ${n}`).join('')}\r\n${tag} OK SEARCH completed\r\n`);
  }

  private fetch(tag: string, args: Token[], uid: boolean): void {
    const messages = this.fake.mailbox().messages;
    const inSet = sequenceSet(text(args[0]), uid ? (messages.at(-1)?.uid ?? 0) : messages.length);
    const items = fetchItems(args[1]);
    if (uid && !items.includes('UID')) items.unshift('UID');
    const chunks: Buffer[] = [];
    messages.forEach((m, i) => {
      if (!inSet(uid ? m.uid : i + 1)) return;
      const data = items.flatMap((item) => this.fetchItem(item, m));
      chunks.push(Buffer.from(`* ${i + 1} FETCH `), imapList(data), Buffer.from('\r\n'));
    });
    chunks.push(Buffer.from(`${tag} OK FETCH completed\r\n`));
    this.send(Buffer.concat(chunks));
  }

  /** One fetch item as `NAME value` (a body section's value is a literal with its exact byte count). */
  private fetchItem(item: string, m: ImapFakeMessage): Buffer[] {
    const flags = () => Buffer.from(`FLAGS (${[...m.flags].join(' ')})`);
    switch (item) {
      case 'UID':
        return [Buffer.from(`UID ${m.uid}`)];
      case 'FLAGS':
        return [flags()];
      case 'INTERNALDATE':
        return [Buffer.from(`INTERNALDATE "${internalDate(m.internalDate)}"`)];
      case 'RFC822.SIZE':
        return [Buffer.from(`RFC822.SIZE ${m.raw.length}`)];
      case 'ENVELOPE':
        return [Buffer.concat([Buffer.from('ENVELOPE '), envelope(m.raw)])];
    }
    const body = /^BODY(\.PEEK)?\[([^\]]*)\](?:<(\d+)(?:\.(\d+))?>)?$/i.exec(item);
    if (!body) throw new Bad(`Unsupported fetch item ${item}`);
    const [, peek, section = '', start, length] = body;
    let data = bodySection(m.raw, section);
    if (start !== undefined) data = data.subarray(Number(start), length === undefined ? undefined : Number(start) + Number(length));
    const out = [Buffer.concat([Buffer.from(`BODY[${section}]${start !== undefined ? `<${start}>` : ''} {${data.length}}\r\n`), data])];
    // RFC 3501 6.4.5: BODY[] (not .PEEK) sets \Seen, which a read-only (EXAMINE) session cannot.
    if (!peek && this.selected && !this.selected.readOnly && !m.flags.has('\\Seen')) {
      m.flags.add('\\Seen');
      out.push(flags());
    }
    return out;
  }
}

// ---- Parsing ----------------------------------------------------------------------------------

/** Atoms (a `[...]` section may hold spaces), quoted strings, literals and parenthesised lists. */
function tokenize(s: string, literals: Buffer[]): Token[] {
  let i = 0;
  const list = (): Token[] => {
    const out: Token[] = [];
    while (i < s.length) {
      const c = s[i]!;
      if (c === ' ') i++;
      else if (c === ')') {
        i++;
        return out;
      } else if (c === '(') {
        i++;
        out.push(list());
      } else if (c === '"') {
        let v = '';
        for (i++; i < s.length && s[i] !== '"'; i++) v += s[i] === '\\' ? s[++i] : s[i];
        if (s[i] !== '"') throw new Bad('Unterminated string');
        i++;
        out.push(v);
      } else if (c === '\u0000') {
        const close = s.indexOf('\u0000', i + 1);
        if (close < 0) throw new Bad('Malformed literal');
        out.push(literals[Number(s.slice(i + 1, close))] ?? Buffer.alloc(0));
        i = close + 1;
      } else {
        const start = i;
        let depth = 0;
        for (; i < s.length; i++) {
          const ch = s[i];
          if (ch === '[') depth++;
          else if (ch === ']') depth--;
          else if (depth === 0 && (ch === ' ' || ch === '(' || ch === ')')) break;
        }
        out.push(s.slice(start, i));
      }
    }
    return out;
  };
  try {
    return list();
  } catch (err) {
    if (err instanceof Bad) return ['*', ''];
    throw err;
  }
}

function text(t: Token | undefined): string {
  if (t === undefined) throw new Bad('Missing argument');
  if (Array.isArray(t)) throw new Bad('Unexpected list');
  return typeof t === 'string' ? t : t.toString('utf8');
}

/** `1:3,5,7:*`; `*` is the largest number in use; `n:*` with n above it still names `*` (RFC 3501 6.4.8). */
function sequenceSet(set: string, max: number): (n: number) => boolean {
  if (!/^(\d+|\*)(:(\d+|\*))?(,(\d+|\*)(:(\d+|\*))?)*$/.test(set)) throw new Bad(`Invalid sequence set ${set}`);
  const ranges = set.split(',').map((part) => {
    const [a, b = a] = part.split(':').map((v) => (v === '*' ? max : Number(v)));
    return [Math.min(a!, b!), Math.max(a!, b!)] as const;
  });
  return (n) => ranges.some(([lo, hi]) => n >= lo && n <= hi);
}

/** An IMAP date (`3-Nov-2025`) as the UTC day it names. */
function imapDay(t: Token | undefined): number {
  const m = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(text(t));
  const month = MONTHS.findIndex((x) => x.toLowerCase() === m?.[2]?.toLowerCase());
  if (!m || month < 0) throw new Bad(`Invalid date ${text(t)}`);
  return Date.UTC(Number(m[3]), month, Number(m[1]));
}

const dayOf = (d: Date) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());

type Matcher = (m: ImapFakeMessage, seq: number) => boolean;

/** Every key must match (a search program, or a parenthesised list of keys). */
function all(tokens: Token[], messages: readonly ImapFakeMessage[]): Matcher {
  const keys: Matcher[] = [];
  let i = 0;
  const next = (): Matcher => {
    const t = tokens[i++];
    if (Array.isArray(t)) return all(t, messages);
    const key = text(t).toUpperCase();
    switch (key) {
      case 'ALL':
        return () => true;
      case 'SEEN':
        return (m) => m.flags.has('\\Seen');
      case 'UNSEEN':
        return (m) => !m.flags.has('\\Seen');
      case 'UID': {
        const inSet = sequenceSet(text(tokens[i++]), messages.at(-1)?.uid ?? 0);
        return (m) => inSet(m.uid);
      }
      case 'SINCE':
      case 'BEFORE':
      case 'ON': {
        const day = imapDay(tokens[i++]);
        return (m) =>
          key === 'SINCE' ? dayOf(m.internalDate) >= day : key === 'BEFORE' ? dayOf(m.internalDate) < day : dayOf(m.internalDate) === day;
      }
      case 'NOT': {
        const inner = next();
        return (m, seq) => !inner(m, seq);
      }
      case 'OR': {
        const a = next();
        const b = next();
        return (m, seq) => a(m, seq) || b(m, seq);
      }
      default: {
        if (!/^[\d*]/.test(key)) throw new Bad(`Unsupported search key ${key}`);
        const inSet = sequenceSet(key, messages.length);
        return (_m, seq) => inSet(seq);
      }
    }
  };
  while (i < tokens.length) keys.push(next());
  return (m, seq) => keys.every((k) => k(m, seq));
}

function fetchItems(t: Token | undefined): string[] {
  const items = (Array.isArray(t) ? t : [t]).map((i) => text(i).toUpperCase());
  return items.flatMap((i) =>
    i === 'ALL'
      ? ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE']
      : i === 'FAST'
        ? ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE']
        : i === 'FULL'
          ? ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODY']
          : [i],
  );
}

// ---- Message data ---------------------------------------------------------------------------------

function splitMessage(raw: Buffer): { header: Buffer; body: Buffer } {
  const end = raw.indexOf('\r\n\r\n');
  return end < 0 ? { header: raw, body: Buffer.alloc(0) } : { header: raw.subarray(0, end + 4), body: raw.subarray(end + 4) };
}

/** Header fields as [name, unfolded value, raw lines]. */
function headerFields(header: Buffer): Array<{ name: string; value: string; raw: string }> {
  const fields: Array<{ name: string; value: string; raw: string }> = [];
  for (const line of header.toString('utf8').split('\r\n')) {
    const last = fields.at(-1);
    if (/^[ \t]/.test(line) && last) {
      last.value += ` ${line.trim()}`;
      last.raw += `\r\n${line}`;
    } else if (line.includes(':')) {
      fields.push({
        name: line.slice(0, line.indexOf(':')).trim().toLowerCase(),
        value: line.slice(line.indexOf(':') + 1).trim(),
        raw: line,
      });
    }
  }
  return fields;
}

function bodySection(raw: Buffer, section: string): Buffer {
  const { header, body } = splitMessage(raw);
  const s = section.toUpperCase();
  if (s === '') return raw;
  if (s === 'HEADER') return header;
  if (s === 'TEXT') return body;
  const fields = /^HEADER\.FIELDS(\.NOT)?\s*\(([^)]*)\)$/.exec(s);
  if (!fields) throw new Bad(`Unsupported section ${section}`);
  const names = new Set(
    fields[2]!
      .trim()
      .split(/\s+/)
      .map((n) => n.toLowerCase()),
  );
  const keep = headerFields(header).filter((f) => names.has(f.name) !== !!fields[1]);
  return Buffer.from(`${keep.map((f) => `${f.raw}\r\n`).join('')}\r\n`);
}

function internalDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** A quoted string when it can be one, else a literal (`{n}` CRLF and exactly n bytes). */
function imapString(v: string | undefined): Buffer {
  if (v === undefined) return Buffer.from('NIL');
  if (/^[\x20-\x7e]*$/.test(v)) return Buffer.from(`"${v.replace(/(["\\])/g, '\\$1')}"`);
  const bytes = Buffer.from(v, 'utf8');
  return Buffer.concat([Buffer.from(`{${bytes.length}}\r\n`), bytes]);
}

/** A parenthesised list of already encoded items. */
function imapList(items: Buffer[]): Buffer {
  return Buffer.concat([Buffer.from('('), ...items.flatMap((b, i) => (i ? [Buffer.from(' '), b] : [b])), Buffer.from(')')]);
}

/** RFC 3501 7.4.2 ENVELOPE: date, subject, from, sender, reply-to, to, cc, bcc, in-reply-to, message-id. */
function envelope(raw: Buffer): Buffer {
  const fields = headerFields(splitMessage(raw).header);
  const get = (name: string) => fields.find((f) => f.name === name)?.value;
  const addresses = (name: string, fallback?: string): Buffer => {
    const value = get(name) ?? (fallback ? get(fallback) : undefined);
    const flat = (list: EmailAddress[]): EmailAddress[] => list.flatMap((a) => (a.group ? flat(a.group) : [a]));
    const list = value ? flat(parseAddressHeader(value).value).filter((a) => a.address) : [];
    if (!list.length) return Buffer.from('NIL');
    return imapList(
      list.map((a) => {
        const at = a.address!.lastIndexOf('@');
        const name = a.name ? imapString(a.name) : Buffer.from('NIL');
        return imapList([name, Buffer.from('NIL'), imapString(a.address!.slice(0, at)), imapString(a.address!.slice(at + 1))]);
      }),
    );
  };
  return imapList([
    imapString(get('date')),
    imapString(get('subject')),
    addresses('from'),
    addresses('sender', 'from'),
    addresses('reply-to', 'from'),
    addresses('to'),
    addresses('cc'),
    addresses('bcc'),
    imapString(get('in-reply-to')),
    imapString(get('message-id')),
  ]);
}
