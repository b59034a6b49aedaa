/**
 * LinkedIn seat health from Unipile's account_status webhook (LI-006, system path), applied at
 * once rather than at the next daily health check: a restricted or checkpointed account pauses
 * its seat and raises a critical alert; a healthy status again puts the seat back and resolves
 * the alert. The daily health monitor applies the same rule from Unipile's account list, so a
 * status the webhook missed is caught there.
 */
import type { AlertService } from './alerts.js';
import type { PoolInventory } from './pool/inventory.js';

const RESTRICTED = new Set(['ERROR', 'STOPPED', 'PERMISSIONS', 'DELETED']);
const HEALTHY = new Set(['OK', 'RECONNECTED', 'SYNC_SUCCESS', 'CREATION_SUCCESS']);

export type SeatStatusChange = 'unknown_seat' | 'paused' | 'restored' | 'unchanged';

export function createSeatEvents({ inventory, alerts }: { inventory: PoolInventory; alerts: AlertService }) {
  return {
    system: {
      async accountStatus(accountRef: string, status: string, at: Date): Promise<SeatStatusChange> {
        const seat = await inventory.system.seatByAccount(accountRef);
        if (!seat) return 'unknown_seat'; // a new account: the pool monitor adds it
        const key = `seat:${seat.id}:restricted`;
        if (status === 'CREDENTIALS' || RESTRICTED.has(status)) {
          const health = status === 'CREDENTIALS' ? 'checkpoint' : 'restricted';
          await inventory.system.updateSeat(seat.id, { health, status: seat.status === 'retired' ? 'retired' : 'paused' });
          await alerts.system.raise(
            {
              kind: 'seat_restricted',
              severity: 'critical',
              dedupeKey: key,
              message: `LinkedIn seat ${seat.displayName ?? seat.accountRef} is ${health} (Unipile status ${status}): paused until reconnected`,
              data: { seatId: seat.id, accountRef, providerStatus: status },
            },
            at,
          );
          return 'paused';
        }
        if (HEALTHY.has(status) && seat.health !== 'ok') {
          await inventory.system.updateSeat(seat.id, { health: 'ok', status: seat.status === 'paused' ? 'ready' : seat.status });
          await alerts.system.resolve([key], at);
          return 'restored';
        }
        return 'unchanged';
      },
    },
  };
}
export type SeatEvents = ReturnType<typeof createSeatEvents>['system'];
