/**
 * sendStep: one step's send, exactly once (DESIGN.md convention 5). A touch already finished
 * under the step's idempotency key answers for itself (services/touches/ledger.ts); then the
 * compliance guard (domain/compliance.ts) decides with the facts of this moment, window and
 * regional holidays included (ED-003, VO-005: never outside a window); only a touch it allows
 * goes to the channel's sender, which reserves its caps (the person's one touch a day among them)
 * and delivers, and stores the guard's evidence on the touch.
 */
import { decideTouch } from '../../domain/compliance.js';
import { isDuplicateTouch } from '../../services/touches/index.js';
import { createEmailSender } from './email.js';
import { createFactLoader } from './facts.js';
import { createLinkedInSenders } from './linkedin.js';
import { createSmsSender } from './sms.js';
import { createVoiceSender } from './voice.js';
import { countStep } from './step-metrics.js';
import type { ChannelSender, Kind, LeadSequenceDeps, SendResult, SendStepInput } from './types.js';

export function createSendStep(deps: LeadSequenceDeps) {
  const { touches, leads } = deps.services;
  const { touchFacts } = createFactLoader(deps);
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
      const found = await touches.forTenant(input.clientId).byKey(input.idempotencyKey);
      if (found && 'done' in found) return found.done;
      const result = await decideAndSend(input, found);
      countStep(input.kind, result);
      return result;
    },
  };

  /** The guard's decision with the facts of this moment, then the channel's sender (the file header). */
  async function decideAndSend(input: SendStepInput, found: { touchId: string } | null): Promise<SendResult> {
    const ledger = touches.forTenant(input.clientId);
    const nowMs = input.nowMs ?? Date.now();
    const ctx = await leads.sequence.forTenant(input.clientId).context(input.leadId);
    const facts = await touchFacts(ctx, input.kind, nowMs, { checkWindow: true, seed: input.idempotencyKey });
    const decision = decideTouch(facts, ctx.config);
    if (decision.action === 'reschedule') return { status: 'retry_later', notBeforeMs: decision.notBeforeMs, reason: decision.reason };
    if (decision.action !== 'send') return { status: 'skipped', reason: decision.reason };
    // A touch from an attempt that never reached the provider: discard it and reserve again.
    if (found) await ledger.discard(found.touchId);
    try {
      return await senders[input.kind](input, ctx, decision.evidence);
    } catch (err) {
      // A concurrent attempt created the touch first: its result stands.
      if (isDuplicateTouch(err)) {
        const again = await ledger.byKey(input.idempotencyKey);
        if (again && 'done' in again) return again.done;
      }
      throw err;
    }
  }
}
