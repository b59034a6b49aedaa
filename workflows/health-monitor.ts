/**
 * The health monitor (RP-009, ED-004, LI-006), run daily by the `health-monitor` Temporal
 * Schedule: domains classified from 30 days of bounces and complaints (warning -> 35/day and an
 * alert, critical -> paused), domains Critical for 7+ days retired and their clients given a
 * replacement, LinkedIn seats paused or throttled; the figures are kept as snapshots.
 */
import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { createHealthActivities } from '../activities/health.js';
import type { HealthMonitorInputV1 } from './contracts.js';
import { activityProfiles } from './activity-profiles.js';

const health = proxyActivities<ReturnType<typeof createHealthActivities>>(activityProfiles.monitor);

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
  const domains = await health.checkDomainHealth({ version: 1, nowMs: Date.now() });
  for (const domainId of domains.retire) await health.retireDomain({ version: 1, domainId, nowMs: Date.now() });
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
