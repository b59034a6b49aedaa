/**
 * What campaign-control:{campaignId} does outside the workflow (SYS-007): the action the
 * campaign's status asks for now (the latest request's), a keyset page of the campaign's lead
 * sequences, and one page's sequences signalled (pause, resume or stop). A sequence that has ended
 * takes no signal: it is counted, never an error. Safe to retry: a repeated pause, resume or stop
 * changes nothing more.
 */
import { Context } from '@temporalio/activity';
import { SIGNAL_NAMES, type CampaignAction, type PauseRequest, type StopRequest } from '../domain/processes.js';
import type { Services } from '../services/index.js';

export interface CampaignRef {
  version: 1;
  clientId: string;
  campaignId: string;
}

export interface CampaignSequencePageInput extends CampaignRef {
  /** Source row of the last lead of the previous page (0: from the first). */
  afterRow: number;
  limit: number;
}

export interface CampaignSequencePage {
  workflowIds: string[];
  /** The next page's cursor. */
  lastRow: number;
}

export interface SignalCampaignSequencesInput {
  version: 1;
  action: CampaignAction;
  /** The client's reason, kept with the pause or stop. */
  reason?: string;
  workflowIds: string[];
}

export interface SignalCampaignSequencesResult {
  /** Sequences that took the signal. */
  signalled: number;
  /** Sequences that had ended already (nothing to pause, resume or stop). */
  finished: number;
}

/** Signals in flight at once: a page of 200 in about ten rounds, without crowding the connection. */
const SIGNALS_IN_FLIGHT = 20;

export function createCampaignControlActivities({ services }: { services: Pick<Services, 'campaigns' | 'gateway'> }) {
  const { campaigns, gateway } = services;

  const signalOne = (workflowId: string, action: CampaignAction, reason?: string) => {
    if (action === 'pause') return gateway.signal<[PauseRequest]>(workflowId, SIGNAL_NAMES.pause, { reason: reason ?? 'campaign_paused' });
    if (action === 'resume') return gateway.signal<[]>(workflowId, SIGNAL_NAMES.resume);
    const stop: StopRequest = { reason: 'campaign_stopped', ...(reason ? { note: reason } : {}) };
    return gateway.signal<[StopRequest]>(workflowId, SIGNAL_NAMES.stop, stop);
  };

  return {
    /**
     * The action the campaign's status asks for: pause (paused), stop (stopped), resume (anything
     * else: running, or onboarding's own status); null when the campaign no longer exists.
     */
    async campaignControlAction(input: CampaignRef): Promise<{ action: CampaignAction | null }> {
      const campaign = await campaigns.forTenant(input.clientId).get(input.campaignId);
      if (!campaign) return { action: null };
      return { action: campaign.status === 'paused' ? 'pause' : campaign.status === 'stopped' ? 'stop' : 'resume' };
    },

    /** The campaign's next page of lead sequences (source-row order, keyset). */
    campaignSequencePage: (input: CampaignSequencePageInput): Promise<CampaignSequencePage> =>
      campaigns.forTenant(input.clientId).sequencePage(input.campaignId, input.afterRow, input.limit),

    /** Signals every sequence of the page; heartbeats as it goes. */
    async signalCampaignSequences(input: SignalCampaignSequencesInput): Promise<SignalCampaignSequencesResult> {
      const result = { signalled: 0, finished: 0 };
      let next = 0;
      const lane = async () => {
        while (next < input.workflowIds.length) {
          const sent = await signalOne(input.workflowIds[next++]!, input.action, input.reason);
          if (sent === 'signalled') result.signalled++;
          else result.finished++;
          Context.current().heartbeat(result);
        }
      };
      // Every lane settles before a failure fails the page (the retry signals the page again).
      const lanes = await Promise.allSettled(Array.from({ length: Math.min(SIGNALS_IN_FLIGHT, input.workflowIds.length) }, lane));
      const failed = lanes.find((l) => l.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
      return result;
    },
  };
}
