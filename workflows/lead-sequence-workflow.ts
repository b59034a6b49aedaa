/**
 * The lead sequence workflow (AD-001..004 and the rest: lead-sequence.ts) with its search
 * attributes kept current for operators (SYS-009): LeadState, NextStepAt, Channel, StopReason
 * upserted as the sequence moves (workflows/search-attributes.ts), and a failed or cancelled run
 * marked so.
 */
import { isCancellation } from '@temporalio/workflow';
import type { createSequenceGate } from './lead-sequence-gate.js';
import { leadSequence } from './lead-sequence.js';
import { createLeadIndex } from './search-attributes.js';
import type { LeadProgress, LeadSequenceInput } from './contracts.js';

export async function leadSequenceWorkflow(input: LeadSequenceInput): Promise<LeadProgress> {
  const progress: LeadProgress = { leadId: input.leadId, state: 'starting', steps: [] };
  // SYS-009: LeadState, NextStepAt, Channel, StopReason kept current for operators' searches.
  let waiting = false;
  let gate: ReturnType<typeof createSequenceGate> | undefined;
  const index = createLeadIndex(progress, () => ({ waiting, blocked: gate?.blocked() ?? false }));
  try {
    return await leadSequence(input, progress, {
      index,
      gated: (g) => void (gate = g),
      // Waiting for a step's time is searched; the step's own run is not (one upsert per step, not two).
      waiting: (w) => {
        waiting = w;
        if (w) index.update();
      },
    });
  } catch (err) {
    // A failed (or cancelled) run says so in its search attributes too, its next step cleared.
    index.ended(isCancellation(err) ? 'stopped' : 'failed');
    throw err;
  }
}
