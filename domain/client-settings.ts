/**
 * A client's settings (SYS-006, SYS-007): what its messages say and who they come from, the
 * booking link, the SMS consent basis (AD-003), its voice assistant, knowledge base, voicemail
 * behaviour and recording notice (VO-001, VO-004), its default zone and country (ED-002), and the
 * per-client rule numbers DOMAIN.md allows (domain/config.ts `CLIENT_OVERRIDABLE_PATHS`).
 *
 * The zod schemas here are the one source of what a value may be: the stored document
 * (services/clients.ts), the API and the workflows all read them. A change is a JSON merge patch
 * (RFC 7396: a field given replaces, an object merges, null clears) over the settings as the API
 * shows them; the result is validated whole, and the fields it changed are listed old -> new.
 *
 * One fact, one place: the default zone and country are the client's own columns
 * (`defaultTimezone`, `defaultCountry`) and the voicemail behaviour is `voice.voicemail`, so the
 * same values are refused under `domainConfig` (a second place would silently disagree).
 *
 * The rules of single values are in client-settings-fields.ts (re-exported here).
 *
 * Pure: no I/O, no clock.
 */
import { z } from 'zod';
import { bookingLinkSchema, countryCodeSchema, line, providerId, speech, timeZoneSchema } from './client-settings-fields.js';
import { DomainConfigError, resolveClientConfig, VOICEMAIL_BEHAVIOURS, type DomainConfig } from './config.js';

export {
  bookingLinkSchema,
  canonicalZone,
  countryCodeSchema,
  holidayCountryCodes,
  isHttpsUrl,
  timeZoneSchema,
} from './client-settings-fields.js';

/**
 * The bases on which an Australian commercial SMS may be sent (Spam Act 2003, s16 and Schedule 2):
 * the person's express consent, consent inferred from their conduct and the business relationship,
 * or consent inferred from a conspicuously published number (Schedule 2, clause 4). Without one the
 * SMS steps are skipped (DOMAIN.md: "SMS consent basis missing", AD-003).
 */
export const SMS_CONSENT_BASES = ['express', 'inferred_business', 'inferred_publication'] as const;
export type SmsConsentBasis = (typeof SMS_CONSENT_BASES)[number];

// ---- the stored document -----------------------------------------------------------------------

const voiceFields = {
  /** The client's Vapi assistant. Without one, calls are skipped (no_voice_assistant) with an alert. */
  assistantId: providerId,
  /** The Vapi query tool that searches the client's knowledge base; added to the assistant's tools for each call (VO-001). */
  knowledgeBaseId: providerId,
  /** VO-004: on voicemail leave the message or hang up (DOMAIN.md default: leave_message). */
  voicemail: z.enum(VOICEMAIL_BEHAVIOURS),
  /** What the assistant leaves on a voicemail (default: domain/message-templates.ts voicemailMessage). */
  voicemailMessage: speech(500),
  /** Said first on every call (DOMAIN.md Voice; default DEFAULT_RECORDING_NOTICE). */
  recordingNotice: speech(300),
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `clients.settings`: every field optional (absent = not set: the default applies). */
export const ClientSettingsSchema = z.strictObject({
  /** The person messages are signed by and come from. */
  senderName: line(100).optional(),
  /** One or two sentences on what the client offers (else the campaign ICP's description). */
  pitch: line(500).optional(),
  bookingLink: bookingLinkSchema.optional(),
  smsConsentBasis: z.enum(SMS_CONSENT_BASES).optional(),
  voice: z.strictObject(voiceFields).partial().optional(),
  /** Per-client rule numbers (domain/config.ts resolveClientConfig). */
  domainConfig: z.record(z.string(), z.unknown()).optional(),
});
export type ClientSettings = z.infer<typeof ClientSettingsSchema>;

/**
 * A stored document read field by field: what is valid is kept, what is not is named in `invalid`
 * (a document written past the API). The settings API shows and repairs such a document; the
 * workflows never read it this way (services/clients.ts settingsOf refuses it).
 */
export function readStoredSettings(raw: unknown): { settings: ClientSettings; invalid: string[] } {
  const whole = ClientSettingsSchema.safeParse(raw ?? {});
  if (whole.success) return { settings: whole.data, invalid: [] };
  const doc = (isObject(raw) ? raw : {}) as Record<string, unknown>;
  const settings: Record<string, unknown> = {};
  const invalid: string[] = [];
  const shape = ClientSettingsSchema.shape as Record<string, z.ZodType>;
  const voiceShape = z.strictObject(voiceFields).shape as Record<string, z.ZodType>;
  for (const [key, value] of Object.entries(doc)) {
    if (key === 'voice' && isObject(value)) {
      const voice: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const r = voiceShape[k]?.safeParse(v);
        if (r?.success) voice[k] = r.data;
        else invalid.push(`voice.${k}`);
      }
      if (Object.keys(voice).length) settings.voice = voice;
      continue;
    }
    const r = shape[key]?.safeParse(value);
    if (r?.success) settings[key] = r.data;
    else invalid.push(key);
  }
  return { settings: settings as ClientSettings, invalid };
}

