/**
 * The CRM sync (SYS-004): the lead's contact, its company, its deal and its meetings upserted in
 * the client's CRM (HubSpot), the CRM ids recorded on the deal and the meetings. Every upsert finds
 * by a unique key first (the contact's email, the deal's and the meeting's own ids), so a retry
 * never makes a second record. A refusal that will not change (a revoked token, a portal without
 * the key properties) is recorded on the deal and alerted, not retried; a client without a CRM is
 * recorded the same way.
 */
import { ProviderError, type CrmClientFactory, type CrmMeetingInput } from '../providers/ports.js';
import type { Services } from '../services/index.js';

export interface CrmSyncActivityInput {
  version: 1;
  clientId: string;
  leadId: string;
  /** The workflow's clock (the sync's time). */
  nowMs?: number;
}
export type CrmSyncResult =
  | { status: 'synced'; dealId: string; crmDealId: string; meetings: number }
  | { status: 'no_deal' | 'no_crm' | 'no_email' | 'refused'; dealId?: string; reason?: string };

const meetingStatus = (m: { status: string; replacesUid: string | null }): CrmMeetingInput['status'] =>
  m.status === 'cancelled' ? 'cancelled' : m.status === 'rescheduled' ? 'rescheduled' : m.replacesUid ? 'rescheduled' : 'scheduled';

export function createCrmSyncActivities({ services, crm }: { services: Services; crm: CrmClientFactory }) {
  const { meetings, alerts } = services;
  return {
    async syncCrm(input: CrmSyncActivityInput): Promise<CrmSyncResult> {
      const { lead, deal, meetings: rows, connection } = await meetings.system.forSync(input.leadId);
      if (!deal) return { status: 'no_deal' };
      if (!connection) {
        await meetings.system.recordCrmError(deal.id, 'no CRM connected (PUT /v1/crm)');
        return { status: 'no_crm', dealId: deal.id };
      }
      const email = lead.email ?? rows.find((m) => m.attendeeEmail)?.attendeeEmail;
      if (!email) {
        await meetings.system.recordCrmError(deal.id, 'the lead has no email address to find its CRM contact by');
        return { status: 'no_email', dealId: deal.id };
      }
      const client = crm({
        provider: 'hubspot',
        accessToken: connection.accessToken,
        pipeline: connection.pipeline,
        stages: (connection.stages ?? {}) as never,
      });
      try {
        const contactId = await client.upsertContact({
          email,
          firstName: lead.firstName,
          lastName: lead.lastName,
          phone: lead.phoneE164,
          title: lead.title,
          linkedinUrl: lead.linkedinUrl,
          company: lead.company,
        });
        const companyId = lead.company
          ? await client.upsertCompany({ name: lead.company, domain: lead.companyDomain, knownId: deal.crmCompanyId })
          : undefined;
        const crmDealId = await client.upsertDeal(
          { key: deal.id, name: deal.name, stage: deal.stage as never, knownId: deal.crmDealId },
          { contactId, ...(companyId ? { companyId } : {}) },
        );
        // Each id is kept as soon as the CRM gives it: a retry updates by id instead of searching
        // (HubSpot's search lags its writes by seconds, so a search could miss what we just made).
        const at = new Date(input.nowMs ?? Date.now());
        const kept = { provider: 'hubspot', contactId, ...(companyId ? { companyId } : {}), dealId: crmDealId };
        await meetings.system.recordCrmIds(deal.id, kept, new Map(), at);
        let synced = 0;
        for (const m of rows) {
          if (!m.startsAt || !m.endsAt) continue;
          const id = await client.upsertMeeting(
            {
              key: m.bookingUid,
              title: m.title ?? deal.name,
              startsAt: m.startsAt.toISOString(),
              endsAt: m.endsAt.toISOString(),
              status: meetingStatus(m),
              knownId: m.crmMeetingId,
            },
            { contactId, dealId: crmDealId },
          );
          await meetings.system.recordCrmIds(deal.id, kept, new Map([[m.id, id]]), at);
          synced++;
        }
        return { status: 'synced', dealId: deal.id, crmDealId, meetings: synced };
      } catch (err) {
        if (!(err instanceof ProviderError) || err.retryable) throw err;
        const reason = `${err.code}: ${err.message}`.slice(0, 500);
        await meetings.system.recordCrmError(deal.id, reason);
        await alerts.system.raise({
          kind: 'crm_sync_refused',
          severity: 'warning',
          dedupeKey: `crm:${lead.clientId}:${err.code}`,
          clientId: lead.clientId,
          message: `The CRM refused the deal of lead ${lead.id} (${reason}); fix the connection (PUT /v1/crm) and the next booking change pushes it again`,
          data: { leadId: lead.id, dealId: deal.id, code: err.code },
        });
        return { status: 'refused', dealId: deal.id, reason };
      }
    },
  };
}
