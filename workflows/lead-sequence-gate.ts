/**
 * What holds a lead's sequence between its steps, and the wait for a step's time: an operator's
 * pause (pause/resume signals) and a reply's hold (SYS-003): the reply's conversation
 * (conversation:{leadId}) holds the sequence, holds it until a time (an out-of-office's return: the
 * hold ends by itself) or releases it (stopping is the workflow's own). Until it decides, the
 * reply's fact on the lead keeps every step from sending (each step re-checks it).
 * Workflow code: deterministic, no I/O.
 */
import { condition } from '@temporalio/workflow';
import type { LeadProgress, ReplyHandled } from './contracts.js';

export function createSequenceGate(progress: LeadProgress) {
  let paused = false;
  let hold: { untilMs: number | null; reason: string } | undefined;
  /** Bumped by every decision about the hold, so a wait takes a new end at once. */
  let changes = 0;
  const held = () => hold !== undefined && (hold.untilMs === null || Date.now() < hold.untilMs);
  const blocked = () => paused || held();
  const stopped = () => Boolean(progress.stopReason);

  /** The progress shows what holds the sequence (not before it has started, nor after it stopped). */
  function showState() {
    if (progress.stopReason || progress.state === 'starting') return;
    progress.state = blocked() ? 'paused' : 'running';
    progress.replyHold =
      hold && held()
        ? { reason: hold.reason, ...(hold.untilMs !== null ? { until: new Date(hold.untilMs).toISOString() } : {}) }
        : undefined;
  }

  /** Waits while paused or held: a hold with an end ends by itself; a pause or an open hold by a signal. */
  async function whileBlocked() {
    while (!stopped() && blocked()) {
      const seen = changes;
      const woken = () => stopped() || !blocked() || changes !== seen;
      const endsInMs = !paused && hold?.untilMs != null ? hold.untilMs - Date.now() : undefined;
      if (endsInMs !== undefined) await condition(woken, Math.max(endsInMs, 1));
      else await condition(woken);
    }
    showState();
  }

  return {
    blocked,
    showState,
    pause() {
      paused = true;
      if (!progress.stopReason) progress.state = 'paused';
    },
    resume() {
      paused = false;
      showState();
    },
    /** The conversation decided (a stop is the caller's): hold, hold until, release. */
    decided(e: Pick<ReplyHandled, 'decision' | 'untilMs' | 'reason'>) {
      hold = e.decision === 'release' ? undefined : { untilMs: e.decision === 'hold_until' ? (e.untilMs ?? null) : null, reason: e.reason };
      changes++;
      showState();
    },
    /**
     * Sleeps until `atMs` (workflow time). 'stopped' when the sequence stopped meanwhile; 'late' when
     * a pause or hold outlasted `atMs` (the window may have closed: the caller plans the step again).
     */
    async sleepUntil(atMs: number): Promise<'due' | 'stopped' | 'late'> {
      for (;;) {
        const waitMs = atMs - Date.now();
        if (waitMs > 0) await condition(() => stopped() || blocked(), waitMs);
        if (stopped()) return 'stopped';
        if (blocked()) {
          await whileBlocked();
          if (stopped()) return 'stopped';
          if (Date.now() >= atMs) return 'late';
          continue;
        }
        if (Date.now() >= atMs) return 'due';
      }
    },
  };
}
