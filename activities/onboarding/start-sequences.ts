/**
 * The start of a batch's lead sequences (SYS-001; issue 11: onboarding at the speed of Temporal).
 * The batch is planned at once: its leads with their client and campaign in one query, the people
 * and the suppression list in bulk, every person claimed in one transaction (services/people.ts:
 * one sequence per person, across rows, campaigns and clients), each plan and its first step's
 * time computed here (domain rules, no I/O); then the lead:{leadId} workflows are started a few
 * dozen at a time, each with its plan, so a new lead's history is its start and one timer.
 * Idempotent: a retry plans again (claiming again for the same lead is a no-op) and a started
 * lead is never started twice (Temporal refuses a second run of lead:{leadId}).
 * SYS-007: a stopped campaign starts no sequence, a paused one starts them paused; a pause, resume
 * or stop that came while the batch started them is sent to the batch's sequences at its end (the
 * campaign-control pass may have paged past them before they were started).
 */
import { Context } from '@temporalio/activity';
import { CHANNEL_OF_KIND, type StepKind } from '../../domain/config.js';
import { firstPlannedStep, leadPlan, leadStopReason, stepSeed, type LeadPlan } from '../../domain/lead-plan.js';
import { SIGNAL_NAMES, WORKFLOW_TYPES, workflowIds, type LeadSequenceInput, type StopRequest } from '../../domain/processes.js';
import { nextSendTimeMs } from '../../domain/windows.js';
import type { Services } from '../../services/index.js';
import type { LeadContext } from '../../services/leads/sequence.js';
import { leadFactsOf } from '../lead-sequence/facts.js';
import type { LeadBatchInput } from './types.js';

/** Workflow starts in flight at once: enough to keep the server busy, few enough not to crowd one worker's connection. */
const STARTS_IN_FLIGHT = 32;

const DAY_MS = 86_400_000;

/** The first planned step's next open window from its day (LinkedIn steps are left to the workflow: the seat's pacing decides them). */
function firstStepAtMs(ctx: LeadContext, plan: LeadPlan, startMs: number): number | undefined {
  const first = firstPlannedStep(plan);
  if (!first || first.channel === 'linkedin') return undefined;
  return nextSendTimeMs({
    channel: CHANNEL_OF_KIND[first.kind as StepKind],
    zone: ctx.zone,
    location: ctx.location,
    now: startMs + first.day * DAY_MS,
    seed: stepSeed(ctx.lead.id, first.step, 0),
    config: ctx.config,
  });
}

/** Runs `fn` over `items` with at most `limit` in flight; the first failure fails the whole (after the others settle). */
async function inFlight<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  const results = await Promise.allSettled(lanes);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
}

/** What the campaign's status (SYS-007) makes of a new sequence: run, start paused, or not start. */
type StartAs = 'run' | 'paused' | 'stopped';

export function createStartSequenceActivities({ services }: { services: Services }) {
  const { leads, gateway, allocations, suppression, people, campaigns } = services;
  const startAs = async (input: LeadBatchInput): Promise<StartAs> => {
    const status = (await campaigns.forTenant(input.clientId).get(input.campaignId))?.status;
    return status === 'stopped' || status === 'paused' ? status : 'run';
  };
  /** The campaign changed while the batch was started: its sequences take the change. */
  const follow = (workflowId: string, now: StartAs) => {
    const stop: StopRequest = { reason: 'campaign_stopped' };
    if (now === 'stopped') return gateway.signal(workflowId, SIGNAL_NAMES.stop, stop);
    if (now === 'paused') return gateway.signal(workflowId, SIGNAL_NAMES.pause, { reason: 'campaign_paused' });
    return gateway.signal(workflowId, SIGNAL_NAMES.resume);
  };
  return {
    /** Plans and starts lead:{leadId} for every lead of the batch that is not Dead and not started and ended already. */
    async startSequencesBatch(input: LeadBatchInput): Promise<{ started: number }> {
      const as = await startAs(input);
      if (as === 'stopped') return { started: 0 };
      const ids = await leads.onboarding.forTenant(input.clientId).toStart(input);
      if (!ids.length) return { started: 0 };
      const nowMs = Date.now();
      const order = new Map(ids.map((id, i) => [id, i]));
      // In source-row order: the first row of a person listed twice is the one that gets the sequence.
      const ctxs = (await leads.sequence.forTenant(input.clientId).contexts(ids)).sort(
        (a, b) => order.get(a.lead.id)! - order.get(b.lead.id)!,
      );
      const seat = (await allocations.system.heldBy(input.clientId, 'linkedin_seat')).length > 0;
      const sup = await suppression.system.checkMany(ctxs.map((c) => ({ email: c.lead.email, phone: c.lead.phoneE164 })));
      const plans = ctxs.map((ctx, i) => leadPlan(leadFactsOf(ctx, nowMs, seat), ctx.config, sup[i]!, ctx.zone, leadStopReason(ctx.lead)));
      const claiming = ctxs.flatMap((ctx, i) => (plans[i]!.stopReason ? [] : [i]));
      const claims = await people.system.claimSequences(
        claiming.map((i) => ({ lead: ctxs[i]!.lead, keys: ctxs[i]!.person, workflowId: workflowIds.lead(ctxs[i]!.lead.id) })),
        nowMs,
      );
      claiming.forEach((i, j) => {
        if (!claims[j]!.claimed) plans[i]!.stopReason = 'person_in_another_sequence';
      });
      Context.current().heartbeat('planned');

      const startAt = new Date(nowMs).toISOString();
      await inFlight(
        ctxs.map((ctx, i) => [ctx, plans[i]!] as const),
        STARTS_IN_FLIGHT,
        async ([ctx, plan]) => {
          const at = firstStepAtMs(ctx, plan, nowMs);
          const args: [LeadSequenceInput] = [
            {
              version: 1,
              clientId: input.clientId,
              campaignId: input.campaignId,
              leadId: ctx.lead.id,
              startAt,
              plan,
              ...(at === undefined ? {} : { firstStepAtMs: at }),
              ...(as === 'paused' ? { paused: { reason: 'campaign_paused' } } : {}),
            },
          ];
          // 'already_running': started by an earlier attempt of this activity (or started and ended: never again).
          await gateway.start(WORKFLOW_TYPES.lead, workflowIds.lead(ctx.lead.id), args, {
            memo: { clientId: input.clientId, campaignId: input.campaignId },
            once: true,
          });
          Context.current().heartbeat(ctx.lead.id);
        },
      );
      const now = await startAs(input);
      if (now !== as) await inFlight(ctxs, STARTS_IN_FLIGHT, async (ctx) => void (await follow(workflowIds.lead(ctx.lead.id), now)));
      return { started: ctxs.length };
    },
  };
}
