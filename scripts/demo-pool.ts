/**
 * Sandbox sending infrastructure for the demo client of `npm start`: a warmed domain with two
 * mailboxes (no SMTP credentials, so email is recorded, not sent), a phone number and a LinkedIn
 * seat, allocated to the client. Idempotent. Real pools come from provisioning (RP-001).
 */
import type { Db } from '../db/client.js';

const DAY = 86_400_000;

export async function ensureDemoPool(db: Db, clientId: string): Promise<void> {
  const existing = await db.system.resourceAllocation.count({ where: { clientId, releasedAt: null } });
  if (existing > 0) return;
  const domain = await db.system.domain.upsert({
    where: { name: 'demo-outreach.example' },
    update: {},
    create: { name: 'demo-outreach.example', status: 'ready', heatScore: 90, purchasedAt: new Date(Date.now() - 30 * DAY), readyAt: new Date(Date.now() - 10 * DAY) },
  });
  for (const local of ['alex', 'sam']) {
    const m = await db.system.mailbox.upsert({
      where: { email: `${local}@demo-outreach.example` },
      update: {},
      create: { domainId: domain.id, email: `${local}@demo-outreach.example`, status: 'ready', senderName: local === 'alex' ? 'Alex Demo' : 'Sam Demo' },
    });
    await db.system.resourceAllocation.create({ data: { clientId, resourceType: 'mailbox', resourceId: m.id } });
  }
  const number = await db.system.phoneNumber.upsert({ where: { e164: '+61291234567' }, update: {}, create: { e164: '+61291234567', country: 'AU', status: 'ready', voiceRef: 'sandbox-phone' } });
  await db.system.resourceAllocation.create({ data: { clientId, resourceType: 'phone_number', resourceId: number.id } });
  const seat = await db.system.linkedInSeat.upsert({
    where: { accountRef: 'sandbox-seat-1' },
    update: {},
    create: { accountRef: 'sandbox-seat-1', displayName: 'Demo seat', timezone: 'Australia/Sydney', status: 'ready', createdAt: new Date(Date.now() - 60 * DAY) },
  });
  await db.system.resourceAllocation.create({ data: { clientId, resourceType: 'linkedin_seat', resourceId: seat.id } });
}
