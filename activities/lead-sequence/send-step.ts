/**
 * sendStep: one step's send, exactly once (DESIGN.md convention 5). A touch already finished
 * under the step's idempotency key answers for itself (services/touches/ledger.ts); an instant
 * that has left the step's window is planned again (ED-003, VO-005: never outside a window);
 * otherwise the channel's sender reserves and delivers.
 */
import { CHANNEL_OF_KIND, type StepKind } from '../../domain/config.js';
import { isInsideWindow, nextSendTimeMs } from '../../domain/windows.js';
import { isDuplicateTouch } from '../../services/touches/index.js';
import { createEmailSender } from './email.js';
import { createLinkedInSenders } from './linkedin.js';
import { createSmsSender } from './sms.js';
import { createVoiceSender } from './voice.js';
import type { ChannelSender, Kind, LeadSequenceDeps, SendResult, SendStepInput } from './types.js';

export function createSendStep(deps: LeadSequenceDeps) {
  const { touches, leads } = deps.services;
  const email = createEmailSender(deps);
  const linkedin = createLinkedInSenders(deps);
  const senders: Record<Kind, ChannelSender> = {
    email,
    email_followup: email,
    sms: createSmsSender(deps),
    voice: createVoiceSender(deps),
    linkedin_connect: linkedin.connect,
    linkedin_message: linkedin.message,
  };

  return {
    async sendStep(input: SendStepInput): Promise<SendResult> {
      const ledger = touches.forTenant(input.clientId);
      const found = await ledger.byKey(input.idempotencyKey);
      if (found && 'done' in found) return found.done;
      const nowMs = input.nowMs ?? Date.now();
      const ctx = await leads.sequence.forTenant(input.clientId).context(input.leadId);
      if (input.kind !== 'linkedin_connect' && input.kind !== 'linkedin_message') {
        const channel = CHANNEL_OF_KIND[input.kind as StepKind];
        const where = { channel, zone: ctx.zone, location: ctx.location, config: ctx.config };
        if (!isInsideWindow({ ...where, at: nowMs })) {
          return {
            status: 'retry_later',
            notBeforeMs: nextSendTimeMs({ ...where, now: nowMs, seed: input.idempotencyKey }),
            reason: 'outside_window',
          };
        }
      }
      // A touch from an attempt that never reached the provider: discard it and reserve again.
      if (found) await ledger.discard(found.touchId);
      try {
        return await senders[input.kind](input, ctx);
      } catch (err) {
        // A concurrent attempt created the touch first: its result stands.
        if (isDuplicateTouch(err)) {
          const again = await ledger.byKey(input.idempotencyKey);
          if (again && 'done' in again) return again.done;
        }
        throw err;
      }
    },
  };
}
