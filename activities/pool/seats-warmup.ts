/**
 * New LinkedIn accounts joining the pool (RP-008, LI-001), and one day of a domain's warmup
 * (ED-001, RP-006).
 */
import { domainAgeDays, isReadyForColdSending, isWarmupRampComplete, warmupDailyLimit } from '../../domain/index.js';
import type { PoolDeps } from './types.js';

export function createSeatAndWarmupActivities({ services, pool }: PoolDeps) {
  const { alerts, domainConfig: config } = services;
  const { inventory, purchases } = services.pool;
  return {
    /** LinkedIn accounts connected at Unipile that the pool does not know yet become seats; a waiting seat request is completed. */
    async reconcileSeats(input: { version: 1; nowMs: number }): Promise<{ added: number }> {
      const accounts = await pool.seats.listLinkedInAccounts();
      const known = await inventory.system.knownAccounts();
      let added = 0;
      for (const a of accounts) {
        if (known.has(a.accountRef)) continue;
        const ok = a.status === 'OK';
        const health = ok ? 'ok' : a.status === 'CREDENTIALS' ? 'checkpoint' : 'restricted';
        await inventory.system.addSeat({ accountRef: a.accountRef, displayName: a.name ?? null, status: ok ? 'ready' : 'paused', health });
        added++;
        const waiting = await purchases.system.oldestSeatRequest();
        if (waiting) {
          await purchases.system.update(waiting.id, { status: 'completed', providerRef: a.accountRef });
          await alerts.system.resolve([`seat-request:${waiting.tag}`], new Date(input.nowMs));
        }
      }
      return { added };
    },

    /**
     * One day of a domain's warmup (ED-001, RP-006): the ramp's limit for the domain's age written
     * to its mailboxes (every send takes its limit from that row: domain/warmup.ts
     * mailboxSendLimit, where health and pauses apply), the Warmforge heat score read (the
     * domain's is its coldest mailbox's), and the domain marked ready at 85 (once ready it stays
     * ready). `rampComplete`: the ramp has reached its last step, so the rows change no more.
     * 'stopped' when the domain is retired or gone.
     */
    async warmupTick(input: { version: 1; domainId: string; nowMs: number }): Promise<{
      state: 'warming' | 'ready' | 'stopped';
      day: number;
      limit: number;
      heatScore: number | null;
      rampComplete: boolean;
    }> {
      const domain = await inventory.system.domainWithMailboxes(input.domainId);
      if (!domain || domain.status === 'retired') return { state: 'stopped', day: 0, limit: 0, heatScore: null, rampComplete: true };
      const now = new Date(input.nowMs);
      const day = domainAgeDays(domain.purchasedAt ?? domain.createdAt, now);
      let heat: number | null = null;
      let allKnown = domain.mailboxes.length > 0;
      for (const m of domain.mailboxes) {
        const w = await pool.warmup.findMailbox(m.email);
        if (!w || w.heatScore === null) {
          allKnown = false;
          continue;
        }
        heat = heat === null ? w.heatScore : Math.min(heat, w.heatScore);
      }
      // A ready domain keeps its last heat score while Warmforge has none to give (no check yet).
      const heatScore = allKnown ? heat : domain.readyAt !== null ? domain.heatScore : null;
      const ready = domain.readyAt !== null || isReadyForColdSending(heatScore, config);
      const limit = warmupDailyLimit(day, config);
      const becomesReady = ready && domain.status !== 'ready' && domain.status !== 'paused';
      await inventory.system.applyWarmupDay(domain.id, {
        limit,
        heatScore,
        ready,
        domainUpdate: becomesReady ? { status: 'ready', readyAt: domain.readyAt ?? now } : {},
      });
      return { state: ready ? 'ready' : 'warming', day, limit, heatScore, rampComplete: isWarmupRampComplete(day, config) };
    },
  };
}
