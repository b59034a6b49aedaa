/**
 * SYS-010 at the database level: a session for client A, on the tenant login role, can neither
 * read nor write client B's rows, whatever the query says; and a sweep of every table: what the
 * tenant role may SELECT, INSERT, UPDATE and DELETE, against the intended matrix (client-owned
 * tables only what the tenant paths use, under row-level security; system tables nothing).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestTenant, testDb } from '../helpers/context.js';

const db = testDb();
let a: Awaited<ReturnType<typeof createTestTenant>>;
let b: Awaited<ReturnType<typeof createTestTenant>>;
let bCampaignId: string;

beforeAll(async () => {
  a = await createTestTenant(db, 'Tenant A');
  b = await createTestTenant(db, 'Tenant B');
  const campaign = await db.system.campaign.create({ data: { clientId: b.client.id, name: 'B secret campaign', icp: {} } });
  bCampaignId = campaign.id;
  await db.system.lead.create({ data: { clientId: b.client.id, campaignId: campaign.id, sourceRow: 1, email: 'secret@b.example' } });
});
afterAll(() => db.close());

describe('SYS-010 row-level security (database level)', () => {
  it('SYS-010: client A sees none of client B rows, even when asking for them by id', async () => {
    const seen = await db.asTenant(a.client.id, async (tx) => ({
      byId: await tx.campaign.findUnique({ where: { id: bCampaignId } }),
      campaigns: await tx.campaign.count({ where: { clientId: b.client.id } }),
      leads: await tx.lead.count(),
      clients: await tx.client.findMany({ select: { id: true } }),
      touches: await tx.touch.count({ where: { clientId: b.client.id } }),
    }));
    expect(seen).toEqual({ byId: null, campaigns: 0, leads: 0, clients: [{ id: a.client.id }], touches: 0 });
  });

  it('SYS-010: client B sees its own rows through the same path', async () => {
    const seen = await db.asTenant(b.client.id, async (tx) => ({
      campaigns: await tx.campaign.count(),
      leads: await tx.lead.count(),
    }));
    expect(seen).toEqual({ campaigns: 1, leads: 1 });
  });

  it('SYS-010: client A cannot insert a row owned by client B', async () => {
    await expect(
      db.asTenant(a.client.id, (tx) => tx.campaign.create({ data: { clientId: b.client.id, name: 'planted', icp: {} } })),
    ).rejects.toThrow(/row-level security|violates/i);
    expect(await db.system.campaign.count({ where: { clientId: b.client.id } })).toBe(1);
  });

  it('SYS-010: client A cannot update or delete client B rows (0 rows affected, nothing changes)', async () => {
    const result = await db.asTenant(a.client.id, async (tx) => ({
      updated: (await tx.campaign.updateMany({ where: { id: bCampaignId }, data: { name: 'hijacked' } })).count,
      deleted: (await tx.campaign.deleteMany({ where: { clientId: b.client.id } })).count,
      raw: await tx.$executeRawUnsafe(`UPDATE campaigns SET name = 'raw' WHERE id = '${bCampaignId}'`),
    }));
    expect(result).toEqual({ updated: 0, deleted: 0, raw: 0 });
    const campaign = await db.system.campaign.findUniqueOrThrow({ where: { id: bCampaignId } });
    expect(campaign.name).toBe('B secret campaign');
    expect(await db.system.campaign.count({ where: { clientId: b.client.id } })).toBe(1);
    expect(await db.system.lead.count({ where: { clientId: b.client.id } })).toBe(1);
  });

  it('SYS-010: a tenant session that moves its own row to client B is refused', async () => {
    const own = await db.system.campaign.create({ data: { clientId: a.client.id, name: 'A campaign', icp: {} } });
    await expect(
      db.asTenant(a.client.id, (tx) => tx.campaign.update({ where: { id: own.id }, data: { clientId: b.client.id } })),
    ).rejects.toThrow(/row-level security|violates/i);
  });

  it('SYS-010: without a client id set, the tenant role sees nothing at all', async () => {
    const count = await db.asTenant('', (tx) => tx.campaign.count()).catch(() => -1);
    expect(count === 0 || count === -1).toBe(true);
    const direct = await db.asTenant(a.client.id, (tx) =>
      tx.$queryRawUnsafe<{ n: bigint }[]>(`SELECT set_config('app.client_id', '', true), (SELECT count(*) FROM leads) AS n`),
    );
    expect(Number(direct[0]!.n)).toBe(0);
  });

  it('SYS-010: the tenant role has no access to the shared pool tables', async () => {
    await expect(db.asTenant(a.client.id, (tx) => tx.domain.count())).rejects.toThrow(/permission denied/i);
  });
});

type Op = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';
const OPS: Op[] = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];

/**
 * What the tenant role may do on each table: what services `forTenant` paths use, nothing more.
 * Written from the rule (client-owned tables under RLS, only what a tenant path uses; the pool,
 * usage, suppressions, outbox, snapshots, purchases and migrations: nothing), not read from the
 * database. A table missing here fails the sweep: a new table needs a decision.
 */
