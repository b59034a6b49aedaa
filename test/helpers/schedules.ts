/** The schedule sync on a namespace just registered (the tests that keep schedules in a namespace of their own). */
import type { Client } from '@temporalio/client';
import { syncSchedules } from '../../lib/schedules.js';
import { waitFor } from './context.js';

/** A new namespace may take a moment to reach every part of the server: the sync is idempotent, so it is tried again. */
export function syncSchedulesOnNewNamespace(temporal: Client, taskQueue: string): Promise<true> {
  return waitFor(
    () =>
      syncSchedules(temporal, taskQueue).then(
        () => true as const,
        () => false as const,
      ),
    { what: 'the schedule sync', timeoutMs: 60_000, intervalMs: 500 },
  );
}
