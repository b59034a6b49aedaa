/**
 * The application's services, one per aggregate, built once by the composition root over the
 * database, the alert notifier and the Temporal gateway. Each service says at the call which path
 * it takes: `forTenant(clientId)` (row-level security on: only that client's rows) or `system`
 * (the explicit system path: pool, caps, webhooks, admin). Routes and activities call these;
 * neither writes Prisma itself.
 */
import type { Db } from '../db/client.js';
import type { DomainConfig } from '../domain/config.js';
import type { AlertNotifier } from '../providers/alerts/notifier.js';
import { createAlertService } from './alerts.js';
import { createAdminClientViews } from './admin-views.js';
import { createAdminRecords } from './admin-records.js';
import { createAllocations } from './allocations.js';
import { createCampaigns } from './campaigns.js';
import { createClients } from './clients.js';
import { createClientSettings } from './client-settings.js';
import { createConversations } from './conversations.js';
import { createMeetings } from './meetings.js';
import { createKnowledgeBase } from './knowledge-base.js';
import { createLeadEvents } from './lead-events.js';
import { createLeadEnrichment } from './leads/enrichment.js';
import { createLeadLookup } from './leads/lookup.js';
import { createLeadOnboarding } from './leads/onboarding.js';
import { createReferrals } from './leads/referral.js';
import { createLeadSequences } from './leads/sequence.js';
import { createLinkedIn } from './linkedin.js';
import { createMailboxReading } from './mailbox-reading.js';
import { createOutreachPrep } from './outreach-prep.js';
import { createPeople } from './people.js';
import { createPoolCatalog } from './pool/catalog.js';
import { createPoolInventory } from './pool/inventory.js';
import { createPoolMeasure } from './pool/measure.js';
import { createPoolPurchases } from './pool/purchases.js';
import { createPoolSnapshots } from './pool/snapshots.js';
import { createRecordingRetention } from './recording-retention.js';
import { createReports } from './reports/index.js';
import { createSandboxOutbox } from './sandbox-outbox.js';
import { createSeatEvents } from './seat-events.js';
import { createSubscriptions } from './subscriptions.js';
import { createSuppression } from './suppression.js';
import { createTouches } from './touches/index.js';
import { createWebhookEvents } from './webhook-events.js';
import type { WorkflowGateway } from './workflow-gateway.js';

export interface ServiceDeps {
  db: Db;
  /** Where alerts are sent besides their row (webhook, email; none in most tests). */
  notifier: AlertNotifier;
  /** Temporal, for the services that start or signal workflows. */
  gateway: WorkflowGateway;
  /** The rule numbers of DOMAIN.md (defaultDomainConfig unless configured otherwise). */
  domainConfig: DomainConfig;
  log?: { warn(obj: object, msg: string): void };
}

export function createServices({ db, notifier, gateway, domainConfig, log }: ServiceDeps) {
  const alerts = createAlertService({ db, notifier, ...(log ? { log } : {}) });
  const allocations = createAllocations(db, domainConfig);
  const touches = createTouches(db);
  const suppression = createSuppression(db);
  const linkedin = createLinkedIn(db);
  const snapshots = createPoolSnapshots(db);
  const inventory = createPoolInventory(db, { allocations });
  const lookup = createLeadLookup(db, { touches });
  const conversations = createConversations(db);
  const meetings = createMeetings(db);
  return {
    gateway,
    /** What /readyz checks: Postgres and Temporal answer. */
    readiness: { postgres: () => db.ping(), temporal: () => gateway.ping() },
    domainConfig,
    alerts,
    allocations,
    touches,
    suppression,
    linkedin,
    people: createPeople(db),
    clients: createClients(db),
    clientSettings: createClientSettings(db, { domainConfig, alerts }),
    campaigns: createCampaigns(db),
    subscriptions: createSubscriptions(db),
    webhookEvents: createWebhookEvents(db, { alerts }),
    sandboxOutbox: createSandboxOutbox(db),
    leads: {
      sequence: createLeadSequences(db, domainConfig),
      onboarding: createLeadOnboarding(db, domainConfig),
      enrichment: createLeadEnrichment(db),
      referrals: createReferrals(db),
      lookup,
    },
    conversations,
    meetings,
    /** Our own mailboxes read over IMAP: which, their cursors, their last read (SYS-003, ED-004). */
    mailboxReading: createMailboxReading(db),
    /** The daily outreach preparation per client zone (SDK-002). */
    outreachPrep: createOutreachPrep(db, domainConfig),
    /** The clients' voice knowledge bases: uploaded files and the provider's query tool (VO-001). */
    knowledgeBase: createKnowledgeBase(db),
    /** Call recordings past their 90 days (VO-003). */
    recordingRetention: createRecordingRetention(db),
    /** The client's overview report, lead search and CSV exports (SYS-007). */
    reports: createReports(db),
    /** The admin console's views: one client in full, campaigns and leads across clients (SYS-006). */
    adminClients: createAdminClientViews(db, domainConfig),
    adminRecords: createAdminRecords(db),
    leadEvents: createLeadEvents({ leads: lookup, suppression, touches, linkedin, gateway, meetings, conversations }),
    seatEvents: createSeatEvents({ inventory, alerts }),
    pool: {
      inventory,
      snapshots,
      purchases: createPoolPurchases(db),
      buffers: createPoolMeasure(db, { allocations, config: domainConfig }),
      catalog: createPoolCatalog(db, { allocations, snapshots, config: domainConfig }),
    },
  };
}
export type Services = ReturnType<typeof createServices>;
