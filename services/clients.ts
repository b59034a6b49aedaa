/**
 * Clients (tenants), their settings and their API keys. A client reads its own row under
 * row-level security (forTenant); creating clients and keys, key lookup and lifecycle changes
 * (tier, status) are the system's (admin routes, provisioning, churn).
 */
import type { Db } from '../db/client.js';
import type { BillingTier, Client } from '../generated/prisma/client.js';
import { ClientSettingsSchema, type ClientSettings } from '../domain/client-settings.js';
import { BadInput } from '../domain/failures.js';

/** Per-client settings kept in clients.settings (JSON): the schema is domain/client-settings.ts (one source). */
export { ClientSettingsSchema, type ClientSettings };

/**
 * The settings of a client row, validated (services/client-settings.ts writes them, validated). A
 * stored document that is not valid settings (written past the API) is a BadInput naming the
 * fields: a permanent failure the sequence records, never a retry loop.
 */
export function settingsOf(client: Pick<Client, 'settings'>): ClientSettings {
  const parsed = ClientSettingsSchema.safeParse(client.settings ?? {});
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new BadInput(`the client's stored settings are invalid (${fields}): fix them with PATCH /v1/admin/clients/:id/settings`);
}

export type ClientRow = Client;
export type ClientStatus = Client['status'];

export interface NewClient {
  name: string;
  slug: string;
  defaultTimezone: string;
  defaultCountry: string;
}

/** A key as stored: its display prefix and SHA-256 hash (the key itself is shown once). */
export interface StoredKey {
  name: string;
  prefix: string;
  hash: string;
}

export function createClients(db: Db) {
  return {
    forTenant(clientId: string) {
      return {
        /** The client's own row (null when it was deleted). */
        get: (): Promise<Client | null> => db.asTenant(clientId, (tx) => tx.client.findUnique({ where: { id: clientId } })),
      };
    },

    system: {
      get: (id: string): Promise<Client | null> => db.system.client.findUnique({ where: { id } }),
      bySlug: (slug: string) => db.system.client.findUnique({ where: { slug } }),
      list: () => db.system.client.findMany({ orderBy: { createdAt: 'asc' } }),

      /** A new client with its first API key. */
      async create(c: NewClient, key: StoredKey) {
        const client = await db.system.client.create({
          data: { ...c, apiKeys: { create: { name: key.name, prefix: key.prefix, keyHash: key.hash } } },
          include: { apiKeys: true },
        });
        return { client, key: client.apiKeys[0]! };
      },

      issueKey: (clientId: string, key: StoredKey) =>
        db.system.apiKey.create({ data: { clientId, name: key.name, prefix: key.prefix, keyHash: key.hash } }),

      /** Revokes an active key; false when there is none with that id. */
      async revokeKey(id: string): Promise<boolean> {
        const { count } = await db.system.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
        return count > 0;
      },

      /**
       * The client a key hash belongs to, with the key's id and display prefix (who acted, for the
       * audit), or null (unknown or revoked). Notes the key's last use at most once a minute, off
       * the caller's critical path.
       */
      async authenticate(keyHash: string): Promise<{ clientId: string; keyId: string; keyPrefix: string } | null> {
        const found = await db.system.apiKey.findUnique({
          where: { keyHash },
          select: { id: true, clientId: true, prefix: true, revokedAt: true, lastUsedAt: true },
        });
        if (!found || found.revokedAt) return null;
        if (!found.lastUsedAt || Date.now() - found.lastUsedAt.getTime() > 60_000) {
          db.system.apiKey.update({ where: { id: found.id }, data: { lastUsedAt: new Date() } }).catch(() => undefined);
        }
        return { clientId: found.clientId, keyId: found.id, keyPrefix: found.prefix };
      },

      setStatus: (id: string, status: ClientStatus) => db.system.client.update({ where: { id }, data: { status } }),
      setTier: (id: string, tier: BillingTier | null) => db.system.client.update({ where: { id }, data: { tier } }),
    },
  };
}
export type Clients = ReturnType<typeof createClients>;
