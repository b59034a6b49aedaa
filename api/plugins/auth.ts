/**
 * Authentication. Each route declares `config.auth`: 'client' (a client's API key; the request
 * then runs as that tenant), 'admin' (ADMIN_API_KEY), or 'none'. Keys come as
 * `Authorization: Bearer <key>` or `X-Api-Key: <key>`. Client keys are looked up by hash on the
 * explicit system path (services/clients.ts); everything after that runs under row-level security (SYS-010).
 */
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clients } from '../../services/clients.js';
import { hashApiKey, safeEqual } from '../api-keys.js';
import { HttpError } from '../errors.js';

export type AuthMode = 'client' | 'admin' | 'none';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthMode;
  }
  interface FastifyRequest {
    clientId?: string;
    isAdmin: boolean;
  }
}

function presentedKey(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  if (header?.toLowerCase().startsWith('bearer ')) return header.slice(7).trim();
  const x = req.headers['x-api-key'];
  return typeof x === 'string' ? x.trim() : undefined;
}

export const authPlugin = fp<{ clients: Clients; adminApiKey?: string }>(async (app, opts) => {
  app.decorateRequest('clientId', undefined);
  app.decorateRequest('isAdmin', false);

  app.addHook('onRequest', async (req: FastifyRequest, _reply: FastifyReply) => {
    const mode: AuthMode = req.routeOptions.config?.auth ?? 'client';
    if (mode === 'none' || !req.routeOptions.url) return; // 'none', or unknown route (404 handler)
    const key = presentedKey(req);
    if (!key) throw new HttpError(401, 'unauthorized', 'missing API key: send "Authorization: Bearer <key>"');
    if (mode === 'admin') {
      if (opts.adminApiKey && safeEqual(key, opts.adminApiKey)) {
        req.isAdmin = true;
        return;
      }
      throw new HttpError(401, 'unauthorized', 'this route needs the admin API key');
    }
    const clientId = await opts.clients.system.authenticate(hashApiKey(key));
    if (!clientId) throw new HttpError(401, 'unauthorized', 'unknown or revoked API key');
    req.clientId = clientId;
  });
});

export function requireClientId(req: FastifyRequest): string {
  if (!req.clientId) throw new HttpError(401, 'unauthorized', 'a client API key is required');
  return req.clientId;
}
