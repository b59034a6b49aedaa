/**
 * Onboarding's signal enrichment (SYS-002): for a batch of leads, the facts the score needs that
 * the list left out, from the person-data provider (Apollo people match, when configured) and the
 * email verifier (ZeroBounce, or the sandbox one). Idempotent: a lead with an answer recorded is
 * not asked again, and answers are stored as they come, so a retry resumes where it stopped.
 *
 * Failures: a transient one (429 with Retry-After, 5xx, network) is thrown after saving what was
 * answered, so Temporal retries the batch after the provider's delay. A refusal (ProviderError,
 * not retryable) never fails onboarding: the lead (or, for a refused key or exhausted credits,
 * every lead left) is recorded 'refused' with the reason and scored without those facts, and a
 * refused key raises an alert. When retries run out, the workflow records 'unavailable'.
 */
import { Context } from '@temporalio/activity';
import type { PersonEnrichment, EmailEnrichment } from '../../domain/lead-signals.js';
import { ProviderError, type EmailVerifier, type PersonEnricher } from '../../providers/ports.js';
import type { EnrichmentResult, LeadToEnrich } from '../../services/leads/enrichment.js';
import type { Services } from '../../services/index.js';
import type { LeadBatchInput } from './types.js';

export interface SignalDeps {
  services: Services;
  providers: { personEnricher?: PersonEnricher; emailVerifier: EmailVerifier };
}

export interface SignalBatchResult {
  /** Leads whose person data or email got an answer, by outcome ('matched', 'no_match', 'checked', 'refused', ...). */
  person: Record<string, number>;
  email: Record<string, number>;
}

/** A refusal that every further call would get too: a refused key, no credits left. */
const refusesEveryone = (err: ProviderError) => err.code === 'auth_failed' || err.status === 402;

const reasonOf = (err: ProviderError) => `${err.provider} ${err.code}: ${err.message}`.slice(0, 500);

function count(into: Record<string, number>, outcome: string, n = 1) {
  into[outcome] = (into[outcome] ?? 0) + n;
}

