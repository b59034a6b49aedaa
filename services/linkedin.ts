/**
 * LinkedIn seats as the sequences use them, and the invitations sent from them (system path:
 * seats are pool resources and a seat's weekly limit spans clients). Reserving an invitation
 * happens inside the touch reservation (touches/reservation.ts); this is the rest of its life:
 * the member id found, accepted, ignored, withdrawn, messaged.
 */
import type { Db } from '../db/client.js';
import type { LinkedInInvitation, LinkedInSeat } from '../generated/prisma/client.js';

export type InvitationState = 'accepted' | 'ignored' | 'withdrawn';

/** States of an invitation that is still pending at LinkedIn (ignored is our label for an unanswered one). */
const OUT_AT_LINKEDIN = ['pending', 'ignored'];

/** The member id of an invitation held before its profile was looked up (touches/reservation.ts holdInvitation). */
export const MEMBER_NOT_LOOKED_UP = 'pending-lookup';

export function createLinkedIn(db: Db) {
  return {
    system: {
      /** The seats of these ids that may send now (ready or warming), in a stable order. */
      sendingSeats: (ids: string[]): Promise<LinkedInSeat[]> =>
        db.system.linkedInSeat.findMany({ where: { id: { in: ids }, status: { in: ['ready', 'warming'] } }, orderBy: { id: 'asc' } }),

      /** The first of these seats (whose zone a LinkedIn step is planned in), or null. */
      firstSeat: (ids: string[]): Promise<LinkedInSeat | null> =>
        ids.length ? db.system.linkedInSeat.findFirst({ where: { id: { in: ids } }, orderBy: { id: 'asc' } }) : Promise.resolve(null),

      seat: (id: string): Promise<LinkedInSeat> => db.system.linkedInSeat.findUniqueOrThrow({ where: { id } }),

      /** When the seat's invitations since `since` were sent (the pacing between actions). */
      async sentSince(seatId: string, since: Date): Promise<Date[]> {
        const rows = await db.system.linkedInInvitation.findMany({ where: { seatId, sentAt: { gte: since } }, select: { sentAt: true } });
        return rows.map((r) => r.sentAt);
      },

      /** The member found for the seat's invitation to the lead, and the invitation's reference once sent. */
      async setInvitationTarget(seatId: string, leadId: string, providerId: string, invitationRef?: string): Promise<void> {
        await db.system.linkedInInvitation.update({
          where: { seatId_leadId: { seatId, leadId } },
          data: { providerId, ...(invitationRef ? { invitationRef } : {}) },
        });
      },

      /** The lead's latest invitation, or null. */
      latestInvitation: (leadId: string): Promise<LinkedInInvitation | null> =>
        db.system.linkedInInvitation.findFirst({ where: { leadId }, orderBy: { sentAt: 'desc' } }),

      async markMessaged(invitationId: string, at: Date): Promise<void> {
        await db.system.linkedInInvitation.update({ where: { id: invitationId }, data: { messagedAt: at } });
      },

      /** The state the lead's sequence decided (LI-002, LI-003). */
      async setLeadInvitations(leadId: string, state: InvitationState, at?: Date): Promise<void> {
        await db.system.linkedInInvitation.updateMany({
          where: { leadId },
          data: { state, ...(state === 'accepted' ? { acceptedAt: at ?? new Date() } : {}) },
        });
      },

      /** A webhook's acceptance (LI-002), once: of one seat's invitation, or of every invitation of the lead. */
      async markAccepted(leadId: string, at: Date, seatId?: string): Promise<void> {
        await db.system.linkedInInvitation.updateMany({
          where: { leadId, ...(seatId ? { seatId } : {}), state: { not: 'accepted' } },
          data: { state: 'accepted', acceptedAt: at },
        });
      },

      /**
       * The client's invitations from these seats that are still out at LinkedIn (pending, or
       * ignored: unanswered is still pending there), with each seat's account (to withdraw them).
       */
      async pendingFrom(clientId: string, seatIds: string[]) {
        if (!seatIds.length) return [];
        const pending = await db.system.linkedInInvitation.findMany({
          where: { clientId, seatId: { in: seatIds }, state: { in: OUT_AT_LINKEDIN } },
        });
        const seats = new Map((await db.system.linkedInSeat.findMany({ where: { id: { in: seatIds } } })).map((s) => [s.id, s.accountRef]));
        return pending.map((inv) => ({ ...inv, accountRef: seats.get(inv.seatId)! }));
      },

      /** The lead's invitations still out at LinkedIn (pending or ignored), with each seat's account (LI-002: withdraw at 30 days). */
      async outstandingFor(leadId: string) {
        const open = await db.system.linkedInInvitation.findMany({
          where: { leadId, state: { in: OUT_AT_LINKEDIN } },
          orderBy: { sentAt: 'asc' },
        });
        if (!open.length) return [];
        const seats = await db.system.linkedInSeat.findMany({ where: { id: { in: open.map((i) => i.seatId) } } });
        const accountOf = new Map(seats.map((s) => [s.id, s.accountRef]));
        return open.map((inv) => ({ ...inv, accountRef: accountOf.get(inv.seatId)! }));
      },

      /** The seat a lead is connected through (its newest accepted invitation) and the member id: where an answer goes. */
      async connectionOf(leadId: string): Promise<{ accountRef: string; providerId: string } | null> {
        const inv = await db.system.linkedInInvitation.findFirst({
          where: { leadId, state: 'accepted', providerId: { not: MEMBER_NOT_LOOKED_UP } },
          orderBy: { acceptedAt: 'desc' },
        });
        if (!inv) return null;
        const seat = await db.system.linkedInSeat.findUnique({ where: { id: inv.seatId }, select: { accountRef: true } });
        return seat ? { accountRef: seat.accountRef, providerId: inv.providerId } : null;
      },

      async markWithdrawn(invitationId: string): Promise<void> {
        await db.system.linkedInInvitation.update({ where: { id: invitationId }, data: { state: 'withdrawn' } });
      },

      /** Every seat's invitations sent after `since`, by seat (the accept-rate window, LI-006). */
      async invitationsBySeat(seatIds: string[], since: Date): Promise<Map<string, { sentAt: Date; acceptedAt: Date | null }[]>> {
        const bySeat = new Map<string, { sentAt: Date; acceptedAt: Date | null }[]>();
        const rows = await db.system.linkedInInvitation.findMany({
          where: { seatId: { in: seatIds }, sentAt: { gt: since } },
          select: { seatId: true, sentAt: true, acceptedAt: true },
        });
        for (const inv of rows) bySeat.set(inv.seatId, [...(bySeat.get(inv.seatId) ?? []), inv]);
        return bySeat;
      },
    },
  };
}
export type LinkedIn = ReturnType<typeof createLinkedIn>;
