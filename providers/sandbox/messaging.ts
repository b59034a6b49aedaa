/** Sandbox email and SMS: validate like the real adapter, record, never send. */
import { analyseSms } from '../../domain/sms.js';
import { assertValidOutboundEmail } from '../email/validate.js';
import {
  ProviderError,
  type EmailSender,
  type OutboundEmail,
  type OutboundSms,
  type SandboxRecorder,
  type SentEmail,
  type SentSms,
  type SmsSender,
} from '../ports.js';
import { sandboxId } from './recorder.js';

/** Provider names used in recorded entries (and sandbox_outbox rows). */
export const SANDBOX_PROVIDERS = { email: 'smtp', sms: 'twilio', voice: 'vapi', linkedin: 'unipile' } as const;

/**
 * Records `{ provider: 'smtp', kind: 'email', to, payload }` where payload is the message as it
 * would have been sent (from, to, subject, text, html, messageId, inReplyTo, references, headers)
 * plus the mailbox it would have gone through ({ host, port, secure, user }: never the password;
 * null for a mailbox without SMTP credentials, which the sandbox takes like any other).
 */
export function createSandboxEmailSender(recorder: SandboxRecorder): EmailSender {
  return {
    canSendFrom: () => true,
    async send(email: OutboundEmail): Promise<SentEmail> {
      const headers = assertValidOutboundEmail(email, SANDBOX_PROVIDERS.email);
      const s = email.smtp;
      const payload = {
        mailbox: s ? { host: s.host, port: s.port, secure: s.secure, user: s.user } : null,
        from: email.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        ...(email.html !== undefined ? { html: email.html } : {}),
        messageId: email.messageId,
        ...(email.inReplyTo ? { inReplyTo: email.inReplyTo } : {}),
        ...(email.references?.length ? { references: [...email.references] } : {}),
        headers,
      };
      await recorder.record({ provider: SANDBOX_PROVIDERS.email, kind: 'email', to: email.to.address, payload });
      return {
        messageId: email.messageId,
        accepted: [email.to.address],
        rejected: [],
        response: '250 2.0.0 sandbox: recorded, not sent',
      };
    },
  };
}

const E164_RE = /^\+[1-9]\d{6,14}$/;

/**
 * Records `{ provider: 'twilio', kind: 'sms', to, payload: { from, to, body, statusCallback?,
 * numSegments, encoding } }` and answers like Twilio's create: status 'queued', the segment count
 * (GSM-7: 160 per single segment, UCS-2: 70), a `sandbox_sms_...` sid. Invalid numbers and an
 * empty body fail like Twilio would (permanent ProviderError 'invalid_number' / 'invalid_request').
 */
export function createSandboxSmsSender(recorder: SandboxRecorder): SmsSender {
  return {
    async send(sms: OutboundSms): Promise<SentSms> {
      if (!E164_RE.test(sms.to))
        throw new ProviderError(SANDBOX_PROVIDERS.sms, 'invalid_number', `'To' ${sms.to} is not an E.164 number`, false, 400);
      if (!E164_RE.test(sms.from))
        throw new ProviderError(SANDBOX_PROVIDERS.sms, 'invalid_number', `'From' ${sms.from} is not an E.164 number`, false, 400);
      if (!sms.body) throw new ProviderError(SANDBOX_PROVIDERS.sms, 'invalid_request', 'message body is required', false, 400);
      const analysis = analyseSms(sms.body);
      const sid = sandboxId('sms');
      await recorder.record({
        provider: SANDBOX_PROVIDERS.sms,
        kind: 'sms',
        to: sms.to,
        payload: {
          sid,
          from: sms.from,
          to: sms.to,
          body: sms.body,
          ...(sms.statusCallback ? { statusCallback: sms.statusCallback } : {}),
          numSegments: analysis.segments,
          encoding: analysis.encoding,
        },
      });
      return { sid, status: 'queued', numSegments: analysis.segments };
    },
  };
}
