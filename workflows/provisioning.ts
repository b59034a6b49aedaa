/**
 * provisioning:{clientId} (RP-001, SYS-005, LI-001, RP-010). Started or signalled with
 * signalWithStart by the Stripe webhook. Each billing event is merged into the subscription
 * (order and repeats do not matter), then the client's allocation is brought to what it is
 * entitled to: an upgrade at once, a downgrade at the end of the period (a durable timer), a
 * cancellation hands over to churn-hold:{clientId}, a payment after a cancellation reactivates.
 * When the pool is short, the missing resources are bought (tagged per round, so never twice)
 * and the allocation is retried every 6 hours until complete. Idle for a day, the workflow ends;
 * the next event starts a new run.
 */
import {
  ApplicationFailure,
  ActivityFailure,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { createProvisioningActivities } from '../activities/provisioning.js';
import type { createPoolActivities } from '../activities/pool/index.js';
import type { createAlertActivities } from '../activities/alerts.js';
import type { createWorkflowStartActivities } from '../activities/workflow-starts.js';
import { activityProfiles } from './activity-profiles.js';
import {
  billingEventSignal,
  provisioningProgressQuery,
  reactivateSignal,
  resourcesChangedSignal,
  workflowIds,
  type BillingEventSignal,
  type ChurnHoldInput,
  type WarmupInput,
  type PoolCounts,
  type ProvisioningInput,
  type ProvisioningProgress,
} from './contracts.js';

const acts = proxyActivities<ReturnType<typeof createProvisioningActivities>>(activityProfiles.lifecycle);
const purchases = proxyActivities<ReturnType<typeof createPoolActivities>>(activityProfiles.purchase);

/** A short allocation is retried this often while its purchases warm up. */
const RETRY_ALLOCATION_MS = 6 * 3_600_000;
const IDLE = '1 day';
const MAX_EVENTS_PER_RUN = 200;
/**
 * History events a run may reach before it continues as new: weeks of 6-hourly allocation retries
 * (a pool warming up) add ~25 events each, and a worker replays the whole run after a cache miss.
 */
export const PROVISIONING_HISTORY_BUDGET = 500;
const HISTORY_BUDGET_PATCH = 'provisioning-history-budget';

const starts = proxyActivities<ReturnType<typeof createWorkflowStartActivities>>(activityProfiles.start);

/**
 * Start a workflow that outlives this run (a warmup, a churn hold); one already running is fine.
 * Through an activity, not as a child: its life must not depend on this run's continueAsNew.
 */
async function startDetached(
  workflowType: 'warmupWorkflow' | 'churnHoldWorkflow',
  workflowId: string,
  args: [WarmupInput] | [ChurnHoldInput],
): Promise<void> {
  await starts.startWorkflow({ version: 1, workflowType, workflowId, args });
}

const alerts = proxyActivities<ReturnType<typeof createAlertActivities>>(activityProfiles.lifecycle);

/**
 * Buy what the pool could not provide: domains (2 mailboxes each, warmup started), numbers,
 * seat requests (RP-004..008). A purchase that still fails after its retries raises an alert
 * and the rest go on. Returns what was bought.
 */
export async function buyMissing(
  missing: PoolCounts,
  tagPrefix: string,
  reason: string,
): Promise<{ domainIds: string[]; numbers: number; seatRequests: number }> {
  const domains = Math.max(missing.domains, Math.ceil(missing.mailboxes / 2));
  const started: string[] = [];
  let numbers = 0;
  let seatRequests = 0;
  const attempt = async (tag: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      await purchases.failPurchase({ version: 1, tag, error: err.cause?.message ?? err.message });
      await alerts.raiseAlert({
        version: 1,
        kind: 'pool_purchase_failed',
        severity: 'critical',
        dedupeKey: `purchase-failed:${tag}`,
        message: `Purchase ${tag} failed: ${err.cause?.message ?? err.message}`,
        data: { tag, reason },
        nowMs: Date.now(),
      });
    }
  };
  for (let k = 0; k < domains; k++) {
    const tag = `${tagPrefix}:domain:${k}`;
    await attempt(tag, async () => {
      const d = await purchases.buyPoolDomain({ version: 1, tag, reason, nowMs: Date.now() });
      await startDetached('warmupWorkflow', workflowIds.warmup(d.domainId), [{ version: 1, domainId: d.domainId }]);
      started.push(d.domainId);
    });
  }
  for (let k = 0; k < missing.phoneNumbers; k++) {
    const tag = `${tagPrefix}:number:${k}`;
    await attempt(tag, async () => {
      await purchases.buyPoolNumber({ version: 1, tag, reason, nowMs: Date.now() });
      numbers++;
    });
  }
  for (let k = 0; k < missing.linkedinSeats; k++) {
    const tag = `${tagPrefix}:seat:${k}`;
    await attempt(tag, async () => {
      await purchases.requestPoolSeat({ version: 1, tag, reason, nowMs: Date.now() });
      seatRequests++;
    });
  }
  return { domainIds: started, numbers, seatRequests };
}

