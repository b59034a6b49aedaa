/**
 * Finding the lead a reply is about (services/leads/lookup.ts) never crosses clients (SYS-010,
 * SYS-003, SM-003): a reply that reached a mailbox or number a client holds is about that client's
 * lead; one that names neither is matched only when a single client has the sender as a lead.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { servicesBed } from '../helpers/workflow-bed.js';
import { createTestTenant, testDb } from '../helpers/context.js';

const db = testDb();
const bed = servicesBed(db);

const tag = () => randomUUID().slice(0, 8);

/** A client whose lead has this address and number, with its sequence started `startedAgoMs` ago, holding one mailbox and one number. */
async function clientWithLead(contact: { email: string; phone: string }, startedAgoMs: number) {
  const { client } = await createTestTenant(db, `Lookup ${tag()}`);
  const campaign = await db.system.campaign.create({ data: { clientId: client.id, name: 'lookup', icp: {} } });
  const lead = await db.system.lead.create({
    data: {
      clientId: client.id,
      campaignId: campaign.id,
      sourceRow: 1,
      email: contact.email,
      phoneE164: contact.phone,
      sequenceWorkflowId: `lead:${randomUUID()}`,
      sequenceStartedAt: new Date(Date.now() - startedAgoMs),
    },
  });
  const domain = await db.system.domain.create({ data: { name: `lookup-${tag()}.test`, status: 'ready' } });
  const mailbox = await db.system.mailbox.create({ data: { domainId: domain.id, email: `sam@${domain.name}`, status: 'ready' } });
  const number = await db.system.phoneNumber.create({
    data: { e164: `+6128${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`, country: 'AU' },
  });
  await db.system.resourceAllocation.createMany({
    data: [
      { clientId: client.id, resourceType: 'mailbox', resourceId: mailbox.id },
      { clientId: client.id, resourceType: 'phone_number', resourceId: number.id },
    ],
  });
  return { client, lead, mailbox: mailbox.email, number: number.e164 };
}

describe("a reply is never matched to another client's lead (SYS-010 SYS-003 SM-003)", () => {
  it('SYS-010 SYS-003: an email with no Message-ID goes to the lead of the client holding the mailbox it reached, even when another client started later', async () => {
    const contact = { email: `dee-${tag()}@reply.example`, phone: `+61413${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}` };
    const older = await clientWithLead(contact, 10 * 86_400_000);
    const newer = await clientWithLead(contact, 86_400_000);
    const lookup = bed.services.leads.lookup.system;
    expect((await lookup.byEmail(contact.email.toUpperCase(), { mailbox: older.mailbox }))?.id).toBe(older.lead.id);
    expect((await lookup.byEmail(contact.email, { mailbox: newer.mailbox.toUpperCase() }))?.id).toBe(newer.lead.id);
    // Reached no mailbox of ours (or an unknown one): two clients have the sender, so nobody is matched.
    expect(await lookup.byEmail(contact.email)).toBeNull();
    expect(await lookup.byEmail(contact.email, { mailbox: 'nobody@elsewhere.example' })).toBeNull();
    // The same for an SMS: the number it was sent to decides.
    expect((await lookup.byPhone(contact.phone, { to: older.number }))?.id).toBe(older.lead.id);
    expect((await lookup.byPhone(contact.phone, { to: newer.number }))?.id).toBe(newer.lead.id);
    expect(await lookup.byPhone(contact.phone)).toBeNull();
  });

  it("SYS-003 SM-003: when only one client has the sender, the reply is that client's newest lead; a mailbox of a client that does not have the sender matches nothing", async () => {
    const contact = { email: `solo-${tag()}@reply.example`, phone: `+61414${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}` };
    const only = await clientWithLead(contact, 86_400_000);
    const other = await clientWithLead(
      { email: `x-${tag()}@reply.example`, phone: `+61415${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}` },
      0,
    );
    const lookup = bed.services.leads.lookup.system;
    expect((await lookup.byEmail(contact.email))?.id).toBe(only.lead.id);
    expect((await lookup.byPhone(contact.phone))?.id).toBe(only.lead.id);
    expect(await lookup.byEmail(contact.email, { mailbox: other.mailbox })).toBeNull();
    expect(await lookup.byPhone(contact.phone, { to: other.number })).toBeNull();
  });
});
