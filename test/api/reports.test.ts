/**
 * GET /v1/reports/overview (SYS-007, SYS-010): every figure checked against seeded rows counted by
 * hand from the rules: a touch sent in the range is one with sent_at in it (a hard bounce marked
 * failed still went out; reserved and refused ones never did); a bounce or complaint is on the
 * email's touch; a reply is a human inbound reply (auto-replies and our own messages left out),
 * counted once per lead; positive = intent interested; a meeting is a booking still booked, on the
 * day it was made. Another client's rows in the same days never count, and its key gets 404 for
 * this client's campaign.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { auth, createTestTenant, testConfig, testDb } from '../helpers/context.js';
import { apiBed } from '../helpers/workflow-bed.js';

const config = testConfig();
const db = testDb(config);
const bed = apiBed(config, db);

type Tenant = Awaited<ReturnType<typeof createTestTenant>>;
let a: Tenant;
let b: Tenant;
const ids = { c1: '', c2: '', bCampaign: '' };
const at = (iso: string) => new Date(iso);

async function lead(t: Tenant, campaignId: string, row: number, tier: string | null, status: string) {
  return db.system.lead.create({
    data: {
      clientId: t.client.id,
      campaignId,
      sourceRow: row,
      email: `l${row}-${randomUUID().slice(0, 6)}@x.example`,
      tier,
      status: status as never,
    },
  });
}
async function touch(
  l: { id: string; clientId: string; campaignId: string },
  channel: 'email' | 'sms' | 'voice' | 'linkedin',
  status: 'reserved' | 'sent' | 'delivered' | 'failed',
  sentAt: string | null,
  outcome: object = { phase: 'done' },
) {
  await db.system.touch.create({
    data: {
      clientId: l.clientId,
      campaignId: l.campaignId,
      leadId: l.id,
      step: 1,
      channel,
      status,
      idempotencyKey: randomUUID(),
      sentAt: sentAt ? at(sentAt) : null,
      createdAt: at(sentAt ?? '2026-03-03T12:00:00Z'),
      outcome,
    },
  });
}
async function message(
  l: { id: string; clientId: string; campaignId: string },
  when: string,
  o: { kind?: string; intent?: string; direction?: string } = {},
) {
  const conv =
    (await db.system.conversation.findUnique({ where: { leadId: l.id } })) ??
    (await db.system.conversation.create({ data: { clientId: l.clientId, campaignId: l.campaignId, leadId: l.id } }));
  await db.system.message.create({
    data: {
      clientId: l.clientId,
      conversationId: conv.id,
      leadId: l.id,
      direction: o.direction ?? 'inbound',
      channel: 'email',
      kind: o.kind ?? 'reply',
      provider: 'email',
      providerMessageId: randomUUID(),
      text: 'hello',
      intent: o.intent ?? null,
      status: 'received',
      at: at(when),
    },
  });
}
async function meeting(l: { id: string; clientId: string }, status: string, createdAt: string) {
  await db.system.meeting.create({
    data: { clientId: l.clientId, leadId: l.id, provider: 'calcom', bookingUid: randomUUID(), status, createdAt: at(createdAt) },
  });
}

beforeAll(async () => {
  a = await createTestTenant(db, 'Reports A');
  b = await createTestTenant(db, 'Reports B');
  ids.c1 = (await db.system.campaign.create({ data: { clientId: a.client.id, name: 'Alpha', icp: {} } })).id;
  ids.c2 = (await db.system.campaign.create({ data: { clientId: a.client.id, name: 'Beta', icp: {} } })).id;
  ids.bCampaign = (await db.system.campaign.create({ data: { clientId: b.client.id, name: 'B', icp: {} } })).id;

  const l1 = await lead(a, ids.c1, 1, 'Hot', 'in_sequence');
  const l2 = await lead(a, ids.c1, 2, 'Warm', 'replied');
  const l3 = await lead(a, ids.c1, 3, 'Cool', 'meeting_booked');
  await lead(a, ids.c1, 4, null, 'imported');
  await lead(a, ids.c1, 5, 'Dead', 'dead');
  const l6 = await lead(a, ids.c2, 1, 'Hot', 'in_sequence');
  await lead(a, ids.c2, 2, null, 'imported');

  // Sent in 2026-03-01..07: email 5 (one hard bounce, one complaint), sms 2, voice 1, linkedin 1.
  await touch(l1, 'email', 'failed', '2026-03-01T09:00:00Z', { phase: 'done', bounce: { hard: true } });
  await touch(l1, 'sms', 'delivered', '2026-03-02T23:59:59.999Z');
  await touch(l2, 'email', 'sent', '2026-03-01T10:00:00Z', { phase: 'done', complaint: { at: '2026-03-02' } });
  await touch(l2, 'email', 'sent', '2026-03-03T00:00:00.000Z');
  await touch(l2, 'voice', 'delivered', '2026-03-03T05:00:00Z');
  await touch(l3, 'linkedin', 'sent', '2026-03-05T01:00:00Z');
  await touch(l3, 'email', 'sent', '2026-03-05T02:00:00Z');
  await touch(l6, 'email', 'sent', '2026-03-04T03:00:00Z');
  await touch(l6, 'sms', 'sent', '2026-03-04T04:00:00Z');
  // Never sent (reserved; refused by the provider), or sent outside the range: not counted.
  await touch(l1, 'email', 'reserved', null);
  await touch(l1, 'email', 'failed', null, { phase: 'done', reason: 'smtp:rejected' });
  await touch(l2, 'email', 'sent', '2026-02-28T23:59:59.999Z', { phase: 'done', bounce: { hard: false } });
  await touch(l6, 'email', 'sent', '2026-03-08T00:00:00.000Z');

  // Replies: l2 twice (question, then interested), l3 interested, l6 not interested; left out: an
  // auto-reply, our own answer, a reply before the range.
  await message(l2, '2026-03-02T08:00:00Z', { intent: 'question' });
  await message(l2, '2026-03-03T08:00:00Z', { intent: 'interested' });
  await message(l3, '2026-03-03T09:00:00Z', { intent: 'interested' });
  await message(l6, '2026-03-06T09:00:00Z', { intent: 'not_interested' });
  await message(l1, '2026-03-02T09:00:00Z', { kind: 'auto_reply', intent: 'out_of_office' });
  await message(l2, '2026-03-03T08:05:00Z', { direction: 'outbound', kind: 'answer' });
  await message(l1, '2026-02-28T09:00:00Z', { intent: 'interested' });

  // Meetings still booked and made in the range: l3, and l2's rescheduled booking.
  await meeting(l3, 'booked', '2026-03-05T10:00:00Z');
  await meeting(l2, 'rescheduled', '2026-03-04T10:00:00Z');
  await meeting(l2, 'booked', '2026-03-06T10:00:00Z');
  await meeting(l6, 'cancelled', '2026-03-04T11:00:00Z');
  await meeting(l6, 'booked', '2026-03-08T11:00:00Z');

  // Client B, same days: one lead, one email sent, a reply, a meeting.
  const bl = await lead(b, ids.bCampaign, 1, 'Hot', 'in_sequence');
  await touch(bl, 'email', 'sent', '2026-03-02T09:00:00Z', { phase: 'done', bounce: { hard: true } });
  await message(bl, '2026-03-02T10:00:00Z', { intent: 'interested' });
  await meeting(bl, 'booked', '2026-03-02T11:00:00Z');
});

const get = (key: string, query: string) => bed.app.inject({ method: 'GET', url: `/v1/reports/overview?${query}`, headers: auth(key) });
const zero = { email: 0, sms: 0, voice: 0, linkedin: 0 };
const zeroStatuses = {
  imported: 0,
  enriched: 0,
  scored: 0,
  in_sequence: 0,
  replied: 0,
  meeting_booked: 0,
  opted_out: 0,
  bounced: 0,
  completed: 0,
  dead: 0,
  duplicate: 0,
  cancelled: 0,
};

describe('GET /v1/reports/overview', () => {
  it('SYS-007: the whole client over 2026-03-01..07: leads by tier and status, touches per channel per day, replies, meetings, bounce and complaint rates', async () => {
    const res = await get(a.apiKey, 'from=2026-03-01&to=2026-03-07');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      from: '2026-03-01',
      to: '2026-03-07',
      leads: {
        total: 7,
        byTier: { Hot: 2, Warm: 1, Cool: 1, Cold: 0, Dead: 1, unscored: 2 },
        byStatus: { ...zeroStatuses, in_sequence: 2, replied: 1, meeting_booked: 1, imported: 2, dead: 1 },
      },
      touchesByDay: [
        { day: '2026-03-01', ...zero, email: 2 },
        { day: '2026-03-02', ...zero, sms: 1 },
        { day: '2026-03-03', ...zero, email: 1, voice: 1 },
        { day: '2026-03-04', ...zero, email: 1, sms: 1 },
        { day: '2026-03-05', ...zero, email: 1, linkedin: 1 },
        { day: '2026-03-06', ...zero },
        { day: '2026-03-07', ...zero },
      ],
      totals: {
        sent: 9,
        sentByChannel: { email: 5, sms: 2, voice: 1, linkedin: 1 },
        contacted: 4,
        replies: 3,
        replyRate: 0.75,
        positiveReplies: 2,
        meetings: 2,
        bounces: 1,
        bounceRate: 0.2,
        complaints: 1,
        complaintRate: 0.2,
      },
      repliesByDay: [
        { day: '2026-03-01', replies: 0, positive: 0 },
        { day: '2026-03-02', replies: 1, positive: 0 },
        { day: '2026-03-03', replies: 2, positive: 2 },
        { day: '2026-03-04', replies: 0, positive: 0 },
        { day: '2026-03-05', replies: 0, positive: 0 },
        { day: '2026-03-06', replies: 1, positive: 0 },
        { day: '2026-03-07', replies: 0, positive: 0 },
      ],
    });
  });

  it('SYS-007: one campaign: only its leads, touches, replies and meetings', async () => {
    const res = await get(a.apiKey, `from=2026-03-01&to=2026-03-07&campaignId=${ids.c1}`);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.leads).toEqual({
      total: 5,
      byTier: { Hot: 1, Warm: 1, Cool: 1, Cold: 0, Dead: 1, unscored: 1 },
      byStatus: { ...zeroStatuses, in_sequence: 1, replied: 1, meeting_booked: 1, imported: 1, dead: 1 },
    });
    expect(r.totals).toEqual({
      sent: 7,
      sentByChannel: { email: 4, sms: 1, voice: 1, linkedin: 1 },
      contacted: 3,
      replies: 2,
      replyRate: 2 / 3,
      positiveReplies: 2,
      meetings: 2,
      bounces: 1,
      bounceRate: 0.25,
      complaints: 1,
      complaintRate: 0.25,
    });
    expect(r.touchesByDay.find((d: { day: string }) => d.day === '2026-03-04')).toEqual({ day: '2026-03-04', ...zero });
    expect(r.repliesByDay.find((d: { day: string }) => d.day === '2026-03-06')).toEqual({ day: '2026-03-06', replies: 0, positive: 0 });
  });

  it('SYS-007: a single day counts what was sent in it to the millisecond (UTC days)', async () => {
    const r = (await get(a.apiKey, 'from=2026-03-02&to=2026-03-02')).json();
    expect(r.touchesByDay).toEqual([{ day: '2026-03-02', ...zero, sms: 1 }]);
    expect(r.totals).toMatchObject({ sent: 1, contacted: 1, replies: 1, positiveReplies: 0, meetings: 0, bounces: 0, bounceRate: 0 });
    // Nothing sent: every rate is 0.
    const empty = (await get(a.apiKey, 'from=2026-03-07&to=2026-03-07')).json();
    expect(empty.totals).toEqual({
      sent: 0,
      sentByChannel: zero,
      contacted: 0,
      replies: 0,
      replyRate: 0,
      positiveReplies: 0,
      meetings: 0,
      bounces: 0,
      bounceRate: 0,
      complaints: 0,
      complaintRate: 0,
    });
  });

  it('SYS-007: the default range is the last 30 days ending today (UTC), every day present', async () => {
    const before = new Date().toISOString().slice(0, 10);
    const res = await get(a.apiKey, '');
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    const after = new Date().toISOString().slice(0, 10);
    expect([before, after]).toContain(r.to);
    expect(r.touchesByDay).toHaveLength(30);
    expect(r.repliesByDay).toHaveLength(30);
    expect(r.touchesByDay[0].day).toBe(r.from);
    expect(r.touchesByDay[29].day).toBe(r.to);
    expect(Date.parse(`${r.to}T00:00:00Z`) - Date.parse(`${r.from}T00:00:00Z`)).toBe(29 * 86_400_000);
    expect(r.leads.total).toBe(7);
    // Only `to`: the 30 days ending then.
    const toOnly = (await get(a.apiKey, 'to=2026-03-07')).json();
    expect([toOnly.from, toOnly.to, toOnly.totals.sent]).toEqual(['2026-02-06', '2026-03-07', 10]);
  });

  it('SYS-007: 400 when from is after to, beyond 366 days, for a day not in the calendar or an unknown parameter', async () => {
    expect((await get(a.apiKey, 'from=2026-03-08&to=2026-03-07')).statusCode).toBe(400);
    expect((await get(a.apiKey, 'from=2025-01-01&to=2026-01-02')).statusCode).toBe(400); // 367 days
    const longest = await get(a.apiKey, 'from=2025-01-01&to=2026-01-01'); // 366 days
    expect(longest.statusCode).toBe(200);
    expect(longest.json().touchesByDay).toHaveLength(366);
    expect((await get(a.apiKey, 'from=2026-02-30&to=2026-03-07')).statusCode).toBe(400);
    expect((await get(a.apiKey, 'from=2026-3-1')).statusCode).toBe(400);
    expect((await get(a.apiKey, 'campaignId=not-a-uuid')).statusCode).toBe(400);
    expect((await get(a.apiKey, 'clientId=x')).statusCode).toBe(400);
    expect((await get(a.apiKey, `campaignId=${randomUUID()}`)).statusCode).toBe(404);
  });

  it("SYS-010: another client sees only its own figures, and 404 for this client's campaign", async () => {
    const res = await get(b.apiKey, 'from=2026-03-01&to=2026-03-07');
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r.leads.total).toBe(1);
    expect(r.totals).toEqual({
      sent: 1,
      sentByChannel: { ...zero, email: 1 },
      contacted: 1,
      replies: 1,
      replyRate: 1,
      positiveReplies: 1,
      meetings: 1,
      bounces: 1,
      bounceRate: 1,
      complaints: 0,
      complaintRate: 0,
    });
    expect((await get(b.apiKey, `from=2026-03-01&to=2026-03-07&campaignId=${ids.c1}`)).statusCode).toBe(404);
    expect((await get(a.apiKey, `from=2026-03-01&to=2026-03-07&campaignId=${ids.bCampaign}`)).statusCode).toBe(404);
    expect((await bed.app.inject({ method: 'GET', url: '/v1/reports/overview' })).statusCode).toBe(401);
  });
});
