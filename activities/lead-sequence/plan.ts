/**
 * Planning a lead's sequence (AD-001..AD-004, ED-002, ED-003, SM-001): the generated plan with
 * what is skipped and why, the next open window of a step in the recipient's zone (the seat's
 * for LinkedIn), the re-check just before a step runs, and the sequence's end on the lead.
 */
import { CHANNEL_OF_KIND, type StepKind } from '../../domain/config.js';
import { decideTouch, type GuardStopReason, type TouchFacts } from '../../domain/compliance.js';
import { firstPlannedStep, leadPlan, leadStopReason, stepSeed, type LeadPlan } from '../../domain/lead-plan.js';

const DAY_MS = 86_400_000;
import { nextSendTimeMs } from '../../domain/windows.js';
import { dncrApplies, dncrDecision } from '../../domain/dncr.js';
import type { LeadContext, SequenceEnd } from '../../services/leads/sequence.js';
import type { InvitationState } from '../../services/linkedin.js';
import { createFactLoader } from './facts.js';
import { countStep } from './step-metrics.js';
import type { Kind, LeadSequenceDeps } from './types.js';

export function createPlanActivities({ services, providers }: LeadSequenceDeps) {
  const { allocations, linkedin, leads, people } = services;
  const contextOf = (clientId: string, leadId: string) => leads.sequence.forTenant(clientId).context(leadId);
  const { leadFacts, touchFacts } = createFactLoader({ services });

  /** SM-001: a call or SMS needs a fresh wash: re-wash now when it is stale (the result is stored), and fail closed. */
  async function washIfStale(ctx: LeadContext, f: TouchFacts, now: number): Promise<void> {
    const { lead } = ctx;
    if (f.kind === 'linkedin_message') return;
    const channel = CHANNEL_OF_KIND[f.kind];
    if ((channel !== 'sms' && channel !== 'voice') || !lead.phoneE164 || !dncrApplies(lead.phoneE164, channel, ctx.config)) return;
    const decision = dncrDecision(f.dncr ?? {}, now, ctx.config);
    if (decision.allowed || (decision.reason !== 'not_washed' && decision.reason !== 'wash_stale')) return;
    try {
      const result = (await providers.dncr.wash([lead.phoneE164], `lead-${lead.id}-${now}`)).get(lead.phoneE164);
      if (result) {
        await leads.sequence.system.setDncr(lead.id, result, new Date(now));
        f.dncr = { registered: result === 'registered', washedAt: now, registerAvailable: true };
        f.dncrResult = result;
      } else f.dncr = { registered: null, washedAt: null, registerAvailable: false };
    } catch {
      f.dncr = { registered: null, washedAt: null, registerAvailable: false };
    }
  }

  /** The next open window at or after `earliestMs` in the recipient's zone (the seat's for LinkedIn). */
  async function stepTime(ctx: LeadContext, kind: Kind, earliestMs: number, seed: string): Promise<number> {
    if (kind === 'linkedin_connect' || kind === 'linkedin_message') {
      const seat = await linkedin.system.firstSeat(await allocations.system.heldBy(ctx.lead.clientId, 'linkedin_seat'));
      const recent = seat ? await linkedin.system.sentSince(seat.id, new Date(earliestMs - 3_600_000)) : [];
      return nextSendTimeMs({
        channel: 'linkedin',
        zone: seat?.timezone ?? ctx.zone,
        now: earliestMs,
        seed,
        config: ctx.config,
        recentActions: recent,
        // The seat's window, and never on a public holiday of the recipient's region.
        recipient: { zone: ctx.zone, location: ctx.location },
      });
    }
    const channel = CHANNEL_OF_KIND[kind as StepKind];
    return nextSendTimeMs({ channel, zone: ctx.zone, location: ctx.location, now: earliestMs, seed, config: ctx.config });
  }

  return {
    /**
     * The lead's plan, its person claimed; with `startMs` (day 0) also the first planned step's
     * time (its next open window from its day), so the workflow needs no round trip for it.
     */
    async prepareLeadSequence(input: {
      version: 1;
      clientId: string;
      leadId: string;
      workflowId: string;
      nowMs?: number;
      startMs?: number;
    }): Promise<LeadPlan & { firstStepAtMs?: number }> {
      const now = input.nowMs ?? Date.now();
      const ctx = await contextOf(input.clientId, input.leadId);
      const facts = await leadFacts(ctx, now);
      const sup = await services.suppression.system.check(ctx.lead.email, ctx.lead.phoneE164);
      // One sequence at a time per person (by email or phone), across rows, campaigns and clients.
      let stopReason = leadStopReason(ctx.lead);
      if (!stopReason) {
        const claim = await people.system.claimSequence(ctx.lead, input.workflowId, now);
        if (!claim.claimed) stopReason = 'person_in_another_sequence';
      }
      const plan = leadPlan(facts, ctx.config, sup, ctx.zone, stopReason);
      // The steps skipped from the start (the tier does not allow them, no phone...) count as skipped touches (SYS-009).
      if (!plan.stopReason)
        for (const s of plan.steps) if (s.status === 'skipped') countStep(s.kind, { status: 'skipped', reason: s.skipReason ?? 'skipped' });
      const first = firstPlannedStep(plan);
      if (input.startMs === undefined || !first) return plan;
      const earliest = Math.max(input.startMs + first.day * DAY_MS, now);
      return { ...plan, firstStepAtMs: await stepTime(ctx, first.kind, earliest, stepSeed(input.leadId, first.step, 0)) };
    },

    /** The next open window at or after `earliestMs` in the recipient's zone (the seat's for LinkedIn). */
    async nextStepTime(input: {
      version: 1;
      clientId: string;
      leadId: string;
      kind: Kind;
      earliestMs: number;
      seed: string;
    }): Promise<{ atMs: number }> {
      return { atMs: await stepTime(await contextOf(input.clientId, input.leadId), input.kind, input.earliestMs, input.seed) };
    },

    /** Re-checks a step just before it runs (the compliance guard, domain/compliance.ts), after a fresh DNCR wash when one is due. */
    async precheckStep(input: {
      version: 1;
      clientId: string;
      leadId: string;
      kind: Kind;
      nowMs?: number;
    }): Promise<
      | { action: 'send' }
      | { action: 'skip'; reason: string }
      | { action: 'stop'; reason: GuardStopReason }
      | { action: 'reschedule'; notBeforeMs: number }
    > {
      const now = input.nowMs ?? Date.now();
      const ctx = await contextOf(input.clientId, input.leadId);
      const facts = await touchFacts(ctx, input.kind, now, { checkWindow: false });
      await washIfStale(ctx, facts, now);
      const d = decideTouch(facts, ctx.config);
      if (d.action === 'send') return { action: 'send' };
      if (d.action === 'reschedule') return { action: 'reschedule', notBeforeMs: d.notBeforeMs };
      return d;
    },

    /** The lead's invitation state; with `messageAfter` (an acceptance) also the message's planned time (LI-003). */
    async setLinkedInState(input: {
      version: 1;
      clientId: string;
      leadId: string;
      state: InvitationState;
      at?: string;
      messageAfter?: { earliestMs: number; seed: string };
    }): Promise<{ messageAtMs?: number } | void> {
      await linkedin.system.setLeadInvitations(input.leadId, input.state, input.at ? new Date(input.at) : undefined);
      const m = input.messageAfter;
      if (m)
        return { messageAtMs: await stepTime(await contextOf(input.clientId, input.leadId), 'linkedin_message', m.earliestMs, m.seed) };
    },

    async finishLeadSequence(input: { version: 1; clientId: string; leadId: string; state: string; stopReason?: string }) {
      const end: SequenceEnd =
        input.stopReason === 'replied' || input.stopReason === 'opted_out' || input.stopReason === 'meeting_booked'
          ? input.stopReason
          : input.stopReason === 'person_in_another_sequence'
            ? 'duplicate'
            : input.stopReason === 'campaign_stopped'
              ? 'cancelled'
              : 'completed';
      await leads.sequence.forTenant(input.clientId).markEnded(input.leadId, end);
      // The person is free for another sequence (a lead that was refused holds nothing).
      await people.system.releaseSequence(input.leadId);
    },
  };
}
