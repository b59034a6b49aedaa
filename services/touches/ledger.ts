/**
 * The touch ledger of one client (row-level security on): every contact attempt is a touch row
 * keyed by the workflow's idempotency key. The send sequence every channel uses:
 *
 *   reserve (reservation.ts: caps + row, one transaction)
 *   -> deliver: mark the row "provider call started" -> call the provider -> record sent, or
 *      failed when the provider refuses for good (a transient failure is rethrown: Temporal
 *      retries the activity).
 *
 * A retry that finds the row sent or failed returns the recorded result; one that finds the call
 * started but no result does not call again (the outcome is unknown, the lead is not contacted
 * twice); one that finds a reserved row that never reached the provider discards it and reserves
 * again (its earlier cap unit stays counted: conservative, never over a cap). A transient refusal
 * that says the provider did nothing (429 rate limited, an SMTP 4xx reply) puts the row back to
 * reserved before it is rethrown: the retry sends, the touch is not lost.
 */
import type { Db, TenantTx } from '../../db/client.js';
import { ProviderError } from '../../providers/ports.js';
import type { CallEnded } from '../../domain/processes.js';
import { touchData, type TouchDraft } from './reservation.js';

/** The result of a touch that is over. */
export type TouchDone = { status: 'sent'; outcome: string; callId?: string } | { status: 'failed'; reason: string };

/** What a provider call of `deliver` returns: what to record, and what the step reports. */
export interface Delivered {
  provider: string;
  providerRef: string;
  /** Kept on the touch's outcome. */
  record: Record<string, unknown>;
  sentAtMs?: number;
  /** The step's outcome (message id, call placed, invitation state). */
  outcome: string;
  callId?: string;
}

/**
 * A transient refusal after which the provider has certainly not acted: a 429 (rate limited: the
 * request was refused as a whole) or an SMTP 4xx reply (RFC 5321: the action was not taken).
 * A 5xx, a timeout or a reset may come after the provider acted: their outcome stays unknown.
 */
export function refusedBeforeActing(err: unknown): boolean {
  if (!(err instanceof ProviderError) || !err.retryable || err.status === undefined) return false;
  if (err.status === 429) return true;
  return err.provider === 'smtp' && err.status >= 400 && err.status < 500;
}

/** Transient provider errors are rethrown for Temporal to retry; permanent ones become an outcome. */
function providerFailure(err: unknown): { status: 'failed'; reason: string } {
  if (err instanceof ProviderError && !err.retryable) return { status: 'failed', reason: `${err.provider}:${err.code}` };
  throw err;
}

