/**
 * Every provider webhook of the lead sequences, ready for buildApp({ webhooks }):
 *   POST /webhooks/twilio/sms     inbound SMS: STOP-type words opt out, other text is a reply
 *   POST /webhooks/twilio/status  SMS delivery reports onto the touch
 *   POST /webhooks/vapi           end-of-call report -> callEnded
 *   POST /webhooks/unipile        new_relation -> linkedinAccepted; message_received -> reply
 *   POST /webhooks/email          replies, bounces, unsubscribes from the sending platform
 * Each refuses every request (401) while its secret or auth token is not configured.
 */
import type { Client } from '@temporalio/client';
import type { AppConfig } from '../../../config/index.js';
import type { Db } from '../../../db/client.js';
import type { WebhookProvider } from '../registry.js';
import { createLeadEvents, type LeadEvents } from '../lead-events.js';
import { createSeatEvents } from '../seat-events.js';
import { createAlertService } from '../../../activities/alerts.js';
import { createAlertNotifier } from '../../../providers/alerts/notifier.js';
import { twilioSmsWebhook, twilioStatusWebhook } from './twilio.js';
import { vapiWebhook, type VapiWebhookAuth } from './vapi.js';
import { unipileWebhook } from './unipile.js';
import { inboundEmailWebhook } from './inbound-email.js';

export interface ProviderWebhooksDeps {
  config: Readonly<AppConfig>;
  db: Db;
  temporal: { client: Client };
  /** Optional overrides (tests, or until AppConfig carries them). */
  options?: {
    events?: LeadEvents;
    vapiAuth?: VapiWebhookAuth;
    inboundEmailSecret?: string;
  };
}

export function createProviderWebhooks({ config, db, temporal, options = {} }: ProviderWebhooksDeps): WebhookProvider<any>[] {
  const events = options.events ?? createLeadEvents({ db, temporal });
  const seats = createSeatEvents({ db, alerts: createAlertService({ db, notifier: createAlertNotifier(config.alerts) }) });
  const base = { config, events, seats };
  return [
    twilioSmsWebhook(base),
    twilioStatusWebhook(base),
    vapiWebhook({ ...base, ...(options.vapiAuth ? { auth: options.vapiAuth } : {}) }),
    unipileWebhook(base),
    inboundEmailWebhook({ ...base, ...(options.inboundEmailSecret !== undefined ? { secret: options.inboundEmailSecret } : {}) }),
  ];
}

export {
  twilioSmsWebhook,
  twilioStatusWebhook,
  twilioWebhooks,
  TWILIO_SMS_PATH,
  TWILIO_STATUS_PATH,
  type ProviderWebhookOptions,
} from './twilio.js';
export { vapiWebhook, VAPI_PATH, type VapiWebhookAuth, type VapiWebhookOptions } from './vapi.js';
export { unipileWebhook, UNIPILE_PATH } from './unipile.js';
export { inboundEmailWebhook, inboundEmailWebhookSecret, INBOUND_EMAIL_PATH, type InboundEmailWebhookOptions } from './inbound-email.js';
