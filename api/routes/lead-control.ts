/** Pause and resume one lead's sequence (the workflow's pause/resume signals). */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { pauseSignal, resumeSignal } from '../../workflows/contracts.js';
import { requireClientId } from '../plugins/auth.js';
import { ErrorBody, IdParams } from '../schemas.js';
import { HttpError, notFound } from '../errors.js';
import type { AppDeps } from '../deps.js';

export const leadControlRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  const { leads, gateway } = deps.services;
  for (const action of ['pause', 'resume'] as const) {
    app.post(
      `/v1/leads/:id/${action}`,
      {
        schema: {
          tags: ['leads'],
          summary: action === 'pause' ? "Pause a lead's sequence (waits hold until resumed)" : "Resume a lead's paused sequence",
          params: IdParams,
          body: z.strictObject({ reason: z.string().max(500).optional() }).optional(),
          response: { 202: z.object({ leadId: z.string(), action: z.string() }), 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (req, reply) => {
        const clientId = requireClientId(req);
        const lead = await leads.sequence.forTenant(clientId).sequenceOf(req.params.id);
        if (!lead) throw notFound('lead');
        if (!lead.sequenceWorkflowId) throw new HttpError(409, 'no_sequence', 'this lead has no sequence running');
        const sent =
          action === 'pause'
            ? await gateway.signal(lead.sequenceWorkflowId, pauseSignal, { reason: req.body?.reason ?? 'paused through the API' })
            : await gateway.signal(lead.sequenceWorkflowId, resumeSignal);
        if (sent === 'not_found') throw new HttpError(409, 'no_sequence', 'the sequence of this lead has ended');
        return reply.status(202).send({ leadId: lead.id, action });
      },
    );
  }
};
