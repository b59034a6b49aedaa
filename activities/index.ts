/** All activities the worker registers, built from their dependencies (DESIGN.md convention 3). */
import { createOnboardingActivities } from './onboarding.js';
import { createEnrichmentActivities } from './enrichment.js';
import { createLeadSequenceActivities, type LeadSequenceSettings } from './lead-sequence.js';
import { createPoolActivities, type PoolSettings } from './pool.js';
import { createProvisioningActivities } from './provisioning.js';
import { createHealthActivities } from './health.js';
import { createAlertActivities, type AlertService } from './alerts.js';
import { createWorkflowStartActivities, type WorkflowGateway } from './workflow-gateway.js';
import type { Db } from '../db/client.js';
import { createPoolProviders, dbSandboxRecorder, type ProviderSet } from './providers.js';
import { createAlertService } from './alerts.js';
import { createAlertNotifier } from '../providers/alerts/notifier.js';
import { loadConfig } from '../config/index.js';

export interface ActivityDeps {
  db: Db;
  providers: ProviderSet;
  settings: LeadSequenceSettings;
  /** Alerts (rows + webhook/email notification); default: rows only, no notification. */
  alerts?: AlertService;
  /** Signals and starts of other workflows (churn pausing sequences, retired domains re-provisioning). */
  gateway?: WorkflowGateway;
  poolSettings?: PoolSettings;
}

const noGateway: WorkflowGateway = {
  signal: () => Promise.reject(new Error('no Temporal client given to the activities (ActivityDeps.gateway)')),
  start: () => Promise.reject(new Error('no Temporal client given to the activities (ActivityDeps.gateway)')),
  triggerSchedule: () => Promise.reject(new Error('no Temporal client given to the activities (ActivityDeps.gateway)')),
  signalWithStart: () => Promise.reject(new Error('no Temporal client given to the activities (ActivityDeps.gateway)')),
  cancel: () => Promise.reject(new Error('no Temporal client given to the activities (ActivityDeps.gateway)')),
};

export function createActivities(deps: ActivityDeps) {
  const { db } = deps;
  const alerts = deps.alerts ?? createAlertService({ db, notifier: createAlertNotifier({ emailFrom: 'alerts@agency-os.local' }) });
  const gateway = deps.gateway ?? noGateway;
  const pool = deps.providers.pool ?? createPoolProviders(loadConfig({}), dbSandboxRecorder(db));
  const poolSettings = deps.poolSettings ?? {
    domainStem: 'outreachdesk',
    domainTld: 'com',
    numberCountry: 'AU',
    publicBaseUrl: deps.settings.publicBaseUrl,
  };
  const seats = pool.seats;
  return {
    ...createOnboardingActivities(deps),
    ...createEnrichmentActivities(deps),
    ...createLeadSequenceActivities(deps),
    ...createPoolActivities({ db, alerts, gateway, pool, poolSettings }),
    ...createProvisioningActivities({ db, alerts, gateway, seats }),
    ...createHealthActivities({ db, alerts, gateway, seats, registrar: pool.registrar, warmup: pool.warmup }),
    ...createAlertActivities({ alerts }),
    ...createWorkflowStartActivities({ gateway }),
  };
}
export type Activities = ReturnType<typeof createActivities>;
