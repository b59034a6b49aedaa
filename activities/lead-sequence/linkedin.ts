/**
 * LinkedIn steps (LI-001..LI-005): a connection request from the first of the client's seats
 * whose limits allow one now (daily and weekly caps, pacing, the seat's own zone; LI-004), the
 * invitation held with the touch; after an acceptance, one message in the new conversation.
 */
import { canReserve, seatLimits } from '../../domain/linkedin.js';
import { linkedinMessage, linkedinNote } from '../../domain/message-templates.js';
import { startOfNextLocalDay } from '../../domain/windows.js';
import { claimed, refused } from '../../services/touches/index.js';
import { touchDraft } from './touch-draft.js';
import type { ChannelSender, LeadSequenceDeps } from './types.js';

const DAY_MS = 86_400_000;

export function createLinkedInSenders({ services, providers }: LeadSequenceDeps): { connect: ChannelSender; message: ChannelSender } {
  const { touches, allocations, linkedin, leads } = services;

  const connect: ChannelSender = async (input, ctx) => {
    const { lead, client, config } = ctx;
    if (!lead.linkedinUrl) return { status: 'skipped', reason: 'no_linkedin_url' };
    const seats = await linkedin.system.sendingSeats(await allocations.system.heldBy(client.id, 'linkedin_seat'));
    if (!seats.length) return { status: 'skipped', reason: 'no_seat' };
    const now = input.nowMs ?? Date.now();

    let retryAt: number | undefined;
    const reserved = await touches.system.reserve(async (r) => {
      for (const seat of seats) {
        const history = await r.lockSeatInvitations(seat.id, new Date(now - config.linkedin.weeklyWindowDays * DAY_MS));
        const status =
          seat.health === 'ok' && seat.status !== 'paused' ? 'active' : seat.health === 'ok' ? 'paused' : (seat.health as never);
        const limits = seatLimits({ startedAt: seat.createdAt, status, acceptRate: seat.acceptRate }, now, config);
        const ok = canReserve(history, now, { ...limits, zone: seat.timezone }, config);
        if (ok.ok) {
          await r.holdInvitation({ clientId: client.id, seatId: seat.id, leadId: lead.id, sentAt: new Date(now) });
          return claimed(touchDraft(ctx, input, 'linkedin', { seatId: seat.id, limits }), seat);
        }
        if (ok.retryAt) retryAt = Math.min(retryAt ?? Infinity, ok.retryAt.getTime());
      }
      return refused('seat_cap_reached');
    });
    if ('refused' in reserved) {
      return {
        status: 'no_capacity',
        notBeforeMs: retryAt ?? startOfNextLocalDay(seats[0]!.timezone, now).getTime(),
        reason: reserved.refused,
      };
    }

    const seat = reserved.value;
    const slug = lead.linkedinUrl.replace(/\/+$/, '').split('/').pop() ?? lead.linkedinUrl;
    return touches.forTenant(client.id).deliver(reserved.touchId, async () => {
      const profile = await providers.linkedin.getProfile(seat.accountRef, slug);
      await leads.sequence.system.setLinkedInMember(lead.id, profile.providerId);
      if (profile.invitationPending || profile.networkDistance === 'FIRST_DEGREE') {
        const state = profile.networkDistance === 'FIRST_DEGREE' ? 'already_connected' : 'already_pending';
        await linkedin.system.setInvitationTarget(seat.id, lead.id, profile.providerId);
        return { provider: 'unipile', providerRef: state, record: { state }, sentAtMs: now, outcome: state };
      }
      const inv = await providers.linkedin.sendInvitation({
        accountId: seat.accountRef,
        providerId: profile.providerId,
        message: linkedinNote(ctx.msg).text,
      });
      await linkedin.system.setInvitationTarget(seat.id, lead.id, profile.providerId, inv.invitationId);
      return { provider: 'unipile', providerRef: inv.invitationId, record: { seatId: seat.id }, sentAtMs: now, outcome: inv.invitationId };
    });
  };

  const message: ChannelSender = async (input, ctx) => {
    const inv = await linkedin.system.latestInvitation(ctx.lead.id);
    if (!inv) return { status: 'skipped', reason: 'no_invitation' };
    const seat = await linkedin.system.seat(inv.seatId);
    const ledger = touches.forTenant(ctx.client.id);
    const touchId = await ledger.open(touchDraft(ctx, input, 'linkedin', { seatId: seat.id, kind: 'post_accept_message' }));
    return ledger.deliver(touchId, async () => {
      const sent = await providers.linkedin.sendMessage({
        accountId: seat.accountRef,
        attendeeProviderId: inv.providerId,
        text: linkedinMessage(ctx.msg).text,
      });
      await linkedin.system.markMessaged(inv.id, new Date());
      return {
        provider: 'unipile',
        providerRef: sent.messageId,
        record: { chatId: sent.chatId },
        sentAtMs: input.nowMs,
        outcome: sent.messageId,
      };
    });
  };

  return { connect, message };
}
