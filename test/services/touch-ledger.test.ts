/**
 * The touch ledger (services/touches): the one send sequence every channel uses. Reserving takes
 * the caps and creates the row in one transaction or takes nothing; a cap is never exceeded
 * under concurrency; delivering records what the provider said, and a send whose outcome is
 * unknown is never sent again (ED-006, SM-004, VO-001, LI-004: caps; DESIGN.md convention 5).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { ProviderError } from '../../providers/ports.js';
import type { Services } from '../../services/index.js';
import { claimed, refused, type TouchDraft } from '../../services/touches/index.js';
import { testServices } from '../helpers/app.js';
import { createTestTenant, temporalClient, testDb } from '../helpers/context.js';

const db = testDb();
let temporal: Client;
let services: Services;
let lead: { clientId: string; campaignId: string; leadId: string };
let step = 0;

beforeAll(async () => {
  temporal = await temporalClient();
  services = await testServices(db, { temporal, taskQueue: 'unused' });
  const { client } = await createTestTenant(db, 'Ledger client');
  const campaign = await db.system.campaign.create({ data: { clientId: client.id, name: 'ledger', icp: {} } });
  const row = await db.system.lead.create({ data: { clientId: client.id, campaignId: campaign.id, sourceRow: 1, email: 'l@l.example' } });
  lead = { clientId: client.id, campaignId: campaign.id, leadId: row.id };
});
afterAll(async () => {
  await temporal?.connection.close();
  await db.close();
});

const draft = (): TouchDraft => ({
  ...lead,
  step: ++step,
  channel: 'sms',
  idempotencyKey: `ledger:${randomUUID()}`,
  evidence: { test: true },
});
const usage = async (resourceId: string, day: string) =>
  (await db.system.resourceDailyUsage.findFirst({ where: { resourceId, day, kind: 'sms' } }))?.count ?? 0;

describe('touch ledger: reserve', () => {
  it('ED-006 SM-004: a refused claim takes nothing: the caps it took roll back and no touch is created', async () => {
    const number = randomUUID();
    const d = draft();
    const r = await services.touches.system.reserve(async (caps) => {
      expect(await caps.takeDaily('phone_number', number, '2026-12-01', 'sms', 5)).toBe(true);
      return refused('client_cap_reached');
    });
    expect(r).toEqual({ refused: 'client_cap_reached' });
    expect(await usage(number, '2026-12-01')).toBe(0);
    expect(await db.system.touch.count({ where: { idempotencyKey: d.idempotencyKey } })).toBe(0);
  });

  it('ED-006 SM-004: a claim creates the touch and keeps its cap units, in one transaction', async () => {
    const number = randomUUID();
    const d = draft();
    const r = await services.touches.system.reserve(async (caps) =>
      (await caps.takeDaily('phone_number', number, '2026-12-02', 'sms', 5)) ? claimed(d, 'n1') : refused('full'),
    );
    expect(r).toMatchObject({ value: 'n1' });
    const touch = await db.system.touch.findUniqueOrThrow({ where: { idempotencyKey: d.idempotencyKey } });
    expect(touch).toMatchObject({ id: (r as { touchId: string }).touchId, status: 'reserved', channel: 'sms', evidence: { test: true } });
    expect(await usage(number, '2026-12-02')).toBe(1);
  });

  it('SM-004: twenty concurrent sends against a cap of 3 claim exactly 3 units (never counted in memory)', async () => {
    const number = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => {
        const d = draft();
        return services.touches.system.reserve(async (caps) =>
          (await caps.takeDaily('phone_number', number, '2026-12-03', 'sms', 3))
            ? claimed(d, d.idempotencyKey)
            : refused('number_cap_reached'),
        );
      }),
    );
    expect(results.filter((r) => 'touchId' in r)).toHaveLength(3);
    expect(results.filter((r) => 'refused' in r)).toHaveLength(17);
    expect(await usage(number, '2026-12-03')).toBe(3);
  });
});

describe('touch ledger: calls in progress', () => {
  it("VO-001: a call being placed (reserved, the provider not answered yet) counts by its planned time, on the workflow's clock like `since`", async () => {
    // A workflow clock days ahead of the database's (simulated time, or a skewed worker): the call planned
    // at `at` and being placed now must count for any slot that starts after its row's creation.
    const at = new Date(Date.now() + 3 * 86_400_000);
    const call = { ...draft(), channel: 'voice' as const, plannedAt: at.toISOString() };
    await services.touches.system.reserve(async () => claimed(call, null));
    const counted = await services.touches.system.reserve(async (r) =>
      refused(String(await r.callsInProgress(lead.clientId, new Date(at.getTime() - 15 * 60_000)))),
    );
    expect(counted).toEqual({ refused: '1' });
    const later = await services.touches.system.reserve(async (r) =>
      refused(String(await r.callsInProgress(lead.clientId, new Date(at.getTime() + 60_000)))),
    );
    expect(later).toEqual({ refused: '0' });
  });
});

describe('touch ledger: deliver (DESIGN.md convention 5: never sent twice)', () => {
  async function reserved() {
    const d = draft();
    const r = await services.touches.system.reserve(async () => claimed(d, null));
    return { key: d.idempotencyKey, touchId: (r as { touchId: string }).touchId, ledger: services.touches.forTenant(lead.clientId) };
  }

  it('AD-001: a sent touch records the provider, its reference and outcome, and answers for itself on a retry', async () => {
    const { key, touchId, ledger } = await reserved();
    const done = await ledger.deliver(touchId, async () => ({
      provider: 'twilio',
      providerRef: 'SM1',
      record: { numSegments: 1 },
      sentAtMs: 1_000,
      outcome: 'SM1',
    }));
    expect(done).toEqual({ status: 'sent', outcome: 'SM1' });
    expect(await db.system.touch.findUniqueOrThrow({ where: { id: touchId } })).toMatchObject({
      status: 'sent',
      provider: 'twilio',
      providerRef: 'SM1',
      sentAt: new Date(1_000),
      outcome: { phase: 'done', numSegments: 1 },
    });
    expect(await ledger.byKey(key)).toEqual({ done: { status: 'sent', outcome: 'SM1', callId: undefined } });
  });

  it("AD-001: a provider's permanent refusal is a failed touch with its reason, not an error", async () => {
    const { touchId, ledger } = await reserved();
    const done = await ledger.deliver(touchId, async () => {
      throw new ProviderError('twilio', 'invalid_number', 'The To number is not valid', false, 400);
    });
    expect(done).toEqual({ status: 'failed', reason: 'twilio:invalid_number' });
    expect(await db.system.touch.findUniqueOrThrow({ where: { id: touchId } })).toMatchObject({
      status: 'failed',
      outcome: { phase: 'done', reason: 'twilio:invalid_number' },
    });
  });

  it('AD-001: a transient failure is rethrown for Temporal to retry; the retry finds the call started and never calls again', async () => {
    const { key, touchId, ledger } = await reserved();
    const transient = new ProviderError('twilio', 'provider_unavailable', '503', true, 503);
    await expect(ledger.deliver(touchId, async () => Promise.reject(transient))).rejects.toBe(transient);
    expect((await db.system.touch.findUniqueOrThrow({ where: { id: touchId } })).outcome).toEqual({ phase: 'provider_call' });
    expect(await ledger.byKey(key)).toEqual({ done: { status: 'failed', reason: 'outcome_unknown_after_crash' } });
    expect((await db.system.touch.findUniqueOrThrow({ where: { id: touchId } })).status).toBe('failed');
  });

  it('AD-001 SYS-009: a refusal that says the provider did nothing (429, an SMTP 4xx) puts the touch back to reserved: the retry sends it again, it is not lost', async () => {
    for (const refusal of [
      new ProviderError('twilio', 'rate_limited', 'Too Many Requests', true, 429, 2),
      new ProviderError('smtp', 'deferred', 'SMTP temporary failure 451', true, 451),
    ]) {
      const { key, touchId, ledger } = await reserved();
      await expect(ledger.deliver(touchId, async () => Promise.reject(refusal))).rejects.toBe(refusal);
      expect((await db.system.touch.findUniqueOrThrow({ where: { id: touchId } })).outcome).toEqual({
        phase: 'refused',
        refusal: refusal.code,
      });
      expect(await ledger.byKey(key)).toEqual({ touchId });
    }
    // A timeout or a 5xx may come after the provider acted: that outcome stays unknown (never sent twice).
    const { key, touchId, ledger } = await reserved();
    const timeout = new ProviderError('vapi', 'network_error', 'socket hang up', true);
    await expect(ledger.deliver(touchId, async () => Promise.reject(timeout))).rejects.toBe(timeout);
    expect(await ledger.byKey(key)).toEqual({ done: { status: 'failed', reason: 'outcome_unknown_after_crash' } });
  });

  it('AD-001: a reserved touch that never reached the provider is returned by id (the sender discards it and reserves again)', async () => {
    const { key, touchId, ledger } = await reserved();
    expect(await ledger.byKey(key)).toEqual({ touchId });
    await ledger.discard(touchId);
    expect(await ledger.byKey(key)).toBeNull();
  });
});
