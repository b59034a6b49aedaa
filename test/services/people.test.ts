/**
 * People (services/people.ts, the person-day of services/touches): DOMAIN.md's cross-cutting
 * protections. A person (by email and by phone, across rows, campaigns and clients) is in at most
 * one running sequence and gets at most one touch a day; both hold under concurrency.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { claimed, refused, type TouchDraft } from '../../services/touches/index.js';
import { personKeys, personOf } from '../../services/people.js';
import { servicesBed } from '../helpers/workflow-bed.js';
import { createTestTenant, testDb } from '../helpers/context.js';
import { randomMobile } from '../helpers/webhook-fixtures.js';

const db = testDb();
const bed = servicesBed(db);

async function leadOf(contact: { email?: string | null; phoneE164?: string | null }) {
  const { client } = await createTestTenant(db, `People ${randomUUID().slice(0, 6)}`);
  const campaign = await db.system.campaign.create({ data: { clientId: client.id, name: 'people', icp: {} } });
  return db.system.lead.create({
    data: {
      clientId: client.id,
      campaignId: campaign.id,
      sourceRow: 1,
      email: contact.email ?? null,
      phoneE164: contact.phoneE164 ?? null,
    },
  });
}
const uniqueEmail = () => `p-${randomUUID().slice(0, 8)}@people.example`;
const uniquePhone = randomMobile;
const claim = (lead: Awaited<ReturnType<typeof leadOf>>) => bed.services.people.system.claimSequence(lead, `lead:${lead.id}`, Date.now());

describe('people: one running sequence per person (AD-001 SYS-010)', () => {
  it('AD-001: a person is known by the lower-cased address and the E.164 number', () => {
    expect(personKeys({ email: '  Ava.Lee@Example.COM ', phoneE164: '+61412345678' })).toEqual([
      'email:ava.lee@example.com',
      'phone:+61412345678',
    ]);
    expect(personKeys({ email: null, phoneE164: null })).toEqual([]);
  });

  it("AD-001 SYS-010: another client's lead with the same address (any case) or the same number is refused while the first runs, and gets the person once it has ended", async () => {
    const email = uniqueEmail();
    const phone = uniquePhone();
    const first = await leadOf({ email, phoneE164: phone });
    const byEmail = await leadOf({ email: email.toUpperCase(), phoneE164: uniquePhone() });
    const byPhone = await leadOf({ email: uniqueEmail(), phoneE164: phone });
    expect(await claim(first)).toEqual({ claimed: true });
    expect((await db.system.lead.findUniqueOrThrow({ where: { id: first.id } })).status).toBe('in_sequence');
    expect(await claim(byEmail)).toEqual({ claimed: false, heldBy: { leadId: first.id, clientId: first.clientId } });
    expect(await claim(byPhone)).toEqual({ claimed: false, heldBy: { leadId: first.id, clientId: first.clientId } });
    expect(await bed.services.people.system.heldElsewhere(byPhone.id, personKeys(byPhone))).toBe(true);
    // the same lead claiming again (a retried activity) keeps its claim
    expect(await claim(first)).toEqual({ claimed: true });

    await db.system.lead.update({ where: { id: first.id }, data: { status: 'completed' } });
    expect(await bed.services.people.system.heldElsewhere(byPhone.id, personKeys(byPhone))).toBe(false);
    expect(await claim(byPhone)).toEqual({ claimed: true });
  });

  it('AD-001 SYS-010: an address on one row and a number on another are one person when a third row (any client) has both', async () => {
    const email = uniqueEmail();
    const phone = uniquePhone();
    const byEmail = await leadOf({ email });
    const byPhone = await leadOf({ phoneE164: phone });
    expect(await bed.services.people.system.heldElsewhere(byPhone.id, await personOf(db, byPhone))).toBe(false);
    await leadOf({ email, phoneE164: phone });
    expect(await personOf(db, byPhone)).toEqual([`email:${email}`, `phone:${phone}`]);
    expect(await claim(byEmail)).toEqual({ claimed: true });
    expect(await claim(byPhone)).toEqual({ claimed: false, heldBy: { leadId: byEmail.id, clientId: byEmail.clientId } });
  });

  it('AD-001: a released claim frees the person', async () => {
    const email = uniqueEmail();
    const a = await leadOf({ email });
    const b = await leadOf({ email });
    expect(await claim(a)).toEqual({ claimed: true });
    await bed.services.people.system.releaseSequence(a.id);
    expect(await claim(b)).toEqual({ claimed: true });
  });

  it('AD-001 SYS-010: of 12 leads of one person claiming at the same instant (duplicate rows, other clients), exactly one wins', async () => {
    const email = uniqueEmail();
    const phone = uniquePhone();
    // Some share the address, some the number, some both: all are the same person.
    const leads = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        leadOf(i % 3 === 0 ? { email, phoneE164: phone } : i % 3 === 1 ? { email: email.toUpperCase() } : { phoneE164: phone }),
      ),
    );
    const results = await Promise.all(leads.map(claim));
    expect(results.filter((r) => r.claimed)).toHaveLength(1);
    const statuses = await db.system.lead.findMany({ where: { id: { in: leads.map((l) => l.id) } }, select: { status: true } });
    expect(statuses.filter((s) => s.status === 'in_sequence')).toHaveLength(1);
  });
});

describe('people: one touch a day per person (AD-001)', () => {
  const draft = (lead: { id: string; clientId: string; campaignId: string }, step: number): TouchDraft => ({
    clientId: lead.clientId,
    campaignId: lead.campaignId,
    leadId: lead.id,
    step,
    channel: 'email',
    idempotencyKey: `people:${randomUUID()}`,
    evidence: {},
  });
  const takeDay = (lead: Awaited<ReturnType<typeof leadOf>>, day: string, step: number) =>
    bed.services.touches.system.reserve(async (caps) =>
      (await caps.takePersonDay(personKeys(lead), day, lead.id, step)) ? claimed(draft(lead, step), true) : refused('person_touched_today'),
    );

  it("AD-001: a second touch of the person that day is refused, whichever lead, client or channel; the same lead's same step may take it again; the next day is free", async () => {
    const email = uniqueEmail();
    const phone = uniquePhone();
    const a = await leadOf({ email, phoneE164: phone });
    const b = await leadOf({ email: uniqueEmail(), phoneE164: phone });
    expect(await takeDay(a, '2027-03-09', 1)).toMatchObject({ value: true });
    expect(await takeDay(a, '2027-03-09', 2)).toEqual({ refused: 'person_touched_today' });
    expect(await takeDay(b, '2027-03-09', 1)).toEqual({ refused: 'person_touched_today' });
    expect(await takeDay(a, '2027-03-09', 1)).toMatchObject({ value: true }); // a retried call of the same step
    expect(await takeDay(b, '2027-03-10', 1)).toMatchObject({ value: true });
    expect(await db.system.touch.count({ where: { leadId: { in: [a.id, b.id] } } })).toBe(3);
  });

  it('AD-001 SYS-001: a batch claim (onboarding) gives a person listed twice to the first row, refuses a person running for another client, and a retry changes nothing', async () => {
    const email = uniqueEmail();
    const phone = uniquePhone();
    const elsewhere = await leadOf({ email: uniqueEmail(), phoneE164: phone });
    expect(await claim(elsewhere)).toEqual({ claimed: true });
    const first = await leadOf({ email });
    const again = await leadOf({ email: email.toUpperCase() });
    const byPhone = await leadOf({ email: uniqueEmail(), phoneE164: phone });
    const free = await leadOf({ email: uniqueEmail() });
    const batch = [first, again, byPhone, free];
    const claimAll = async () =>
      bed.services.people.system.claimSequences(
        (await Promise.all(batch.map((l) => personOf(db, l)))).map((keys, i) => ({
          lead: batch[i]!,
          keys,
          workflowId: `lead:${batch[i]!.id}`,
        })),
        Date.now(),
      );
    const expected = [
      { claimed: true },
      { claimed: false, heldBy: { leadId: first.id, clientId: first.clientId } },
      { claimed: false, heldBy: { leadId: elsewhere.id, clientId: elsewhere.clientId } },
      { claimed: true },
    ];
    expect(await claimAll()).toEqual(expected);
    const rows = await db.system.lead.findMany({ where: { id: { in: batch.map((l) => l.id) } } });
    const status = (id: string) => rows.find((r) => r.id === id)!;
    expect([first, again, byPhone, free].map((l) => status(l.id).status)).toEqual(['in_sequence', 'imported', 'imported', 'in_sequence']);
    expect(status(first.id).sequenceWorkflowId).toBe(`lead:${first.id}`);
    const startedAt = status(first.id).sequenceStartedAt;
    // A retried activity: the same answers, the first claim's start kept.
    expect(await claimAll()).toEqual(expected);
    expect((await db.system.lead.findUniqueOrThrow({ where: { id: first.id } })).sequenceStartedAt).toEqual(startedAt);
    expect(await db.system.personSequence.count({ where: { leadId: { in: [again.id, byPhone.id] } } })).toBe(0);
  });

  it('AD-001: a batch claim and single claims of the same person at the same instant: exactly one wins', async () => {
    const email = uniqueEmail();
    const batch = await Promise.all([leadOf({ email }), leadOf({ email: uniqueEmail() })]);
    const singles = await Promise.all(Array.from({ length: 4 }, () => leadOf({ email })));
    const keys = await Promise.all(batch.map((l) => personOf(db, l)));
    const [bulk, ...one] = await Promise.all([
      bed.services.people.system.claimSequences(
        batch.map((lead, i) => ({ lead, keys: keys[i]!, workflowId: `lead:${lead.id}` })),
        Date.now(),
      ),
      ...singles.map((l) => claim(l)),
    ]);
    const wins = [(bulk as { claimed: boolean }[])[0]!, ...(one as { claimed: boolean }[])].filter((r) => r.claimed);
    expect(wins).toHaveLength(1);
    expect((bulk as { claimed: boolean }[])[1]).toEqual({ claimed: true });
  });

  it('AD-001: of 10 touches of one person reserved at the same instant, exactly one is taken', async () => {
    const phone = uniquePhone();
    const leads = await Promise.all(
      Array.from({ length: 10 }, (_, i) => leadOf({ email: i % 2 ? uniqueEmail() : null, phoneE164: phone })),
    );
    const results = await Promise.all(leads.map((l) => takeDay(l, '2027-03-11', 1)));
    expect(results.filter((r) => 'value' in r)).toHaveLength(1);
  });
});

describe('calls in progress count calls being placed (VO-001)', () => {
  it('VO-001: a reserved call counts as in progress until it is recorded; one sent before the slot does not', async () => {
    const lead = await leadOf({ phoneE164: uniquePhone() });
    const since = new Date(Date.now() - 60 * 60_000);
    await db.system.touch.createMany({
      data: [
        {
          clientId: lead.clientId,
          campaignId: lead.campaignId,
          leadId: lead.id,
          step: 1,
          channel: 'voice',
          status: 'reserved',
          idempotencyKey: randomUUID(),
        },
        {
          clientId: lead.clientId,
          campaignId: lead.campaignId,
          leadId: lead.id,
          step: 2,
          channel: 'voice',
          status: 'sent',
          sentAt: new Date(),
          idempotencyKey: randomUUID(),
        },
        {
          clientId: lead.clientId,
          campaignId: lead.campaignId,
          leadId: lead.id,
          step: 3,
          channel: 'voice',
          status: 'sent',
          sentAt: new Date(since.getTime() - 60_000),
          idempotencyKey: randomUUID(),
        },
      ],
    });
    let seen = -1;
    await bed.services.touches.system.reserve(async (caps) => {
      seen = await caps.callsInProgress(lead.clientId, since);
      return refused('just_counting');
    });
    expect(seen).toBe(2);
  });
});
