/**
 * Email provider: headers (RFC 8058 List-Unsubscribe, Message-ID, threading), the nodemailer SMTP
 * sender against a real local SMTP server (test/fakes/smtp-fake.ts), and the inbound-email webhook.
 */
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  classifySmtpError,
  createSmtpEmailSender,
  describeInboundEmailEvent,
  InboundEmailEventSchema,
  isLoopbackHost,
  listUnsubscribeHeaders,
  makeMessageId,
  replySubject,
  replyThreading,
  verifyInboundEmailSecret,
  type SmtpEmailSender,
} from '../../../providers/email/index.js';
import type { OutboundEmail, SmtpAccount } from '../../../providers/ports.js';
import { createSmtpFake, type SmtpFake } from '../../fakes/smtp-fake.js';
import type { z } from 'zod';
import type { InboundEmailEvent } from '../../../providers/email/index.js';
import { rejection } from '../../helpers/assertions.js';

// The schema fits the webhook registry's `schema: z.ZodType<P>` slot.
const _schemaFitsRegistry: z.ZodType<InboundEmailEvent> = InboundEmailEventSchema;
void _schemaFitsRegistry;

const USER = 'anna@agency-mail.test';
const PASS = 'correct horse battery staple';

function firstEmail(smtp: SmtpAccount, overrides: Partial<OutboundEmail> = {}): OutboundEmail {
  return {
    smtp,
    from: { address: USER, name: 'Anna Smith' },
    to: { address: 'lead@prospect.test', name: 'Lee Ead' },
    subject: 'Quick question about Prospect Co',
    text: 'Hi Lee,\n\nShort question about your outbound.\n\nAnna',
    html: '<p>Hi Lee,</p><p>Short question about your outbound.</p><p>Anna</p>',
    messageId: makeMessageId({ idempotencyKey: 'wf-lead-1:step-0', domain: 'agency-mail.test' }),
    headers: listUnsubscribeHeaders({
      unsubscribeUrl: 'https://app.agencyos.test/u/tok_abc123',
      mailto: 'unsubscribe@agency-mail.test?subject=unsubscribe',
    }),
    ...overrides,
  };
}

