/**
 * Recorded workflow histories for replay tests (DESIGN.md convention 2): run the workflow tests
 * with RECORD_HISTORIES=1 to (re)write test/workflows/histories/<name>.history.b64; test/workflows/
 * replay.test.ts replays every file with the current workflow code, so a change that breaks
 * determinism (without patched()) fails CI.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

export const historiesDir = path.resolve(import.meta.dirname, '../workflows/histories');

export async function recordHistory(name: string, handle: Pick<WorkflowHandle, 'fetchHistory'>): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  const history = await handle.fetchHistory();
  // Protobuf binary (base64): exact, and independent of the JSON codec's runtime patches.
  writeFileSync(
    path.join(historiesDir, `${name}.history.b64`),
    Buffer.from(temporal.api.history.v1.History.encode(history).finish()).toString('base64'),
  );
}
