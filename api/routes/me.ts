/** The calling client's own record, read under row-level security (SYS-010). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireClientId } from '../plugins/auth.js';
import { notFound } from '../errors.js';
import { ClientOut } from '../schemas.js';
import type { AppDeps } from '../deps.js';

export const meRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/v1/me',
    {
      schema: {
        tags: ['client'],
        summary: 'The client this API key belongs to',
        response: {
          200: ClientOut.omit({ createdAt: true }),
        },
      },
    },
    async (req) => {
      const clientId = requireClientId(req);
      const client = await deps.services.clients.forTenant(clientId).get();
      if (!client) throw notFound('client');
      return {
        id: client.id,
        name: client.name,
        slug: client.slug,
        status: client.status,
        tier: client.tier,
        defaultTimezone: client.defaultTimezone,
        defaultCountry: client.defaultCountry,
      };
    },
  );
};
