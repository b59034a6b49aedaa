/**
 * What the LinkedIn withdrawal and the call retries read and write (issue 10): the invitations
 * still out at LinkedIn (pending or ignored) for a lead and for a released client, the note of a
 * withdrawal on the request's touch, and the outcomes of a step's other calls from the ledger
 * (LI-002, RP-008, VO-006).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import type { Services } from '../../services/index.js';
import { testServices } from '../helpers/app.js';
import { createTestTenant, temporalClient, testDb } from '../helpers/context.js';

const db = testDb();
let temporal: Client;
let services: Services;

beforeAll(async () => {
  temporal = await temporalClient();
  services = await testServices(db, { temporal, taskQueue: 'unused' });
});
afterAll(async () => {
  await temporal?.connection.close();
  await db.close();
});

async function tenantWithLeads(n: number) {
  const { client } = await createTestTenant(db, 'LinkedIn client');
  const campaign = await db.system.campaign.create({ data: { clientId: client.id, name: 'li', icp: {} } });
  const leads = [];
  for (let i = 0; i < n; i++) {
    leads.push(
      await db.system.lead.create({
        data: { clientId: client.id, campaignId: campaign.id, sourceRow: i + 1, email: `l${i}-${randomUUID()}@l.example` },
      }),
    );
  }
  return { client, campaign, leads };
}

const seat = (zone = 'Australia/Sydney') =>
  db.system.linkedInSeat.create({ data: { accountRef: `acc-${randomUUID().slice(0, 8)}`, timezone: zone, status: 'ready' } });

describe('LinkedIn invitations still out at LinkedIn (LI-002, RP-008)', () => {
  it('LI-002 RP-008: pending and ignored invitations are still out (to withdraw); accepted and withdrawn ones, and other clients, are not', async () => {
    const a = await tenantWithLeads(4);
    const b = await tenantWithLeads(1);
    const s1 = await seat();
    const s2 = await seat();
    const states = ['pending', 'ignored', 'accepted', 'withdrawn'];
    for (const [i, state] of states.entries()) {
      await db.system.linkedInInvitation.create({
        data: { clientId: a.client.id, seatId: s1.id, leadId: a.leads[i]!.id, providerId: `ACo${i}`, invitationRef: `inv_${i}`, state },
      });
    }
    await db.system.linkedInInvitation.create({
      data: { clientId: b.client.id, seatId: s1.id, leadId: b.leads[0]!.id, providerId: 'ACoB', state: 'pending' },
    });
    await db.system.linkedInInvitation.create({
      data: { clientId: a.client.id, seatId: s2.id, leadId: a.leads[1]!.id, providerId: 'ACo1', state: 'ignored' },
    });

    const released = await services.linkedin.system.pendingFrom(a.client.id, [s1.id]);
    expect(released.map((i) => [i.providerId, i.state, i.accountRef]).sort()).toEqual([
      ['ACo0', 'pending', s1.accountRef],
      ['ACo1', 'ignored', s1.accountRef],
    ]);

    // The lead's requests from every seat, each with its seat's account.
    const out = await services.linkedin.system.outstandingFor(a.leads[1]!.id);
    expect(out.map((i) => [i.seatId, i.accountRef, i.state]).sort()).toEqual(
      [
        [s1.id, s1.accountRef, 'ignored'],
        [s2.id, s2.accountRef, 'ignored'],
      ].sort(),
    );
    expect(await services.linkedin.system.outstandingFor(a.leads[2]!.id)).toEqual([]); // accepted
    expect(await services.linkedin.system.outstandingFor(a.leads[3]!.id)).toEqual([]); // already withdrawn
  });

  it("LI-002: a withdrawal is noted on the request's touch (not the message's); the first note stands when a retry notes it again", async () => {
    const { client, campaign, leads } = await tenantWithLeads(1);
    const s = await seat();
    const base = {
      clientId: client.id,
      campaignId: campaign.id,
      leadId: leads[0]!.id,
      channel: 'linkedin' as const,
      status: 'sent' as const,
    };
    const request = await db.system.touch.create({
      data: {
        ...base,
        step: 3,
        idempotencyKey: `li-${randomUUID()}`,
        evidence: { seatId: s.id },
        outcome: { phase: 'done', seatId: s.id },
      },
    });
    const message = await db.system.touch.create({
      data: { ...base, step: 0, idempotencyKey: `li-${randomUUID()}`, evidence: { seatId: s.id, kind: 'post_accept_message' } },
    });
    const ledger = services.touches.forTenant(client.id);
    const first = { state: 'withdrawn', at: '2027-04-12T01:00:00.000Z', unipile: 'withdrawn' };
    expect(await ledger.noteInvitation(leads[0]!.id, s.id, first)).toBe(true);
    expect(
      await ledger.noteInvitation(leads[0]!.id, s.id, { state: 'withdrawn', at: '2027-04-12T01:05:00.000Z', unipile: 'not_pending' }),
    ).toBe(true);
    const after = await db.system.touch.findUniqueOrThrow({ where: { id: request.id } });
    expect(after.outcome).toEqual({ phase: 'done', seatId: s.id, invitation: first });
    expect((await db.system.touch.findUniqueOrThrow({ where: { id: message.id } })).outcome).toBeNull();
    // No request from that seat: nothing to note.
    expect(await ledger.noteInvitation(leads[0]!.id, randomUUID(), first)).toBe(false);
    // Another client's ledger does not see the lead's touches (row-level security).
    const other = await tenantWithLeads(0);
    expect(await services.touches.forTenant(other.client.id).noteInvitation(leads[0]!.id, s.id, { state: 'ignored', at: first.at })).toBe(
      false,
    );
  });
});

describe("a step's other calls in the ledger (VO-006)", () => {
  it('VO-006: the ended calls of the same lead and step, without the call asked about; the same answer after its end is recorded', async () => {
    const { client, campaign, leads } = await tenantWithLeads(2);
    const ledger = services.touches.forTenant(client.id);
    const call = async (leadId: string, step: number, outcome?: string) => {
      const key = `call-${randomUUID()}`;
      await db.system.touch.create({
        data: {
          clientId: client.id,
          campaignId: campaign.id,
          leadId,
          step,
          channel: 'voice',
          status: 'sent',
          idempotencyKey: key,
          evidence: {},
          ...(outcome ? { outcome: { phase: 'done', call: { outcome } } } : {}),
        },
      });
      return key;
    };
    const [lee, other] = leads.map((l) => l.id) as [string, string];
    await call(lee, 2, 'busy');
    await call(lee, 2, 'no_answer');
    await call(lee, 3, 'busy'); // another step
    await call(other, 2, 'busy'); // another lead
    const current = await call(lee, 2); // placed, not ended yet
    expect((await ledger.otherCallOutcomes(current)).sort()).toEqual(['busy', 'no_answer']);
    await ledger.recordCallOutcome(
      current,
      { eventId: 'e1', at: '2027-03-04T01:00:00.000Z', callId: 'c1', outcome: 'busy', endedReason: 'customer-busy' },
      null,
      { retry: true, reason: 'busy' },
    );
    expect((await ledger.otherCallOutcomes(current)).sort()).toEqual(['busy', 'no_answer']);
    expect((await db.system.touch.findUniqueOrThrow({ where: { idempotencyKey: current } })).outcome).toMatchObject({
      call: { outcome: 'busy' },
      retry: { retry: true, reason: 'busy' },
    });
    expect(await ledger.otherCallOutcomes('no-such-key')).toEqual([]);
  });
});
