/**
 * Sandbox sending infrastructure for the demo client of `npm start`: a warmed domain with two
 * mailboxes (no SMTP credentials, so email is recorded, not sent), a phone number and a LinkedIn
 * seat, allocated to the client. Idempotent. Real pools come from provisioning (RP-001).
 */
import type { Db } from '../db/client.js';

const DAY = 86_400_000;

/**
 * A small warmed pool that is not allocated to anyone (sandbox): enough for a Dominance client
 * (9 domains / 18 mailboxes / 3 numbers / 14 seats) with little to spare, so a checkout is
 * allocated at once and the pool monitor then reports the buffer low and buys (sandboxed).
 */
async function ensureSparePool(db: Db): Promise<void> {
  if ((await db.system.domain.count({ where: { name: { endsWith: '.pool.example' } } })) > 0) return;
  for (let i = 1; i <= 10; i++) {
    const name = `outreach${i}.pool.example`;
    const d = await db.system.domain.create({
      data: {
        name,
        status: 'ready',
        heatScore: 86 + (i % 10),
        purchasedAt: new Date(Date.now() - (30 + i) * DAY),
        readyAt: new Date(Date.now() - (8 + i) * DAY),
      },
    });
    for (const [first, last] of [
      ['Alex', 'Morgan'],
      ['Sam', 'Taylor'],
    ] as const) {
      await db.system.mailbox.create({
        data: {
          domainId: d.id,
          email: `${first}.${last}@${name}`.toLowerCase(),
          status: 'ready',
          senderName: `${first} ${last}`,
          dailyLimit: 50,
        },
      });
    }
  }
  for (let i = 1; i <= 4; i++) {
    await db.system.phoneNumber.create({
      data: { e164: `+6129123450${i}`, country: 'AU', status: 'ready', voiceRef: `sandbox-phone-${i}` },
    });
  }
  for (let i = 1; i <= 16; i++) {
    await db.system.linkedInSeat.create({
      data: {
        accountRef: `sandbox-pool-seat-${i}`,
        displayName: `Pool seat ${i}`,
        status: 'ready',
        createdAt: new Date(Date.now() - 60 * DAY),
      },
    });
  }
}

export async function ensureDemoPool(db: Db, clientId: string): Promise<void> {
  await ensureSparePool(db);
  const existing = await db.system.resourceAllocation.count({ where: { clientId, releasedAt: null } });
  if (existing > 0) return;
  const domain = await db.system.domain.upsert({
    where: { name: 'demo-outreach.example' },
    update: {},
    create: {
      name: 'demo-outreach.example',
      status: 'ready',
      heatScore: 90,
      purchasedAt: new Date(Date.now() - 30 * DAY),
      readyAt: new Date(Date.now() - 10 * DAY),
    },
  });
  await db.system.resourceAllocation.create({ data: { clientId, resourceType: 'domain', resourceId: domain.id } });
  for (const local of ['alex', 'sam']) {
    const m = await db.system.mailbox.upsert({
      where: { email: `${local}@demo-outreach.example` },
      update: {},
      create: {
        domainId: domain.id,
        email: `${local}@demo-outreach.example`,
        status: 'ready',
        senderName: local === 'alex' ? 'Alex Demo' : 'Sam Demo',
        dailyLimit: 50, // day 31 of its domain: the warmup ramp's last step (ED-001)
      },
    });
    await db.system.resourceAllocation.create({ data: { clientId, resourceType: 'mailbox', resourceId: m.id } });
  }
  const number = await db.system.phoneNumber.upsert({
    where: { e164: '+61291234567' },
    update: {},
    create: { e164: '+61291234567', country: 'AU', status: 'ready', voiceRef: 'sandbox-phone' },
  });
  await db.system.resourceAllocation.create({ data: { clientId, resourceType: 'phone_number', resourceId: number.id } });
  const seat = await db.system.linkedInSeat.upsert({
    where: { accountRef: 'sandbox-seat-1' },
    update: {},
    create: {
      accountRef: 'sandbox-seat-1',
      displayName: 'Demo seat',
      timezone: 'Australia/Sydney',
      status: 'ready',
      createdAt: new Date(Date.now() - 60 * DAY),
    },
  });
  await db.system.resourceAllocation.create({ data: { clientId, resourceType: 'linkedin_seat', resourceId: seat.id } });
}
