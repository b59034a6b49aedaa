/**
 * The contract between the API and the workflows: ids, task queues, input types, signals and
 * queries. The one workflows/ file that api/ imports. Inputs are versioned objects; evolve them
 * by adding a version, never by changing the meaning of a field.
 */
import { defineQuery } from '@temporalio/workflow';

export const DEFAULT_TASK_QUEUE = 'agency-os';

export const workflowIds = {
  onboarding: (campaignId: string) => `onboarding:${campaignId}`,
  lead: (leadId: string) => `lead:${leadId}`,
  warmup: (domainId: string) => `warmup:${domainId}`,
  provisioning: (clientId: string) => `provisioning:${clientId}`,
  churnHold: (clientId: string) => `churn-hold:${clientId}`,
} as const;

// ---- Onboarding (SYS-001) ----------------------------------------------------------------

export interface OnboardingInputV1 {
  version: 1;
  clientId: string;
  campaignId: string;
  /** Number of staged rows (1..leadTotal) to import. */
  leadTotal: number;
  /** Country used to read phone numbers written without a country prefix. */
  defaultCountry: string;
  /** Rows per import activity. */
  batchSize: number;
  /** Set by continueAsNew: where the previous run stopped. */
  resume?: { nextRow: number; progress: OnboardingProgress };
}
export type OnboardingInput = OnboardingInputV1;

export type OnboardingStage = 'queued' | 'importing' | 'imported' | 'failed';

export interface OnboardingProgress {
  stage: OnboardingStage;
  total: number;
  imported: number;
  /** Leads stored without a usable phone because the number given could not be read. */
  invalidPhones: number;
  batchesDone: number;
  startedAt: string;
  updatedAt: string;
  error?: string;
}

export const onboardingProgressQuery = defineQuery<OnboardingProgress>('onboardingProgress');

export interface ImportLeadBatchInput {
  version: 1;
  clientId: string;
  campaignId: string;
  fromRow: number;
  toRow: number;
  defaultCountry: string;
}

export interface ImportLeadBatchResult {
  rowsRead: number;
  /** Rows newly inserted by this call (0 when a retry finds them already stored). */
  inserted: number;
  invalidPhones: number;
  /** Leads of the campaign in Postgres after this batch: the authoritative count. */
  importedTotal: number;
}

export interface SetCampaignStatusInput {
  version: 1;
  clientId: string;
  campaignId: string;
  status: 'importing' | 'imported' | 'failed';
  error?: string;
}
