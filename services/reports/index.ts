/**
 * Client reporting (SYS-007): the overview of a range of days (overview.ts), the lead search across
 * campaigns (lead-search.ts) and the pages the CSV exports stream (exports.ts). Tenant path only:
 * every read runs under the client's row-level security.
 */
import type { Db } from '../../db/client.js';
import { createExports } from './exports.js';
import { searchLeads, type LeadSearch } from './lead-search.js';
import { overview, type DayRange } from './overview.js';

export function createReports(db: Db) {
  return {
    forTenant(clientId: string) {
      return {
        /** The overview of the days; null when `campaignId` is not one of the client's campaigns. */
        overview: (range: DayRange, campaignId?: string) => overview(db, clientId, range, campaignId),
        /** A page of the lead search; null when `campaignId` is not one of the client's campaigns. */
        searchLeads: (s: LeadSearch) => searchLeads(db, clientId, s),
        exports: createExports(db, clientId),
      };
    },
  };
}
export type Reports = ReturnType<typeof createReports>;
export { EXPORT_PAGE_SIZE, type LeadExportRow, type TouchExportRow } from './exports.js';
export type { FoundLead, LeadKey, LeadSearch } from './lead-search.js';
export { LEAD_STATUSES, REPORT_CHANNELS, REPORT_TIERS, daysOf, type DayRange, type Overview } from './overview.js';
