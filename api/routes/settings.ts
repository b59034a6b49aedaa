/**
 * Client settings (SYS-006, SYS-007): the client's own (`/v1/settings`, its API key) and any
 * client's for the admin (`/v1/admin/clients/:id/settings`). A PATCH is a JSON merge patch
 * (RFC 7396): the fields given replace, `voice` and `domainConfig` merge, null clears; unknown
 * fields and invalid values are a 400 naming each field, and nothing is changed. Every change is
 * recorded (who, when, each field old -> new) and listed by `.../settings/changes`.
 *
 * A client's PATCH runs on the system path for the client its key belongs to (req.clientId, set by
 * the auth plugin): see services/client-settings.ts for why the tenant role does not write
 * `clients`. A client has no route to another client's settings.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ClientSettingsPatchSchema, SMS_CONSENT_BASES, type ClientSettingsView } from '../../domain/client-settings.js';
import { VOICEMAIL_BEHAVIOURS } from '../../domain/config.js';
import { SettingsInvalid, type SettingsActor, type SettingsChangeRecord } from '../../services/client-settings.js';
import { requireClientId } from '../plugins/auth.js';
import { HttpError, notFound, ValidationFailed } from '../errors.js';
import { ErrorBody, IdParams } from '../schemas.js';
import type { AppDeps } from '../deps.js';

const SettingsOut = z.object({
  clientId: z.string(),
  senderName: z.string().nullable(),
  pitch: z.string().nullable(),
  bookingLink: z.string().nullable(),
  smsConsentBasis: z.enum(SMS_CONSENT_BASES).nullable(),
  voice: z.object({
    assistantId: z.string().nullable(),
    knowledgeBaseId: z.string().nullable(),
    voicemail: z.enum(VOICEMAIL_BEHAVIOURS).nullable(),
    voicemailMessage: z.string().nullable(),
    recordingNotice: z.string().nullable(),
  }),
  defaultTimezone: z.string(),
  defaultCountry: z.string(),
  domainConfig: z.record(z.string(), z.unknown()),
});

const ChangesOut = z.object({
  changes: z.array(
    z.object({
      id: z.string(),
      at: z.string(),
      actor: z.object({
        kind: z.enum(['admin', 'system', 'api_key']),
        apiKeyId: z.string().optional(),
        apiKeyPrefix: z.string().optional(),
      }),
      changes: z.array(z.object({ field: z.string(), old: z.unknown(), new: z.unknown() })),
    }),
  ),
});

const ChangesQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) });

const out = (clientId: string, view: ClientSettingsView) => ({ clientId, ...view });

const changesOut = (records: SettingsChangeRecord[]) => ({
  changes: records.map((r) => ({
    id: r.id,
    at: r.at.toISOString(),
    actor: r.actor.kind === 'api_key' ? { kind: r.actor.kind, apiKeyId: r.actor.keyId, apiKeyPrefix: r.actor.keyPrefix } : r.actor,
    changes: r.changes,
  })),
});

const PATCH_DESCRIPTION =
  'JSON merge patch (RFC 7396): given fields replace, `voice` and `domainConfig` merge, null clears. ' +
  `smsConsentBasis: ${SMS_CONSENT_BASES.join(' | ')}; bookingLink: an https URL; defaultTimezone: an IANA zone; ` +
  'defaultCountry: ISO 3166-1 alpha-2 with a holiday calendar; voice.recordingNotice is said first on every call; ' +
  'domainConfig: the per-client rule overrides (scoring, email.clientDailyCap, voice.concurrentPerClient).';

export const settingsRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  const settings = deps.services.clientSettings;
  const admin = { auth: 'admin' as const };

  async function update(clientId: string, patch: z.infer<typeof ClientSettingsPatchSchema>, actor: SettingsActor) {
    try {
      const result = await settings.system.update(clientId, patch, actor);
      if (!result) throw notFound('client');
      return out(clientId, result.settings);
    } catch (err) {
      if (err instanceof SettingsInvalid)
        throw new ValidationFailed(err.issues.map((i) => ({ field: `body.${i.path}`, message: i.message })));
      throw err;
    }
  }

  app.get(
    '/v1/settings',
    { schema: { tags: ['client'], summary: "The client's settings", response: { 200: SettingsOut, 404: ErrorBody } } },
    async (req) => {
      const clientId = requireClientId(req);
      const view = await settings.forTenant(clientId).get();
      if (!view) throw notFound('client');
      return out(clientId, view);
    },
  );

  app.patch(
    '/v1/settings',
    {
      schema: {
        tags: ['client'],
        summary: "Change the client's settings (recorded)",
        description: PATCH_DESCRIPTION,
        body: ClientSettingsPatchSchema,
        response: { 200: SettingsOut, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (req) => {
      const clientId = requireClientId(req);
      if (!req.apiKey) throw new HttpError(401, 'unauthorized', 'a client API key is required');
      return update(clientId, req.body, { kind: 'api_key', keyId: req.apiKey.id, keyPrefix: req.apiKey.prefix });
    },
  );

  app.get(
    '/v1/settings/changes',
    {
      schema: {
        tags: ['client'],
        summary: "Changes of the client's settings, newest first",
        querystring: ChangesQuery,
        response: { 200: ChangesOut },
      },
    },
    async (req) => changesOut(await settings.forTenant(requireClientId(req)).changes(req.query.limit)),
  );

  app.get(
    '/v1/admin/clients/:id/settings',
    {
      config: admin,
      schema: { tags: ['admin'], summary: "A client's settings", params: IdParams, response: { 200: SettingsOut, 404: ErrorBody } },
    },
    async (req) => {
      const view = await settings.system.get(req.params.id);
      if (!view) throw notFound('client');
      return out(req.params.id, view);
    },
  );

  app.patch(
    '/v1/admin/clients/:id/settings',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: "Change a client's settings (recorded)",
        description: PATCH_DESCRIPTION,
        params: IdParams,
        body: ClientSettingsPatchSchema,
        response: { 200: SettingsOut, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (req) => update(req.params.id, req.body, { kind: 'admin' }),
  );

  app.get(
    '/v1/admin/clients/:id/settings/changes',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: "Changes of a client's settings, newest first",
        params: IdParams,
        querystring: ChangesQuery,
        response: { 200: ChangesOut, 404: ErrorBody },
      },
    },
    async (req) => {
      if (!(await settings.system.get(req.params.id))) throw notFound('client');
      return changesOut(await settings.system.changes(req.params.id, req.query.limit));
    },
  );
};