export async function provisioningWorkflow(input: ProvisioningInput): Promise<ProvisioningProgress> {
  if (input.version !== 1) throw ApplicationFailure.nonRetryable(`unsupported input version ${String(input.version)}`, 'BadInput');
  const { clientId } = input;
  const queue: BillingEventSignal[] = [];
  let changed = true; // a new run always checks once
  let round = input.resume?.purchaseRound;
  const progress: ProvisioningProgress = {
    clientId,
    state: 'applying',
    heldTier: null,
    entitledTier: null,
    eventsApplied: input.resume?.eventsApplied ?? 0,
  };
  let eventsThisRun = 0;
  setHandler(billingEventSignal, (e) => void queue.push(e));
  setHandler(resourcesChangedSignal, () => void (changed = true));
  setHandler(provisioningProgressQuery, () => progress);

  let wakeAt: number | null = null; // downgrade date or allocation retry
  for (;;) {
    const timeout = wakeAt !== null ? Math.max(1, wakeAt - Date.now()) : IDLE;
    const woke = await condition(() => queue.length > 0 || changed, timeout);
    if (!woke && wakeAt === null) break; // idle: nothing pending
    changed = false;
    wakeAt = null;

    progress.state = 'applying';
    while (queue.length) {
      const event = queue.shift()!;
      await acts.applyBillingEvent({ version: 1, clientId, event });
      progress.eventsApplied++;
      eventsThisRun++;
    }

    const { plan, held, entitled, recentlyCancelled } = await acts.provisioningPlan({ version: 1, clientId, nowMs: Date.now() });
    progress.heldTier = held;
    progress.entitledTier = entitled;
    progress.missing = undefined;
    progress.downgrade = undefined;
    if (entitled && recentlyCancelled) {
      // A payment inside a churn hold is a reactivation (RP-010); no hold running is fine.
      try {
        await getExternalWorkflowHandle(workflowIds.churnHold(clientId)).signal(reactivateSignal, {
          at: new Date().toISOString(),
          reason: 'paid again',
        });
        progress.lastAction = 'reactivated';
      } catch {
        /* no churn hold running */
      }
    }
    switch (plan.kind) {
      case 'none':
        progress.state = 'idle';
        progress.lastAction = 'nothing to do';
        break;
      case 'churn':
        await startDetached('churnHoldWorkflow', workflowIds.churnHold(clientId), [
          { version: 1, clientId, cancelledAt: plan.cancelledAt },
        ]);
        progress.state = 'churned';
        progress.lastAction = `churn hold from ${plan.cancelledAt}`;
        break;
      case 'downgrade_at_period_end':
        progress.state = 'downgrade_scheduled';
        progress.downgrade = { tier: plan.tier, at: plan.at };
        progress.lastAction = `downgrade to ${plan.tier} at ${plan.at}`;
        wakeAt = Date.parse(plan.at);
        break;
      case 'allocate': {
        progress.state = 'allocating';
        if (round) {
          // Waiting for purchases: seats connected by an operator since then join the pool first.
          try {
            await purchases.reconcileSeats({ version: 1, nowMs: Date.now() });
          } catch (err) {
            if (!(err instanceof ActivityFailure)) throw err;
          }
        }
        const r = await acts.allocateClientResources({ version: 1, clientId, tier: plan.tier, nowMs: Date.now() });
        progress.heldTier = plan.tier;
        progress.lastAction = `allocated ${plan.tier}`;
        const moved = Object.values(r.added).some((n) => n > 0) || Object.values(r.released).some((n) => n > 0);
        if (moved) await starts.requestPoolCheck(); // the buffer just changed: measure it now
        if (r.complete) {
          round = undefined;
          progress.state = 'idle';
        } else {
          round ??= uuid4();
          progress.missing = r.missing;
          progress.state = 'purchasing';
          await buyMissing(r.missing, `provisioning:${clientId}:${round}`, workflowIds.provisioning(clientId));
          progress.state = 'waiting_for_pool';
          wakeAt = Date.now() + RETRY_ALLOCATION_MS;
        }
        break;
      }
    }
    // patched() only once over budget: a run recorded before this rule replays with it false, and goes on as it did.
    const overBudget = () => workflowInfo().historyLength >= PROVISIONING_HISTORY_BUDGET && patched(HISTORY_BUDGET_PATCH);
    if (queue.length === 0 && (eventsThisRun >= MAX_EVENTS_PER_RUN || workflowInfo().continueAsNewSuggested || overBudget())) {
      return continueAsNew<typeof provisioningWorkflow>({
        version: 1,
        clientId,
        resume: { eventsApplied: progress.eventsApplied, ...(round ? { purchaseRound: round } : {}) },
      });
    }
  }
  return progress;
}