const TENANT_MATRIX: Record<string, Op[]> = {
  // client-owned, used by tenant paths (services/campaigns, leads/*, clients, touches/ledger)
  clients: ['SELECT'],
  campaigns: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
  lead_import_rows: ['SELECT', 'INSERT'],
  leads: ['SELECT', 'INSERT', 'UPDATE'],
  touches: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
  // read by GET /v1/settings/changes (services/client-settings.ts); written only on the system path
  client_settings_changes: ['SELECT'],
  // the inbox (services/conversations.ts): read, and a conversation marked handled; written by webhooks and workflows
  conversations: ['SELECT', 'UPDATE'],
  messages: ['SELECT'],
  meetings: ['SELECT'],
  deals: ['SELECT'],
  // the voice knowledge base (services/knowledge-base.ts): listed by the client; written on the system path
  knowledge_bases: ['SELECT'],
  knowledge_files: ['SELECT'],
  // client-owned, only the system path uses them (RLS stays on as a second wall)
  api_keys: [],
  // holds a secret (the CRM token): the system path only
  crm_connections: [],
  subscriptions: [],
  resource_allocations: [],
  webhook_events: [],
  alerts: [],
  linkedin_invitations: [],
  person_sequences: [],
  // system tables
  domains: [],
  mailboxes: [],
  phone_numbers: [],
  linkedin_seats: [],
  pool_purchases: [],
  pool_snapshots: [],
  health_snapshots: [],
  resource_daily_usage: [],
  suppressions: [],
  person_day_touches: [],
  sandbox_outbox: [],
  _prisma_migrations: [],
};

