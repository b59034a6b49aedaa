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

/**
 * Every run of a workflow, first to latest, following its continue-as-new chain: each run's
 * history (to assert a per-run history bound, or record one run that continued as new).
 */
export async function runHistories(
  client: { workflow: { getHandle(id: string, runId?: string): Pick<WorkflowHandle, 'fetchHistory'> } },
  workflowId: string,
  firstRunId: string,
): Promise<{ runId: string; handle: Pick<WorkflowHandle, 'fetchHistory'>; history: temporal.api.history.v1.IHistory }[]> {
  const runs = [];
  for (let runId: string | undefined = firstRunId; runId;) {
    const handle = client.workflow.getHandle(workflowId, runId);
    const history = await handle.fetchHistory();
    runs.push({ runId, handle, history });
    const last = history.events?.at(-1);
    runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return runs;
}
