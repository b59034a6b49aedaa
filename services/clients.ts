/**
 * Clients (tenants), their settings and their API keys. A client reads its own row under
 * row-level security (forTenant); creating clients and keys, key lookup and lifecycle changes
 * (tier, status) are the system's (admin routes, provisioning, churn).
 */
import { z } from 'zod';
import type { Db } from '../db/client.js';
import type { BillingTier, Client } from '../generated/prisma/client.js';

/** Per-client settings kept in clients.settings (JSON). */
export const ClientSettingsSchema = z
  .object({
    domainConfig: z.record(z.string(), z.unknown()).optional(),
    senderName: z.string().optional(),
    pitch: z.string().optional(),
    smsConsentBasis: z.string().optional(),
    voice: z.object({ assistantId: z.string().optional(), voicemailMessage: z.string().optional() }).optional(),
  })
  .passthrough();
export type ClientSettings = z.infer<typeof ClientSettingsSchema>;

/** The settings of a client row, validated. */
export const settingsOf = (client: Pick<Client, 'settings'>): ClientSettings => ClientSettingsSchema.parse(client.settings ?? {});

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
       * The client a key hash belongs to, or null (unknown or revoked). Notes the key's last use
       * at most once a minute, off the caller's critical path.
       */
      async authenticate(keyHash: string): Promise<string | null> {
        const found = await db.system.apiKey.findUnique({
          where: { keyHash },
          select: { id: true, clientId: true, revokedAt: true, lastUsedAt: true },
        });
        if (!found || found.revokedAt) return null;
        if (!found.lastUsedAt || Date.now() - found.lastUsedAt.getTime() > 60_000) {
          db.system.apiKey.update({ where: { id: found.id }, data: { lastUsedAt: new Date() } }).catch(() => undefined);
        }
        return found.clientId;
      },

      setStatus: (id: string, status: ClientStatus) => db.system.client.update({ where: { id }, data: { status } }),
      setTier: (id: string, tier: BillingTier | null) => db.system.client.update({ where: { id }, data: { tier } }),
    },
  };
}
export type Clients = ReturnType<typeof createClients>;