export function createSignalActivities({ services, providers }: SignalDeps) {
  const { leads, alerts } = services;

  async function alertRefusal(clientId: string, err: ProviderError): Promise<void> {
    await alerts.system.raise({
      kind: 'enrichment_refused',
      severity: 'warning',
      dedupeKey: `enrichment_refused:${err.provider}:${err.code}`,
      clientId,
      message: `${err.provider} refuses enrichment (${err.code}): leads are scored without its facts until it is fixed. ${err.message}`,
      data: { provider: err.provider, code: err.code },
    });
  }

  return {
    /** SYS-002: the batch's missing signals from the providers (see the header). */
    async enrichSignalsBatch(input: LeadBatchInput): Promise<SignalBatchResult> {
      const store = leads.enrichment.forTenant(input.clientId);
      const due = await store.due(input);
      const result: SignalBatchResult = { person: {}, email: {} };
      await store.save(due.complete);
      for (const c of due.complete) {
        if (c.person) count(result.person, c.person.outcome);
        if (c.email) count(result.email, c.email.outcome);
      }
      const pending: EnrichmentResult[] = [];
      const record = (r: EnrichmentResult) => {
        pending.push(r);
        if (r.person) count(result.person, r.person.outcome);
        if (r.email) count(result.email, r.email.outcome);
      };
      const flush = async () => {
        await store.save(pending.splice(0));
      };
      try {
        await enrichPeople(due.person, record, input.clientId, flush);
        await verifyEmails(due.email, record, input.clientId);
      } finally {
        await flush();
      }
      return result;
    },

    /** When the batch's enrichment could not finish (retries exhausted): the leads left are recorded 'unavailable'. */
    async recordSignalsUnavailable(input: LeadBatchInput & { reason: string }): Promise<{ person: number; email: number }> {
      const store = leads.enrichment.forTenant(input.clientId);
      const due = await store.due(input);
      const at = new Date().toISOString();
      const gone = (provider: string) => ({ provider, at, outcome: 'unavailable' as const, reason: input.reason.slice(0, 500) });
      const results: EnrichmentResult[] = [
        ...due.complete,
        ...due.person.map((l) => ({ leadId: l.id, person: gone(providers.personEnricher?.name ?? 'none') })),
        ...due.email.map((l) => ({ leadId: l.id, email: gone(providers.emailVerifier.name) })),
      ];
      await store.save(results);
      return { person: due.person.length, email: due.email.length };
    },
  };

  async function enrichPeople(list: LeadToEnrich[], record: (r: EnrichmentResult) => void, clientId: string, flush: () => Promise<void>) {
    const enricher = providers.personEnricher;
    const at = () => new Date().toISOString();
    if (!enricher) {
      for (const l of list)
        record({
          leadId: l.id,
          person: { provider: 'none', at: at(), outcome: 'not_configured', reason: 'no person-data provider (APOLLO_API_KEY)' },
        });
      return;
    }
    for (let i = 0; i < list.length; i++) {
      const lead = list[i]!;
      let person: PersonEnrichment;
      try {
        const m = await enricher.match({
          ...(lead.email ? { email: lead.email } : {}),
          ...(lead.firstName ? { firstName: lead.firstName } : {}),
          ...(lead.lastName ? { lastName: lead.lastName } : {}),
          ...(lead.company ? { company: lead.company } : {}),
          ...(lead.companyDomain ? { companyDomain: lead.companyDomain } : {}),
          ...(lead.linkedinUrl ? { linkedinUrl: lead.linkedinUrl } : {}),
        });
        person = m.matched
          ? { provider: enricher.name, at: at(), outcome: 'matched', facts: m.facts }
          : { provider: enricher.name, at: at(), outcome: 'no_match' };
      } catch (err) {
        if (!(err instanceof ProviderError) || err.retryable) throw err;
        const refused = { provider: enricher.name, at: at(), outcome: 'refused' as const, reason: reasonOf(err) };
        if (!refusesEveryone(err)) {
          record({ leadId: lead.id, person: refused });
          continue;
        }
        for (const l of list.slice(i)) record({ leadId: l.id, person: refused });
        await alertRefusal(clientId, err);
        return;
      }
      record({ leadId: lead.id, person });
      if (i % 10 === 9) await flush();
      Context.current().heartbeat({ person: i + 1 });
    }
  }

  async function verifyEmails(list: LeadToEnrich[], record: (r: EnrichmentResult) => void, clientId: string) {
    const verifier = providers.emailVerifier;
    for (let i = 0; i < list.length; i += verifier.maxBatch) {
      const chunk = list.slice(i, i + verifier.maxBatch);
      const at = new Date().toISOString();
      let checks: Awaited<ReturnType<EmailVerifier['verify']>>;
      try {
        checks = await verifier.verify(chunk.map((l) => l.email!));
      } catch (err) {
        if (!(err instanceof ProviderError) || err.retryable) throw err;
        const refused: EmailEnrichment = { provider: verifier.name, at, outcome: 'refused', reason: reasonOf(err) };
        for (const l of refusesEveryone(err) ? list.slice(i) : chunk) record({ leadId: l.id, email: refused });
        if (!refusesEveryone(err)) continue;
        await alertRefusal(clientId, err);
        return;
      }
      for (const l of chunk) {
        const c = checks.get(l.email!.trim().toLowerCase()) ?? { status: 'unknown' as const, detail: 'not in the answer' };
        record({
          leadId: l.id,
          email: {
            provider: verifier.name,
            at,
            outcome: 'checked',
            status: c.status,
            ...(c.freeEmail ? { freeEmail: true } : {}),
            ...(c.detail ? { reason: c.detail } : {}),
          },
        });
      }
      Context.current().heartbeat({ email: i + chunk.length });
    }
  }
}
