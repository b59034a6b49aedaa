/**
 * The health monitor (RP-009, ED-004, LI-006), run daily by the `health-monitor` Temporal
 * Schedule: domains classified from 30 days of bounces and complaints (warning -> 35/day and an
 * alert, critical -> paused), domains Critical for 7+ days retired and their clients given a
 * replacement, LinkedIn seats paused or throttled; the figures are kept as snapshots. Retirements
 * go RETIRE_PER_RUN to a run: past that the run continues as new with the rest (the day's check is
 * carried, not repeated), so a bad day for many domains never makes one long history.
 */
import { ApplicationFailure, continueAsNew, patched, proxyActivities } from '@temporalio/workflow';
import type { createHealthActivities } from '../activities/health.js';
import type { HealthMonitorInputV1 } from './contracts.js';
import { activityProfiles } from './activity-profiles.js';

const health = proxyActivities<ReturnType<typeof createHealthActivities>>(activityProfiles.monitor);

/** Domains retired per run (each adds ~6 events to the history). */
export const RETIRE_PER_RUN = 20;
const RETIRE_IN_RUNS = 'health-monitor-retire-in-runs';

export interface HealthMonitorResult {
  domainsChecked: number;
  byClass: Record<'good' | 'warning' | 'critical', number>;
  retired: string[];
  seatsChecked: number;
  seatsPaused: number;
  seatsThrottled: number;
}

export async function healthMonitorWorkflow(input: HealthMonitorInputV1 = { version: 1 }): Promise<HealthMonitorResult> {
  if (input.version !== 1) throw ApplicationFailure.nonRetryable(`unsupported input version ${String(input.version)}`, 'BadInput');
  const domains = input.resume?.domains ?? (await health.checkDomainHealth({ version: 1, nowMs: Date.now() }));
  const from = input.resume?.retired ?? 0;
  for (let i = from; i < domains.retire.length; i++) {
    // patched() only once past the per-run count: runs recorded before this rule replay as they ran.
    if (i - from >= RETIRE_PER_RUN && patched(RETIRE_IN_RUNS))
      return continueAsNew<typeof healthMonitorWorkflow>({ version: 1, resume: { domains, retired: i } });
    await health.retireDomain({ version: 1, domainId: domains.retire[i]!, nowMs: Date.now() });
  }
  const seats = await health.checkSeatHealth({ version: 1, nowMs: Date.now() });
  return {
    domainsChecked: domains.checked,
    byClass: domains.byClass,
    retired: domains.retire,
    seatsChecked: seats.checked,
    seatsPaused: seats.paused,
    seatsThrottled: seats.throttled,
  };
}
