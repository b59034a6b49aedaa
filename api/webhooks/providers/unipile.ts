/**
 * Unipile webhooks (SYS-008, LI-002) at POST /webhooks/unipile. Unipile signs nothing: the webhook
 * is created with a `Unipile-Auth: <UNIPILE_WEBHOOK_SECRET>` header, compared here in constant
 * time; without a configured secret every request is 401.
 *
 * - new_relation: the member accepted the invitation sent from that seat -> linkedinAccepted
 *   (invitation state accepted + signal). It can arrive hours late; the id is stable.
 * - message_received from the lead (not the seat owner writing from another device) -> a reply
 *   on channel 'linkedin'.
 * - account_status: the seat paused (restricted / checkpoint) or restored at once (LI-006).
 * - the other messaging events: recorded only.
 */
import {
  UnipileWebhookSchema,
  describeUnipileEvent,
  verifyUnipileSecret,
  type UnipileMessageEvent,
  type UnipileWebhook,
} from '../../../providers/unipile/webhooks.js';
import type { WebhookProvider } from '../registry.js';
import type { ProviderWebhookOptions } from './twilio.js';

export const UNIPILE_PATH = '/webhooks/unipile';

function isoOrNow(value: string | null | undefined): string {
  const t = value ? Date.parse(value) : Number.NaN;
  return new Date(Number.isNaN(t) ? Date.now() : t).toISOString();
}

type LinkedInLead = NonNullable<Awaited<ReturnType<ProviderWebhookOptions['events']['leadByLinkedIn']>>>;

export function unipileWebhook({ config, events, seats }: ProviderWebhookOptions): WebhookProvider<UnipileWebhook, LinkedInLead | null> {
  return {
    provider: 'unipile',
    path: UNIPILE_PATH,
    verify: (req) => {
      const secret = config.providers.unipile.webhookSecret;
      if (!secret) return false; // never accept unsigned input
      return verifyUnipileSecret({ headers: req.headers, secret, headerName: 'unipile-auth' });
    },
    schema: UnipileWebhookSchema,
    describe: (payload) => {
      const d = describeUnipileEvent(payload);
      return { eventId: d.eventId, type: d.type, payload };
    },
    // The lead a new relation or a message is about, found while the event is recorded.
    async prepare({ payload }) {
      const d = describeUnipileEvent(payload);
      const aboutLead = d.type === 'new_relation' || (d.type === 'message_received' && !d.fromSelf);
      return aboutLead && d.providerId ? events.leadByLinkedIn(d.accountId, d.providerId) : null;
    },
    async dispatch(event, lead) {
      const d = describeUnipileEvent(event.payload);
      if (d.type === 'new_relation' && d.providerId) {
        if (!lead) return; // a connection we did not ask for: recorded only
        await events.linkedinAccepted(lead, { eventId: event.eventId, at: new Date().toISOString(), seatId: lead.seatId });
        return;
      }
      if (d.type === 'message_received' && !d.fromSelf && d.providerId) {
        if (!lead) return;
        const m = event.payload as UnipileMessageEvent;
        await events.replied(
          lead,
          {
            eventId: event.eventId,
            at: isoOrNow(m.timestamp),
            channel: 'linkedin',
            ...(typeof m.message === 'string' ? { text: m.message } : {}),
          },
          { provider: 'unipile', providerMessageId: typeof m.message_id === 'string' ? m.message_id : event.eventId },
        );
      }
      if (d.type === 'account_status' && d.status && seats) {
        await seats.accountStatus(d.accountId, d.status, new Date());
        return;
      }
      // message_read, reactions, ...: recorded only
    },
  };
}
