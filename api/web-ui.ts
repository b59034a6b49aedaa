/**
 * The dashboards (SYS-006, SYS-007, RP-002, ED-004): the client dashboard at /app and the admin
 * console at /admin, built from web/ by Vite (scripts/build-web.sh) and served here as files. Each
 * console is one page that routes in the browser, so every /app/... and /admin/... path answers
 * its index.html; its scripts and styles are hashed files under /assets/ (cached for a year).
 * The pages hold no secret: they ask for a key and call the same API as any integration.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';

const CONSOLES = ['app', 'admin'] as const;

export async function webUiRoutes(app: FastifyInstance, { distDir }: { distDir: string }): Promise<void> {
  const root = path.resolve(distDir);
  const built = CONSOLES.every((c) => existsSync(path.join(root, c, 'index.html')));
  const open = { auth: 'none' as const };

  if (built) {
    await app.register(fastifyStatic, {
      root: path.join(root, 'assets'),
      prefix: '/assets/',
      index: false,
      immutable: true,
      maxAge: '365d',
      schemaHide: true,
    });
  }

  const page = (name: (typeof CONSOLES)[number]) => async (_req: unknown, reply: FastifyReply) => {
    if (!built) {
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send(`The dashboards are not built: run "bash scripts/build-web.sh" (npm start and npm test build them). Looked in ${root}.`);
    }
    return reply.header('cache-control', 'no-store').sendFile('index.html', path.join(root, name), { cacheControl: false });
  };

  for (const name of CONSOLES) {
    const schema = { hide: true };
    app.get(`/${name}`, { config: open, schema }, page(name));
    app.get(`/${name}/*`, { config: open, schema }, page(name));
  }
}
