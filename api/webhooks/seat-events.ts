/**
 * LinkedIn seat health from Unipile's account_status webhook (LI-006), applied at once rather
 * than at the next daily health check: a restricted or checkpointed account pauses its seat and
 * raises a critical alert; a healthy status again puts the seat back and resolves the alert. The
 * daily health monitor (activities/health.ts) applies the same rule from Unipile's account list,
 * so a status the webhook missed (or a repeat the webhook registry treats as a duplicate) is
 * caught there.
 */
import type { Db } from '../../db/client.js';
import type { AlertService } from '../../activities/alerts.js';

const RESTRICTED = new Set(['ERROR', 'STOPPED', 'PERMISSIONS', 'DELETED']);
const HEALTHY = new Set(['OK', 'RECONNECTED', 'SYNC_SUCCESS', 'CREATION_SUCCESS']);

export interface SeatEvents {
  accountStatus(accountRef: string, status: string, at: Date): Promise<'unknown_seat' | 'paused' | 'restored' | 'unchanged'>;
}

export function createSeatEvents({ db, alerts }: { db: Db; alerts: AlertService }): SeatEvents {
  return {
    async accountStatus(accountRef, status, at) {
      const seat = await db.system.linkedInSeat.findUnique({ where: { accountRef } });
      if (!seat) return 'unknown_seat'; // a new account: the pool monitor adds it
      const key = `seat:${seat.id}:restricted`;
      if (status === 'CREDENTIALS' || RESTRICTED.has(status)) {
        const health = status === 'CREDENTIALS' ? 'checkpoint' : 'restricted';
        await db.system.linkedInSeat.update({
          where: { id: seat.id },
          data: { health, status: seat.status === 'retired' ? 'retired' : 'paused' },
        });
        await alerts.raise(
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
        await db.system.linkedInSeat.update({
          where: { id: seat.id },
          data: { health: 'ok', status: seat.status === 'paused' ? 'ready' : seat.status },
        });
        await alerts.resolve([key], at);
        return 'restored';
      }
      return 'unchanged';
    },
  };
}