// ---- the API's view and its patch ------------------------------------------------------------------

/** The settings as the API shows them (null: not set) with the client's zone and country. */
export interface ClientSettingsView {
  senderName: string | null;
  pitch: string | null;
  bookingLink: string | null;
  smsConsentBasis: SmsConsentBasis | null;
  voice: {
    assistantId: string | null;
    knowledgeBaseId: string | null;
    voicemail: (typeof VOICEMAIL_BEHAVIOURS)[number] | null;
    voicemailMessage: string | null;
    recordingNotice: string | null;
  };
  defaultTimezone: string;
  defaultCountry: string;
  domainConfig: Record<string, unknown>;
}

const nullable = <T extends z.ZodType>(t: T) => t.nullable().optional();

/** A PATCH body: any subset of the view; null clears a field; unknown fields are refused. */
export const ClientSettingsPatchSchema = z.strictObject({
  senderName: nullable(ClientSettingsSchema.shape.senderName.unwrap()),
  pitch: nullable(ClientSettingsSchema.shape.pitch.unwrap()),
  bookingLink: nullable(bookingLinkSchema),
  smsConsentBasis: nullable(z.enum(SMS_CONSENT_BASES)),
  voice: nullable(
    z.strictObject({
      assistantId: nullable(voiceFields.assistantId),
      knowledgeBaseId: nullable(voiceFields.knowledgeBaseId),
      voicemail: nullable(voiceFields.voicemail),
      voicemailMessage: nullable(voiceFields.voicemailMessage),
      recordingNotice: nullable(voiceFields.recordingNotice),
    }),
  ),
  defaultTimezone: timeZoneSchema.optional(),
  defaultCountry: countryCodeSchema.optional(),
  /** Merged into the overrides (null removes one); the result must be a valid client configuration. */
  domainConfig: nullable(z.record(z.string(), z.unknown())),
});
export type ClientSettingsPatch = z.infer<typeof ClientSettingsPatchSchema>;

/** The view of a stored document and the client's columns. */
export function settingsView(s: ClientSettings, client: { defaultTimezone: string; defaultCountry: string }): ClientSettingsView {
  const v = s.voice ?? {};
  return {
    senderName: s.senderName ?? null,
    pitch: s.pitch ?? null,
    bookingLink: s.bookingLink ?? null,
    smsConsentBasis: s.smsConsentBasis ?? null,
    voice: {
      assistantId: v.assistantId ?? null,
      knowledgeBaseId: v.knowledgeBaseId ?? null,
      voicemail: v.voicemail ?? null,
      voicemailMessage: v.voicemailMessage ?? null,
      recordingNotice: v.recordingNotice ?? null,
    },
    defaultTimezone: client.defaultTimezone,
    defaultCountry: client.defaultCountry,
    domainConfig: s.domainConfig ?? {},
  };
}

/** RFC 7396 JSON merge patch: objects merge key by key, null removes a key, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (v !== undefined) out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** The view after a patch: RFC 7396 over the view (a cleared field reads null again; an empty domainConfig is {}). */
export function applySettingsPatch(view: ClientSettingsView, patch: ClientSettingsPatch): ClientSettingsView {
  const merged = mergePatch(view, patch) as Partial<ClientSettingsView>;
  const voice = (merged.voice ?? {}) as Partial<ClientSettingsView['voice']>;
  return {
    senderName: merged.senderName ?? null,
    pitch: merged.pitch ?? null,
    bookingLink: merged.bookingLink ?? null,
    smsConsentBasis: merged.smsConsentBasis ?? null,
    voice: {
      assistantId: voice.assistantId ?? null,
      knowledgeBaseId: voice.knowledgeBaseId ?? null,
      voicemail: voice.voicemail ?? null,
      voicemailMessage: voice.voicemailMessage ?? null,
      recordingNotice: voice.recordingNotice ?? null,
    },
    defaultTimezone: merged.defaultTimezone ?? view.defaultTimezone,
    defaultCountry: merged.defaultCountry ?? view.defaultCountry,
    domainConfig: merged.domainConfig ?? {},
  };
}

