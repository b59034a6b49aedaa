/**
 * Every activity the worker registers, built from its dependencies (DESIGN.md convention 3):
 * the services, the provider ports, and the settings that come from configuration. All required:
 * the composition root (app/composition.ts) builds them once.
 */
import { createTemplateContentEngine } from '../providers/content/template-engine.js';
import type { ProviderSet } from '../providers/ports.js';
import type { Services } from '../services/index.js';
import { createContent } from '../services/content.js';
import { createAlertActivities } from './alerts.js';
import { createCampaignControlActivities } from './campaign-control.js';
import { createConversationActivities } from './conversation/index.js';
import { createCrmSyncActivities } from './crm-sync.js';
import { createKnowledgeBaseActivities } from './knowledge-base.js';
import { createHealthActivities } from './health.js';
import { createLeadSequenceActivities, type LeadSequenceSettings } from './lead-sequence/index.js';
import { createMailboxReadingActivities } from './mailbox-reading.js';
import { createOutreachPrepActivities } from './outreach-prep.js';
import { createRecordingRetentionActivities } from './recording-retention.js';
import { createEnrichmentActivities } from './onboarding/enrichment.js';
import { createOnboardingActivities } from './onboarding/intake.js';
import { createSignalActivities } from './onboarding/signals.js';
import { createStartSequenceActivities } from './onboarding/start-sequences.js';
import { createPoolActivities, type PoolSettings } from './pool/index.js';
import { createProvisioningActivities } from './provisioning.js';
import { createWorkflowStartActivities } from './workflow-starts.js';

export interface ActivitySettings extends LeadSequenceSettings {
  pool: PoolSettings;
}

export interface ActivityDeps {
  services: Services;
  providers: ProviderSet;
  settings: ActivitySettings;
}

export function createActivities({ services, providers, settings }: ActivityDeps) {
  const { pool } = providers;
  // Every text (touches and answers) is checked before it goes; one the engine gets wrong falls back to the templates.
  const content = createContent({ engine: providers.content, fallback: createTemplateContentEngine() });
  return {
    ...createOnboardingActivities({ services, providers }),
    ...createEnrichmentActivities({ services, providers }),
    ...createSignalActivities({ services, providers }),
    ...createStartSequenceActivities({ services }),
    ...createCampaignControlActivities({ services }),
    ...createLeadSequenceActivities({ services, providers, settings, content }),
    ...createConversationActivities({ services, providers, settings, content }),
    ...createPoolActivities({ services, pool, poolSettings: settings.pool }),
    ...createProvisioningActivities({ services, seats: pool.seats }),
    ...createHealthActivities({ services, seats: pool.seats, registrar: pool.registrar, warmup: pool.warmup }),
    ...createCrmSyncActivities({ services, crm: providers.crm }),
    ...createKnowledgeBaseActivities({ services, knowledgeBase: providers.voiceKnowledgeBase }),
    ...createMailboxReadingActivities({ services, mailboxReader: providers.mailboxReader }),
    ...createOutreachPrepActivities({ services, dncr: providers.dncr }),
    ...createRecordingRetentionActivities({ services, voice: providers.voice, recordings: providers.recordings }),
    ...createAlertActivities({ alerts: services.alerts }),
    ...createWorkflowStartActivities({ gateway: services.gateway }),
  };
}
export type Activities = ReturnType<typeof createActivities>;
export { createActivityInterceptors } from './failures.js';
