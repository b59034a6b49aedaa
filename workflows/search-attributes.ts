/**
 * A lead sequence's search attributes kept current as its state changes (SYS-009, "Temporal Web UI
 * for ops"): LeadState, NextStepAt, Channel (the next step's), StopReason, and LeadTier once
 * planned. Only changed values are upserted, so a state that did not move adds nothing to the
 * history. The keys are domain/search-attributes.ts's (typed like the SDK's search attribute keys).
 *
 * Upserts are new commands: histories recorded before the patch 'search-attributes' replay
 * without them, and a sequence started without ClientId (started by an older release, or where
 * the attributes are not registered) is never upserted either, so such a workflow never fails
 * on an attribute the server does not know. Workflow code: deterministic, no I/O.
 */
import type { createSequenceGate } from './lead-sequence-gate.js';
import { patched, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { SEARCH_ATTRIBUTE_KEYS as K, type LeadState } from '../domain/search-attributes.js';
import type { LeadProgress } from './contracts.js';

export const SEARCH_ATTRIBUTES_PATCH = 'search-attributes';

/** What the sequence is doing, as far as the progress does not say it. */
export interface LeadIndexState {
  /** Sleeping until the next step's time (progress.next). */
  waiting: boolean;
  /** An operator's pause or a reply's hold. */
  blocked: boolean;
}

interface Indexed {
  tier: string | null;
  state: LeadState | null;
  nextAtMs: number | null;
  channel: string | null;
  stopReason: string | null;
}

/** The lead's state as operators search it. */
export function leadState(progress: LeadProgress, s: LeadIndexState): LeadState {
  if (progress.stopReason || progress.state === 'stopped') return 'stopped';
  if (progress.state === 'completed') return 'completed';
  if (s.blocked) return 'paused';
  return s.waiting ? 'waiting' : 'running';
}

/**
 * Keeps a lead sequence's search attributes in step with its progress: call `update()` after each
 * change of state (or `ended()` as the run ends by an exception). A no-op for workflows indexed by nothing.
 */
export function createLeadIndex(progress: LeadProgress, s: () => LeadIndexState) {
  // What it started with (the gateway's: services/workflow-gateway.ts); ClientId is never cleared.
  const started = workflowInfo().typedSearchAttributes;
  const indexed = started.get(K.clientId) !== undefined;
  const last: Indexed = {
    tier: started.get(K.leadTier) ?? null,
    state: (started.get(K.leadState) as LeadState | undefined) ?? null,
    nextAtMs: null,
    channel: null,
    stopReason: null,
  };
  const on = () => indexed && patched(SEARCH_ATTRIBUTES_PATCH);

  function upsert(next: Indexed) {
    const pairs: SearchAttributeUpdatePair[] = [];
    if (next.tier !== last.tier && next.tier !== null) pairs.push({ key: K.leadTier, value: next.tier });
    if (next.state !== last.state && next.state !== null) pairs.push({ key: K.leadState, value: next.state });
    if (next.nextAtMs !== last.nextAtMs) pairs.push({ key: K.nextStepAt, value: next.nextAtMs === null ? null : new Date(next.nextAtMs) });
    if (next.channel !== last.channel) pairs.push({ key: K.channel, value: next.channel });
    if (next.stopReason !== last.stopReason) pairs.push({ key: K.stopReason, value: next.stopReason });
    if (!pairs.length || !on()) return;
    upsertSearchAttributes(pairs);
    Object.assign(last, next);
  }

  const current = (state: LeadState): Indexed => {
    const next = progress.next;
    const open = state === 'waiting' || state === 'paused';
    return {
      tier: progress.tier ?? null,
      state,
      nextAtMs: open && next ? Date.parse(next.plannedAt) : null,
      channel: open && next ? (progress.steps.find((x) => x.step === next.step)?.channel ?? null) : null,
      stopReason: progress.stopReason ?? null,
    };
  };

  return {
    update: () => upsert(current(leadState(progress, s()))),
    /** The run ends by an exception: 'failed', or 'stopped' when it was cancelled. */
    ended: (state: 'failed' | 'stopped') => upsert({ ...current(state), nextAtMs: null, channel: null }),
  };
}

/** How the sequence tells its search attributes what it is doing. */
type SequenceGate = ReturnType<typeof createSequenceGate>;

export interface Indexing {
  index: ReturnType<typeof createLeadIndex>;
  gated(gate: SequenceGate): void;
  waiting(waiting: boolean): void;
}