describe('SYS-010 what the tenant role may do, table by table', () => {
  const system = new pg.Client({ connectionString: inject('databaseUrl') });
  const tenant = new pg.Client({ connectionString: inject('tenantDatabaseUrl') });
  let tables: { name: string; firstColumn: string; rls: boolean; forced: boolean; tenantPolicy: boolean }[] = [];

  beforeAll(async () => {
    await Promise.all([system.connect(), tenant.connect()]);
    tables = (
      await system.query<{ name: string; firstColumn: string; rls: boolean; forced: boolean; tenantPolicy: boolean }>(`
        SELECT c.relname AS name,
               (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                ORDER BY a.attnum LIMIT 1) AS "firstColumn",
               c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
               EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid
                       AND 'agency_tenant'::regrole::oid = ANY (p.polroles)) AS "tenantPolicy"
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
        ORDER BY c.relname`)
    ).rows;
  });
  afterAll(() => Promise.all([system.end(), tenant.end()]));

  it('SYS-010: every table of the schema is in the intended matrix (a new table needs a decision)', () => {
    expect(tables.length).toBeGreaterThanOrEqual(20);
    expect(tables.map((t) => t.name).sort()).toEqual(Object.keys(TENANT_MATRIX).sort());
  });

  it('SYS-010: the privileges the catalog gives agency_app are exactly the matrix (tables and columns; no TRUNCATE, REFERENCES, TRIGGER)', async () => {
    const granted: Record<string, string[]> = {};
    for (const t of tables) {
      const { rows } = await system.query<Record<string, boolean>>(
        `SELECT ${[...OPS, 'TRUNCATE', 'REFERENCES', 'TRIGGER']
          .map((op) => `has_table_privilege('agency_app', format('%I', $1::text), '${op}') AS "${op}"`)
          .join(', ')},
         ${['SELECT', 'INSERT', 'UPDATE', 'REFERENCES']
           .map((op) => `has_any_column_privilege('agency_app', format('%I', $1::text), '${op}') AS "col_${op}"`)
           .join(', ')}`,
        [t.name],
      );
      granted[t.name] = Object.entries(rows[0]!)
        .filter(([, on]) => on)
        .map(([op]) => op)
        .sort();
    }
    const intended = Object.fromEntries(
      tables.map((t) => {
        const ops = TENANT_MATRIX[t.name] ?? [];
        const cols = ops.filter((op) => op !== 'DELETE').map((op) => `col_${op}`);
        return [t.name, [...ops, ...cols].sort()];
      }),
    );
    expect(granted).toEqual(intended);
  });

  it('SYS-010: as agency_app, each statement on each table is allowed or refused (42501) as the matrix says', async () => {
    const clientId = (await system.query<{ id: string }>('SELECT id FROM clients LIMIT 1')).rows[0]!.id;
    const seen: Record<string, Op[]> = {};
    for (const t of tables) {
      const col = `"${t.firstColumn}"`;
      const table = `"${t.name}"`;
      const statements: Record<Op, string> = {
        SELECT: `SELECT 1 FROM ${table} LIMIT 1`,
        INSERT: `INSERT INTO ${table} (${col}) SELECT NULL WHERE false`,
        UPDATE: `UPDATE ${table} SET ${col} = NULL WHERE false`,
        DELETE: `DELETE FROM ${table} WHERE false`,
      };
      seen[t.name] = [];
      for (const op of OPS) {
        await tenant.query('BEGIN');
        await tenant.query(`SELECT set_config('app.client_id', $1, true)`, [clientId]);
        try {
          await tenant.query(statements[op]);
          seen[t.name]!.push(op);
        } catch (err) {
          expect((err as { code?: string }).code, `${op} on ${t.name}: ${(err as Error).message}`).toBe('42501');
        } finally {
          await tenant.query('ROLLBACK');
        }
      }
    }
    expect(seen).toEqual(Object.fromEntries(tables.map((t) => [t.name, TENANT_MATRIX[t.name] ?? []])));
  });

  it('SYS-010: every table the tenant role can touch is under forced row-level security with a tenant policy', () => {
    const reachable = tables.filter((t) => (TENANT_MATRIX[t.name] ?? []).length > 0);
    expect(reachable.map((t) => t.name).sort()).toEqual([
      'campaigns',
      'client_settings_changes',
      'clients',
      'conversations',
      'deals',
      'knowledge_bases',
      'knowledge_files',
      'lead_import_rows',
      'leads',
      'meetings',
      'messages',
      'touches',
    ]);
    for (const t of reachable)
      expect({ table: t.name, rls: t.rls, forced: t.forced, tenantPolicy: t.tenantPolicy }).toEqual({
        table: t.name,
        rls: true,
        forced: true,
        tenantPolicy: true,
      });
  });

  it('SYS-010: agency_app is a member of agency_tenant only, creates nothing in the schema, and new tables get no tenant grant by default', async () => {
    const { rows: member } = await system.query<{ role: string }>(`
      SELECT r.rolname AS role FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid
      WHERE m.member = 'agency_app'::regrole ORDER BY 1`);
    expect(member.map((r) => r.role)).toEqual(['agency_tenant']);
    const { rows: schema } = await system.query<{ create: boolean }>(
      `SELECT has_schema_privilege('agency_app', current_schema(), 'CREATE') AS create`,
    );
    expect(schema[0]!.create).toBe(false);
    // Default privileges for tables created later: no entry grants agency_tenant anything.
    const { rows: defaults } = await system.query<{ acl: string | null }>(`
      SELECT d.defaclacl::text AS acl FROM pg_default_acl d
      JOIN pg_namespace n ON n.oid = d.defaclnamespace AND n.nspname = current_schema()`);
    for (const d of defaults) expect(d.acl ?? '').not.toMatch(/(^|[{,])agency_tenant=/);
  });

  it('SYS-010: a tenant session cannot write pool_purchases or read the pool', async () => {
    const { rows } = await system.query<{ id: string }>('SELECT id FROM clients LIMIT 1');
    for (const sql of [
      `INSERT INTO pool_purchases (id, tag, resource_type, reason, updated_at) VALUES (gen_random_uuid(), 'planted', 'domain', 'x', now())`,
      `UPDATE pool_purchases SET status = 'done'`,
      'SELECT count(*) FROM mailboxes',
      'SELECT count(*) FROM suppressions',
      'DELETE FROM sandbox_outbox',
    ]) {
      await tenant.query('BEGIN');
      await tenant.query(`SELECT set_config('app.client_id', $1, true)`, [rows[0]!.id]);
      await expect(tenant.query(sql), sql).rejects.toMatchObject({ code: '42501' });
      await tenant.query('ROLLBACK');
    }
  });
});
