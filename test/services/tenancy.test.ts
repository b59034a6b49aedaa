/**
 * SYS-010 through the services: what a service does `forTenant(clientId)` runs under row-level
 * security, so client A asking for client B's rows by id gets nothing, whatever the method.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { NotFound } from '../../domain/failures.js';
import type { Services } from '../../services/index.js';
import { testServices } from '../helpers/app.js';
import { createTestTenant, temporalClient, testDb } from '../helpers/context.js';

const db = testDb();
let temporal: Client;
let services: Services;
let a: Awaited<ReturnType<typeof createTestTenant>>;
const b = { clientId: '', campaignId: '', leadId: '', touchKey: `tenancy:${randomUUID()}` };

beforeAll(async () => {
  temporal = await temporalClient();
  services = await testServices(db, { temporal, taskQueue: 'unused' });
  a = await createTestTenant(db, 'Services tenant A');
  const other = await createTestTenant(db, 'Services tenant B');
  b.clientId = other.client.id;
  const campaign = await db.system.campaign.create({ data: { clientId: b.clientId, name: 'B only', icp: {} } });
  b.campaignId = campaign.id;
  const lead = await db.system.lead.create({ data: { clientId: b.clientId, campaignId: campaign.id, sourceRow: 1, email: 'b@b.example' } });
  b.leadId = lead.id;
  await db.system.touch.create({
    data: {
      clientId: b.clientId,
      campaignId: campaign.id,
      leadId: lead.id,
      step: 1,
      channel: 'email',
      idempotencyKey: b.touchKey,
      status: 'sent',
    },
  });
});
afterAll(async () => {
  await temporal?.connection.close();
  await db.close();
});

describe("SYS-010: a tenant's services see only its own rows", () => {
  it("SYS-010: client A reading client B's campaign, its counts or its leads by id gets nothing", async () => {
    const campaigns = services.campaigns.forTenant(a.client.id);
    expect(await campaigns.get(b.campaignId)).toBeNull();
    expect(await campaigns.withCounts(b.campaignId)).toBeNull();
    expect(await campaigns.leadsPage(b.campaignId, 0, 10)).toBeNull();
    expect(await campaigns.list(50)).toEqual([]);
  });

  it("SYS-010: client A's sequence cannot load client B's lead (NotFound, a permanent failure)", async () => {
    await expect(services.leads.sequence.forTenant(a.client.id).context(b.leadId)).rejects.toBeInstanceOf(NotFound);
    expect(await services.leads.sequence.forTenant(a.client.id).withTouches(b.leadId)).toBeNull();
    expect(await services.leads.sequence.forTenant(a.client.id).sequenceOf(b.leadId)).toBeNull();
  });

  it("SYS-010: client A's touch ledger does not find client B's touch by its key", async () => {
    expect(await services.touches.forTenant(a.client.id).byKey(b.touchKey)).toBeNull();
    expect(await services.touches.forTenant(b.clientId).byKey(b.touchKey)).toMatchObject({ done: { status: 'sent' } });
  });

  it('SYS-010: a client reads its own client row and no other', async () => {
    expect((await services.clients.forTenant(a.client.id).get())?.id).toBe(a.client.id);
    expect((await services.clients.forTenant(b.clientId).get())?.id).toBe(b.clientId);
  });
});
