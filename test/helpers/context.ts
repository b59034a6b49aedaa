/** What integration tests share: config pointing at the run's database and Temporal server. */
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { loadConfig, type AppConfig } from '../../config/index.js';
import { createDb, type Db } from '../../db/client.js';
import { generateApiKey } from '../../api/api-keys.js';

export const ADMIN_KEY = 'test-admin-key-0123456789abcdefghij';
/** The unsubscribe-link secret of every test configuration (tests set their own: it is never derived). */
export const TEST_CONFIG_UNSUBSCRIBE_SECRET = 'test-config-unsubscribe-secret-0123456789';

export function testConfig(env: Record<string, string> = {}): Readonly<AppConfig> {
  return loadConfig({
    DATABASE_URL: inject('databaseUrl'),
    APP_DATABASE_URL: inject('tenantDatabaseUrl'),
    APP_DB_PASSWORD: inject('appDbPassword'),
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: `test-${randomUUID()}`,
    ADMIN_API_KEY: ADMIN_KEY,
    UNSUBSCRIBE_SECRET: TEST_CONFIG_UNSUBSCRIBE_SECRET,
    LOG_LEVEL: 'silent',
    PORT: '0',
    // The provider lanes unthrottled (a test about their rates sets its own: test/e2e/provider-lanes.e2e.test.ts).
    PROVIDER_RATE_EMAIL: '1000',
    PROVIDER_RATE_SMS: '1000',
    PROVIDER_RATE_VOICE: '1000',
    PROVIDER_RATE_LINKEDIN: '1000',
    PROVIDER_RATE_CRM: '1000',
    ...env,
  });
}

export function testDb(config = testConfig()): Db {
  return createDb({ systemUrl: config.databaseUrl, tenantUrl: config.tenantDatabaseUrl, poolSize: 5 });
}

export async function temporalClient(address = inject('temporalAddress'), namespace = 'default'): Promise<Client> {
  return new Client({ connection: await Connection.connect({ address }), namespace });
}

/** A new client (tenant) with an API key, on the system path as an admin would create it. */
export async function createTestTenant(db: Db, name = 'Test client') {
  const key = generateApiKey();
  const client = await db.system.client.create({
    data: {
      name,
      slug: `t-${randomUUID().slice(0, 18)}`,
      defaultCountry: 'AU',
      defaultTimezone: 'Australia/Sydney',
      apiKeys: { create: { name: 'test', prefix: key.prefix, keyHash: key.hash } },
    },
  });
  return { client, apiKey: key.key };
}

export const auth = (key: string) => ({ authorization: `Bearer ${key}` });

/** A CSV lead list of n valid rows. */
/** `dead: true` makes leads that score Dead (phone only, intern title): imported, never contacted. */
export function csvLeads(n: number, opts: { country?: string; badLine?: { line: number; email: string }; dead?: boolean } = {}): string {
  const lines = ['email,first_name,last_name,title,company,city,state,country,phone'];
  for (let i = 1; i <= n; i++) {
    const line = i + 1; // the header is line 1
    const email = opts.badLine?.line === line ? opts.badLine.email : opts.dead ? '' : `lead${i}@example${i % 97}.com`;
    const mobile = `04${String(10_000_000 + i).slice(-8)}`;
    lines.push(`${email},Lead,${i},${opts.dead ? 'Intern' : 'Founder'},Company ${i},Sydney,NSW,${opts.country ?? 'AU'},${mobile}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Polls `fn` until it answers something truthy (then returned). The timeout (2 minutes unless
 * given) is a safety net for a hang on a busy machine, never a speed check: wait for a condition.
 */
export async function waitFor<T>(
  fn: () => Promise<T | undefined | false>,
  opts: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${opts.what ?? 'condition'}`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100));
  }
}
