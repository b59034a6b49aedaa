/**
 * The loop of a workflow that pushes something to a provider whenever it changes (crm-sync:{leadId},
 * knowledge-base:{clientId}): started with its first request (signal-with-start), it runs one
 * sync; requests that arrive while a sync runs are folded into one more sync. Idle for an hour it
 * ends, and the next change starts it again; after 100 syncs it continues as new. A sync whose
 * retries are spent (a provider down for long) is recorded as failed; the next change tries again.
 */
import { condition, setHandler, type QueryDefinition, type SignalDefinition } from '@temporalio/workflow';

const IDLE_MS = 60 * 60 * 1000;
const MAX_RUNS = 100;

export interface SyncProgress<R> {
  runs: number;
  requested: number;
  lastReason?: string;
  last?: { at: string } & (R | { status: 'failed'; reason: string });
}

export async function syncOnChange<R extends object, P extends SyncProgress<R>>(
  progress: P,
  signal: SignalDefinition<[{ reason: string }]>,
  query: QueryDefinition<P>,
  sync: () => Promise<R>,
  again: () => Promise<never>,
): Promise<P> {
  let requested = 0;
  setHandler(signal, (r) => {
    requested++;
    progress.requested = requested;
    progress.lastReason = r.reason;
  });
  setHandler(query, () => progress);
  let done = 0;
  while (progress.runs < MAX_RUNS) {
    if (done === requested && !(await condition(() => requested > done, IDLE_MS))) return progress;
    done = requested;
    let result: R | { status: 'failed'; reason: string };
    try {
      result = await sync();
    } catch (err) {
      result = { status: 'failed', reason: err instanceof Error ? err.message.slice(0, 300) : String(err) };
    }
    progress.runs++;
    progress.last = { at: new Date().toISOString(), ...result };
  }
  return again();
}
