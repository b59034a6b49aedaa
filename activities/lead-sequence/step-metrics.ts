/**
 * What a lead's steps come to, counted for Prometheus (SYS-009, lib/metrics.ts): touches_total by
 * channel, outcome and reason, and cap_refusals_total by channel and cap. Called with fresh results
 * only (a result read back from the touch ledger was counted when it was decided).
 */
import { capRefusalsTotal, metricLabel, touchesTotal } from '../../lib/metrics.js';
import type { Kind, SendResult } from './types.js';
import { channelOf } from '../../domain/step-kinds.js';

/** The channel of a step's kind, as touches_total and cap_refusals_total label it. */

/** Counts a step's result; a refusal for capacity (no_capacity, or the client's call slots busy) is a cap refusal too. */
export function countStep(kind: Kind, result: SendResult | { status: 'skipped'; reason: string }): void {
  const channel = channelOf(kind);
  const reason = 'reason' in result ? result.reason : undefined;
  touchesTotal.inc({ channel, outcome: result.status, reason: result.status === 'sent' ? 'none' : metricLabel(reason) });
  if (result.status === 'no_capacity' || (result.status === 'retry_later' && reason === 'client_calls_busy'))
    capRefusalsTotal.inc({ channel, kind: metricLabel(reason) });
}
