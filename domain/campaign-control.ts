/**
 * What a client may do with a whole campaign (SYS-007): pause, resume or stop it, decided from the
 * campaign's status as the API shows it and the client's own status. Pure: no I/O.
 *
 * | status                                             | pause    | resume             | stop     |
 * | draft, importing, imported, enriching, scoring     | paused   | 409 not_paused     | stopped  |
 * | running                                            | paused   | running (a repeat) | stopped  |
 * | paused                                             | paused (a repeat) | running   | stopped  |
 * | failed                                             | 409 campaign_failed | 409 campaign_failed | stopped |
 * | stopped                                            | 409 campaign_stopped (stop is final; a repeated stop is 202) |
 *
 * A campaign still onboarding may be paused or stopped: the sequences its onboarding starts later
 * start paused, or do not start. A repeat is accepted (202) and reaches every lead again, so a
 * request whose leads could not be reached (the workflow service was down) can simply be retried.
 * A churned client's sequences are held by its churn hold: a campaign of it is not resumed.
 */
import type { CampaignAction } from './processes.js';

/** A campaign's status (`stopped`: a client stopped it; final). */
export type CampaignStatusView =
  'draft' | 'importing' | 'imported' | 'enriching' | 'scoring' | 'running' | 'paused' | 'stopped' | 'completed' | 'failed';

/** What a control request leaves the campaign as. */
export type ControlledStatus = 'paused' | 'running' | 'stopped';

export type ControlDecision =
  | { ok: true; status: ControlledStatus }
  | { ok: false; code: 'campaign_stopped' | 'campaign_failed' | 'not_paused' | 'client_churned'; message: string };

const NEXT: Record<CampaignAction, ControlledStatus> = { pause: 'paused', resume: 'running', stop: 'stopped' };

export function decideCampaignControl(status: CampaignStatusView, action: CampaignAction, clientStatus: string): ControlDecision {
  if (status === 'stopped') {
    return action === 'stop'
      ? { ok: true, status: 'stopped' }
      : { ok: false, code: 'campaign_stopped', message: `the campaign was stopped (final): it cannot ${action}` };
  }
  if (action === 'stop') return { ok: true, status: 'stopped' };
  if (status === 'failed') {
    return {
      ok: false,
      code: 'campaign_failed',
      message: `the campaign's onboarding failed: nothing runs to ${action} (stop is possible)`,
    };
  }
  if (action === 'resume') {
    if (clientStatus === 'churned') {
      return {
        ok: false,
        code: 'client_churned',
        message: "the client's subscription ended: its sequences stay paused until it is reactivated",
      };
    }
    if (status !== 'paused' && status !== 'running') {
      return { ok: false, code: 'not_paused', message: `the campaign is not paused (it is ${status}): nothing to resume` };
    }
  }
  return { ok: true, status: NEXT[action] };
}
