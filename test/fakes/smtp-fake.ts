/**
 * A real SMTP server for tests (smtp-server + mailparser), listening on 127.0.0.1 on a free port.
 * Reusable by provider, workflow and end-to-end tests.
 *
 *   const smtp = createSmtpFake({ users: { 'sender@agency.test': 'secret' } });
 *   const { host, port } = await smtp.start();
 *   // send with createSmtpEmailSender() and SmtpAccount { host, port, secure: false, user, pass }
 *   const [msg] = await smtp.waitForMessages(1);
 *   msg.messageId; msg.headers['list-unsubscribe']; msg.envelope.rcptTo;
 *   smtp.rejectRecipient('nobody@lead.test');                 // 550 on RCPT TO for that address
 *   smtp.failNext({ stage: 'data', code: 451 });              // the next message gets 451
 *   smtp.injectFaults({ seed: 7, rate: 0.2 });                // seeded 421/451 refusals of messages (faults.ts)
 *   await smtp.stop();
 *
 * Behaviour:
 *   - AUTH PLAIN and LOGIN; required when `users` is given (wrong credentials: 535), optional otherwise.
 *   - No TLS by default (`tls: 'none'`: STARTTLS disabled). `tls: 'starttls'` offers STARTTLS and
 *     `tls: 'implicit'` speaks TLS from the first byte, both with a built-in SELF-SIGNED certificate
 *     for localhost / 127.0.0.1 (a client must allow self-signed certificates to connect).
 *   - Every accepted message is parsed with mailparser and recorded (see ReceivedEmail). Messages
 *     rejected by a scripted failure are not recorded.
 */
import { once } from 'node:events';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { simpleParser, type AddressObject } from 'mailparser';
import { seededRandom } from './faults.js';

export interface ReceivedEmail {
  /** SMTP envelope: MAIL FROM and RCPT TO addresses, as the client sent them. */
  envelope: { mailFrom: string | null; rcptTo: string[] };
  /** Message-ID header with angle brackets, e.g. `<abc.agencyos@agency.test>`. */
  messageId?: string;
  inReplyTo?: string;
  /** References header as a list of ids (empty when absent). */
  references: string[];
  subject?: string;
  /**
   * Every header by lower-cased name, value unfolded and trimmed (MIME encoded-words left as sent).
   * A repeated header (e.g. Received) has its values joined with '\n'.
   */
  headers: Record<string, string>;
  text?: string;
  html?: string;
  /** Address of the From header (null if absent). */
  from: string | null;
  /** Addresses of the To header. */
  to: string[];
  /** The authenticated user, if the client logged in. */
  user?: string;
  /** True when the session ran over TLS (STARTTLS or implicit). */
  secure: boolean;
  /** The raw message as received. */
  raw: string;
  receivedAt: Date;
}

export type SmtpStage = 'connect' | 'auth' | 'mail' | 'rcpt' | 'data';

export interface ScriptedFailure {
  /** Where to fail: connection greeting, AUTH, MAIL FROM, RCPT TO or end of DATA. */
  stage: SmtpStage;
  /** SMTP reply code, e.g. 421, 450, 451, 452, 550, 552, 554. */
  code: number;
  /** Reply text (default depends on the code). */
  message?: string;
  /** How many times it fires before it is used up (default 1). */
  times?: number;
}

export interface SmtpFakeOptions {
  /** user -> password. When set, AUTH is required. */
  users?: Record<string, string>;
  /** 'none' (default), 'starttls' or 'implicit'; TLS modes use a built-in self-signed certificate. */
  tls?: 'none' | 'starttls' | 'implicit';
  /** Advertised SIZE limit in bytes (default none). */
  maxSize?: number;
  /** Server name in the greeting (default 'smtp-fake.local'). */
  name?: string;
}

export interface SmtpFake {
  /** Starts listening on 127.0.0.1 on a free port. */
  start(): Promise<{ host: string; port: number }>;
  /** Closes the server and any open connection. Safe to call twice. */
  stop(): Promise<void>;
  /** Accepted messages, in order of arrival. */
  readonly messages: readonly ReceivedEmail[];
  /** Connections accepted since start (or the last reset), to check pooling and reuse. */
  readonly connectionCount: number;
  /**
   * Resolves with the messages once at least `count` have arrived; rejects after timeoutMs (default
   * a minute: a safety net for a hang on a busy machine, never a speed check).
   */
  waitForMessages(count: number, timeoutMs?: number): Promise<ReceivedEmail[]>;
  /** Rejects RCPT TO for an address (case-insensitive) until cleared; default 550 5.1.1 user unknown. */
  rejectRecipient(address: string, code?: number, message?: string): void;
  /** Scripts a failure for the next matching command(s). */
  failNext(failure: ScriptedFailure): void;
  /** Shorthand for failNext({ stage: 'data', code, message }): the next message is refused (default 451). */
  rejectNextMessage(code?: number, message?: string): void;
  /**
   * Seeded temporary refusals (421 or 451 at the end of DATA: the message is not accepted) of a
   * share of the messages from now on; returns the codes given, in order.
   */
  injectFaults(plan: { seed: number; rate: number }): { injected: number[] };
  clearFaults(): void;
  /** Forgets recorded messages. */
  clearMessages(): void;
  /** Forgets messages, scripted failures, rejected recipients and the connection count. */
  reset(): void;
}

