/**
 * The score's signals from enrichment (SYS-002), row-level security on: which leads of a batch
 * still need a person-data provider's or an email verifier's answer, and storing each answer (or
 * the reason there is none) in the lead's `attributes` (shape: domain/lead-signals.ts). A lead
 * with an answer recorded is not asked again, so a retried batch spends no credits twice.
 */
import type { Db } from '../../db/client.js';
import {
  missingPersonFacts,
  needsEmailCheck,
  readAttributes,
  type EmailEnrichment,
  type PersonEnrichment,
} from '../../domain/lead-signals.js';
import type { RowRange } from './onboarding.js';

/** What a provider is asked about a lead. */
export interface LeadToEnrich {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  companyDomain: string | null;
  linkedinUrl: string | null;
}

/** One lead's answers to store (either or both). */
export interface EnrichmentResult {
  leadId: string;
  person?: PersonEnrichment;
  email?: EmailEnrichment;
}

const select = {
  id: true,
  email: true,
  firstName: true,
  lastName: true,
  company: true,
  companyDomain: true,
  linkedinUrl: true,
  attributes: true,
} as const;

export function createLeadEnrichment(db: Db) {
  return {
    forTenant(clientId: string) {
      return {
        /**
         * The batch's leads still without a person-data answer (and with a fact the list left out),
         * and those whose email still needs a verifier's answer (the list did not say).
         */
        due: (r: RowRange) =>
          db.asTenant(clientId, async (tx) => {
            const leads = await tx.lead.findMany({
              where: { campaignId: r.campaignId, sourceRow: { gte: r.fromRow, lte: r.toRow } },
              select,
              orderBy: { sourceRow: 'asc' },
            });
            const person: LeadToEnrich[] = [];
            const email: LeadToEnrich[] = [];
            const complete: EnrichmentResult[] = [];
            for (const { attributes, ...lead } of leads) {
              const attrs = readAttributes(attributes);
              if (!attrs.person) {
                if (missingPersonFacts(attrs).length) person.push(lead);
                else complete.push({ leadId: lead.id, person: notNeeded('the list gave every timing fact') });
              }
              if (!attrs.email) {
                if (needsEmailCheck(lead.email, attrs)) email.push(lead);
                else complete.push({ leadId: lead.id, email: notNeeded(lead.email ? 'the list said whether it is verified' : 'no email') });
              }
            }
            return { person, email, complete };
          }),

        /** Stores the answers (each merged into the lead's attributes); returns how many leads changed. */
        save: (results: EnrichmentResult[]) =>
          results.length === 0
            ? Promise.resolve(0)
            : db.asTenant(clientId, async (tx) => {
                const byLead = new Map<string, EnrichmentResult>();
                for (const r of results) byLead.set(r.leadId, { ...byLead.get(r.leadId), ...r });
                // Each answer merged into its lead's attributes, the whole batch in one statement.
                const ids = [...byLead.keys()];
                const patches = ids.map((id) => {
                  const r = byLead.get(id)!;
                  return JSON.stringify({ ...(r.person ? { person: r.person } : {}), ...(r.email ? { email: r.email } : {}) });
                });
                return tx.$executeRaw`
                  UPDATE leads AS l SET attributes = l.attributes || v.patch::jsonb, updated_at = now()
                    FROM unnest(${ids}::uuid[], ${patches}::text[]) AS v(id, patch)
                   WHERE l.id = v.id`;
              }),
      };
    },
  };
}
export type LeadEnrichment = ReturnType<typeof createLeadEnrichment>;

function notNeeded(reason: string) {
  return { provider: 'list', at: new Date().toISOString(), outcome: 'not_needed' as const, reason };
}
