/**
 * Pause, resume or stop a whole campaign (SYS-007): `POST /v1/campaigns/:id/{pause,resume,stop}`,
 * body `{ reason? }`, answered 202 `{ campaignId, action, status }`. The campaign's status is
 * written first (GET /v1/campaigns/:id shows it at once; sequences its onboarding starts later
 * start paused, or not at all), then campaign-control:{id} is signal-with-started and takes the
 * status to every lead's sequence. What is allowed is domain/campaign-control.ts's table: a stopped
 * campaign is final (409 campaign_stopped; a repeated stop is 202), a campaign still onboarding may
 * be paused or stopped, resumed only once paused (409 not_paused). 404 for another client's campaign.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  WORKFLOW_TYPES,
  campaignControlSignal,
  workflowIds,
  type CampaignAction,
  type CampaignControlInput,
} from '../../workflows/contracts.js';
import { requireClientId } from '../plugins/auth.js';
import { ErrorBody, IdParams } from '../schemas.js';
import { HttpError, notFound } from '../errors.js';
import type { AppDeps } from '../deps.js';
import { SIGNAL_DEADLINE_MS, within } from '../temporal-deadline.js';

export const CampaignControlAnswer = z.object({
  campaignId: z.string(),
  action: z.enum(['pause', 'resume', 'stop']),
  status: z.enum(['paused', 'running', 'stopped']),
});

const SUMMARY: Record<CampaignAction, string> = {
  pause: "Pause every lead's sequence of the campaign (new ones start paused)",
  resume: "Resume the paused campaign's sequences",
  stop: "Stop the campaign for good: every lead's sequence ends (campaign_stopped), no new one starts",
};

export const campaignControlRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  const { campaigns, gateway } = deps.services;
  for (const action of ['pause', 'resume', 'stop'] as const) {
    app.post(
      `/v1/campaigns/:id/${action}`,
      {
        schema: {
          tags: ['campaigns'],
          summary: SUMMARY[action],
          params: IdParams,
          body: z.strictObject({ reason: z.string().max(500).optional() }).nullish(),
          response: { 202: CampaignControlAnswer, 404: ErrorBody, 409: ErrorBody, 503: ErrorBody },
        },
      },
      async (req, reply) => {
        const clientId = requireClientId(req);
        const campaignId = req.params.id;
        const decision = await campaigns.forTenant(clientId).control(campaignId, action);
        if (!decision) throw notFound('campaign');
        if (!decision.ok) throw new HttpError(409, decision.code, decision.message);
        const input: CampaignControlInput = { version: 1, clientId, campaignId };
        const reason = req.body?.reason;
        const request = { action, ...(reason ? { reason } : {}), at: new Date().toISOString() };
        const sent = gateway.signalWithStart(
          WORKFLOW_TYPES.campaignControl,
          workflowIds.campaignControl(campaignId),
          [input],
          campaignControlSignal,
          request,
        );
        try {
          await within(sent, SIGNAL_DEADLINE_MS);
        } catch (err) {
          // The status stays written (new sequences follow it); a repeat of the request reaches the leads.
          req.log.error({ err, campaignId }, 'could not start campaign-control');
          throw new HttpError(
            503,
            'workflow_unavailable',
            `the campaign is ${decision.status}, but its leads could not be reached yet: please retry`,
          );
        }
        return reply.status(202).send({ campaignId, action, status: decision.status });
      },
    );
  }
};
