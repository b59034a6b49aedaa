/**
 * The application configuration refuses to start what would send for real without what
 * compliance needs (SM-001, SM-002: the Do Not Call Register for live calls and SMS; ED-001: a
 * secret of its own for unsubscribe links and a public URL for them once email is live), half-set
 * credentials that would silently stay in sandbox, and weak or placeholder secrets (SYS-009).
 * Every expected outcome below is written from those rules, combination by combination.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConfigError, loadConfig } from '../../config/index.js';
import { MIN_SECRET_LENGTH, SECRET_VARIABLES } from '../../config/safety.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const BASE = { DATABASE_URL: 'postgresql://agency@127.0.0.1:5432/agency_os' };
const STRONG = 'k3Jd9-Vq2xLm8Pz7Rt4Wn6Yb1Hc5Fg0Ae';
const EMAIL_READY = { UNSUBSCRIBE_SECRET: STRONG, PUBLIC_BASE_URL: 'https://api.agency.example' };

const LIVE = {
  twilio: { TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'twilio-token' },
  vapi: { VAPI_API_KEY: 'vapi-key' },
  dncr: { DNCR_TELEMARKETER_ID: '1234', DNCR_PASSWORD: 'dncr-password' },
  stripe: { STRIPE_SECRET_KEY: 'sk_test_1' },
  unipile: { UNIPILE_API_KEY: 'unipile-key', UNIPILE_DSN: 'https://api1.unipile.com:13111' },
  forge: { INFRAFORGE_API_KEY: 'if-key', INFRAFORGE_WORKSPACE_ID: 'ws1', WARMFORGE_API_KEY: 'wf-key', WARMFORGE_WORKSPACE_ID: 'ws2' },
};

function refusal(env: Record<string, string>): string | undefined {
  try {
    loadConfig({ ...BASE, ...env });
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
}

describe('SM-001 SM-002: live calls and SMS need the Do Not Call Register', () => {
  const cases = [false, true].flatMap((twilio) =>
    [false, true].flatMap((vapi) =>
      [false, true].flatMap((dncr) => (['unset', 'on', 'off'] as const).map((au) => ({ twilio, vapi, dncr, au }))),
    ),
  );
  it.each(cases)(
    'SM-001 SM-002: Twilio live=$twilio, Vapi live=$vapi, DNCR credentials=$dncr, AU_CALLS_AND_SMS=$au',
    ({ twilio, vapi, dncr, au }) => {
      const env = {
        ...EMAIL_READY,
        ...(twilio ? LIVE.twilio : {}),
        ...(vapi ? LIVE.vapi : {}),
        ...(dncr ? LIVE.dncr : {}),
        ...(au === 'unset' ? {} : { AU_CALLS_AND_SMS: au }),
      };
      // The rule: a live call or SMS channel needs the register, unless AU numbers are off;
      // "off" together with the register's credentials is contradictory.
      const needsRegister = (twilio || vapi) && !dncr && au !== 'off';
      const contradictory = au === 'off' && dncr;
      const message = refusal(env);
      if (!needsRegister && !contradictory) {
        expect(message).toBeUndefined();
        const config = loadConfig({ ...BASE, ...env });
        expect(config.providers.dncr.mode).toBe(dncr ? 'register' : au === 'off' ? 'refuse' : 'sandbox');
        expect(config.sandbox.dncr).toBe(!dncr);
        return;
      }
      expect(message).toBeDefined();
      if (needsRegister) {
        expect(message).toMatch(/DNCR_TELEMARKETER_ID, DNCR_PASSWORD: required/);
        expect(message).toContain('AU_CALLS_AND_SMS=off');
        if (twilio) expect(message).toContain('TWILIO_ACCOUNT_SID');
        if (vapi) expect(message).toContain('VAPI_API_KEY');
      }
      if (contradictory) expect(message).toMatch(/AU_CALLS_AND_SMS: "off" with DNCR credentials/);
    },
  );

  it('SM-001: the other live providers (Stripe, Unipile, the Forge pair) need no register', () => {
    for (const live of [LIVE.stripe, LIVE.unipile, LIVE.forge]) expect(refusal({ ...EMAIL_READY, ...live })).toBeUndefined();
  });

  it('SM-001: AU_CALLS_AND_SMS takes on or off only', () => {
    expect(refusal({ AU_CALLS_AND_SMS: 'no' })).toMatch(/AU_CALLS_AND_SMS/);
  });
});

describe('SM-001 ED-001: half a credential pair is refused (the provider would silently stay in sandbox)', () => {
  const pairs = [
    ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'],
    ['DNCR_TELEMARKETER_ID', 'DNCR_PASSWORD'],
    ['UNIPILE_API_KEY', 'UNIPILE_DSN'],
    ['INFRAFORGE_API_KEY', 'INFRAFORGE_WORKSPACE_ID'],
    ['WARMFORGE_API_KEY', 'WARMFORGE_WORKSPACE_ID'],
  ] as const;
  it.each(
    pairs.flatMap(([a, b]) => [
      { set: a, missing: b },
      { set: b, missing: a },
    ]),
  )('SM-001 ED-001: $set without $missing names $missing', ({ set, missing }) => {
    expect(refusal({ ...EMAIL_READY, [set]: 'value-1' })).toContain(`${missing}: required with ${set}`);
  });
});

describe('ED-001: email delivery is chosen once, and live email needs its own unsubscribe secret and a public URL', () => {
  it('ED-001: everything sandbox: email is recorded (sandbox) and nothing more is required', () => {
    const config = loadConfig(BASE);
    expect(config.sandbox.email).toBe(true);
  });

  it.each(Object.entries(LIVE).filter(([name]) => name !== 'dncr'))(
    'ED-001: with %s live, email goes over SMTP by default and needs UNSUBSCRIBE_SECRET and PUBLIC_BASE_URL',
    (_name, live) => {
      const base = { ...live, ...LIVE.dncr };
      const both = refusal(base);
      expect(both).toMatch(/UNSUBSCRIBE_SECRET: required when email is sent for real/);
      expect(both).toMatch(/PUBLIC_BASE_URL: required when email is sent for real/);
      expect(refusal({ ...base, PUBLIC_BASE_URL: EMAIL_READY.PUBLIC_BASE_URL })).toMatch(/UNSUBSCRIBE_SECRET/);
      expect(refusal({ ...base, UNSUBSCRIBE_SECRET: STRONG })).toMatch(/PUBLIC_BASE_URL/);
      const config = loadConfig({ ...BASE, ...base, ...EMAIL_READY });
      expect(config.sandbox.email).toBe(false);
      expect(config.unsubscribeSecret).toBe(STRONG);
      // An explicit sandbox keeps email recorded, and then needs neither.
      expect(loadConfig({ ...BASE, ...base, EMAIL_DELIVERY: 'sandbox' }).sandbox.email).toBe(true);
    },
  );

  it('ED-001: the DNCR register alone sends nothing: email stays sandboxed', () => {
    expect(loadConfig({ ...BASE, ...LIVE.dncr }).sandbox.email).toBe(true);
  });

  it('ED-001: EMAIL_DELIVERY=smtp in an otherwise sandbox deployment is live email (and needs the same)', () => {
    expect(refusal({ EMAIL_DELIVERY: 'smtp' })).toMatch(/UNSUBSCRIBE_SECRET[\s\S]*PUBLIC_BASE_URL/);
    expect(loadConfig({ ...BASE, EMAIL_DELIVERY: 'smtp', ...EMAIL_READY }).sandbox.email).toBe(false);
    expect(refusal({ EMAIL_DELIVERY: 'yes' })).toMatch(/EMAIL_DELIVERY/);
  });

  it('ED-001: PUBLIC_BASE_URL must be an http(s) URL', () => {
    for (const bad of ['not a url', 'ftp://files.example', 'javascript:alert(1)'])
      expect(refusal({ PUBLIC_BASE_URL: bad })).toMatch(/PUBLIC_BASE_URL/);
    expect(refusal({ PUBLIC_BASE_URL: 'https://api.agency.example' })).toBeUndefined();
  });

  it('ED-001: the unsubscribe secret is never derived from the admin key (rotating the key changes nothing; without one it is no constant)', () => {
    const a = loadConfig({ ...BASE, ADMIN_API_KEY: STRONG, UNSUBSCRIBE_SECRET: `${STRONG}-u` });
    const b = loadConfig({ ...BASE, ADMIN_API_KEY: `${STRONG}-rotated`, UNSUBSCRIBE_SECRET: `${STRONG}-u` });
    expect(a.unsubscribeSecret).toBe(`${STRONG}-u`);
    expect(b.unsubscribeSecret).toBe(a.unsubscribeSecret);
    // Sandbox email without one: random per process, never the admin key or a fixed value.
    const c = loadConfig({ ...BASE, ADMIN_API_KEY: STRONG });
    const d = loadConfig({ ...BASE, ADMIN_API_KEY: STRONG });
    expect(c.unsubscribeSecret.length).toBeGreaterThanOrEqual(MIN_SECRET_LENGTH);
    expect(c.unsubscribeSecret).not.toBe(d.unsubscribeSecret);
    expect(c.unsubscribeSecret).not.toContain(STRONG);
  });
});

describe('SYS-009: weak and placeholder secrets are refused', () => {
  it.each(SECRET_VARIABLES)(
    'SYS-009: %s: under 32 characters, repetitive or a placeholder is refused with its name; a strong one is accepted',
    (name) => {
      expect(refusal({ [name]: STRONG.slice(0, MIN_SECRET_LENGTH - 1) })).toMatch(new RegExp(`${name}: too short \\(31 characters`));
      expect(refusal({ [name]: STRONG.slice(0, MIN_SECRET_LENGTH) })).toBeUndefined();
      expect(refusal({ [name]: 'ab'.repeat(30) })).toMatch(new RegExp(`${name}: too few distinct characters`));
      for (const placeholder of [
        'change-me-admin-key',
        'change-me',
        'CHANGE_ME_please-0123456789abcdefghij',
        'your-admin-api-key-goes-here-0123456789',
        '<secret>',
      ])
        expect(refusal({ [name]: placeholder })).toMatch(new RegExp(`${name}: (a placeholder|too short)`));
    },
  );

  it('SYS-009: any random secret of 32 characters or more is accepted (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 24, maxLength: 64 }), (bytes) => {
        const secret = Buffer.from(bytes).toString('hex');
        fc.pre(new Set(secret).size >= 10);
        return SECRET_VARIABLES.every((name) => refusal({ [name]: secret }) === undefined);
      }),
    );
  });

  it('SYS-009: every secret and password value shipped in docker-compose.yml, .env.example and README.md is refused or required from the operator', () => {
    const compose = readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
    const appEnv = compose.slice(compose.indexOf('x-app-env:'), compose.indexOf('\nservices:'));
    const vars = [...SECRET_VARIABLES, 'APP_DB_PASSWORD'];
    // In compose, each is either required (${VAR:?...}) or passed through from the operator's environment.
    for (const name of vars) {
      const line = appEnv.split('\n').find((l) => l.trim().startsWith(`${name}:`));
      if (line) expect(line, name).toMatch(new RegExp(`\\$\\{${name}:[?-]`));
    }
    for (const name of ['ADMIN_API_KEY', 'UNSUBSCRIBE_SECRET', 'APP_DB_PASSWORD'])
      expect(appEnv, name).toMatch(new RegExp(`${name}: \\$\\{${name}:\\?`));
    expect(compose).not.toMatch(/POSTGRES_PASSWORD: (?!\$\{POSTGRES_PASSWORD:\?)/);
    expect(compose).not.toMatch(/postgresql:\/\/agency:agency@/);
    // Literal values in .env.example and README (VAR=value) are refused by the configuration.
    const shipped = [readFileSync(path.join(root, '.env.example'), 'utf8'), readFileSync(path.join(root, 'README.md'), 'utf8')]
      .flatMap((text) => [...text.matchAll(/\b([A-Z_]+)=([^\s`'"|]+)/g)])
      .filter(([, name]) => vars.includes(name!))
      .map(([, name, value]) => [name!, value!] as const);
    for (const [name, value] of shipped) expect(refusal({ [name]: value }), `${name}=${value}`).toBeDefined();
    // The values compose shipped before it required them.
    expect(refusal({ ADMIN_API_KEY: 'change-me-admin-key' })).toMatch(/ADMIN_API_KEY: a placeholder/);
    expect(refusal({ APP_DB_PASSWORD: 'agency_app_change_me' })).toMatch(/APP_DB_PASSWORD: a placeholder/);
  });

  it('SYS-009: every problem is reported at once, one line each naming its variable', () => {
    const message = refusal({ ...LIVE.twilio, ADMIN_API_KEY: 'short' })!;
    expect(
      message
        .split('\n')
        .slice(1)
        .map((l) => l.trim().split(':')[0]),
    ).toEqual(['ADMIN_API_KEY', 'DNCR_TELEMARKETER_ID, DNCR_PASSWORD', 'UNSUBSCRIBE_SECRET', 'PUBLIC_BASE_URL']);
  });
});
