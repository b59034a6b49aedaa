/**
 * The inputs and requests of the processes that push a change to a provider whenever it happens
 * (workflows/sync-on-change.ts): a lead's deal to the client's CRM, a client's documents to the
 * voice provider. Pure data, re-exported by domain/processes.ts with the other processes' names.
 */

// ---- Meetings, deals, CRM (SYS-004) -------------------------------------------------------------

export interface CrmSyncInputV1 {
  version: 1;
  clientId: string;
  leadId: string;
}
export type CrmSyncInput = CrmSyncInputV1;

/** Something of the lead's deal changed (a booking, a reschedule, a cancellation): push it to the CRM. */
export interface CrmSyncRequest {
  reason: string;
}

// ---- The voice knowledge base (VO-001) -----------------------------------------------------------

export interface KnowledgeBaseInputV1 {
  version: 1;
  clientId: string;
}
export type KnowledgeBaseInput = KnowledgeBaseInputV1;

/** A client's knowledge-base files changed (a file added or removed): push them to the voice provider. */
export interface KnowledgeBaseChange {
  reason: string;
}
