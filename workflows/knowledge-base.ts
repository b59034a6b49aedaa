/**
 * knowledge-base:{clientId} (VO-001): pushes a client's knowledge-base files to the voice provider
 * and keeps its query tool searching exactly them (activities/knowledge-base.ts), whenever a file
 * is added or removed (signal-with-start from the API). Requests during a sync fold into one more;
 * idle for an hour it ends (workflows/sync-on-change.ts).
 */
import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { createKnowledgeBaseActivities, KnowledgeBaseSyncResult } from '../activities/knowledge-base.js';
import { activityProfiles } from './activity-profiles.js';
import { syncOnChange } from './sync-on-change.js';
import {
  knowledgeBaseChangedSignal,
  knowledgeBaseProgressQuery,
  type KnowledgeBaseInput,
  type KnowledgeBaseProgress,
} from './contracts.js';

type Acts = ReturnType<typeof createKnowledgeBaseActivities>;
const acts = proxyActivities<Acts>(activityProfiles.knowledgeBase);

export async function knowledgeBaseWorkflow(input: KnowledgeBaseInput): Promise<KnowledgeBaseProgress> {
  if (input.version !== 1) throw new Error(`unsupported input version ${String(input.version)}`);
  const progress: KnowledgeBaseProgress = { clientId: input.clientId, runs: 0, requested: 0 };
  return syncOnChange<KnowledgeBaseSyncResult, KnowledgeBaseProgress>(
    progress,
    knowledgeBaseChangedSignal,
    knowledgeBaseProgressQuery,
    () => acts.syncKnowledgeBase({ version: 1, clientId: input.clientId, nowMs: Date.now() }),
    () => continueAsNew<typeof knowledgeBaseWorkflow>(input),
  );
}
