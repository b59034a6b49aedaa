/**
 * Authentication. Each route declares `config.auth`: 'client' (a client's API key; the request
 * then runs as that tenant), 'admin' (ADMIN_API_KEY), or 'none'. Keys come as
 * `Authorization: Bearer <key>` or `X-Api-Key: <key>` (presentedApiKey, also the rate limit's
 * reading). Client keys are looked up by hash on the explicit system path (services/clients.ts);
 * everything after that runs under row-level security (SYS-010). A key not seen valid before
 * is looked up at most `lookupsPerMinute` times a minute per caller IP (then 429, no lookup), so
 * guessing keys cannot multiply database lookups.
 */
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clients } from '../../services/clients.js';
import { hashApiKey, presentedApiKey, safeEqual, type KnownKeys } from '../api-keys.js';
import { HttpError } from '../errors.js';

export type AuthMode = 'client' | 'admin' | 'none';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthMode;
  }
  interface FastifyRequest {
    clientId?: string;
    /** The client API key the request came with (id and display prefix: who acted, for audits). */
    apiKey?: { id: string; prefix: string };
    isAdmin: boolean;
  }
}

export interface AuthOptions {
  clients: Clients;
  adminApiKey?: string;
  /** Keys seen valid (shared with the rate limit's key generator, api/app.ts). */
  knownKeys: KnownKeys;
  /** Lookups of keys not yet seen valid allowed per caller IP and minute (key guessing). */
  lookupsPerMinute: number;
}

export const authPlugin = fp<AuthOptions>(async (app, opts) => {
  app.decorateRequest('clientId', undefined);
  app.decorateRequest('apiKey', undefined);
  app.decorateRequest('isAdmin', false);
  // A key never seen valid costs a database lookup: each IP gets a small allowance of those.
  const unknownKeyLookups = app.createRateLimit({
    max: opts.lookupsPerMinute,
    timeWindow: 60_000,
    keyGenerator: (req) => `unknown-key:${req.ip}`,
  });

  app.addHook('onRequest', async (req: FastifyRequest, _reply: FastifyReply) => {
    const mode: AuthMode = req.routeOptions.config?.auth ?? 'client';
    if (mode === 'none' || !req.routeOptions.url) return; // 'none', or unknown route (404 handler)
    const key = presentedApiKey(req.headers);
    if (!key) throw new HttpError(401, 'unauthorized', 'missing API key: send "Authorization: Bearer <key>"');
    const hash = hashApiKey(key);
    if (mode === 'admin') {
      if (opts.adminApiKey && safeEqual(key, opts.adminApiKey)) {
        req.isAdmin = true;
        opts.knownKeys.add(hash);
        return;
      }
      throw new HttpError(401, 'unauthorized', 'this route needs the admin API key');
    }
    if (!opts.knownKeys.has(hash)) {
      const allowance = await unknownKeyLookups(req);
      if (!allowance.isAllowed && allowance.isExceeded) {
        throw new HttpError(
          429,
          'too_many_unknown_keys',
          `too many unknown API keys from this address; retry in ${allowance.ttlInSeconds} s`,
        );
      }
    }
    const found = await opts.clients.system.authenticate(hash);
    if (!found) {
      opts.knownKeys.forget(hash);
      throw new HttpError(401, 'unauthorized', 'unknown or revoked API key');
    }
    opts.knownKeys.add(hash);
    req.clientId = found.clientId;
    req.apiKey = { id: found.keyId, prefix: found.keyPrefix };
  });
});

export function requireClientId(req: FastifyRequest): string {
  if (!req.clientId) throw new HttpError(401, 'unauthorized', 'a client API key is required');
  return req.clientId;
}
