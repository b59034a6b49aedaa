/**
 * Domain configuration: every number of DOMAIN.md as a validated default.
 *
 * `DomainConfigSchema.parse({})` yields the full default configuration. System-wide changes are
 * made by parsing a (partial) object through the schema; per-client changes go through
 * `resolveClientConfig`, which accepts only the settings DOMAIN.md makes per client (scoring
 * weights, the client's default zone/country, the client's daily email cap, the voicemail
 * behaviour and the client's concurrent-call limit). The default sequence is not overridable
 * (AD-002: no user-written sequences).
 *
 * The vocabulary and zod building blocks are in config-blocks.ts (re-exported here), the sections
 * in config-lead-sections.ts and config-channel-sections.ts; this file assembles the schema, parses,
 * freezes and resolves per-client configurations.
 *
 * Pure: no I/O, no clock.
 */
import { z } from 'zod';
import type { VoicemailBehaviour } from './config-blocks.js';
import {
  churnSchema,
  dncrSchema,
  domainHealthSchema,
  emailSchema,
  linkedinSchema,
  poolSchema,
  replySchema,
  smsSchema,
  voiceSchema,
} from './config-channel-sections.js';
import { channelGatingSchema, clientSchema, scoringSchema, sequenceSchema, tiersSchema, windowsSchema } from './config-lead-sections.js';

export {
  BILLING_TIERS,
  CHANNEL_OF_KIND,
  CHANNELS,
  HOLIDAY_TYPES,
  LEAD_TIERS,
  minutesOfDay,
  STEP_KINDS,
  VOICEMAIL_BEHAVIOURS,
  WINDOW_NAMES,
  type BillingTier,
  type Channel,
  type HolidayType,
  type LeadTier,
  type StepKind,
  type VoicemailBehaviour,
  type WindowName,
} from './config-blocks.js';

/** The whole domain configuration; `parse({})` gives the DOMAIN.md defaults. */
export const DomainConfigSchema = z.strictObject({
  scoring: scoringSchema,
  tiers: tiersSchema,
  channelGating: channelGatingSchema,
  sequence: sequenceSchema,
  windows: windowsSchema,
  client: clientSchema,
  email: emailSchema,
  domainHealth: domainHealthSchema,
  sms: smsSchema,
  dncr: dncrSchema,
  voice: voiceSchema,
  linkedin: linkedinSchema,
  pool: poolSchema,
  churn: churnSchema,
  reply: replySchema,
});

type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** A parsed, frozen domain configuration. */
export type DomainConfig = DeepReadonly<z.output<typeof DomainConfigSchema>>;
/** What a caller may pass to `DomainConfigSchema.parse` / `parseDomainConfig`. */
export type DomainConfigInput = z.input<typeof DomainConfigSchema>;

type DeepPartial<T> = T extends readonly (infer U)[] ? readonly U[] : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/** Per-client overrides: only the settings DOMAIN.md makes per client. */
export interface ClientConfigOverrides {
  scoring?: DeepPartial<DomainConfig['scoring']>;
  client?: DeepPartial<DomainConfig['client']>;
  email?: { clientDailyCap?: number };
  voice?: { voicemail?: VoicemailBehaviour; concurrentPerClient?: number };
}

/** Dotted paths (or prefixes) a client override may touch. */
export const CLIENT_OVERRIDABLE_PATHS: readonly string[] = Object.freeze([
  'scoring',
  'client',
  'email.clientDailyCap',
  'voice.voicemail',
  'voice.concurrentPerClient',
]);

/** Thrown when a configuration or a per-client override is invalid; `issues` lists field paths (SYS-002, AD-002). */
export class DomainConfigError extends Error {
  override readonly name = 'DomainConfigError';
  constructor(
    message: string,
    readonly issues: readonly { path: string; message: string }[],
  ) {
    super(message);
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
    return out;
  }
  return over; // scalars and arrays replace
}

function leafPaths(value: unknown, prefix: string, out: string[]): string[] {
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) leafPaths(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out.push(prefix);
  }
  return out;
}

function parseOrThrow(input: unknown, what: string): DomainConfig {
  const result = DomainConfigSchema.safeParse(input);
  if (!result.success) {
    // An unknown key is named by its own path (scoring.luck), not its parent's.
    const issues = result.error.issues.flatMap((i) =>
      i.code === 'unrecognized_keys'
        ? i.keys.map((k) => ({ path: [...i.path, k].join('.'), message: 'not a setting' }))
        : [{ path: i.path.join('.'), message: i.message }],
    );
    throw new DomainConfigError(`${what}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`, issues);
  }
  return deepFreeze(result.data) as DomainConfig;
}

/** Parse and freeze a system-level configuration (any field may be set). SYS-002..SYS-005 defaults. */
export function parseDomainConfig(input: DomainConfigInput | Record<string, unknown> = {}): DomainConfig {
  return parseOrThrow(input, 'invalid domain configuration');
}

/** The DOMAIN.md defaults, frozen. */
export const defaultDomainConfig: DomainConfig = parseDomainConfig({});

/**
 * Merge a client's overrides into `base` (default: the DOMAIN.md defaults) and validate the
 * result. Only `CLIENT_OVERRIDABLE_PATHS` may be overridden; anything else (for example the
 * sequence, AD-002) is rejected with a DomainConfigError naming the path. SYS-002, ED-002, VO-004.
 */
export function resolveClientConfig(
  overrides: ClientConfigOverrides | null | undefined,
  base: DomainConfig = defaultDomainConfig,
): DomainConfig {
  if (overrides == null) return base;
  if (!isPlainObject(overrides))
    throw new DomainConfigError('client overrides must be an object', [{ path: '', message: 'not an object' }]);
  const rejected = leafPaths(overrides, '', []).filter(
    (p) => !CLIENT_OVERRIDABLE_PATHS.some((allowed) => p === allowed || p.startsWith(`${allowed}.`)),
  );
  if (rejected.length > 0) {
    throw new DomainConfigError(
      `not overridable per client: ${rejected.join(', ')} (per-client settings: ${CLIENT_OVERRIDABLE_PATHS.join(', ')})`,
      rejected.map((path) => ({ path, message: 'not overridable per client' })),
    );
  }
  return parseOrThrow(deepMerge(base, overrides), 'invalid client configuration');
}
