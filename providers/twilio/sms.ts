/**
 * SmsSender over Twilio Programmable Messaging (`client.messages.create`), SDK retries off:
 * one send() is at most one POST /2010-04-01/Accounts/{AccountSid}/Messages.json.
 *
 * Errors (DESIGN.md convention 4): transient ones (network, timeout, 429, 5xx) reject with
 * ProviderError retryable=true (Temporal retries the activity); permanent ones reject with
 * ProviderError retryable=false and a stable code: 'invalid_number' (21211, 21614, ...),
 * 'recipient_unsubscribed' (21610), 'invalid_sender', 'auth_failed' (401/403), 'rejected'.
 * A timeout is ambiguous (Twilio may have accepted the message); its code is 'timeout' so the
 * calling activity can check its own send ledger before trying again.
 */
import type { OutboundSms, SentSms, SmsSender } from '../ports.js';
import { ProviderError } from '../ports.js';
import { classifyTwilioError, createTwilioClient, type TwilioAdapterOptions } from './client.js';

export type { TwilioAdapterOptions } from './client.js';

export function createTwilioSmsSender(opts: TwilioAdapterOptions): SmsSender {
  const client = createTwilioClient(opts);
  return {
    async send(sms: OutboundSms): Promise<SentSms> {
      let message;
      try {
        message = await client.messages.create({
          to: sms.to,
          from: sms.from,
          body: sms.body,
          ...(sms.statusCallback ? { statusCallback: sms.statusCallback } : {}),
        });
      } catch (err) {
        throw classifyTwilioError(err);
      }
      if (!message?.sid) throw new ProviderError('twilio', 'invalid_response', 'Twilio accepted the message but returned no sid', false);
      const segments = Number.parseInt(String(message.numSegments ?? ''), 10);
      return {
        sid: message.sid,
        status: String(message.status ?? 'queued'),
        numSegments: Number.isFinite(segments) && segments > 0 ? segments : 1,
      };
    },
  };
}