/** Self-signed EC certificate for localhost / 127.0.0.1 / ::1 (valid to 2126). Test use only. */
const FAKE_TLS_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgG2QCOSu/QEYZnac7
zjHracuAvCDQbDFpJKBTYtgCJ2uhRANCAATw4+rUGQv5zlEaG8JCD5GI2zSXV+48
hfdk5jFtIpG/FVLUCFtFG9yePNR52w6IpzDMB4RZvU3vwWXJdTL/NtEV
-----END PRIVATE KEY-----
`;
const FAKE_TLS_CERT = `-----BEGIN CERTIFICATE-----
MIICAzCCAaigAwIBAgIUQja+2tE7GPi00ByuGLJJa75BgsMwCgYIKoZIzj0EAwIw
PjESMBAGA1UEAwwJbG9jYWxob3N0MSgwJgYDVQQKDB9BZ2VuY3kgT1MgdGVzdCBm
YWtlICh1bnRydXN0ZWQpMCAXDTI2MTEyNTIzNTkxNFoYDzIxMjYxMTAxMjM1OTE0
WjA+MRIwEAYDVQQDDAlsb2NhbGhvc3QxKDAmBgNVBAoMH0FnZW5jeSBPUyB0ZXN0
IGZha2UgKHVudHJ1c3RlZCkwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATw4+rU
GQv5zlEaG8JCD5GI2zSXV+48hfdk5jFtIpG/FVLUCFtFG9yePNR52w6IpzDMB4RZ
vU3vwWXJdTL/NtEVo4GBMH8wHQYDVR0OBBYEFEdHMz5OEZs0ptmdvhKERAF6zovd
MB8GA1UdIwQYMBaAFEdHMz5OEZs0ptmdvhKERAF6zovdMA8GA1UdEwEB/wQFMAMB
Af8wLAYDVR0RBCUwI4IJbG9jYWxob3N0hwR/AAABhxAAAAAAAAAAAAAAAAAAAAAB
MAoGCCqGSM49BAMCA0kAMEYCIQDFJQW1SXAVf5FWFSWMGS6D7XZd1v1q91JyddVn
cJwaXAIhAOASliKQWMxm8ZrfQzvdzlrNPeqQT4EGE4lRpb521Pj7
-----END CERTIFICATE-----
`;

const DEFAULT_REPLY: Record<number, string> = {
  421: '4.3.2 Service not available, closing channel',
  450: '4.2.1 Mailbox unavailable, try again later',
  451: '4.3.0 Local error in processing, try again later',
  452: '4.3.1 Insufficient system storage',
  454: '4.7.0 Temporary authentication failure',
  535: '5.7.8 Authentication credentials invalid',
  550: '5.1.1 User unknown',
  552: '5.3.4 Message size exceeds fixed limit',
  553: '5.1.3 Mailbox name not allowed',
  554: '5.7.1 Message rejected as spam',
};

function smtpError(code: number, message?: string): Error {
  const err = new Error(message ?? DEFAULT_REPLY[code] ?? (code >= 500 ? 'Permanent failure' : 'Temporary failure'));
  (err as Error & { responseCode: number }).responseCode = code;
  return err;
}

function addressesOf(field: AddressObject | AddressObject[] | undefined): string[] {
  const list = field === undefined ? [] : Array.isArray(field) ? field : [field];
  const out: string[] = [];
  for (const obj of list) {
    for (const a of obj.value) {
      if (a.address) out.push(a.address);
      for (const g of a.group ?? []) if (g.address) out.push(g.address);
    }
  }
  return out;
}

function headerMap(lines: ReadonlyArray<{ key: string; line: string }>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { key, line } of lines) {
    const colon = line.indexOf(':');
    const value = line
      .slice(colon + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
    const k = key.toLowerCase();
    out[k] = k in out ? `${out[k]}\n${value}` : value;
  }
  return out;
}

export function createSmtpFake(options: SmtpFakeOptions = {}): SmtpFake {
  const users = options.users;
  const tlsMode = options.tls ?? 'none';
  const messages: ReceivedEmail[] = [];
  const rejectedRecipients = new Map<string, { code: number; message?: string }>();
  let failures: Array<ScriptedFailure & { remaining: number }> = [];
  let connectionCount = 0;
  let waiters: Array<() => void> = [];
  let server: SMTPServer | undefined;

  function takeFailure(stage: SmtpStage): Error | undefined {
    const f = failures.find((x) => x.stage === stage && x.remaining > 0);
    if (!f) return undefined;
    f.remaining--;
    failures = failures.filter((x) => x.remaining > 0);
    return smtpError(f.code, f.message);
  }

  let faults: { random: () => number; rate: number; injected: number[] } | undefined;
  function injectedFault() {
    if (!faults) return undefined;
    const [roll, pick] = [faults.random(), faults.random()];
    if (roll >= faults.rate) return undefined;
    const code = pick < 0.5 ? 421 : 451;
    faults.injected.push(code);
    return smtpError(code);
  }

  function notify() {
    const current = waiters;
    waiters = [];
    for (const w of current) w();
  }

  const serverOptions: SMTPServerOptions = {
    name: options.name ?? 'smtp-fake.local',
    secure: tlsMode === 'implicit',
    disabledCommands: tlsMode === 'starttls' || tlsMode === 'implicit' ? [] : ['STARTTLS'],
    ...(tlsMode !== 'none' ? { key: FAKE_TLS_KEY, cert: FAKE_TLS_CERT } : {}),
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: !users,
    allowInsecureAuth: true,
    disableReverseLookup: true,
    // stop() waits this long for open (e.g. pooled) client connections before closing them.
    closeTimeout: 250,
    ...(options.maxSize ? { size: options.maxSize } : {}),
    logger: false,
    onConnect(_session, callback) {
      connectionCount++;
      callback(takeFailure('connect'));
    },
    onAuth(auth, _session, callback) {
      const failure = takeFailure('auth');
      if (failure) return callback(failure);
      const username = auth.username ?? '';
      if (users && Object.prototype.hasOwnProperty.call(users, username) && users[username] === auth.password) {
        return callback(null, { user: username });
      }
      if (!users) return callback(null, { user: username });
      return callback(smtpError(535));
    },
    onMailFrom(_address, _session, callback) {
      callback(takeFailure('mail'));
    },
    onRcptTo(address, _session, callback) {
      const rejected = rejectedRecipients.get(address.address.toLowerCase());
      if (rejected) return callback(smtpError(rejected.code, rejected.message));
      callback(takeFailure('rcpt'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', (err) => callback(err));
      stream.on('end', () => {
        const failure = takeFailure('data') ?? injectedFault();
        if (failure) return callback(failure);
        if (stream.sizeExceeded) return callback(smtpError(552));
        const raw = Buffer.concat(chunks);
        simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true }).then(
          (mail) => {
            const refs = mail.references === undefined ? [] : Array.isArray(mail.references) ? mail.references : [mail.references];
            const user = session.user as unknown;
            messages.push({
              envelope: {
                mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
                rcptTo: session.envelope.rcptTo.map((r) => r.address),
              },
              messageId: mail.messageId,
              inReplyTo: mail.inReplyTo,
              references: refs.flatMap((r) => r.split(/\s+/)).filter(Boolean),
              subject: mail.subject,
              headers: headerMap(mail.headerLines),
              text: mail.text,
              html: typeof mail.html === 'string' ? mail.html : undefined,
              from: addressesOf(mail.from)[0] ?? null,
              to: addressesOf(mail.to),
              user: typeof user === 'string' ? user : undefined,
              secure: session.secure,
              raw: raw.toString('utf8'),
              receivedAt: new Date(),
            });
            callback(null, `2.0.0 Ok: queued as fake-${messages.length}`);
            notify();
          },
          (err: Error) => callback(smtpError(554, `5.6.0 Unparseable message: ${err.message}`)),
        );
      });
    },
  };

  return {
    async start() {
      if (server) throw new Error('smtp fake already started');
      const s = new SMTPServer(serverOptions);
      // Client disconnects (e.g. a timeout test) surface as server errors; they are expected here.
      s.on('error', () => {});
      server = s;
      s.listen(0, '127.0.0.1');
      await once(s.server, 'listening');
      const address = s.server.address();
      if (!address || typeof address === 'string') throw new Error('smtp fake: no TCP address');
      return { host: '127.0.0.1', port: address.port };
    },
    async stop() {
      const s = server;
      server = undefined;
      if (!s) return;
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    get messages() {
      return messages;
    },
    get connectionCount() {
      return connectionCount;
    },
    waitForMessages(count, timeoutMs = 60_000) {
      return new Promise<ReceivedEmail[]>((resolve, reject) => {
        if (messages.length >= count) return resolve([...messages]);
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== check);
          reject(new Error(`smtp fake: expected ${count} message(s), got ${messages.length} after ${timeoutMs} ms`));
        }, timeoutMs);
        const check = () => {
          if (messages.length >= count) {
            clearTimeout(timer);
            resolve([...messages]);
          } else waiters.push(check);
        };
        waiters.push(check);
      });
    },
    rejectRecipient(address, code = 550, message) {
      rejectedRecipients.set(address.toLowerCase(), { code, message });
    },
    failNext(failure) {
      failures.push({ ...failure, remaining: failure.times ?? 1 });
    },
    rejectNextMessage(code = 451, message) {
      failures.push({ stage: 'data', code, message, remaining: 1 });
    },
    injectFaults(plan) {
      faults = { random: seededRandom(plan.seed), rate: plan.rate, injected: [] };
      return { injected: faults.injected };
    },
    clearFaults() {
      faults = undefined;
    },
    clearMessages() {
      messages.length = 0;
    },
    reset() {
      messages.length = 0;
      failures = [];
      rejectedRecipients.clear();
      connectionCount = 0;
    },
  };
}
