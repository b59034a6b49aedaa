/**
 * Admin console: one client in full (SYS-006, RP-002, RP-010, ED-004). Explicit system path:
 * admin key only. The client with its subscription, the pool resources it holds (domains with
 * their health and its mailboxes on each, numbers, LinkedIn seats), its churn hold (release date
 * by the churn-hold rule), its API keys (never their hashes) and its counts.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ApiKeyView, ClientDetail } from '../../services/admin-views.js';
import { ClientOut, ErrorBody, IdParams } from '../schemas.js';
import { notFound } from '../errors.js';
import type { AppDeps } from '../deps.js';

const Held = { allocatedAt: z.string(), holdUntil: z.string().nullable() };

export const ApiKeyOut = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

export const ClientDetailOut = ClientOut.extend({
  subscription: z
    .object({
      id: z.string(),
      stripeSubscriptionId: z.string(),
      stripeCustomerId: z.string().nullable(),
      status: z.string(),
      tier: z.string().nullable(),
      currentPeriodEnd: z.string().nullable(),
      cancelAtPeriodEnd: z.boolean(),
      paidAt: z.string().nullable(),
      cancelledAt: z.string().nullable(),
      createdAt: z.string(),
    })
    .nullable(),
  /** RP-010: the resources are held until releaseAt (cancellation + the configured hold days), then released. */
  churnHold: z.object({ cancelledAt: z.string(), releaseAt: z.string(), state: z.enum(['holding', 'released']) }).nullable(),
  resources: z.object({
    counts: z.object({ domains: z.number(), mailboxes: z.number(), phoneNumbers: z.number(), linkedinSeats: z.number() }),
    domains: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        status: z.string(),
        healthClass: z.string(),
        heatScore: z.number().nullable(),
        /** The client's mailboxes on this domain. */
        mailboxes: z.number(),
        ...Held,
      }),
    ),
    mailboxes: z.array(
      z.object({ id: z.string(), email: z.string(), domainId: z.string(), status: z.string(), dailyLimit: z.number(), ...Held }),
    ),
    phoneNumbers: z.array(z.object({ id: z.string(), e164: z.string(), country: z.string(), status: z.string(), ...Held })),
    linkedinSeats: z.array(
      z.object({
        id: z.string(),
        accountRef: z.string(),
        displayName: z.string().nullable(),
        status: z.string(),
        health: z.string(),
        acceptRate: z.number().nullable(),
        ...Held,
      }),
    ),
  }),
  apiKeys: z.array(ApiKeyOut),
  counts: z.object({ campaigns: z.number(), leads: z.number(), openAlerts: z.number() }),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const keyOut = (k: ApiKeyView): z.infer<typeof ApiKeyOut> => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: iso(k.lastUsedAt),
  revokedAt: iso(k.revokedAt),
});

const held = <T extends { allocatedAt: Date; holdUntil: Date | null }>(r: T) => ({
  ...r,
  allocatedAt: r.allocatedAt.toISOString(),
  holdUntil: iso(r.holdUntil),
});

function detailOut(d: ClientDetail): z.infer<typeof ClientDetailOut> {
  const c = d.client;
  const sub = d.subscription;
  return {
    id: c.id,
    name: c.name,
    slug: c.slug,
    status: c.status,
    tier: c.tier,
    defaultTimezone: c.defaultTimezone,
    defaultCountry: c.defaultCountry,
    createdAt: c.createdAt.toISOString(),
    subscription: sub
      ? {
          ...sub,
          currentPeriodEnd: iso(sub.currentPeriodEnd),
          paidAt: iso(sub.paidAt),
          cancelledAt: iso(sub.cancelledAt),
          createdAt: sub.createdAt.toISOString(),
        }
      : null,
    churnHold: d.churnHold
      ? { cancelledAt: d.churnHold.cancelledAt.toISOString(), releaseAt: d.churnHold.releaseAt.toISOString(), state: d.churnHold.state }
      : null,
    resources: {
      counts: d.resources.counts,
      domains: d.resources.domains.map(held),
      mailboxes: d.resources.mailboxes.map(held),
      phoneNumbers: d.resources.phoneNumbers.map(held),
      linkedinSeats: d.resources.linkedinSeats.map(held),
    },
    apiKeys: d.apiKeys.map(keyOut),
    counts: d.counts,
  };
}

export const adminConsoleRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  const views = deps.services.adminClients.system;
  const admin = { auth: 'admin' as const };

  app.get(
    '/v1/admin/clients/:id',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: 'One client in full: subscription, held resources, churn hold, API keys, counts',
        params: IdParams,
        response: { 200: ClientDetailOut, 404: ErrorBody },
      },
    },
    async (req) => {
      const detail = await views.detail(req.params.id, Date.now());
      if (!detail) throw notFound('client');
      return detailOut(detail);
    },
  );

  app.get(
    '/v1/admin/clients/:id/api-keys',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: "A client's API keys, revoked ones included (never the keys or their hashes)",
        params: IdParams,
        response: { 200: z.object({ apiKeys: z.array(ApiKeyOut) }), 404: ErrorBody },
      },
    },
    async (req) => {
      const keys = await views.apiKeys(req.params.id);
      if (!keys) throw notFound('client');
      return { apiKeys: keys.map(keyOut) };
    },
  );
};
