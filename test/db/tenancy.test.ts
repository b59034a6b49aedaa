/**
 * SYS-010 at the database level: a session for client A, on the tenant login role, can neither
 * read nor write client B's rows, whatever the query says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
      keys: await tx.apiKey.count({ where: { clientId: b.client.id } }),
    }));
    expect(seen).toEqual({ byId: null, campaigns: 0, leads: 0, clients: [{ id: a.client.id }], keys: 0 });
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
      deleted: (await tx.lead.deleteMany({ where: { clientId: b.client.id } })).count,
      raw: await tx.$executeRawUnsafe(`UPDATE campaigns SET name = 'raw' WHERE id = '${bCampaignId}'`),
    }));
    expect(result).toEqual({ updated: 0, deleted: 0, raw: 0 });
    const campaign = await db.system.campaign.findUniqueOrThrow({ where: { id: bCampaignId } });
    expect(campaign.name).toBe('B secret campaign');
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
