/**
 * Meetings and deals (SYS-004): a booking from Cal.com or Calendly kept once per (provider, booking
 * uid), reschedules linked to the booking they replace, a deal per lead whose stage follows its
 * meetings, and what the CRM sync needs and records (the client's CRM connection, the CRM ids).
 *
 * System path: the booking webhooks do not know the tenant until the lead is found, and the CRM
 * token is a secret no tenant session reads. The tenant path lists meetings and deals.
 */
import type { Db } from '../db/client.js';
import { isUniqueViolation } from '../db/client.js';
import type { BookingEvent } from '../providers/booking/types.js';
import type { CrmDealInput } from '../providers/ports.js';

export type DealStage = CrmDealInput['stage'];
export interface LeadKey {
  id: string;
  clientId: string;
  campaignId: string;
}
export interface CrmConnectionInput {
  provider: 'hubspot';
  accessToken: string;
  pipeline?: string | null;
  stages?: Partial<Record<DealStage, string>>;
}

const date = (iso?: string) => (iso ? new Date(iso) : null);

export function createMeetings(db: Db) {
  const { meeting, deal, lead, crmConnection } = db.system;

  /** A meeting row by its booking, made when missing (a concurrent delivery of the same booking wins the race). */
  async function upsertMeeting(l: LeadKey, b: BookingEvent, uid: string, status: string, replacesUid?: string) {
    const where = { provider_bookingUid: { provider: b.provider, bookingUid: uid } };
    const data = {
      status,
      ...(b.title ? { title: b.title.slice(0, 300) } : {}),
      ...(b.startsAt ? { startsAt: date(b.startsAt) } : {}),
      ...(b.endsAt ? { endsAt: date(b.endsAt) } : {}),
      ...(b.attendee.email ? { attendeeEmail: b.attendee.email.toLowerCase() } : {}),
      ...(replacesUid ? { replacesUid } : {}),
    };
    try {
      return await meeting.upsert({
        where,
        update: data,
        create: { clientId: l.clientId, leadId: l.id, provider: b.provider, bookingUid: uid, ...data },
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      return meeting.update({ where, data });
    }
  }

  /** The lead's deal, its stage from its meetings: booked while one is, else cancelled. */
  async function settleDeal(l: LeadKey, name: string) {
    const live = await meeting.count({ where: { leadId: l.id, status: 'booked' } });
    const stage: DealStage = live > 0 ? 'meeting_booked' : 'meeting_cancelled';
    try {
      return await deal.upsert({
        where: { leadId: l.id },
        update: { stage },
        create: { clientId: l.clientId, campaignId: l.campaignId, leadId: l.id, name: name.slice(0, 200), stage },
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      return deal.update({ where: { leadId: l.id }, data: { stage } });
    }
  }

  const system = {
    /** The lead a booking change is about when it names a booking we keep (a reschedule or cancellation without the link's token). */
    async leadOfBooking(provider: string, uids: (string | undefined)[]): Promise<string | null> {
      const known = uids.filter((u): u is string => Boolean(u));
      if (!known.length) return null;
      const m = await meeting.findFirst({ where: { provider, bookingUid: { in: known } }, select: { leadId: true } });
      return m?.leadId ?? null;
    },

    /**
     * Records a booking change: booked, rescheduled (the new booking booked, the one it replaces
     * marked rescheduled), cancelled; then the deal's stage. The same change again changes nothing.
     */
    async record(leadId: string, b: BookingEvent) {
      const row = await lead.findUniqueOrThrow({
        where: { id: leadId },
        select: { id: true, clientId: true, campaignId: true, firstName: true, lastName: true, company: true },
      });
      const who = row.company ?? ([row.firstName, row.lastName].filter(Boolean).join(' ') || 'Lead');
      const l = { ...row, dealName: `${who}: meeting` };
      if (b.kind === 'booked') await upsertMeeting(l, b, b.bookingUid, 'booked');
      else if (b.kind === 'rescheduled') {
        await upsertMeeting(l, b, b.bookingUid, 'booked', b.previousBookingUid);
        if (b.previousBookingUid)
          await meeting.updateMany({
            where: { provider: b.provider, bookingUid: b.previousBookingUid, leadId: l.id },
            data: { status: 'rescheduled' },
          });
      } else if (b.kind === 'cancelled') await upsertMeeting(l, b, b.bookingUid, 'cancelled');
      const d = await settleDeal(l, l.dealName);
      return { dealId: d.id, stage: d.stage as DealStage };
    },

    /** Everything a CRM sync pushes: the lead, its deal and meetings, and the client's connection (null: none). */
    async forSync(leadId: string) {
      const [l, d, ms] = await Promise.all([
        lead.findUniqueOrThrow({ where: { id: leadId } }),
        deal.findUnique({ where: { leadId } }),
        meeting.findMany({ where: { leadId }, orderBy: { createdAt: 'asc' } }),
      ]);
      const connection = await crmConnection.findUnique({ where: { clientId: l.clientId } });
      return { lead: l, deal: d, meetings: ms, connection };
    },

    async recordCrmIds(
      dealId: string,
      ids: { provider: string; contactId: string; companyId?: string; dealId: string },
      meetings: Map<string, string>,
      at: Date,
    ) {
      await deal.update({
        where: { id: dealId },
        data: {
          crmProvider: ids.provider,
          crmContactId: ids.contactId,
          crmCompanyId: ids.companyId ?? null,
          crmDealId: ids.dealId,
          crmSyncedAt: at,
          crmError: null,
        },
      });
      for (const [id, crmMeetingId] of meetings) await meeting.update({ where: { id }, data: { crmMeetingId } });
    },

    async recordCrmError(dealId: string, error: string) {
      await deal.update({ where: { id: dealId }, data: { crmError: error.slice(0, 1000) } });
    },
  };

  return {
    system,
    /** A client's CRM connection (system path: the token is a secret, never read by a tenant session). */
    crm: {
      async get(clientId: string) {
        return crmConnection.findUnique({ where: { clientId } });
      },
      async set(clientId: string, c: CrmConnectionInput) {
        const data = { provider: c.provider, accessToken: c.accessToken, pipeline: c.pipeline ?? null, stages: c.stages ?? {} };
        return crmConnection.upsert({ where: { clientId }, update: data, create: { clientId, ...data } });
      },
      async remove(clientId: string): Promise<boolean> {
        return (await crmConnection.deleteMany({ where: { clientId } })).count > 0;
      },
    },
    forTenant(clientId: string) {
      return {
        meetings: (limit: number) =>
          db.asTenant(clientId, (tx) => tx.meeting.findMany({ orderBy: [{ startsAt: 'desc' }, { id: 'asc' }], take: limit })),
        deals: (limit: number) =>
          db.asTenant(clientId, (tx) => tx.deal.findMany({ orderBy: [{ updatedAt: 'desc' }, { id: 'asc' }], take: limit })),
      };
    },
  };
}

export type Meetings = ReturnType<typeof createMeetings>;
