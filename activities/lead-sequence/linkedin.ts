/**
 * LinkedIn steps (LI-001..LI-005): a connection request from the first of the client's seats
 * whose limits allow one now (daily and weekly caps, pacing, the seat's own zone; LI-004), the
 * invitation held with the touch and the person's one touch of the day; after an acceptance, one
 * message in the new conversation (the same day claim).
 */
import { canReserve, seatLimits } from '../../domain/linkedin.js';
import { factsOf, writtenBy } from './content.js';
import { localDate, startOfNextLocalDay } from '../../domain/windows.js';
import { claimed, refused } from '../../services/touches/index.js';
import { personDay, touchDraft } from './touch-draft.js';
import type { ChannelSender, LeadSequenceDeps } from './types.js';

const DAY_MS = 86_400_000;
const PERSON_TODAY = 'person_contacted_today';

export function createLinkedInSenders({ services, providers, content }: LeadSequenceDeps): {
  connect: ChannelSender;
  message: ChannelSender;
} {
  const { touches, allocations, linkedin, leads } = services;

  const connect: ChannelSender = async (input, ctx, guard) => {
    const { lead, client, config } = ctx;
    if (!lead.linkedinUrl) return { status: 'skipped', reason: 'no_linkedin_url' };
    const seats = await linkedin.system.sendingSeats(await allocations.system.heldBy(client.id, 'linkedin_seat'));
    if (!seats.length) return { status: 'skipped', reason: 'no_seat' };
    const now = input.nowMs ?? Date.now();
    const person = personDay(ctx, localDate(ctx.zone, now));

    let retryAt: number | undefined;
    const reserved = await touches.system.reserve(async (r) => {
      if (!(await r.takePersonDay(person.keys, person.day, lead.id, input.step))) return refused(PERSON_TODAY);
      for (const seat of seats) {
        const history = await r.lockSeatInvitations(seat.id, new Date(now - config.linkedin.weeklyWindowDays * DAY_MS));
        const status =
          seat.health === 'ok' && seat.status !== 'paused' ? 'active' : seat.health === 'ok' ? 'paused' : (seat.health as never);
        const limits = seatLimits({ startedAt: seat.createdAt, status, acceptRate: seat.acceptRate }, now, config);
        const ok = canReserve(history, now, { ...limits, zone: seat.timezone }, config);
        if (ok.ok) {
          await r.holdInvitation({ clientId: client.id, seatId: seat.id, leadId: lead.id, sentAt: new Date(now) });
          return claimed(touchDraft(ctx, input, 'linkedin', guard, { seatId: seat.id, limits }), seat);
        }
        if (ok.retryAt) retryAt = Math.min(retryAt ?? Infinity, ok.retryAt.getTime());
      }
      return refused('seat_cap_reached');
    });
    if ('refused' in reserved) {
      // The person's next day (the step's time is then chosen in the seat's window), or when a seat frees up.
      const notBeforeMs =
        reserved.refused === PERSON_TODAY
          ? startOfNextLocalDay(ctx.zone, now).getTime()
          : (retryAt ?? startOfNextLocalDay(seats[0]!.timezone, now).getTime());
      return { status: 'no_capacity', notBeforeMs, reason: reserved.refused };
    }

    const seat = reserved.value;
    // The note is optional at LinkedIn: one the checks refuse is left off, the request still goes.
    const note = await content.compose({ purpose: 'first_touch', channel: 'linkedin', linkedinKind: 'note', facts: factsOf(ctx) });
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
        ...(note.status === 'ok' ? { message: note.draft.text } : {}),
      });
      await linkedin.system.setInvitationTarget(seat.id, lead.id, profile.providerId, inv.invitationId);
      return { provider: 'unipile', providerRef: inv.invitationId, record: { seatId: seat.id }, sentAtMs: now, outcome: inv.invitationId };
    });
  };

  const message: ChannelSender = async (input, ctx, guard) => {
    const inv = await linkedin.system.latestInvitation(ctx.lead.id);
    if (!inv) return { status: 'skipped', reason: 'no_invitation' };
    const seat = await linkedin.system.seat(inv.seatId);
    const now = input.nowMs ?? Date.now();
    const person = personDay(ctx, localDate(ctx.zone, now));
    const written = await content.compose({ purpose: 'follow_up', channel: 'linkedin', linkedinKind: 'message', facts: factsOf(ctx) });
    if (written.status === 'skipped') return { status: 'skipped', reason: written.reason };
    const draft = touchDraft(ctx, input, 'linkedin', guard, { seatId: seat.id, kind: 'post_accept_message', ...writtenBy(written) });
    const reserved = await touches.system.reserve(async (r) =>
      (await r.takePersonDay(person.keys, person.day, ctx.lead.id, input.step)) ? claimed(draft, null) : refused(PERSON_TODAY),
    );
    if ('refused' in reserved)
      return { status: 'no_capacity', notBeforeMs: startOfNextLocalDay(ctx.zone, now).getTime(), reason: reserved.refused };
    return touches.forTenant(ctx.client.id).deliver(reserved.touchId, async () => {
      const sent = await providers.linkedin.sendMessage({
        accountId: seat.accountRef,
        attendeeProviderId: inv.providerId,
        text: written.draft.text,
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
