/**
 * What a configuration must hold before anything goes out for real, and which secrets are too
 * weak to run with. Pure: each check returns the problems, one line each naming its variable;
 * loadConfig refuses to start on any (ConfigError). Every combination of provider modes:
 *
 *   Twilio (SMS, numbers) or Vapi (calls) live  needs DNCR_TELEMARKETER_ID + DNCR_PASSWORD
 *                                               (SM-001, SM-002: a sandbox register says "not
 *                                               registered" to every number), unless
 *                                               AU_CALLS_AND_SMS=off: then the numbers the
 *                                               register covers are never called or texted
 *   AU_CALLS_AND_SMS=off with DNCR credentials  refused: contradictory
 *   EMAIL_DELIVERY=smtp (explicit, or by        needs UNSUBSCRIBE_SECRET (a secret of its own)
 *   default when a provider is live)            and PUBLIC_BASE_URL (the link in every email
 *                                               must reach the API)
 *   half a credential pair (SID without token,  refused: the provider would silently stay in
 *   key without workspace or DSN, ...)          sandbox
 *   everything sandbox                          nothing required
 */

/** Shortest secret accepted (admin key, unsubscribe secret, webhook secrets): 32 characters. */
export const MIN_SECRET_LENGTH = 32;
const MIN_DISTINCT_CHARACTERS = 10;

/** The secrets checked for strength when set. */
export const SECRET_VARIABLES = [
  'ADMIN_API_KEY',
  'UNSUBSCRIBE_SECRET',
  'STRIPE_WEBHOOK_SECRET',
  'VAPI_WEBHOOK_SECRET',
  'UNIPILE_WEBHOOK_SECRET',
  'INBOUND_EMAIL_WEBHOOK_SECRET',
  'CALCOM_WEBHOOK_SECRET',
  'CALENDLY_WEBHOOK_SIGNING_KEY',
  'ALERT_WEBHOOK_SECRET',
] as const;

/**
 * Values shipped as examples (docker-compose.yml before it required its secrets, .env.example,
 * README) and their kind: "change me", "replace me", "your key here", "<secret>", "xxxxxx".
 */
const PLACEHOLDER_VALUES = new Set(['change-me-admin-key', 'agency_app_change_me', 'change-me', 'changeme', 'secret', 'password']);
const PLACEHOLDER_PATTERN =
  /change[\s._-]*(it|me|this)|replace[\s._-]*(it|me|this)|placeholder|your[\s._-]*(own[\s._-]*)?(admin[\s._-]*)?(api[\s._-]*)?(key|secret|password|token)|^<.*>$|x{6,}|\.\.\.|example/i;

export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER_VALUES.has(value.trim().toLowerCase()) || PLACEHOLDER_PATTERN.test(value);
}

const GENERATE = 'generate one, e.g. `openssl rand -hex 32`';

/** Why `value` is not acceptable as the secret `name`; undefined when it is (or is not set). */
export function secretProblem(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (isPlaceholder(value)) return `${name}: a placeholder, not a secret: ${GENERATE}`;
  if (value.length < MIN_SECRET_LENGTH)
    return `${name}: too short (${value.length} characters, at least ${MIN_SECRET_LENGTH}): ${GENERATE}`;
  if (new Set(value).size < MIN_DISTINCT_CHARACTERS) return `${name}: too few distinct characters to be a secret: ${GENERATE}`;
  return undefined;
}

type Vars = Readonly<Record<string, unknown>>;
const set = (v: unknown): v is string => typeof v === 'string' && v !== '';

/** Credentials that only work together: one without the other would leave the provider silently in sandbox. */
const PAIRS: [string, string][] = [
  ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'],
  ['DNCR_TELEMARKETER_ID', 'DNCR_PASSWORD'],
  ['UNIPILE_API_KEY', 'UNIPILE_DSN'],
  ['INFRAFORGE_API_KEY', 'INFRAFORGE_WORKSPACE_ID'],
  ['WARMFORGE_API_KEY', 'WARMFORGE_WORKSPACE_ID'],
];

export type ProviderName = 'stripe' | 'twilio' | 'vapi' | 'unipile' | 'forge' | 'dncr' | 'email';

