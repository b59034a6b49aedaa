/**
 * Reserving a touch (system path): in one transaction a channel claims what the send needs (a unit
 * of each daily cap, a call slot, a seat's weekly invitation) and the touch row is created, keyed
 * by the workflow's idempotency key. When the claim is refused, nothing of it stays: the whole
 * transaction rolls back and the refusal is returned.
 */
import type { Db, SystemTx } from '../../db/client.js';
import type { DbResourceType } from '../../db/resource-types.js';
import { MEMBER_NOT_LOOKED_UP } from '../linkedin.js';
import { takeDailyUnit } from './caps.js';

export type TouchChannel = 'email' | 'sms' | 'voice' | 'linkedin';

/** A touch row before it exists. */
export interface TouchDraft {
  clientId: string;
  campaignId: string;
  leadId: string;
  step: number;
  channel: TouchChannel;
  idempotencyKey: string;
  plannedAt?: string;
  providerRef?: string;
  evidence: object;
}

export const touchData = (d: TouchDraft) => ({
  clientId: d.clientId,
  campaignId: d.campaignId,
  leadId: d.leadId,
  step: d.step,
  channel: d.channel,
  idempotencyKey: d.idempotencyKey,
  plannedAt: d.plannedAt ? new Date(d.plannedAt) : null,
  ...(d.providerRef ? { providerRef: d.providerRef } : {}),
  evidence: d.evidence,
});

/** What a channel may claim inside the reservation's transaction. */
export interface Reservation {
  /** One unit of a daily cap; false when the cap is reached. */
  takeDaily(type: DbResourceType, resourceId: string, day: string, kind: string, limit: number): Promise<boolean>;
  /** Serialises every reservation with this key until the transaction ends. */
  lock(key: string): Promise<void>;
  /**
   * The client's calls that may be in progress: placed since `since` with no outcome yet, and
   * those being placed right now (reserved, not yet recorded as sent). Take `lock` first.
   */
  callsInProgress(clientId: string, since: Date): Promise<number>;
  /** Locks the seat's row and returns when its invitations since `since` were sent. */
  lockSeatInvitations(seatId: string, since: Date): Promise<Date[]>;
  /** The seat's invitation to the lead, as pending until its profile is looked up (kept if it exists). */
  holdInvitation(i: { clientId: string; seatId: string; leadId: string; sentAt: Date }): Promise<void>;
  /**
   * The person's one touch of `day` (their local day), under every key they are known by; false
   * when another touch has it. The same lead's same step may take it again (a retried call).
   */
  takePersonDay(keys: string[], day: string, leadId: string, step: number): Promise<boolean>;
}

/** What a claim ends with: the touch to create with what was claimed, or why nothing can be. */
export type Claim<T> = { touch: TouchDraft; value: T } | { refused: string };
export const claimed = <T>(touch: TouchDraft, value: T): Claim<T> => ({ touch, value });
export const refused = (reason: string): Claim<never> => ({ refused: reason });

class Refused extends Error {
  constructor(readonly refusal: string) {
    super('reservation refused');
  }
}

function reservation(tx: SystemTx): Reservation {
  return {
    takeDaily: (type, resourceId, day, kind, limit) => takeDailyUnit(tx, type, resourceId, day, kind, limit),
    async lock(key) {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${key}))`;
    },
    // A call is in progress from its reservation (being placed now) until its outcome is recorded.
    // `since` is on the workflow's clock, like a call's sentAt and plannedAt; createdAt is on the
    // database's. A call being placed counts by its planned time too: under simulated time (or a
    // worker clock ahead of the database's) its createdAt alone looks older than the slot.
    callsInProgress: (clientId, since) =>
      tx.touch.count({
        where: {
          clientId,
          channel: 'voice',
          OR: [
            { status: 'sent', sentAt: { gte: since } },
            { status: 'reserved', createdAt: { gte: since } },
            { status: 'reserved', plannedAt: { gte: since } },
          ],
        },
      }),
    async lockSeatInvitations(seatId, since) {
      await tx.$queryRaw`SELECT id FROM linkedin_seats WHERE id = ${seatId}::uuid FOR UPDATE`;
      const rows = await tx.linkedInInvitation.findMany({ where: { seatId, sentAt: { gte: since } }, select: { sentAt: true } });
      return rows.map((r) => r.sentAt);
    },
    async takePersonDay(keys, day, leadId, step) {
      for (const key of [...keys].sort()) {
        const rows = await tx.$queryRaw<{ step: number }[]>`
          INSERT INTO person_day_touches (person_key, day, lead_id, step) VALUES (${key}, ${day}, ${leadId}::uuid, ${step})
          ON CONFLICT (person_key, day) DO UPDATE SET step = EXCLUDED.step
            WHERE person_day_touches.lead_id = EXCLUDED.lead_id AND person_day_touches.step = EXCLUDED.step
          RETURNING step`;
        if (rows.length === 0) return false;
      }
      return true;
    },
    async holdInvitation({ clientId, seatId, leadId, sentAt }) {
      await tx.linkedInInvitation.upsert({
        where: { seatId_leadId: { seatId, leadId } },
        create: { clientId, seatId, leadId, providerId: MEMBER_NOT_LOOKED_UP, sentAt },
        update: {},
      });
    },
  };
}

/** Runs `claim` and creates the touch in one system transaction; a refusal rolls everything back. */
export async function reserveTouch<T>(
  db: Db,
  claim: (r: Reservation) => Promise<Claim<T>>,
): Promise<{ touchId: string; value: T } | { refused: string }> {
  try {
    return await db.system.$transaction(async (tx) => {
      const outcome = await claim(reservation(tx));
      if ('refused' in outcome) throw new Refused(outcome.refused);
      const t = await tx.touch.create({ data: touchData(outcome.touch) });
      return { touchId: t.id, value: outcome.value };
    });
  } catch (err) {
    if (err instanceof Refused) return { refused: err.refusal };
    throw err;
  }
}
