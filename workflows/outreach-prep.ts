/**
 * The daily outreach preparation of one zone (SDK-002), started each morning by the zone's
 * `daily-outreach-prep:<zone>` Schedule (lib/schedules.ts) before the sending windows open: for
 * each client whose default zone it is, its open leads page by page (keyset, activities/
 * outreach-prep.ts: zones refreshed, scores re-computed, numbers re-washed, the day's steps
 * counted), then the day's capacity per channel against those steps, with an alert when the plan
 * exceeds it. Only counts pass through the workflow; it continues as new when its history grows
 * (a zone with many 10,000-lead campaigns), carrying the client and the cursor.
 */
import { ApplicationFailure, continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { createOutreachPrepActivities } from '../activities/outreach-prep.js';
import type { ChannelCounts } from '../domain/outreach-prep.js';
import { activityProfiles } from './activity-profiles.js';

const acts = proxyActivities<ReturnType<typeof createOutreachPrepActivities>>(activityProfiles.monitor);

export interface OutreachPrepInputV1 {
  version: 1;
  /** The IANA zone whose clients are prepared. */
  zone: string;
  /** Continued as new: where the previous run stopped, and what it had counted. */
  resume?: {
    clientIds: string[];
    index: number;
    afterId: string | null;
    nowMs: number;
    planned: ChannelCounts;
    totals: OutreachPrepResult;
  };
}

export interface OutreachPrepResult {
  clients: number;
  leads: number;
  zonesRefreshed: number;
  rescored: number;
  washed: number;
  washFailed: number;
  overCapacityClients: number;
  alerts: number;
}

// Not imported from domain/outreach-prep.ts: that module pulls the rule configuration (zod, luxon) into the bundle.
const zeroCounts = (): ChannelCounts => ({ email: 0, sms: 0, voice: 0, linkedin: 0 });

const empty = (): OutreachPrepResult => ({
  clients: 0,
  leads: 0,
  zonesRefreshed: 0,
  rescored: 0,
  washed: 0,
  washFailed: 0,
  overCapacityClients: 0,
  alerts: 0,
});

export async function dailyOutreachPrepWorkflow(input: OutreachPrepInputV1): Promise<OutreachPrepResult> {
  if (input?.version !== 1 || !input.zone) throw ApplicationFailure.nonRetryable('unsupported input', 'BadInput');
  const r = input.resume;
  // One "today" for the whole run (its start), so every page counts the same day.
  const nowMs = r?.nowMs ?? Date.now();
  const clientIds = r?.clientIds ?? (await acts.outreachPrepClients({ version: 1, zone: input.zone }));
  const totals = r?.totals ?? { ...empty(), clients: clientIds.length };
  let afterId = r?.afterId ?? null;
  let planned = r?.planned ?? zeroCounts();
  for (let i = r?.index ?? 0; i < clientIds.length; i++) {
    const clientId = clientIds[i]!;
    for (;;) {
      if (workflowInfo().continueAsNewSuggested) {
        await continueAsNew<typeof dailyOutreachPrepWorkflow>({
          version: 1,
          zone: input.zone,
          resume: { clientIds, index: i, afterId, nowMs, planned, totals },
        });
      }
      const page = await acts.prepareLeadPage({ version: 1, clientId, afterId, nowMs });
      totals.leads += page.leads;
      totals.zonesRefreshed += page.zonesRefreshed;
      totals.rescored += page.rescored;
      totals.washed += page.washed;
      totals.washFailed += page.washFailed;
      for (const c of Object.keys(planned) as (keyof ChannelCounts)[]) planned[c] += page.due[c];
      afterId = page.nextAfterId;
      if (!afterId) break;
    }
    const cap = await acts.checkDayCapacity({ version: 1, clientId, nowMs, planned });
    if (cap.over.length) totals.overCapacityClients++;
    if (cap.alerted) totals.alerts++;
    planned = zeroCounts();
  }
  return totals;
}
