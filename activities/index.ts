/** All activities the worker registers, built from their dependencies (DESIGN.md convention 3). */
import { createOnboardingActivities } from './onboarding.js';
import { createEnrichmentActivities } from './enrichment.js';
import { createLeadSequenceActivities, type LeadSequenceSettings } from './lead-sequence.js';
import type { Db } from '../db/client.js';
import type { ProviderSet } from './providers.js';

export interface ActivityDeps {
  db: Db;
  providers: ProviderSet;
  settings: LeadSequenceSettings;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createOnboardingActivities(deps),
    ...createEnrichmentActivities(deps),
    ...createLeadSequenceActivities(deps),
  };
}
export type Activities = ReturnType<typeof createActivities>;
