/**
 * Voice steps (VO-001..VO-006): at most `concurrentPerClient` calls in progress per client (a
 * call counts from its placing until its outcome is recorded, or for the longest a call can
 * last), checked under a per-client lock together with a unit of a number's daily call cap; the
 * AI caller (Vapi) places the call from that number. The call's end arrives later: recorded by
 * recordCallOutcome, with the retry decision.
 */
import { countCallOutcomes, voiceRetryDecision } from '../../domain/voice.js';
import { localDate, nextSendTimeMs, startOfNextLocalDay } from '../../domain/windows.js';
import type { CallEnded } from '../../domain/processes.js';
import type { CallReport } from '../../providers/ports.js';
import { claimed, refused } from '../../services/touches/index.js';
import { fullName, personDay, touchDraft } from './touch-draft.js';
import { createCallSetup } from './voice-call.js';
import type { ChannelSender, LeadSequenceDeps } from './types.js';

/** How long a placed call holds one of the client's concurrent-call slots at most (no report yet). */
const CALL_SLOT_MS = 15 * 60_000;
/** When all slots are taken, try again this much later. */
const CALL_RETRY_MS = 5 * 60_000;

export function createVoiceSender({ services, providers }: LeadSequenceDeps): ChannelSender {
  const { touches, allocations } = services;
  const { inventory } = services.pool;
  const callSetup = createCallSetup({ services, providers });

  return async function placeCall(input, ctx, guard) {
    const { lead, client, config } = ctx;
    if (!lead.phoneE164) return { status: 'skipped', reason: 'no_phone' };
    const now = input.nowMs ?? Date.now();
    // The assistant, knowledge base, first message (recording notice first) and voicemail: voice-call.ts.
    const setup = await callSetup(ctx, input.step, now);
    if ('skip' in setup) return { status: 'skipped', reason: setup.skip };
    const numbers = await inventory.system.readyNumbers(await allocations.system.heldBy(client.id, 'phone_number'));
    if (!numbers.length) return { status: 'skipped', reason: 'no_sending_number' };
    const zoneDay = localDate(ctx.zone, now);

    const person = personDay(ctx, zoneDay);
    const reserved = await touches.system.reserve(async (r) => {
      if (!(await r.takePersonDay(person.keys, person.day, lead.id, input.step))) return refused('person_contacted_today');
      await r.lock(`calls:${client.id}`);
      if ((await r.callsInProgress(client.id, new Date(now - CALL_SLOT_MS))) >= config.voice.concurrentPerClient)
        return refused('client_calls_busy');
      for (const n of numbers) {
        if (await r.takeDaily('phone_number', n.id, zoneDay, 'call', config.voice.dailyCallsPerNumber)) {
          return claimed(touchDraft(ctx, input, 'voice', guard, { from: n.e164, numberId: n.id }), n);
        }
      }
      return refused('number_cap_reached');
    });
    if ('refused' in reserved) {
      const busy = reserved.refused === 'client_calls_busy';
      const from = busy ? now + CALL_RETRY_MS : startOfNextLocalDay(ctx.zone, now);
      const notBeforeMs = nextSendTimeMs({ channel: 'voice', zone: ctx.zone, location: ctx.location, now: from, config });
      return { status: busy ? 'retry_later' : 'no_capacity', notBeforeMs, reason: reserved.refused };
    }

    const from = reserved.value;
    return touches.forTenant(client.id).deliver(reserved.touchId, async () => {
      const placed = await providers.voice.startCall({
        ...setup,
        phoneNumberId: from.voiceRef ?? from.id,
        customer: { number: lead.phoneE164!, name: fullName(lead) },
        metadata: { leadId: lead.id, clientId: client.id, idempotencyKey: input.idempotencyKey },
        maxDurationSeconds: config.voice.maxCallSeconds,
      });
      const record = { callId: placed.callId, status: placed.status };
      return { provider: 'vapi', providerRef: placed.callId, record, sentAtMs: now, outcome: 'call_placed', callId: placed.callId };
    });
  };
}

/** After the call: its report (asked of the provider when the webhook did not come), its outcome recorded, a retry decided. */
export function createCallActivities({ services, providers }: LeadSequenceDeps) {
  return {
    /** The provider's own record of a call, when its end-of-call webhook did not arrive. */
    async fetchCallReport(input: { version: 1; callId: string }): Promise<CallEnded> {
      const r = await providers.voice.getCall(input.callId);
      if (r.outcome === 'in_progress') throw new Error(`call ${input.callId} still in progress`); // retried by Temporal
      const report = r as CallReport;
      return {
        eventId: `poll:${report.callId}`,
        at: new Date().toISOString(),
        callId: report.callId,
        outcome: report.outcome,
        endedReason: report.endedReason,
        providerCallSid: report.providerCallSid,
        durationSeconds: report.durationSeconds,
        summary: report.summary,
        transcript: report.transcript,
        recordingUrl: report.recordingUrl,
      };
    },

    /**
     * VO-002..VO-006: records the call's outcome and recording reference, and decides about a
     * retry from how this step's calls ended so far (the touch ledger: busy and no answer counted
     * apart, each against its own maximum), recorded on the touch with the outcome.
     */
    async recordCallOutcome(input: {
      version: 1;
      clientId: string;
      leadId: string;
      idempotencyKey: string;
      report: CallEnded;
    }): Promise<{ retry: false; reason: string } | { retry: true; reason: string; notBeforeMs: number }> {
      const ctx = await services.leads.sequence.forTenant(input.clientId).context(input.leadId);
      const ledger = services.touches.forTenant(input.clientId);
      const sid = input.report.providerCallSid;
      const recording = sid ? (await providers.recordings.recordingsForCall(sid))[0] : undefined;
      const ref = recording ?? (input.report.recordingUrl ? { url: input.report.recordingUrl } : null);
      // The step's other calls as the ledger has them, and this one (a retried activity counts the same).
      const others = await ledger.otherCallOutcomes(input.idempotencyKey);
      const d = voiceRetryDecision(
        input.report.outcome,
        countCallOutcomes([...others, input.report.outcome]),
        input.report.at,
        ctx.zone,
        ctx.location,
        ctx.config,
      );
      const decision = d.retry
        ? { retry: true as const, reason: d.reason, notBeforeMs: d.notBefore.getTime() }
        : { retry: false as const, reason: d.reason };
      await ledger.recordCallOutcome(input.idempotencyKey, input.report, ref, {
        ...decision,
        ...(d.retry ? { notBefore: d.notBefore.toISOString() } : {}),
      });
      return decision;
    },
  };
}
