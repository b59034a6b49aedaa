/**
 * EmailSender over SMTP with nodemailer: one transport per SmtpAccount (cached by host, port and
 * user), implicit TLS when `secure`, STARTTLS otherwise, certificates verified.
 *
 * Errors (DESIGN.md convention 4, ports.ts): every failure is a ProviderError('smtp', code, ...):
 *   retryable=true  (transient, Temporal retries the activity):
 *     'deferred'           any 4xx reply (421, 450, 451, 452, 454 ...) and 503 (bad sequence);
 *     'network_error'      refused/reset/closed connection, DNS failure, socket error;
 *     'timeout'            connection, greeting or socket timeout;
 *     'smtp_error'         anything unrecognised without a permanent reply code;
 *     'sender_closed'      send() after close() (worker shutting down).
 *   retryable=false (permanent, the activity turns it into a non-retryable failure):
 *     'recipient_rejected' 5xx to RCPT TO (550 user unknown, 551, 553 bad mailbox, 554 ...);
 *     'auth_failed'        5xx to AUTH (535), 530 authentication required, or no credentials;
 *     'message_rejected'   5xx to DATA / end of data (552 too big, 554 content, 550 policy),
 *                          and a message over the server's advertised SIZE;
 *     'sender_rejected'    5xx to MAIL FROM (other than 530 / 552);
 *     'tls_failed'         certificate not trusted / wrong host name, or STARTTLS required
 *                          (`requireTls`) but refused by the server;
 *     'invalid_request'    a bad OutboundEmail (reserved or malformed extra header, no address);
 *     'mailbox_without_smtp_credentials'  the mailbox has no SMTP account, or the sandbox's
 *                          placeholder one (host "sandbox"): nothing is sent, never sandboxed;
 *     'rejected'           any other 5xx reply.
 * `status` carries the SMTP reply code when there was one.
 */
import { createHash } from 'node:crypto';
import { createTransport, type SendMailOptions, type Transporter } from 'nodemailer';
import {
  MAILBOX_WITHOUT_SMTP_CREDENTIALS,
  ProviderError,
  type EmailSender,
  type OutboundEmail,
  type SentEmail,
  type SmtpAccount,
} from '../ports.js';
import { SANDBOX_MAILBOX_HOST } from '../sandbox/domains.js';
import { assertValidOutboundEmail } from './validate.js';

export const SMTP_PROVIDER = 'smtp';

export interface SmtpEmailSenderOptions {
  /** Connect and greeting timeout in ms (default 15 000). */
  connectionTimeoutMs?: number;
  /** Inactivity timeout of an open connection in ms (default 60 000). */
  socketTimeoutMs?: number;
  /**
   * Keep connections open and reuse them (nodemailer's SMTP pool), per account. `true` uses
   * nodemailer's defaults (5 connections, 100 messages each). Default false: one connection per send.
   */
  pool?: boolean | { maxConnections?: number; maxMessages?: number };
  /**
   * Refuse to send in clear text when the account is not `secure`: STARTTLS must succeed.
   * Default: true for every host except loopback (127.0.0.0/8, ::1, localhost), where local
   * fakes run without TLS. Without it STARTTLS is still used whenever the server offers it.
   */
  requireTls?: boolean;
  /**
   * LOCAL TESTS ONLY: accept self-signed or otherwise untrusted certificates. Off by default;
   * never set it for a real mailbox (it allows a man in the middle to read the credentials).
   */
  allowSelfSignedCertificates?: boolean;
  /** Host name sent with EHLO (default: nodemailer's, the machine's host name). */
  clientName?: string;
}

export interface SmtpEmailSender extends EmailSender {
  /** Closes every cached transport (pooled connections included). Safe to call twice. */
  close(): Promise<void>;
}

interface CachedTransport {
  fingerprint: string;
  transporter: Transporter;
}