/** What is stored for a view: the settings document (unset fields left out) and the client's columns. */
export function storedSettings(view: ClientSettingsView): { settings: ClientSettings; defaultTimezone: string; defaultCountry: string } {
  const set = <T extends Record<string, unknown>>(o: T) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as { [K in keyof T]?: NonNullable<T[K]> };
  const voice = set(view.voice);
  const settings: ClientSettings = {
    ...set({ senderName: view.senderName, pitch: view.pitch, bookingLink: view.bookingLink, smsConsentBasis: view.smsConsentBasis }),
    ...(Object.keys(voice).length ? { voice } : {}),
    ...(Object.keys(view.domainConfig).length ? { domainConfig: view.domainConfig } : {}),
  };
  return { settings, defaultTimezone: view.defaultTimezone, defaultCountry: view.defaultCountry };
}

/** A field path (dotted) and what it says. */
export interface SettingsIssue {
  path: string;
  message: string;
}

/** Where a fact lives instead of `domainConfig` (one fact, one place). */
const ELSEWHERE: Readonly<Record<string, string>> = {
  'client.defaultZone': 'defaultTimezone',
  'client.defaultCountry': 'defaultCountry',
  'voice.voicemail': 'voice.voicemail',
};

function leafPaths(value: unknown, prefix: string, out: string[] = []): string[] {
  if (isObject(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) leafPaths(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) out.push(prefix);
  return out;
}

/**
 * Why a view cannot be stored, field by field ([] when it can): every field by its schema, and the
 * overrides merged over `base` through resolveClientConfig (so a bad or non-overridable number
 * names its path under domainConfig).
 */
export function settingsIssues(view: ClientSettingsView, base: DomainConfig): SettingsIssue[] {
  const issues: SettingsIssue[] = [];
  const stored = storedSettings(view);
  const parsed = ClientSettingsSchema.safeParse(stored.settings);
  if (!parsed.success) for (const i of parsed.error.issues) issues.push({ path: i.path.join('.'), message: i.message });
  for (const [field, schema] of [
    ['defaultTimezone', timeZoneSchema],
    ['defaultCountry', countryCodeSchema],
  ] as const) {
    const r = schema.safeParse(stored[field]);
    if (!r.success) issues.push({ path: field, message: r.error.issues[0]?.message ?? 'invalid' });
  }
  for (const p of leafPaths(view.domainConfig, '')) {
    const moved = Object.entries(ELSEWHERE).find(([at]) => p === at || p.startsWith(`${at}.`) || at.startsWith(`${p}.`));
    if (moved) issues.push({ path: `domainConfig.${p}`, message: `set ${moved[1]} instead (one place per setting)` });
  }
  if (issues.some((i) => i.path.startsWith('domainConfig.'))) return issues;
  try {
    resolveClientConfig(view.domainConfig as never, base);
  } catch (err) {
    if (!(err instanceof DomainConfigError)) throw err;
    for (const i of err.issues) issues.push({ path: i.path ? `domainConfig.${i.path}` : 'domainConfig', message: i.message });
  }
  return issues;
}

/** One changed field: its dotted path, the value before and after (null: not set). */
export interface SettingsChange {
  field: string;
  old: unknown;
  new: unknown;
}

function flatten(value: unknown, prefix: string, out: Map<string, unknown>): Map<string, unknown> {
  if (isObject(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (!(isObject(value) && prefix.startsWith('domainConfig'))) out.set(prefix, value);
  return out;
}

/** The fields a change touched, old -> new, in path order (arrays compared whole). */
export function settingsChanges(before: ClientSettingsView, after: ClientSettingsView): SettingsChange[] {
  const a = flatten(before, '', new Map());
  const b = flatten(after, '', new Map());
  const fields = [...new Set([...a.keys(), ...b.keys()])].sort();
  return fields
    .map((field) => ({ field, old: a.get(field) ?? null, new: b.get(field) ?? null }))
    .filter((c) => JSON.stringify(c.old) !== JSON.stringify(c.new));
}

/**
 * The per-client overrides a lead's rules are resolved with: the stored `domainConfig`, the
 * voicemail behaviour, and the client's own default zone and country (so `config.client` always
 * agrees with the client's columns).
 */
export function clientOverrides(s: ClientSettings, client: { defaultTimezone: string; defaultCountry: string }): Record<string, unknown> {
  const overrides = mergePatch(s.domainConfig ?? {}, {
    client: { defaultZone: client.defaultTimezone, defaultCountry: client.defaultCountry },
    ...(s.voice?.voicemail ? { voice: { voicemail: s.voice.voicemail } } : {}),
  });
  return overrides as Record<string, unknown>;
}
