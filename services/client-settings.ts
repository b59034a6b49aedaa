/**
 * A client's settings (SYS-006, SYS-007) and the record of every change to them.
 *
 * Reading: a client reads its own settings and changes under row-level security (forTenant); the
 * admin on the system path. Changing: always on the system path, for the one client the caller
 * names (the client route names the client its API key belongs to), in one transaction that
 * locks the client row, merges the patch, validates the result whole (domain/client-settings.ts),
 * writes it and records the change (who, when, each field old -> new). The tenant role keeps
 * SELECT only on `clients` and on the change log: a tenant path that could UPDATE clients could
 * change settings past the validation and the audit.
 */
import type { Db } from '../db/client.js';
import type { ClientSettingsChange } from '../generated/prisma/client.js';
import {
  applySettingsPatch,
  readStoredSettings,
  settingsChanges,
  settingsIssues,
  settingsView,
  storedSettings,
  type ClientSettingsPatch,
  type ClientSettingsView,
  type SettingsChange,
  type SettingsIssue,
} from '../domain/client-settings.js';
import type { DomainConfig } from '../domain/config.js';
import { BadInput } from '../domain/failures.js';
import type { AlertService } from './alerts.js';

/**
 * Who changes settings: the admin, a client by one of its API keys (its id and display prefix,
 * never the key), or the system itself (the knowledge-base sync setting the tool it made, VO-001).
 */
export type SettingsActor = { kind: 'admin' } | { kind: 'system' } | { kind: 'api_key'; keyId: string; keyPrefix: string };

/** One recorded change of a client's settings. */
export interface SettingsChangeRecord {
  id: string;
  at: Date;
  actor: SettingsActor;
  changes: SettingsChange[];
}

/** A patch whose result is not valid settings; `issues` name each field (dotted paths). */
export class SettingsInvalid extends BadInput {
  constructor(readonly issues: readonly SettingsIssue[]) {
    super(`invalid settings: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }
}

/** The open alert of a client whose calls cannot be placed for want of a usable assistant (raised by the voice step). */
export const noVoiceAssistantAlertKey = (clientId: string) => `voice:no-assistant:${clientId}`;

type ChangeRow = Pick<ClientSettingsChange, 'id' | 'createdAt' | 'actor' | 'apiKeyId' | 'apiKeyPrefix' | 'changes'>;

const toRecord = (r: ChangeRow): SettingsChangeRecord => ({
  id: r.id,
  at: r.createdAt,
  actor:
    r.actor === 'api_key' && r.apiKeyId && r.apiKeyPrefix
      ? { kind: 'api_key', keyId: r.apiKeyId, keyPrefix: r.apiKeyPrefix }
      : r.actor === 'system'
        ? { kind: 'system' }
        : { kind: 'admin' },
  changes: r.changes as unknown as SettingsChange[],
});
const newestFirst = [{ createdAt: 'desc' }, { id: 'desc' }] as const;

type ClientRow = { settings: unknown; defaultTimezone: string; defaultCountry: string };
/** The view of a row; a stored field that is not valid (written past the API) reads as unset, so a PATCH can repair it. */
const viewOf = (c: ClientRow): ClientSettingsView => settingsView(readStoredSettings(c.settings).settings, c);

export interface ClientSettingsDeps {
  /** The system-wide rule numbers a client's overrides are validated over. */
  domainConfig: DomainConfig;
  alerts: AlertService;
}

export function createClientSettings(db: Db, { domainConfig, alerts }: ClientSettingsDeps) {
  return {
    forTenant(clientId: string) {
      return {
        /** The client's own settings; null when the client is gone. */
        get: async (): Promise<ClientSettingsView | null> => {
          const c = await db.asTenant(clientId, (tx) => tx.client.findUnique({ where: { id: clientId } }));
          return c ? viewOf(c) : null;
        },
        /** The client's own changes, newest first (row-level security keeps other clients' rows out). */
        changes: async (limit: number): Promise<SettingsChangeRecord[]> => {
          const rows = await db.asTenant(clientId, (tx) => tx.clientSettingsChange.findMany({ orderBy: [...newestFirst], take: limit }));
          return rows.map(toRecord);
        },
      };
    },

    system: {
      get: async (clientId: string): Promise<ClientSettingsView | null> => {
        const c = await db.system.client.findUnique({ where: { id: clientId } });
        return c ? viewOf(c) : null;
      },

      changes: async (clientId: string, limit: number): Promise<SettingsChangeRecord[]> => {
        const rows = await db.system.clientSettingsChange.findMany({ where: { clientId }, orderBy: [...newestFirst], take: limit });
        return rows.map(toRecord);
      },

      /**
       * Applies `patch` to client `clientId`'s settings (RFC 7396 merge) and records the change;
       * null when there is no such client. SettingsInvalid when the result is not valid. A patch
       * that changes nothing records nothing.
       */
      async update(
        clientId: string,
        patch: ClientSettingsPatch,
        actor: SettingsActor,
        now = new Date(),
      ): Promise<{ settings: ClientSettingsView; changes: SettingsChange[] } | null> {
        const result = await db.system.$transaction(async (tx) => {
          const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM clients WHERE id = ${clientId}::uuid FOR UPDATE`;
          if (!locked.length) return null;
          const before = viewOf(await tx.client.findUniqueOrThrow({ where: { id: clientId } }));
          const after = applySettingsPatch(before, patch);
          const issues = settingsIssues(after, domainConfig);
          if (issues.length) throw new SettingsInvalid(issues);
          const changes = settingsChanges(before, after);
          if (!changes.length) return { settings: before, changes };
          const stored = storedSettings(after);
          await tx.client.update({
            where: { id: clientId },
            data: { settings: stored.settings as object, defaultTimezone: stored.defaultTimezone, defaultCountry: stored.defaultCountry },
          });
          const keyId = actor.kind === 'api_key' ? actor.keyId : null;
          const keyPrefix = actor.kind === 'api_key' ? actor.keyPrefix : null;
          await tx.clientSettingsChange.create({
            data: {
              clientId,
              actor: actor.kind,
              apiKeyId: keyId,
              apiKeyPrefix: keyPrefix,
              changes: changes as unknown as object,
              createdAt: now,
            },
          });
          return { settings: after, changes };
        });
        // A voice assistant set or changed: the "calls skipped" alert is over (the next call raises it again if not).
        if (result?.settings.voice.assistantId && result.changes.some((c) => c.field.startsWith('voice.'))) {
          await alerts.system.resolve([noVoiceAssistantAlertKey(clientId)], now);
        }
        return result;
      },
    },
  };
}
export type ClientSettingsService = ReturnType<typeof createClientSettings>;