export function createSmtpEmailSender(options: SmtpEmailSenderOptions = {}): SmtpEmailSender {
  const connectionTimeout = options.connectionTimeoutMs ?? 15_000;
  const socketTimeout = options.socketTimeoutMs ?? 60_000;
  const transports = new Map<string, CachedTransport>();
  let closed = false;

  function transportFor(account: SmtpAccount): Transporter {
    const key = `${account.host.toLowerCase()}:${account.port}:${account.user}`;
    // A changed password or TLS mode replaces the cached transport instead of reusing stale settings.
    const fingerprint = createHash('sha256')
      .update(`${account.secure ? 1 : 0}\u0000${account.pass}`)
      .digest('hex');
    const cached = transports.get(key);
    if (cached?.fingerprint === fingerprint) return cached.transporter;
    if (cached) cached.transporter.close();

    const requireTLS = !account.secure && (options.requireTls ?? !isLoopbackHost(account.host));
    const base = {
      host: account.host,
      port: account.port,
      secure: account.secure,
      requireTLS,
      auth: { user: account.user, pass: account.pass },
      connectionTimeout,
      greetingTimeout: connectionTimeout,
      socketTimeout,
      dnsTimeout: connectionTimeout,
      name: options.clientName,
      tls: {
        rejectUnauthorized: !options.allowSelfSignedCertificates,
        minVersion: 'TLSv1.2' as const,
      },
      disableFileAccess: true,
      disableUrlAccess: true,
      logger: false,
      debug: false,
    };
    const pool = options.pool;
    const transporter: Transporter = pool
      ? createTransport({
          ...base,
          pool: true,
          ...(typeof pool === 'object' ? { maxConnections: pool.maxConnections, maxMessages: pool.maxMessages } : {}),
        })
      : createTransport(base);
    transports.set(key, { fingerprint, transporter });
    return transporter;
  }

  const canSendFrom = (account: SmtpAccount | null): account is SmtpAccount =>
    account !== null && Boolean(account.host && account.user && account.pass) && account.host !== SANDBOX_MAILBOX_HOST;

  return {
    canSendFrom,
    async send(email: OutboundEmail): Promise<SentEmail> {
      // Retryable: a send racing a worker shutdown should run again elsewhere, not be dropped.
      if (closed) throw new ProviderError(SMTP_PROVIDER, 'sender_closed', 'the SMTP sender is closed', true);
      const account = email.smtp;
      if (!canSendFrom(account)) {
        const message = `mailbox ${email.from.address} has no SMTP credentials: not sent`;
        throw new ProviderError(SMTP_PROVIDER, MAILBOX_WITHOUT_SMTP_CREDENTIALS, message, false);
      }
      const message = toMailOptions(email);
      const transporter = transportFor(account);
      let info: { messageId?: string; accepted?: unknown[]; rejected?: unknown[]; response?: string };
      try {
        info = await transporter.sendMail(message);
      } catch (err) {
        throw classifySmtpError(err);
      }
      return {
        messageId: email.messageId,
        accepted: (info.accepted ?? []).map(addressString),
        rejected: (info.rejected ?? []).map(addressString),
        response: String(info.response ?? ''),
      };
    },
    async close(): Promise<void> {
      closed = true;
      for (const { transporter } of transports.values()) transporter.close();
      transports.clear();
    },
  };
}

function toMailOptions(email: OutboundEmail): SendMailOptions {
  const headers = assertValidOutboundEmail(email, SMTP_PROVIDER);
  const message: SendMailOptions = {
    from: email.from.name ? { name: email.from.name, address: email.from.address } : email.from.address,
    to: email.to.name ? { name: email.to.name, address: email.to.address } : email.to.address,
    subject: email.subject,
    text: email.text,
    messageId: email.messageId,
    headers,
  };
  if (email.html !== undefined) message.html = email.html;
  if (email.inReplyTo) message.inReplyTo = email.inReplyTo;
  const references = email.references?.length ? email.references : email.inReplyTo ? [email.inReplyTo] : undefined;
  if (references) message.references = references;
  return message;
}