/** The sandbox/live decision of each provider, made once from the variables. */
export interface ProviderModes {
  /** true: sandbox (recorded, not sent). */
  sandbox: Record<ProviderName, boolean>;
  /** The DNCR register: the ACMA one, a sandbox one, or one that refuses every wash (AU_CALLS_AND_SMS=off). */
  dncr: 'register' | 'sandbox' | 'refuse';
}

export function providerModes(v: Vars): ProviderModes {
  const sandbox = {
    stripe: !set(v.STRIPE_SECRET_KEY),
    twilio: !(set(v.TWILIO_ACCOUNT_SID) && set(v.TWILIO_AUTH_TOKEN)),
    vapi: !set(v.VAPI_API_KEY),
    unipile: !(set(v.UNIPILE_API_KEY) && set(v.UNIPILE_DSN)),
    forge: !(set(v.INFRAFORGE_API_KEY) && set(v.WARMFORGE_API_KEY)),
    dncr: !(set(v.DNCR_TELEMARKETER_ID) && set(v.DNCR_PASSWORD)),
  };
  // Email is live when asked, or by default as soon as any provider that acts in the world is.
  const anyLive =
    !sandbox.stripe || !sandbox.twilio || !sandbox.vapi || !sandbox.unipile || set(v.INFRAFORGE_API_KEY) || set(v.WARMFORGE_API_KEY);
  const email = v.EMAIL_DELIVERY === 'sandbox' || (v.EMAIL_DELIVERY !== 'smtp' && !anyLive);
  const dncr = !sandbox.dncr ? 'register' : v.AU_CALLS_AND_SMS === 'off' ? 'refuse' : 'sandbox';
  return { sandbox: { ...sandbox, email }, dncr };
}

/** Every reason to refuse this configuration (empty: it may start). */
export function configurationProblems(v: Vars, m: ProviderModes): string[] {
  return [
    ...SECRET_VARIABLES.map((name) => secretProblem(name, set(v[name]) ? v[name] : undefined)).filter((p): p is string => p !== undefined),
    ...(set(v.APP_DB_PASSWORD) && isPlaceholder(v.APP_DB_PASSWORD) ? ['APP_DB_PASSWORD: a placeholder, not a password: choose one'] : []),
    ...sendingProblems(v, m),
  ];
}

/** The problems of a configuration that would send for real without what compliance needs. */
export function sendingProblems(v: Vars, m: ProviderModes): string[] {
  const problems: string[] = [];
  for (const [a, b] of PAIRS) {
    if (set(v[a]) !== set(v[b]))
      problems.push(`${set(v[a]) ? b : a}: required with ${set(v[a]) ? a : b} (set both, or neither for sandbox)`);
  }
  const live = [!m.sandbox.twilio && 'Twilio SMS (TWILIO_ACCOUNT_SID)', !m.sandbox.vapi && 'Vapi calls (VAPI_API_KEY)'].filter(Boolean);
  if (live.length && m.dncr === 'sandbox') {
    problems.push(
      `DNCR_TELEMARKETER_ID, DNCR_PASSWORD: required when ${live.join(' and ')} ${live.length > 1 ? 'are' : 'is'} live: ` +
        'calls and SMS to Australian numbers must be washed against the Do Not Call Register (SM-001, SM-002). ' +
        'A deployment that never calls or texts Australian numbers sets AU_CALLS_AND_SMS=off instead (those numbers are then skipped).',
    );
  }
  if (v.AU_CALLS_AND_SMS === 'off' && !m.sandbox.dncr) {
    problems.push(
      'AU_CALLS_AND_SMS: "off" with DNCR credentials set: unset one of them (the register is there to call and text AU numbers)',
    );
  }
  if (!m.sandbox.email) {
    const why = 'when email is sent for real (EMAIL_DELIVERY=smtp, the default once a provider is live)';
    if (!set(v.UNSUBSCRIBE_SECRET))
      problems.push(`UNSUBSCRIBE_SECRET: required ${why}: it signs the one-click unsubscribe links; ${GENERATE}`);
    if (!set(v.PUBLIC_BASE_URL)) problems.push(`PUBLIC_BASE_URL: required ${why}: the unsubscribe link in every email must reach the API`);
  }
  return problems;
}
