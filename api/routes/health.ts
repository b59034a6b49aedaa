/** Liveness (/healthz: the process answers) and readiness (/readyz: Postgres and Temporal reachable). */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../deps.js';

const Check = z.object({ ok: z.boolean(), error: z.string().optional(), ms: z.number() });

async function timed(fn: () => Promise<unknown>, timeoutMs = 2000) {
  const start = performance.now();
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
    return { ok: true, ms: Math.round(performance.now() - start) };
  } catch (err) {
    return { ok: false, error: (err as Error).message.split('\n')[0], ms: Math.round(performance.now() - start) };
  }
}

export const healthRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  app.get(
    '/healthz',
    { config: { auth: 'none' }, schema: { tags: ['ops'], summary: 'Liveness', response: { 200: z.object({ status: z.literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: { auth: 'none' },
      schema: {
        tags: ['ops'],
        summary: 'Readiness: Postgres and Temporal reachable',
        response: {
          200: z.object({ status: z.string(), checks: z.object({ postgres: Check, temporal: Check }) }),
          503: z.object({ status: z.string(), checks: z.object({ postgres: Check, temporal: Check }) }),
        },
      },
    },
    async (_req, reply) => {
      const [postgres, temporal] = await Promise.all([timed(deps.services.readiness.postgres), timed(deps.services.readiness.temporal)]);
      const ready = postgres.ok && temporal.ok;
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks: { postgres, temporal } });
    },
  );
};
