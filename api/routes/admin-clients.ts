/**
 * Admin: clients (tenants) and their API keys. Explicit system path: admin key only.
 * A new key is shown once; only its hash is stored.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { generateApiKey } from '../api-keys.js';
import { countryCodeSchema, timeZoneSchema } from '../../domain/client-settings.js';
import { ClientOut, ErrorBody, IdParams } from '../schemas.js';
import { HttpError, notFound } from '../errors.js';
import type { AppDeps } from '../deps.js';

const CreateClientBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, { message: 'lowercase letters, digits and dashes, 2-63 characters' }),
  /** The same rules as the settings (domain/client-settings.ts): an IANA zone, a country with a holiday calendar. */
  defaultTimezone: timeZoneSchema.default('Australia/Sydney'),
  defaultCountry: countryCodeSchema.default('AU'),
});

const KeyOut = z.object({ id: z.string(), name: z.string(), prefix: z.string(), apiKey: z.string() });

/** A row of the client list (SYS-006): the client and how many campaigns and leads it has. */
const ClientListRow = ClientOut.extend({ counts: z.object({ campaigns: z.number(), leads: z.number() }) });

type ClientRow = {
  id: string;
  name: string;
  slug: string;
  status: string;
  tier: string | null;
  defaultTimezone: string;
  defaultCountry: string;
  createdAt: Date;
};
const toClient = (c: ClientRow) => ({ ...c, createdAt: c.createdAt.toISOString() });

export const adminClientRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  const { clients } = deps.services;
  const admin = { auth: 'admin' as const };

  app.post(
    '/v1/admin/clients',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: 'Create a client (tenant) and its first API key',
        body: CreateClientBody,
        response: { 201: z.object({ client: ClientOut, apiKey: KeyOut }), 409: ErrorBody },
      },
    },
    async (req, reply) => {
      const key = generateApiKey();
      if (await clients.system.bySlug(req.body.slug))
        throw new HttpError(409, 'conflict', `a client with slug "${req.body.slug}" already exists`);
      const { client, key: stored } = await clients.system.create(req.body, { name: 'default', prefix: key.prefix, hash: key.hash });
      return reply.status(201).send({
        client: toClient(client),
        apiKey: { id: stored.id, name: stored.name, prefix: stored.prefix, apiKey: key.key },
      });
    },
  );

  app.get(
    '/v1/admin/clients',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: 'List clients, each with its number of campaigns and leads',
        response: { 200: z.object({ clients: z.array(ClientListRow) }) },
      },
    },
    async () => {
      const [list, counts] = await Promise.all([clients.system.list(), deps.services.adminClients.system.counts()]);
      return { clients: list.map((c) => ({ ...toClient(c), counts: counts.get(c.id) ?? { campaigns: 0, leads: 0 } })) };
    },
  );

  app.post(
    '/v1/admin/clients/:id/api-keys',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: 'Issue another API key for a client',
        params: IdParams,
        body: z.strictObject({ name: z.string().trim().min(1).max(100).default('key') }).default({ name: 'key' }),
        response: { 201: KeyOut, 404: ErrorBody },
      },
    },
    async (req, reply) => {
      const client = await clients.system.get(req.params.id);
      if (!client) throw notFound('client');
      const key = generateApiKey();
      const stored = await clients.system.issueKey(client.id, { name: req.body.name, prefix: key.prefix, hash: key.hash });
      return reply.status(201).send({ id: stored.id, name: stored.name, prefix: stored.prefix, apiKey: key.key });
    },
  );

  app.delete(
    '/v1/admin/api-keys/:id',
    {
      config: admin,
      schema: { tags: ['admin'], summary: 'Revoke an API key', params: IdParams, response: { 204: z.null(), 404: ErrorBody } },
    },
    async (req, reply) => {
      if (!(await clients.system.revokeKey(req.params.id))) throw notFound('active API key');
      return reply.status(204).send(null);
    },
  );
};