describe('email headers', () => {
  it('DOMAIN: RFC 8058 List-Unsubscribe carries the HTTPS URL and the mailto, with One-Click post', () => {
    expect(listUnsubscribeHeaders({ unsubscribeUrl: 'https://app.agencyos.test/u/tok_1', mailto: 'unsub@agency-mail.test' })).toEqual({
      'List-Unsubscribe': '<https://app.agencyos.test/u/tok_1>, <mailto:unsub@agency-mail.test>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    expect(listUnsubscribeHeaders({ unsubscribeUrl: 'https://x.test/u?t=1&l=2' })['List-Unsubscribe']).toBe('<https://x.test/u?t=1&l=2>');
    expect(listUnsubscribeHeaders({ unsubscribeUrl: 'https://x.test/u', mailto: 'mailto:u@x.test?subject=stop' })['List-Unsubscribe']).toBe(
      '<https://x.test/u>, <mailto:u@x.test?subject=stop>',
    );
  });

  it('DOMAIN: RFC 8058 one-click needs an https URL; malformed values are refused', () => {
    expect(() => listUnsubscribeHeaders({ unsubscribeUrl: 'http://x.test/u' })).toThrow(/https/);
    expect(() => listUnsubscribeHeaders({ unsubscribeUrl: 'mailto:u@x.test' })).toThrow(/https/);
    expect(() => listUnsubscribeHeaders({ unsubscribeUrl: '/u/tok' })).toThrow(/absolute/);
    expect(() => listUnsubscribeHeaders({ unsubscribeUrl: 'https://x.test/u', mailto: 'not an address' })).toThrow(/address/);
    // '<', '>' and spaces cannot break out of the angle brackets
    expect(listUnsubscribeHeaders({ unsubscribeUrl: 'https://x.test/u/<a> b' })['List-Unsubscribe']).toBe('<https://x.test/u/%3Ca%3E%20b>');
  });

  it('makeMessageId is deterministic per idempotency key and domain', () => {
    const a = makeMessageId({ idempotencyKey: 'wf-1:step-0', domain: 'Agency-Mail.test' });
    expect(a).toMatch(/^<[0-9a-f]{32}\.agencyos@agency-mail\.test>$/);
    expect(makeMessageId({ idempotencyKey: 'wf-1:step-0', domain: 'agency-mail.test' })).toBe(a);
    expect(makeMessageId({ idempotencyKey: 'wf-1:step-3', domain: 'agency-mail.test' })).not.toBe(a);
    expect(() => makeMessageId({ idempotencyKey: 'k', domain: 'bad domain' })).toThrow();
    expect(() => makeMessageId({ idempotencyKey: '', domain: 'x.test' })).toThrow();
  });

  it("AD-001 replySubject adds 'Re: ' once; replyThreading references the first email", () => {
    expect(replySubject('Quick question')).toBe('Re: Quick question');
    expect(replySubject('Re: Quick question')).toBe('Re: Quick question');
    expect(replySubject('RE:Quick question')).toBe('RE:Quick question');
    expect(replySubject(replySubject('Hello'))).toBe('Re: Hello');
    expect(replyThreading({ messageId: '<a@x.test>' })).toEqual({ inReplyTo: '<a@x.test>', references: ['<a@x.test>'] });
    expect(replyThreading({ messageId: '<b@x.test>', references: ['<a@x.test>'] })).toEqual({
      inReplyTo: '<b@x.test>',
      references: ['<a@x.test>', '<b@x.test>'],
    });
  });
});

describe('SMTP sender against a real SMTP server', () => {
  const fake: SmtpFake = createSmtpFake({ users: { [USER]: PASS } });
  let smtp: SmtpAccount;
  let sender: SmtpEmailSender;

  beforeAll(async () => {
    const { host, port } = await fake.start();
    smtp = { host, port, secure: false, user: USER, pass: PASS };
    sender = createSmtpEmailSender({ connectionTimeoutMs: 3_000 });
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    await sender.close();
    await fake.stop();
  });

  it('DOMAIN: RFC 8058 the email arrives with our Message-ID, List-Unsubscribe and List-Unsubscribe-Post', async () => {
    const email = firstEmail(smtp);
    const sent = await sender.send(email);
    expect(sent).toMatchObject({ messageId: email.messageId, accepted: ['lead@prospect.test'], rejected: [] });
    expect(sent.response).toMatch(/^250 /);

    const [msg] = await fake.waitForMessages(1);
    expect(msg!.messageId).toBe(email.messageId);
    expect(msg!.headers['list-unsubscribe']).toBe(
      '<https://app.agencyos.test/u/tok_abc123>, <mailto:unsubscribe@agency-mail.test?subject=unsubscribe>',
    );
    expect(msg!.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(msg!.envelope).toEqual({ mailFrom: USER, rcptTo: ['lead@prospect.test'] });
    expect(msg!.from).toBe(USER);
    expect(msg!.to).toEqual(['lead@prospect.test']);
    expect(msg!.subject).toBe('Quick question about Prospect Co');
    expect(msg!.text?.trim()).toBe(email.text);
    expect(msg!.html).toContain('Short question about your outbound.');
    expect(msg!.user).toBe(USER);
    expect(msg!.inReplyTo).toBeUndefined();
    expect(msg!.references).toEqual([]);
    expect(msg!.headers['x-mailer']).toBeUndefined();
  });

  it("AD-001 the day-8 follow-up is a threaded reply: 'Re: ' subject, In-Reply-To and References to the first", async () => {
    const first = firstEmail(smtp);
    await sender.send(first);
    const followUp = firstEmail(smtp, {
      subject: replySubject(first.subject),
      text: 'Hi Lee, bumping this up.',
      html: undefined,
      messageId: makeMessageId({ idempotencyKey: 'wf-lead-1:step-3', domain: 'agency-mail.test' }),
      ...replyThreading({ messageId: first.messageId }),
    });
    await sender.send(followUp);

    const [a, b] = await fake.waitForMessages(2);
    expect(b!.subject).toBe('Re: Quick question about Prospect Co');
    expect(b!.messageId).toBe(followUp.messageId);
    expect(b!.messageId).not.toBe(a!.messageId);
    expect(b!.inReplyTo).toBe(a!.messageId);
    expect(b!.references).toEqual([a!.messageId]);
    expect(b!.headers['in-reply-to']).toBe(first.messageId);
    expect(b!.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
  });

  it('In-Reply-To alone also sets References', async () => {
    await sender.send(firstEmail(smtp, { inReplyTo: '<parent@agency-mail.test>' }));
    const [msg] = await fake.waitForMessages(1);
    expect(msg!.inReplyTo).toBe('<parent@agency-mail.test>');
    expect(msg!.references).toEqual(['<parent@agency-mail.test>']);
  });

  it('550 on RCPT TO (user unknown) -> permanent ProviderError recipient_rejected', async () => {
    fake.rejectRecipient('gone@prospect.test', 550, '5.1.1 <gone@prospect.test>: Recipient address rejected: User unknown');
    const err = await rejection(sender.send(firstEmail(smtp, { to: { address: 'gone@prospect.test' } })));
    expect(err).toMatchObject({ provider: 'smtp', code: 'recipient_rejected', retryable: false, status: 550 });
    expect(err.message).toMatch(/User unknown/);
    expect(fake.messages).toHaveLength(0);
  });

  it('553 on RCPT TO -> recipient_rejected; 452 on RCPT TO -> transient', async () => {
    fake.rejectRecipient('bad@prospect.test', 553);
    expect(await rejection(sender.send(firstEmail(smtp, { to: { address: 'bad@prospect.test' } })))).toMatchObject({
      code: 'recipient_rejected',
      retryable: false,
    });
    fake.failNext({ stage: 'rcpt', code: 452 });
    expect(await rejection(sender.send(firstEmail(smtp)))).toMatchObject({ code: 'deferred', retryable: true, status: 452 });
  });

  it('451 at end of DATA -> transient (retryable); the retry delivers with the same Message-ID', async () => {
    fake.rejectNextMessage(451);
    const email = firstEmail(smtp);
    const err = await rejection(sender.send(email));
    expect(err).toMatchObject({ code: 'deferred', retryable: true, status: 451 });
    expect(fake.messages).toHaveLength(0);

    await sender.send(email);
    const [msg] = await fake.waitForMessages(1);
    expect(msg!.messageId).toBe(email.messageId);
  });

  it('421 greeting, 450 on MAIL FROM -> transient', async () => {
    fake.failNext({ stage: 'connect', code: 421 });
    expect(await rejection(sender.send(firstEmail(smtp)))).toMatchObject({ retryable: true, status: 421 });
    fake.failNext({ stage: 'mail', code: 450 });
    expect(await rejection(sender.send(firstEmail(smtp)))).toMatchObject({ code: 'deferred', retryable: true, status: 450 });
  });

  it('554 / 552 at end of DATA -> permanent message_rejected', async () => {
    fake.rejectNextMessage(554, '5.7.1 Message rejected as spam');
    expect(await rejection(sender.send(firstEmail(smtp)))).toMatchObject({ code: 'message_rejected', retryable: false, status: 554 });
    fake.rejectNextMessage(552);
    expect(await rejection(sender.send(firstEmail(smtp)))).toMatchObject({ code: 'message_rejected', retryable: false, status: 552 });
  });

  it('a wrong password -> permanent ProviderError auth_failed (535)', async () => {
    const err = await rejection(sender.send(firstEmail({ ...smtp, pass: 'wrong' })));
    expect(err).toMatchObject({ code: 'auth_failed', retryable: false, status: 535 });
    expect(err.message).not.toContain('wrong');
    // the cached transport is replaced when the password changes back
    await sender.send(firstEmail(smtp));
    await fake.waitForMessages(1);
  });

  it('a reserved or malformed extra header is refused before connecting', async () => {
    const before = fake.connectionCount;
    expect(await rejection(sender.send(firstEmail(smtp, { headers: { 'Message-ID': '<x@y.test>' } })))).toMatchObject({
      code: 'invalid_request',
      retryable: false,
    });
    expect(await rejection(sender.send(firstEmail(smtp, { headers: { 'Bad Name': 'x' } })))).toMatchObject({ code: 'invalid_request' });
    expect(await rejection(sender.send(firstEmail(smtp, { messageId: 'no-brackets' })))).toMatchObject({ code: 'invalid_request' });
    expect(fake.connectionCount).toBe(before);
  });

  it('without a pool every send opens a connection; with a pool they share one', async () => {
    await sender.send(firstEmail(smtp));
    await sender.send(firstEmail(smtp));
    expect(fake.connectionCount).toBe(2);

    fake.reset();
    const pooled = createSmtpEmailSender({ pool: { maxConnections: 1 } });
    try {
      await pooled.send(firstEmail(smtp));
      await pooled.send(firstEmail(smtp));
      expect(fake.connectionCount).toBe(1);
      expect(fake.messages).toHaveLength(2);
    } finally {
      await pooled.close();
    }
    // after close() a send is refused, retryably (a worker shutting down: run it elsewhere)
    expect(await rejection(pooled.send(firstEmail(smtp)))).toMatchObject({ code: 'sender_closed', retryable: true });
    await pooled.close();
  });
});

describe('SMTP sender: connection failures and TLS', () => {
  it('connection refused -> transient network_error', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));

    const sender = createSmtpEmailSender({ connectionTimeoutMs: 2_000 });
    const err = await rejection(sender.send(firstEmail({ host: '127.0.0.1', port, secure: false, user: USER, pass: PASS })));
    expect(err).toMatchObject({ code: 'network_error', retryable: true });
    await sender.close();
  });

  it('a server that never greets -> transient timeout', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((s) => {
      sockets.add(s);
      s.on('error', () => {});
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as net.AddressInfo).port;
    const sender = createSmtpEmailSender({ connectionTimeoutMs: 300 });
    try {
      const err = await rejection(sender.send(firstEmail({ host: '127.0.0.1', port, secure: false, user: USER, pass: PASS })));
      expect(err).toMatchObject({ code: 'timeout', retryable: true });
    } finally {
      await sender.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('STARTTLS with an untrusted certificate is refused by default (tls_failed), allowed for local tests only by option', async () => {
    const fake = createSmtpFake({ users: { [USER]: PASS }, tls: 'starttls' });
    const { host, port } = await fake.start();
    const account = { host, port, secure: false, user: USER, pass: PASS };
    const strict = createSmtpEmailSender({ connectionTimeoutMs: 3_000 });
    const lenient = createSmtpEmailSender({ connectionTimeoutMs: 3_000, allowSelfSignedCertificates: true });
    try {
      expect(await rejection(strict.send(firstEmail(account)))).toMatchObject({ code: 'tls_failed', retryable: false });
      await lenient.send(firstEmail(account));
      const [msg] = await fake.waitForMessages(1);
      expect(msg!.secure).toBe(true);
    } finally {
      await strict.close();
      await lenient.close();
      await fake.stop();
    }
  });

  it('implicit TLS (secure: true) works with the local self-signed certificate when allowed', async () => {
    const fake = createSmtpFake({ users: { [USER]: PASS }, tls: 'implicit' });
    const { host, port } = await fake.start();
    const sender = createSmtpEmailSender({ connectionTimeoutMs: 3_000, allowSelfSignedCertificates: true });
    try {
      await sender.send(firstEmail({ host, port, secure: true, user: USER, pass: PASS }));
      const [msg] = await fake.waitForMessages(1);
      expect(msg!.secure).toBe(true);
    } finally {
      await sender.close();
      await fake.stop();
    }
  });

  it('requireTls refuses to send in clear text to a server without STARTTLS', async () => {
    const fake = createSmtpFake({ users: { [USER]: PASS } });
    const { host, port } = await fake.start();
    const sender = createSmtpEmailSender({ connectionTimeoutMs: 3_000, requireTls: true });
    try {
      expect(await rejection(sender.send(firstEmail({ host, port, secure: false, user: USER, pass: PASS })))).toMatchObject({
        code: 'tls_failed',
        retryable: false,
      });
      expect(fake.messages).toHaveLength(0);
    } finally {
      await sender.close();
      await fake.stop();
    }
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('smtp.gmail.com')).toBe(false);
  });
});

describe('classifySmtpError', () => {
  const cases: Array<[string, Record<string, unknown>, string, boolean]> = [
    ['550 RCPT', { code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' }, 'recipient_rejected', false],
    ['553 RCPT', { code: 'EENVELOPE', responseCode: 553, command: 'RCPT TO' }, 'recipient_rejected', false],
    ['535 AUTH', { code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' }, 'auth_failed', false],
    ['454 AUTH', { code: 'EAUTH', responseCode: 454, command: 'AUTH PLAIN' }, 'deferred', true],
    ['530 MAIL', { code: 'EENVELOPE', responseCode: 530, command: 'MAIL FROM' }, 'auth_failed', false],
    ['552 DATA', { code: 'EMESSAGE', responseCode: 552, command: 'DATA' }, 'message_rejected', false],
    ['554 DATA', { code: 'EMESSAGE', responseCode: 554, command: 'DATA' }, 'message_rejected', false],
    ['552 MAIL', { code: 'EENVELOPE', responseCode: 552, command: 'MAIL FROM' }, 'message_rejected', false],
    ['550 MAIL', { code: 'EENVELOPE', responseCode: 550, command: 'MAIL FROM' }, 'sender_rejected', false],
    ['421 CONN', { code: 'EPROTOCOL', responseCode: 421, command: 'CONN' }, 'deferred', true],
    ['451 DATA', { code: 'EMESSAGE', responseCode: 451, command: 'DATA' }, 'deferred', true],
    ['503', { code: 'EPROTOCOL', responseCode: 503, command: 'DATA' }, 'deferred', true],
    ['ECONNECTION', { code: 'ECONNECTION', command: 'CONN' }, 'network_error', true],
    ['ESOCKET', { code: 'ESOCKET', originalCode: 'ECONNRESET' }, 'network_error', true],
    ['EDNS', { code: 'EDNS' }, 'network_error', true],
    ['ETIMEDOUT', { code: 'ETIMEDOUT' }, 'timeout', true],
    ['cert', { code: 'ETLS', message: 'Error initiating TLS - self-signed certificate' }, 'tls_failed', false],
    ['unknown', { message: 'boom' }, 'smtp_error', true],
  ];
  it.each(cases)('%s', (_name, err, code, retryable) => {
    const e = Object.assign(new Error(String(err.message ?? 'smtp error')), err);
    expect(classifySmtpError(e)).toMatchObject({ provider: 'smtp', code, retryable });
  });
});

describe('inbound email webhook (Salesforge-style events)', () => {
  const bounce = {
    id: 'evt_01JBOUNCE',
    type: 'email_bounced',
    timestamp: '2026-11-20T10:15:00+11:00',
    workspaceId: 'wks_1',
    mailbox: 'anna@agency-mail.test',
    from: 'Anna Smith <anna@agency-mail.test>',
    to: 'Gone@Prospect.test',
    messageId: '<0f3c.agencyos@agency-mail.test>',
    bounceType: 'HARD',
    bounceCode: '5.1.1',
    bounceReason: '550 5.1.1 User unknown',
  };
  const reply = {
    id: 'evt_01JREPLY',
    type: 'email_replied',
    timestamp: '2026-11-21T02:00:00Z',
    mailbox: 'anna@agency-mail.test',
    from: 'Lee Ead <lead@prospect.test>',
    to: 'anna@agency-mail.test',
    messageId: 'CAF=reply123@mail.prospect.test',
    inReplyTo: '<0f3c.agencyos@agency-mail.test>',
    references: ['<0f3c.agencyos@agency-mail.test>'],
    subject: 'Re: Quick question about Prospect Co',
    replyText: 'Sounds interesting, can we talk Thursday?',
  };
  const unsubscribe = {
    id: 'evt_01JUNSUB',
    type: 'contact_unsubscribed',
    timestamp: 1_795_000_000,
    contactEmail: 'lead@prospect.test',
  };

  it('SYS-008 parses a hard bounce and describes it for the lead thread', () => {
    const e = InboundEmailEventSchema.parse(bounce);
    expect(describeInboundEmailEvent(e)).toEqual({
      eventId: 'evt_01JBOUNCE',
      type: 'email_bounced',
      occurredAt: '2026-11-19T23:15:00.000Z',
      messageId: '<0f3c.agencyos@agency-mail.test>',
      email: 'gone@prospect.test',
      mailbox: 'anna@agency-mail.test',
      bounce: 'hard',
    });
  });

  it('SYS-008 bounce type: from bounceCode when absent (4xx soft), hard when nothing says', () => {
    const soft = InboundEmailEventSchema.parse({ ...bounce, bounceType: undefined, bounceCode: 452 });
    expect(describeInboundEmailEvent(soft).bounce).toBe('soft');
    const unknown = InboundEmailEventSchema.parse({ ...bounce, bounceType: undefined, bounceCode: undefined });
    expect(describeInboundEmailEvent(unknown).bounce).toBe('hard');
  });

  it('SYS-008 parses a reply: the lead is the sender, In-Reply-To points at our Message-ID', () => {
    const e = InboundEmailEventSchema.parse(reply);
    expect(e.type === 'email_replied' && e.replyText).toBe('Sounds interesting, can we talk Thursday?');
    expect(describeInboundEmailEvent(e)).toEqual({
      eventId: 'evt_01JREPLY',
      type: 'email_replied',
      occurredAt: '2026-11-21T02:00:00.000Z',
      messageId: '<CAF=reply123@mail.prospect.test>',
      inReplyTo: '<0f3c.agencyos@agency-mail.test>',
      email: 'lead@prospect.test',
      mailbox: 'anna@agency-mail.test',
    });
  });

  it('SYS-008 parses an unsubscribe (epoch seconds) and snake_case variants of the fields', () => {
    expect(describeInboundEmailEvent(InboundEmailEventSchema.parse(unsubscribe))).toEqual({
      eventId: 'evt_01JUNSUB',
      type: 'contact_unsubscribed',
      occurredAt: new Date(1_795_000_000_000).toISOString(),
      email: 'lead@prospect.test',
    });
    const snake = InboundEmailEventSchema.parse({
      event_id: 'evt_snake',
      event_type: 'positive_reply',
      timestamp: '2026-11-21T02:00:00Z',
      contact: { email: 'lead@prospect.test', first_name: 'Lee' },
      mailbox: { address: 'anna@agency-mail.test' },
      message_id: '<r@prospect.test>',
      in_reply_to: '<0f3c.agencyos@agency-mail.test>',
      reply_text: 'Yes please',
    });
    expect(describeInboundEmailEvent(snake)).toMatchObject({
      eventId: 'evt_snake',
      type: 'positive_reply',
      email: 'lead@prospect.test',
      mailbox: 'anna@agency-mail.test',
      inReplyTo: '<0f3c.agencyos@agency-mail.test>',
    });
  });

  it('SYS-008 accepts every Salesforge event type', () => {
    for (const type of ['email_sent', 'email_opened', 'link_clicked', 'positive_reply', 'negative_reply'] as const) {
      const from = type.endsWith('_reply') ? { from: 'lead@prospect.test' } : { to: 'lead@prospect.test' };
      expect(InboundEmailEventSchema.safeParse({ id: `e_${type}`, type, timestamp: '2026-11-21T02:00:00Z', ...from }).success).toBe(true);
    }
    expect(
      InboundEmailEventSchema.safeParse({
        id: 'e_l',
        type: 'label_changed',
        timestamp: '2026-11-21T02:00:00Z',
        to: 'lead@prospect.test',
        label: 'Interested',
      }).success,
    ).toBe(true);
  });

  it('SYS-008 rejects malformed payloads', () => {
    const bad: unknown[] = [
      null,
      'email_bounced',
      { ...bounce, id: undefined },
      { ...bounce, id: '' },
      { ...bounce, type: 'email_exploded' },
      { ...bounce, timestamp: 'yesterday' },
      { ...bounce, timestamp: '2026-11-20T10:15:00' }, // no offset: ambiguous
      { ...bounce, to: 'not-an-address' },
      { ...bounce, bounceType: 'medium' },
      { ...bounce, messageId: 'has spaces@x y' },
      { ...reply, replyText: undefined }, // a reply without its text
      { ...reply, from: undefined }, // no lead address
      { id: 'e', type: 'contact_unsubscribed', timestamp: '2026-11-21T02:00:00Z' },
      { id: 'e', type: 'label_changed', timestamp: '2026-11-21T02:00:00Z', to: 'lead@prospect.test' },
    ];
    for (const payload of bad) expect(InboundEmailEventSchema.safeParse(payload).success, JSON.stringify(payload)).toBe(false);
  });

  it('SYS-008 secret verification: x-webhook-secret header or ?secret= query, nothing else', () => {
    const secret = 's3cr3t-0123456789abcdef';
    expect(verifyInboundEmailSecret({ headers: { 'x-webhook-secret': secret }, secret })).toBe(true);
    expect(verifyInboundEmailSecret({ headers: { 'X-Webhook-Secret': secret }, secret })).toBe(true);
    expect(verifyInboundEmailSecret({ headers: new Headers({ 'x-webhook-secret': secret }), secret })).toBe(true);
    expect(verifyInboundEmailSecret({ headers: {}, query: { secret }, secret })).toBe(true);
    expect(verifyInboundEmailSecret({ headers: {}, query: `/webhooks/email?secret=${secret}`, secret })).toBe(true);
    expect(verifyInboundEmailSecret({ query: `https://api.agencyos.test/webhooks/email?x=1&secret=${secret}`, secret })).toBe(true);
    expect(verifyInboundEmailSecret({ query: new URLSearchParams({ secret }), secret })).toBe(true);
    expect(verifyInboundEmailSecret({ headers: { 'x-webhook-secret': 'wrong' }, query: { secret }, secret })).toBe(true);

    expect(verifyInboundEmailSecret({ headers: { 'x-webhook-secret': 'wrong' }, secret })).toBe(false);
    expect(verifyInboundEmailSecret({ headers: { 'x-webhook-secret': secret.slice(0, -1) }, secret })).toBe(false);
    expect(verifyInboundEmailSecret({ headers: { authorization: secret }, secret })).toBe(false);
    expect(verifyInboundEmailSecret({ query: { token: secret }, secret })).toBe(false);
    expect(verifyInboundEmailSecret({ headers: {}, query: {}, secret })).toBe(false);
    // an unset secret never verifies, even against an empty value
    expect(verifyInboundEmailSecret({ headers: { 'x-webhook-secret': '' }, query: { secret: '' }, secret: '' })).toBe(false);
    expect(verifyInboundEmailSecret({ headers: { 'x-webhook-secret': 'x' }, secret: undefined })).toBe(false);
  });
});
