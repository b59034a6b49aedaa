/**
 * The contracts of the processes that push a change to a provider whenever it happens
 * (workflows/sync-on-change.ts): `crm-sync:{leadId}` (SYS-004) and `knowledge-base:{clientId}`
 * (VO-001). Re-exported by workflows/contracts.ts.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import { QUERY_NAMES, SIGNAL_NAMES, type CrmSyncRequest, type KnowledgeBaseChange } from '../domain/processes.js';
import type { CrmSyncResult } from '../activities/crm-sync.js';
import type { KnowledgeBaseSyncResult } from '../activities/knowledge-base.js';
import type { SyncProgress } from './sync-on-change.js';

export interface CrmSyncProgress extends SyncProgress<CrmSyncResult> {
  leadId: string;
}
export const crmSyncSignal = defineSignal<[CrmSyncRequest]>(SIGNAL_NAMES.crmSync);
export const crmSyncProgressQuery = defineQuery<CrmSyncProgress>(QUERY_NAMES.crmSyncProgress);

export interface KnowledgeBaseProgress extends SyncProgress<KnowledgeBaseSyncResult> {
  clientId: string;
}
export const knowledgeBaseChangedSignal = defineSignal<[KnowledgeBaseChange]>(SIGNAL_NAMES.knowledgeBaseChanged);
export const knowledgeBaseProgressQuery = defineQuery<KnowledgeBaseProgress>(QUERY_NAMES.knowledgeBaseProgress);