function addressString(a: unknown): string {
  if (typeof a === 'string') return a;
  if (a && typeof a === 'object' && 'address' in a) return String((a as { address: unknown }).address);
  return String(a);
}

/** 127.0.0.0/8, ::1 and localhost: where local SMTP fakes run without TLS. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

interface SmtpLikeError {
  message?: string;
  code?: string;
  originalCode?: string;
  responseCode?: number;
  response?: string;
  command?: string;
}

const CERT_PROBLEM_RE = /certificate|self[- ]signed|unable to verify|CERT_|altname|Hostname\/IP does not match|UNABLE_TO_GET_ISSUER/i;

/**
 * Turns a nodemailer error into a ProviderError (see the table at the top of this file).
 * Exported for adapters that talk SMTP through other paths, and for table tests.
 */
export function classifySmtpError(err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  const e = (err ?? {}) as SmtpLikeError;
  const code = e.code ?? '';
  const command = (e.command ?? '').toUpperCase();
  const reply = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const detail = e.message ?? String(err);
  const make = (c: string, retryable: boolean, what: string) =>
    new ProviderError(SMTP_PROVIDER, c, `SMTP ${what}: ${detail}`, retryable, reply);

  // Certificate problems and a refused STARTTLS need a person, not a retry.
  if (code === 'ETLS' || code === 'ESOCKET' || code === 'ECONNECTION') {
    if (CERT_PROBLEM_RE.test(`${detail} ${e.originalCode ?? ''}`)) return make('tls_failed', false, 'TLS certificate rejected');
  }
  if (code === 'ETLS' && reply !== undefined && reply >= 500 && reply !== 503) {
    return make('tls_failed', false, 'STARTTLS refused');
  }

  if (reply !== undefined && reply >= 400 && reply < 500) return make('deferred', true, `temporary failure ${reply}`);
  if (reply === 503) return make('deferred', true, 'bad sequence (503)');

  if (reply !== undefined && reply >= 500 && reply < 600) {
    if (command.startsWith('AUTH') || code === 'EAUTH' || reply === 530 || reply === 535) {
      return make('auth_failed', false, `authentication failed (${reply})`);
    }
    if (command === 'RCPT TO') return make('recipient_rejected', false, `recipient rejected (${reply})`);
    if (command === 'MAIL FROM') {
      if (reply === 552) return make('message_rejected', false, 'message rejected (552)');
      return make('sender_rejected', false, `sender rejected (${reply})`);
    }
    if (command === 'DATA' || code === 'EMESSAGE' || reply === 552 || reply === 554) {
      return make('message_rejected', false, `message rejected (${reply})`);
    }
    return make('rejected', false, `permanent failure (${reply})`);
  }

  switch (code) {
    case 'EAUTH':
    case 'ENOAUTH':
      return make('auth_failed', false, 'authentication failed');
    case 'ETIMEDOUT':
      return make('timeout', true, 'timed out');
    case 'ECONNECTION':
    case 'ESOCKET':
    case 'EDNS':
    case 'EPROXY':
    case 'ETLS':
      return make('network_error', true, 'connection failed');
    case 'EMESSAGE':
      // No reply code: the client refused before sending (e.g. over the server's SIZE limit).
      return make('message_rejected', false, 'message rejected');
    case 'EENVELOPE':
    case 'ECONFIG':
    case 'EFILEACCESS':
    case 'EURLACCESS':
    case 'EMAXRECIPIENTS':
    case 'EREQUIRETLS':
      return make('invalid_request', false, 'invalid message');
    default:
      if (isNodeNetworkCode(code) || isNodeNetworkCode(e.originalCode)) return make('network_error', true, 'connection failed');
      return make('smtp_error', true, 'error');
  }
}

function isNodeNetworkCode(code: string | undefined): boolean {
  return !!code && /^(ECONNREFUSED|ECONNRESET|EPIPE|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|ETIMEDOUT)$/.test(code);
}
