/**
 * Every provider webhook, ready for buildApp({ webhooks }):
 *   POST /webhooks/twilio/sms     inbound SMS: STOP-type words opt out, other text is a reply
 *   POST /webhooks/twilio/status  SMS delivery reports onto the touch
 *   POST /webhooks/vapi           end-of-call report -> callEnded
 *   POST /webhooks/unipile        new_relation -> linkedinAccepted; message_received -> reply
 *   POST /webhooks/email          replies, bounces, unsubscribes from the sending platform
 *   POST /webhooks/stripe         checkout, invoice and subscription events -> provisioning
 *   POST /webhooks/calcom         Cal.com bookings, reschedules, cancellations -> meeting, deal, CRM
 *   POST /webhooks/calendly       Calendly invitees created and canceled -> the same
 * Each refuses every request (401) while its secret or auth token is not configured.
 */
import type { AppConfig } from '../../../config/index.js';
import type { Services } from '../../../services/index.js';
import type { WebhookProvider } from '../registry.js';
import { twilioSmsWebhook, twilioStatusWebhook } from './twilio.js';
import { vapiWebhook, type VapiWebhookAuth } from './vapi.js';
import { unipileWebhook } from './unipile.js';
import { inboundEmailWebhook } from './inbound-email.js';
import { stripeWebhook } from './stripe.js';
import { calcomWebhook, calendlyWebhook } from './booking.js';

export interface ProviderWebhooksDeps {
  config: Readonly<AppConfig>;
  services: Services;
  /** Overrides of what the configuration says (tests). */
  options?: {
    vapiAuth?: VapiWebhookAuth;
    inboundEmailSecret?: string;
  };
}

export function createProviderWebhooks({ config, services, options = {} }: ProviderWebhooksDeps): WebhookProvider<any, any>[] {
  const base = { config, events: services.leadEvents.system, seats: services.seatEvents.system };
  return [
    twilioSmsWebhook(base),
    twilioStatusWebhook(base),
    vapiWebhook({ ...base, ...(options.vapiAuth ? { auth: options.vapiAuth } : {}) }),
    unipileWebhook(base),
    inboundEmailWebhook({ ...base, ...(options.inboundEmailSecret !== undefined ? { secret: options.inboundEmailSecret } : {}) }),
    stripeWebhook({ config, subscriptions: services.subscriptions, gateway: services.gateway }),
    calcomWebhook({ config, events: services.leadEvents.system }),
    calendlyWebhook({ config, events: services.leadEvents.system }),
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
export { stripeWebhook, STRIPE_PATH } from './stripe.js';
export { calcomWebhook, calendlyWebhook, CALCOM_PATH, CALENDLY_PATH } from './booking.js';
