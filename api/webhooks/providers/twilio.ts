/**
 * Twilio messaging webhooks (SYS-008, SM-003), both signed with X-Twilio-Signature over the public
 * URL Twilio called plus the form fields (providers/twilio/webhooks.ts):
 *
 * - POST /webhooks/twilio/sms (the number's SmsUrl), event id = MessageSid: an opt-out word
 *   (domain/sms detectOptOut: STOP, UNSUBSCRIBE, CANCEL, END, QUIT) opts every lead with that
 *   number out of every channel and suppresses the number; any other text is a reply (channel
 *   'sms') to the lead whose sequence last used that number.
 * - POST /webhooks/twilio/status (StatusCallback of each SMS we send), event id =
 *   `${MessageSid}:${MessageStatus}`: the delivery state goes on the touch with that SID.
 *
 * Without TWILIO_AUTH_TOKEN nothing can be verified, so every request is refused (401).
 */
import type { AppConfig } from '../../../config/index.js';
import { detectOptOut, type OptOutResult } from '../../../domain/sms.js';
import {
  TwilioInboundSmsSchema,
  TwilioStatusCallbackSchema,
  smsDeliveryState,
  verifyTwilioWebhookRequest,
  type TwilioInboundSms,
  type TwilioStatusCallback,
} from '../../../providers/twilio/webhooks.js';
import type { WebhookProvider, WebhookRequest } from '../registry.js';
import type { SeatEvents } from '../../../services/seat-events.js';
import type { LeadEvents } from '../../../services/lead-events.js';
import type { LeadRef } from '../../../services/leads/lookup.js';

export interface ProviderWebhookOptions {
  config: Readonly<AppConfig>;
  events: LeadEvents;
  /** LinkedIn seat status changes (Unipile account_status). */
  seats?: SeatEvents;
}

export const TWILIO_SMS_PATH = '/webhooks/twilio/sms';
/** activities/lead-sequence.ts sends `{publicBaseUrl}/webhooks/twilio/status` as StatusCallback. */
export const TWILIO_STATUS_PATH = '/webhooks/twilio/status';

function twilioVerifier(config: Readonly<AppConfig>) {
  return (req: WebhookRequest): boolean => {
    const authToken = config.providers.twilio.authToken;
    if (!authToken) return false; // never accept unsigned input
    return verifyTwilioWebhookRequest({ authToken, url: req.url, rawBody: req.rawBody, headers: req.headers });
  };
}

/** Inbound SMS: an opt-out word or a reply. */
/** What an inbound SMS is, read once while it is recorded: an opt-out, or a reply from a lead (or from nobody we know). */
type InboundSmsReading = { stop: OptOutResult; lead: LeadRef | null };

export function twilioSmsWebhook({ config, events }: ProviderWebhookOptions): WebhookProvider<TwilioInboundSms, InboundSmsReading> {
  return {
    provider: 'twilio',
    path: TWILIO_SMS_PATH,
    verify: twilioVerifier(config),
    schema: TwilioInboundSmsSchema,
    describe: (p) => ({ eventId: p.MessageSid, type: 'sms.inbound', payload: p }),
    // The lead a reply is about, found by the statement that records the delivery (an opt-out
    // needs every lead with the number instead, so nothing is looked up for it here).
    prepare({ payload: sms }) {
      const stop = detectOptOut(sms.Body);
      if (stop.optOut) return Promise.resolve({ stop, lead: null });
      const read = events.leadByPhoneRead(sms.From, { to: sms.To });
      return { ...read, read: (rows) => ({ stop, lead: read.read(rows) }) };
    },
    async dispatch(event, { stop, lead }) {
      const sms = event.payload;
      const at = new Date().toISOString();
      if (stop.optOut) {
        await events.optOutPhone(sms.From, {
          eventId: event.eventId,
          at,
          channel: 'sms',
          reason: `sms_keyword:${stop.keyword ?? 'STOP'}`,
          source: `twilio:${sms.MessageSid}`,
        });
        return;
      }
      if (!lead) return; // a number we never wrote to: recorded, nothing to do
      await events.replied(
        lead,
        { eventId: event.eventId, at, channel: 'sms', text: sms.Body },
        { provider: 'twilio', providerMessageId: sms.MessageSid, to: sms.To },
      );
    },
  };
}

/** Outbound SMS status callback: the touch's delivery state; no signal. */
export function twilioStatusWebhook({ config, events }: ProviderWebhookOptions): WebhookProvider<TwilioStatusCallback> {
  return {
    provider: 'twilio',
    path: TWILIO_STATUS_PATH,
    verify: twilioVerifier(config),
    schema: TwilioStatusCallbackSchema,
    describe: (p) => ({ eventId: `${p.MessageSid}:${p.MessageStatus}`, type: `sms.status.${p.MessageStatus}`, payload: p }),
    async dispatch(event) {
      const s = event.payload;
      await events.smsStatus(s.MessageSid, {
        state: smsDeliveryState(s.MessageStatus),
        status: s.MessageStatus,
        ...(s.ErrorCode ? { errorCode: s.ErrorCode } : {}),
        at: new Date().toISOString(),
        eventId: event.eventId,
      });
    },
  };
}

export function twilioWebhooks(opts: ProviderWebhookOptions): WebhookProvider<any, any>[] {
  return [twilioSmsWebhook(opts), twilioStatusWebhook(opts)];
}
