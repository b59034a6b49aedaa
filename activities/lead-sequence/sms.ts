/**
 * SMS steps (SM-001..SM-004): a text that fits one segment (domain/message-templates.ts tries
 * shorter and ASCII variants; none fitting skips the step with an alert), the person's one touch
 * of the day and the first of the client's numbers with a unit left of its daily cap (counted in
 * the recipient's day) reserved with the touch; Twilio sends it with our status callback.
 */
import { factsOf, writtenBy } from './content.js';
import { localDate, nextSendTimeMs, startOfNextLocalDay } from '../../domain/windows.js';
import { claimed, refused } from '../../services/touches/index.js';
import { personDay, touchDraft } from './touch-draft.js';
import type { ChannelSender, LeadSequenceDeps } from './types.js';

export function createSmsSender({ services, providers, settings, content }: LeadSequenceDeps): ChannelSender {
  const { touches, allocations } = services;
  const { inventory } = services.pool;

  return async function sendSms(input, ctx, guard) {
    const { lead, client, config } = ctx;
    if (!lead.phoneE164) return { status: 'skipped', reason: 'no_phone' };
    const now = input.nowMs ?? Date.now();
    const numbers = await inventory.system.readyNumbers(await allocations.system.heldBy(client.id, 'phone_number'));
    if (!numbers.length) return { status: 'skipped', reason: 'no_sending_number' };
    const zoneDay = localDate(ctx.zone, now);
    // SM-004: no link in an SMS, so the booking link is not given to the engine.
    const written = await content.compose({ purpose: 'first_touch', channel: 'sms', facts: factsOf(ctx, { withBookingLink: false }) });
    const rendered = written.status === 'ok' ? written.draft : null;
    if (!rendered) {
      // No variant fits one segment (names, the client's name): the step is skipped, an operator told.
      await services.alerts.system.raise(
        {
          kind: 'content_invalid',
          severity: 'warning',
          clientId: client.id,
          dedupeKey: `content:sms:${client.id}`,
          message: `An SMS for ${client.name} does not fit one segment even shortened (names: client "${client.name}", sender "${ctx.settings.senderName ?? ''}"): SMS steps are skipped until the names fit`,
          data: { leadId: lead.id, step: input.step },
        },
        new Date(now),
      );
      return { status: 'skipped', reason: 'sms_text_does_not_fit' };
    }

    const person = personDay(ctx, zoneDay);
    const reserved = await touches.system.reserve(async (r) => {
      if (!(await r.takePersonDay(person.keys, person.day, lead.id, input.step))) return refused('person_contacted_today');
      for (const n of numbers) {
        if (await r.takeDaily('phone_number', n.id, zoneDay, 'sms', config.sms.dailyPerNumber)) {
          return claimed(touchDraft(ctx, input, 'sms', guard, { from: n.e164, numberId: n.id, ...writtenBy(written as never) }), n);
        }
      }
      return refused('number_cap_reached');
    });
    if ('refused' in reserved) {
      const notBeforeMs = nextSendTimeMs({
        channel: 'sms',
        zone: ctx.zone,
        location: ctx.location,
        now: startOfNextLocalDay(ctx.zone, now),
        config,
      });
      return { status: 'no_capacity', notBeforeMs, reason: reserved.refused };
    }

    const from = reserved.value;
    return touches.forTenant(client.id).deliver(reserved.touchId, async () => {
      const statusCallback = `${settings.publicBaseUrl}/webhooks/twilio/status`;
      const sent = await providers.sms.send({ from: from.e164, to: lead.phoneE164!, body: rendered.text, statusCallback });
      return {
        provider: 'twilio',
        providerRef: sent.sid,
        record: { status: sent.status, numSegments: sent.numSegments },
        sentAtMs: now,
        outcome: sent.sid,
      };
    });
  };
}
