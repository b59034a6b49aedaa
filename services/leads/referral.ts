/**
 * A referral's lead (SYS-003, DOMAIN.md "referral -> new lead"): the person a reply names
 * (domain/referral.ts reads them) becomes a lead of the referring lead's campaign, once per reply,
 * with the referring lead's company, place and zone (a colleague), ready for the onboarding steps
 * that score, wash and sequence it. System path: the conversation knows the lead, not a session.
 */
import type { Db } from '../../db/client.js';
import { phoneCountry } from '../../domain/phone.js';
import type { Referral } from '../../domain/referral.js';

/** Source rows of referred leads start here, clear of any list's rows (a list may still be importing). */
export const REFERRAL_ROW_BASE = 1_000_000_000;

export interface ReferredLead {
  leadId: string;
  clientId: string;
  campaignId: string;
  sourceRow: number;
  /** false: this reply had already made it, or the campaign already had the person. */
  created: boolean;
}

export function createReferrals(db: Db) {
  return {
    system: {
      /** The lead the reply `messageId` of `fromLeadId` refers to: made once (the message keeps its id). */
      async addReferredLead(fromLeadId: string, messageId: string, r: Referral): Promise<ReferredLead> {
        return db.system.$transaction(async (tx) => {
          const [msg] = await tx.$queryRaw<{ meta: Record<string, unknown> }[]>`
            SELECT meta FROM messages WHERE id = ${messageId}::uuid FOR UPDATE`;
          const from = await tx.lead.findUniqueOrThrow({ where: { id: fromLeadId } });
          const made = typeof msg?.meta.referralLeadId === 'string' ? msg.meta.referralLeadId : null;
          if (made) {
            const l = await tx.lead.findUniqueOrThrow({ where: { id: made } });
            return { leadId: l.id, clientId: l.clientId, campaignId: l.campaignId, sourceRow: l.sourceRow, created: false };
          }
          // One numbering at a time per campaign.
          await tx.$queryRaw`SELECT id FROM campaigns WHERE id = ${from.campaignId}::uuid FOR UPDATE`;
          const known = await tx.lead.findFirst({
            where: {
              campaignId: from.campaignId,
              OR: [
                ...(r.email ? [{ email: { equals: r.email, mode: 'insensitive' as const } }] : []),
                ...(r.phoneE164 ? [{ phoneE164: r.phoneE164 }] : []),
              ],
            },
          });
          let lead = known;
          if (!lead) {
            const top = await tx.lead.aggregate({ where: { campaignId: from.campaignId }, _max: { sourceRow: true } });
            const sourceRow = Math.max(top._max.sourceRow ?? 0, REFERRAL_ROW_BASE) + 1;
            lead = await tx.lead.create({
              data: {
                clientId: from.clientId,
                campaignId: from.campaignId,
                sourceRow,
                email: r.email ?? null,
                firstName: r.firstName ?? null,
                lastName: r.lastName ?? null,
                title: r.title ?? null,
                company: from.company,
                companyDomain: from.companyDomain,
                industry: from.industry,
                employeeCount: from.employeeCount,
                city: from.city,
                state: from.state,
                country: from.country,
                phoneRaw: r.phoneE164 ?? null,
                phoneE164: r.phoneE164 ?? null,
                phoneCountry: r.phoneE164 ? (phoneCountry(r.phoneE164) ?? null) : null,
                timezone: from.timezone,
                timezoneSource: from.timezoneSource,
                attributes: { referral: { fromLeadId, messageId, evidence: r.evidence.slice(0, 500) } },
              },
            });
          }
          await tx.message.update({ where: { id: messageId }, data: { meta: { ...(msg?.meta ?? {}), referralLeadId: lead.id } } });
          return { leadId: lead.id, clientId: lead.clientId, campaignId: lead.campaignId, sourceRow: lead.sourceRow, created: !known };
        });
      },
    },
  };
}
export type Referrals = ReturnType<typeof createReferrals>;
