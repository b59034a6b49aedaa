/**
 * The composition root's choice of email sender and DNCR register (app/providers.ts), made once
 * from the configuration: live email never falls back to the sandbox for a mailbox without SMTP
 * credentials (ED-001); the register is the ACMA one with credentials, a sandbox one when nothing
 * sends for real, and one that refuses every wash with AU_CALLS_AND_SMS=off (SM-001, SM-002).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/index.js';
import { createProviderSet } from '../../../app/providers.js';
import { createMemoryRecorder } from '../../../providers/sandbox/index.js';
import { MAILBOX_WITHOUT_SMTP_CREDENTIALS, ProviderError, type OutboundEmail, type SmtpAccount } from '../../../providers/ports.js';
import { createDncrFake } from '../../fakes/dncr-fake.js';
import { createSmtpFake } from '../../fakes/smtp-fake.js';

const BASE = { DATABASE_URL: 'postgresql://agency@127.0.0.1:5432/agency_os' };
const EMAIL_READY = { UNSUBSCRIBE_SECRET: 'k3Jd9-Vq2xLm8Pz7Rt4Wn6Yb1Hc5Fg0Ae', PUBLIC_BASE_URL: 'https://api.agency.example' };
const SANDBOX_ACCOUNT: SmtpAccount = { host: 'sandbox', port: 587, secure: false, user: 'anna@agency-mail.test', pass: 'sandbox-pass' };

const email = (smtp: SmtpAccount | null): OutboundEmail => ({
  smtp,
  from: { address: 'anna@agency-mail.test', name: 'Anna' },
  to: { address: 'lead@prospect.test' },
  subject: 'Quick question',
  text: 'Hi',
  messageId: '<abc123.agencyos@agency-mail.test>',
});

const smtpFake = createSmtpFake({ users: { 'anna@agency-mail.test': 'correct horse battery staple' } });
const dncrFake = createDncrFake({ registered: ['+61412345678'] });
let real: SmtpAccount;
let dncrEndpoint: string;
beforeAll(async () => {
  const { host, port } = await smtpFake.start();
  real = { host, port, secure: false, user: 'anna@agency-mail.test', pass: 'correct horse battery staple' };
  dncrEndpoint = (await dncrFake.start()).baseUrl;
});
afterAll(async () => {
  await smtpFake.stop();
  await dncrFake.stop();
});

describe('ED-001: the email sender the composition root picks', () => {
  it('ED-001: live email (EMAIL_DELIVERY=smtp): a mailbox without credentials, or with the sandbox placeholder, is refused for good and nothing is recorded', async () => {
    const recorder = createMemoryRecorder();
    const providers = createProviderSet(loadConfig({ ...BASE, EMAIL_DELIVERY: 'smtp', ...EMAIL_READY }), recorder);
    expect([null, SANDBOX_ACCOUNT, { ...real, pass: '' }, real].map((a) => providers.email.canSendFrom(a))).toEqual([
      false,
      false,
      false,
      true,
    ]);
    for (const account of [null, SANDBOX_ACCOUNT]) {
      const err = await providers.email.send(email(account)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProviderError);
      expect(err).toMatchObject({ provider: 'smtp', code: MAILBOX_WITHOUT_SMTP_CREDENTIALS, retryable: false });
    }
    expect(recorder.entries).toHaveLength(0);
    expect(smtpFake.messages).toHaveLength(0);
    // A mailbox with its account sends for real.
    await providers.email.send(email(real));
    await smtpFake.waitForMessages(1);
    smtpFake.reset();
  });

  it('ED-001: all-sandbox (npm start): every email is recorded, never sent, whatever the mailbox has', async () => {
    const recorder = createMemoryRecorder();
    const providers = createProviderSet(loadConfig(BASE), recorder);
    for (const account of [null, SANDBOX_ACCOUNT, real]) {
      expect(providers.email.canSendFrom(account)).toBe(true);
      expect((await providers.email.send(email(account))).response).toMatch(/sandbox: recorded, not sent/);
    }
    expect(recorder.entries.map((e) => (e.payload as { mailbox: { host: string } | null }).mailbox?.host ?? null)).toEqual([
      null,
      'sandbox',
      real.host,
    ]);
    expect(smtpFake.messages).toHaveLength(0);
  });
});

describe('SM-001 SM-002: the DNCR register the composition root picks', () => {
  it('SM-001 SM-002: with DNCR credentials, the ACMA register (SOAP) washes the numbers', async () => {
    const providers = createProviderSet(
      loadConfig({ ...BASE, DNCR_TELEMARKETER_ID: '1234', DNCR_PASSWORD: 'pw', DNCR_ENDPOINT: dncrEndpoint }),
      createMemoryRecorder(),
    );
    const before = dncrFake.requests.length;
    expect([...(await providers.dncr.wash(['+61412345678', '+61412000111'], 'ref-1'))]).toEqual([
      ['+61412345678', 'registered'],
      ['+61412000111', 'not_registered'],
    ]);
    expect(dncrFake.requests.length).toBeGreaterThan(before);
  });

  it('SM-001 SM-002: AU_CALLS_AND_SMS=off (live calls, no register): every wash is refused for good, so those numbers are never called or texted', async () => {
    const config = loadConfig({ ...BASE, VAPI_API_KEY: 'vapi-key', AU_CALLS_AND_SMS: 'off', ...EMAIL_READY });
    expect(config.providers.dncr.mode).toBe('refuse');
    const providers = createProviderSet(config, createMemoryRecorder());
    const before = dncrFake.requests.length;
    await expect(providers.dncr.wash(['+61412345678'], 'ref-2')).rejects.toMatchObject({
      provider: 'dncr',
      code: 'not_configured',
      retryable: false,
    });
    expect(dncrFake.requests.length).toBe(before);
  });

  it('SM-001: nothing live and no credentials: the sandbox register (nothing registered), no network', async () => {
    const providers = createProviderSet(loadConfig(BASE), createMemoryRecorder());
    const before = dncrFake.requests.length;
    expect([...(await providers.dncr.wash(['+61412345678'], 'ref-3'))]).toEqual([['+61412345678', 'not_registered']]);
    expect(dncrFake.requests.length).toBe(before);
  });
});
