/**
 * A lead as its sequence sees it (row-level security on): the lead with its client, the client's
 * settings and rule configuration, the recipient's zone and location, and what messages are
 * written from; the sequence's own state on the lead row. The DNCR wash result and the LinkedIn
 * member id found while sending are written on the system path (the register and LinkedIn speak
 * for the person, not for one client), and so are the person's keys (a person spans clients).
 */
import type { Db } from '../../db/client.js';
import type { Client, Lead, LeadStatus } from '../../generated/prisma/client.js';
import { resolveClientConfig, type DomainConfig } from '../../domain/config.js';
import { bookingLinkForLead, type MessageContext } from '../../domain/message-templates.js';
import { clientOverrides } from '../../domain/client-settings.js';
import { NotFound } from '../../domain/failures.js';
import { settingsOf, type ClientSettings } from '../clients.js';
import { peopleOf, personOf } from '../people.js';

export interface LeadContext {
  lead: Lead & { campaign: { icp: unknown } };
  client: Client;
  settings: ClientSettings;
  config: DomainConfig;
  /** The recipient's zone (the client's default when unknown). */
  zone: string;
  location: { country: string; state: string | null };
  msg: MessageContext;
  /** The person's keys (services/people.ts): read on the system path, as a person spans clients. */
  person: string[];
}

/** How a sequence ended, as its lead's status (`cancelled`: its campaign was stopped, SYS-007). */
export type SequenceEnd = 'completed' | 'replied' | 'opted_out' | 'meeting_booked' | 'duplicate' | 'cancelled';

/** A lead's context from its row and its client's (everything but the person's keys). */
function contextOf(lead: LeadContext['lead'], client: Client, config: DomainConfig): Omit<LeadContext, 'person'> {
  const settings = settingsOf(client);
  // The stored overrides, the voicemail behaviour and the client's own zone and country.
  const clientConfig = resolveClientConfig(clientOverrides(settings, client) as never, config);
  const icp = (lead.campaign.icp ?? {}) as { description?: string };
  const msg: MessageContext = {
    firstName: lead.firstName,
    company: lead.company,
    clientName: client.name,
    senderName: settings.senderName,
    pitch: settings.pitch ?? icp.description,
    bookingLink: settings.bookingLink ? bookingLinkForLead(settings.bookingLink, lead.id) : null,
  };
  const zone = lead.timezone ?? client.defaultTimezone;
  const location = { country: lead.country ?? client.defaultCountry, state: lead.state };
  return { lead, client, settings, config: clientConfig, zone, location, msg };
}

/** `config`: the system-wide rule numbers; a client's own settings are resolved over them. */
export function createLeadSequences(db: Db, config: DomainConfig) {
  return {
    forTenant(clientId: string) {
      return {
        /** Everything a step decides from; NotFound when the lead is not this client's. */
        async context(leadId: string): Promise<LeadContext> {
          const ctx = await db.asTenant(clientId, async (tx) => {
            const lead = await tx.lead.findUnique({ where: { id: leadId }, include: { campaign: { select: { icp: true } } } });
            if (!lead) throw new NotFound(`lead ${leadId} not found for client ${clientId}`);
            const client = await tx.client.findUniqueOrThrow({ where: { id: clientId } });
            return contextOf(lead, client, config);
          });
          return { ...ctx, person: await personOf(db, ctx.lead) };
        },

        /** The contexts of many of the client's leads at once (two queries, and the people in bulk); unknown ids are left out. */
        async contexts(leadIds: string[]): Promise<LeadContext[]> {
          const found = await db.asTenant(clientId, async (tx) => {
            const leads = await tx.lead.findMany({ where: { id: { in: leadIds } }, include: { campaign: { select: { icp: true } } } });
            const client = await tx.client.findUniqueOrThrow({ where: { id: clientId } });
            return leads.map((lead) => contextOf(lead, client, config));
          });
          const people = await peopleOf(
            db,
            found.map((c) => c.lead),
          );
          return found.map((c, i) => ({ ...c, person: people[i]! }));
        },

        /** The lead with its touches in step order (the API's lead view). */
        withTouches: (leadId: string) =>
          db.asTenant(clientId, (tx) =>
            tx.lead.findUnique({ where: { id: leadId }, include: { touches: { orderBy: [{ step: 'asc' }, { createdAt: 'asc' }] } } }),
          ),

        /** The lead's sequence workflow id (null: none started); null when the lead is not this client's. */
        sequenceOf: (leadId: string) =>
          db.asTenant(clientId, (tx) => tx.lead.findUnique({ where: { id: leadId }, select: { id: true, sequenceWorkflowId: true } })),

        async markEnded(leadId: string, end: SequenceEnd): Promise<void> {
          const status: LeadStatus = end;
          await db.asTenant(clientId, (tx) => tx.lead.update({ where: { id: leadId }, data: { status } }));
        },
      };
    },

    system: {
      async setDncr(leadId: string, result: string, washedAt: Date): Promise<void> {
        await db.system.lead.update({ where: { id: leadId }, data: { dncrResult: result, dncrWashedAt: washedAt } });
      },
      async setLinkedInMember(leadId: string, providerId: string): Promise<void> {
        await db.system.lead.update({ where: { id: leadId }, data: { linkedinProviderId: providerId } });
      },
    },
  };
}
export type LeadSequences = ReturnType<typeof createLeadSequences>;
