/**
 * Onboarding after intake (SYS-001): enrichment (recipient zone, ED-002) and scoring (SYS-002),
 * and the DNCR batch wash of Australian numbers (SM-002); the start of each lead's sequence is
 * start-sequences.ts.
 * Each works on a range of source rows and is idempotent.
 */
import { Context } from '@temporalio/activity';
import { dncrApplies, needsWash } from '../../domain/dncr.js';
import type { DncrRegister } from '../../providers/ports.js';
import type { Services } from '../../services/index.js';
import type { LeadBatchInput } from './types.js';

export interface EnrichmentDeps {
  services: Services;
  providers: { dncr: DncrRegister };
}

export function createEnrichmentActivities({ services, providers }: EnrichmentDeps) {
  const { leads, domainConfig } = services;
  return {
    /** ED-002 and SYS-002: the recipient's zone, then the score, tier and reasons (signals counted as of now). */
    enrichAndScoreBatch: (input: LeadBatchInput): Promise<{ enriched: number; byTier: Record<string, number> }> =>
      leads.onboarding.forTenant(input.clientId).enrichAndScore(input, new Date()),

    /** SM-002: washes the batch's Australian numbers that have no fresh wash. Fails closed: an unanswered wash leaves them unwashed. */
    async washBatch(input: LeadBatchInput): Promise<{ washed: number; failed: number }> {
      const now = Date.now();
      const batch = leads.onboarding.forTenant(input.clientId);
      const due = (await batch.phones(input)).filter(
        (l) => dncrApplies(l.phoneE164, 'voice', domainConfig) && needsWash(l.dncrWashedAt, now),
      );
      if (!due.length) return { washed: 0, failed: 0 };
      let results: Map<string, string>;
      try {
        results = await providers.dncr.wash(
          [...new Set(due.map((l) => l.phoneE164!))],
          `${input.campaignId}:${input.fromRow}-${input.toRow}`,
        );
      } catch (err) {
        Context.current().log.warn('DNCR register did not answer; numbers stay unwashed (no call or SMS until washed)', {
          error: String(err),
        });
        return { washed: 0, failed: due.length };
      }
      const answered = due.flatMap((l) => {
        const result = results.get(l.phoneE164!);
        return result ? [{ leadId: l.id, result }] : [];
      });
      const washed = await batch.saveWashes(answered, new Date(now));
      return { washed, failed: due.length - washed };
    },
  };
}
