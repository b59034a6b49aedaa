/** What the onboarding activities take and return. */

/** A range of a campaign's source rows: one activity's batch. */
export interface LeadBatchInput {
  version: 1;
  clientId: string;
  campaignId: string;
  fromRow: number;
  toRow: number;
}

export interface ImportLeadBatchInput extends LeadBatchInput {
  /** Country used to read phone numbers written without a country prefix. */
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
  status: 'importing' | 'imported' | 'running' | 'failed';
  error?: string;
}
