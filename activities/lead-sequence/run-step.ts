/**
 * runStep: one step in one activity (issue 11, short histories): the re-check just before the
 * step (precheckStep, with its fresh DNCR wash), then the send (sendStep, exactly once under the
 * step's idempotency key), and the next planned time (the next step's, or this step's when it has
 * to wait: nextStepTime), so that a step costs the lead's history one activity instead of three. The same rules as the three activities apart.
 */
import type { createPlanActivities } from './plan.js';
import type { createSendStep } from './send-step.js';
import { countStep } from './step-metrics.js';
import type { Kind, LeadSequenceDeps, RunStepInput, RunStepResult } from './types.js';

export function createRunStep(
  { services }: Pick<LeadSequenceDeps, 'services'>,
  plan: Pick<ReturnType<typeof createPlanActivities>, 'precheckStep' | 'nextStepTime'>,
  send: Pick<ReturnType<typeof createSendStep>, 'sendStep'>,
) {
  /** A step's time from `earliestMs`; none when it cannot be planned now (the workflow plans it itself then). */
  async function timeOf(
    input: RunStepInput,
    kind: Kind | undefined,
    earliestMs: number,
    seed: string | undefined,
  ): Promise<number | undefined> {
    if (!kind || seed === undefined) return undefined;
    try {
      const { atMs } = await plan.nextStepTime({ version: 1, clientId: input.clientId, leadId: input.leadId, kind, earliestMs, seed });
      return atMs;
    } catch {
      return undefined;
    }
  }
  /** The next step's time, once this one is done. */
  const nextAt = async (input: RunStepInput) => {
    const atMs = await timeOf(input, input.next?.kind, input.next?.earliestMs ?? 0, input.next?.seed);
    return atMs === undefined ? {} : { nextAtMs: atMs };
  };
  /** This step's next time, when it has to wait until `notBeforeMs`. */
  const againAt = async (input: RunStepInput, notBeforeMs: number) => {
    const atMs = await timeOf(input, input.kind, Math.max(notBeforeMs, input.nowMs ?? Date.now()), input.againSeed);
    return atMs === undefined ? {} : { againAtMs: atMs };
  };

  return {
    async runStep(input: RunStepInput): Promise<RunStepResult> {
      // A retry after the send: the finished touch answers for itself, whatever the lead did since.
      const found = await services.touches.forTenant(input.clientId).byKey(input.idempotencyKey);
      if (found && 'done' in found) return { sent: found.done, ...(await nextAt(input)) };
      const check = await plan.precheckStep({
        version: 1,
        clientId: input.clientId,
        leadId: input.leadId,
        kind: input.kind,
        nowMs: input.nowMs,
      });
      if (check.action === 'stop') return { check };
      if (check.action === 'reschedule') return { check, ...(await againAt(input, check.notBeforeMs)) };
      if (check.action === 'skip') {
        countStep(input.kind, { status: 'skipped', reason: check.reason });
        return { check, ...(await nextAt(input)) };
      }
      const sent = await send.sendStep(input);
      if (sent.status === 'no_capacity' || sent.status === 'retry_later') return { sent, ...(await againAt(input, sent.notBeforeMs)) };
      return { sent, ...(await nextAt(input)) };
    },
  };
}