export function createTouchLedger(db: Db) {
  return {
    forTenant(clientId: string) {
      const tenant = <T>(fn: (tx: TenantTx) => Promise<T>) => db.asTenant(clientId, fn);
      const ledger = {
        /** A finished touch answers for itself; a started one is never re-sent; a reserved one is returned by id. */
        async byKey(key: string): Promise<{ done: TouchDone } | { touchId: string } | null> {
          const t = await tenant((tx) => tx.touch.findUnique({ where: { idempotencyKey: key } }));
          if (!t) return null;
          if (t.status === 'sent' || t.status === 'delivered') {
            const o = (t.outcome ?? {}) as { callId?: string };
            return { done: { status: 'sent', outcome: t.providerRef ?? 'sent', callId: o.callId } };
          }
          if (t.status === 'failed') {
            return { done: { status: 'failed', reason: String((t.outcome as { reason?: string } | null)?.reason ?? 'failed') } };
          }
          if ((t.outcome as { phase?: string } | null)?.phase === 'provider_call') {
            const outcome = { reason: 'outcome_unknown_after_crash', phase: 'provider_call' };
            await tenant((tx) => tx.touch.update({ where: { id: t.id }, data: { status: 'failed', outcome } }));
            return { done: { status: 'failed', reason: 'outcome_unknown_after_crash' } };
          }
          return { touchId: t.id };
        },

        /** Removes a reserved touch that never reached the provider. */
        async discard(touchId: string): Promise<void> {
          await tenant((tx) => tx.touch.delete({ where: { id: touchId } }));
        },

        /** A touch without caps to reserve (a message in an existing LinkedIn conversation). */
        async open(draft: TouchDraft): Promise<string> {
          return (await tenant((tx) => tx.touch.create({ data: touchData(draft) }))).id;
        },

        async markInFlight(touchId: string): Promise<void> {
          await tenant((tx) => tx.touch.update({ where: { id: touchId }, data: { outcome: { phase: 'provider_call' } } }));
        },

        /** Back to reserved: the provider refused before acting (the retry discards it and reserves again). */
        async unmarkInFlight(touchId: string, refusal: string): Promise<void> {
          await tenant((tx) => tx.touch.update({ where: { id: touchId }, data: { outcome: { phase: 'refused', refusal } } }));
        },

        async recordSent(touchId: string, d: Omit<Delivered, 'outcome' | 'callId'>): Promise<void> {
          await tenant((tx) =>
            tx.touch.update({
              where: { id: touchId },
              data: {
                status: 'sent',
                sentAt: new Date(d.sentAtMs ?? Date.now()),
                provider: d.provider,
                providerRef: d.providerRef,
                outcome: { phase: 'done', ...d.record } as object,
              },
            }),
          );
        },

        async recordFailed(touchId: string, reason: string): Promise<void> {
          await tenant((tx) => tx.touch.update({ where: { id: touchId }, data: { status: 'failed', outcome: { phase: 'done', reason } } }));
        },

        /** The provider call of a reserved touch, recorded: see the file header. */
        async deliver(touchId: string, call: () => Promise<Delivered>): Promise<TouchDone> {
          await ledger.markInFlight(touchId);
          try {
            const d = await call();
            await ledger.recordSent(touchId, d);
            return { status: 'sent', outcome: d.outcome, ...(d.callId ? { callId: d.callId } : {}) };
          } catch (err) {
            if (refusedBeforeActing(err)) await ledger.unmarkInFlight(touchId, (err as ProviderError).code);
            const f = providerFailure(err);
            await ledger.recordFailed(touchId, f.reason);
            return f;
          }
        },

        /**
         * The lead's first email before `step` that went out (the thread a follow-up replies to):
         * sent or delivered, or handed to the SMTP server when a crash left its outcome unknown. That
         * one most likely went (the crash came during or after the provider call), its Message-ID
         * and mailbox were fixed before the call, so the follow-up still goes in its thread rather
         * than being lost with it.
         */
        firstSentEmail: (leadId: string, step: number) =>
          tenant((tx) =>
            tx.touch.findFirst({
              where: {
                leadId,
                channel: 'email',
                step: { lt: step },
                OR: [
                  { status: { in: ['sent', 'delivered'] } },
                  { status: 'failed', outcome: { path: ['reason'], equals: 'outcome_unknown_after_crash' } },
                ],
              },
              orderBy: { step: 'asc' },
            }),
          ),

        /**
         * A call's end: outcome, transcript and recording reference on the call's touch, and the
         * retry decided from it (VO-002..VO-006).
         */
        async recordCallOutcome(key: string, report: CallEnded, recording: { url: string } | null, retry?: object): Promise<void> {
          await tenant(async (tx) => {
            const t = await tx.touch.findUnique({ where: { idempotencyKey: key } });
            if (!t) return;
            const outcome = {
              ...((t.outcome as object) ?? {}),
              phase: 'done',
              call: { ...report, transcript: undefined },
              transcript: report.transcript ?? null,
              recording,
              ...(retry ? { retry } : {}),
            };
            await tx.touch.update({
              where: { id: t.id },
              data: { status: report.outcome === 'failed' ? 'failed' : 'delivered', outcome: outcome as object },
            });
          });
        },

        /**
         * How the other calls of the same lead and step as the call `key` ended, oldest first (those
         * with a recorded end; VO-006). The call `key` itself is left out, so asking again after its
         * end was recorded gives the same answer.
         */
        async otherCallOutcomes(key: string): Promise<string[]> {
          return tenant(async (tx) => {
            const t = await tx.touch.findUnique({ where: { idempotencyKey: key }, select: { leadId: true, step: true } });
            if (!t) return [];
            const rows = await tx.touch.findMany({
              where: { leadId: t.leadId, step: t.step, channel: 'voice', idempotencyKey: { not: key } },
              orderBy: { createdAt: 'asc' },
              select: { outcome: true },
            });
            return rows.flatMap((r) => {
              const ended = (r.outcome as { call?: { outcome?: unknown } } | null)?.call?.outcome;
              return typeof ended === 'string' ? [ended] : [];
            });
          });
        },

        /**
         * The later life of a connection request, noted on its touch (LI-002): e.g. withdrawn at
         * Unipile, when and with what answer. The first note of a state stands (a retry keeps it).
         */
        async noteInvitation(
          leadId: string,
          seatId: string,
          note: { state: string; at: string } & Record<string, unknown>,
        ): Promise<boolean> {
          return tenant(async (tx) => {
            const rows = await tx.touch.findMany({ where: { leadId, channel: 'linkedin', status: 'sent' }, orderBy: { createdAt: 'asc' } });
            const t = rows.find((r) => {
              const e = r.evidence as { seatId?: string; kind?: string };
              return e.seatId === seatId && e.kind !== 'post_accept_message';
            });
            if (!t) return false;
            const outcome = (t.outcome ?? {}) as { invitation?: { state?: string } };
            if (outcome.invitation?.state === note.state) return true;
            await tx.touch.update({ where: { id: t.id }, data: { outcome: { ...outcome, invitation: note } as object } });
            return true;
          });
        },
      };
      return ledger;
    },
  };
}
