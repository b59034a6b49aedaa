/**
 * The contract between the API and the workflows: ids, task queues, input types, signals and
 * queries. The one workflows/ file that api/ imports. Inputs are versioned objects; evolve them
 * by adding a version, never by changing the meaning of a field.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { BillingEventType } from '../domain/billing.js';
import type { BillingTier } from '../domain/config.js';

export const DEFAULT_TASK_QUEUE = 'agency-os';

export const workflowIds = {
  onboarding: (campaignId: string) => `onboarding:${campaignId}`,
  lead: (leadId: string) => `lead:${leadId}`,
  warmup: (domainId: string) => `warmup:${domainId}`,
  provisioning: (clientId: string) => `provisioning:${clientId}`,
  churnHold: (clientId: string) => `churn-hold:${clientId}`,
} as const;

// ---- Onboarding (SYS-001) ----------------------------------------------------------------

export interface OnboardingInputV1 {
  version: 1;
  clientId: string;
  campaignId: string;
  /** Number of staged rows (1..leadTotal) to import. */
  leadTotal: number;
  /** Country used to read phone numbers written without a country prefix. */
  defaultCountry: string;
  /** Rows per import activity. */
  batchSize: number;
  /** Set by continueAsNew: where the previous run stopped. */
  resume?: { nextRow: number; progress: OnboardingProgress };
  /** Source the leads from a sourcing API first (instead of an uploaded list). */
  source?: { type: 'apollo'; limit: number };
}
export type OnboardingInput = OnboardingInputV1;

export type OnboardingStage =
  'queued' | 'sourcing' | 'importing' | 'imported' | 'enriching' | 'washing' | 'scoring' | 'starting_sequences' | 'running' | 'failed';

export interface OnboardingProgress {
  stage: OnboardingStage;
  total: number;
  imported: number;
  /** Leads stored without a usable phone because the number given could not be read. */
  invalidPhones: number;
  batchesDone: number;
  /** People found by the sourcing API, and those skipped as unusable (no contact, bad data). */
  sourced?: number;
  sourceSkipped?: number;
  /** Leads with a recipient time zone (ED-002). */
  enriched?: number;
  /** Australian numbers washed against the DNCR (SM-002), and those the register could not answer. */
  washed?: number;
  washFailed?: number;
  /** Leads scored, by tier (SYS-002). */
  scoredByTier?: Record<string, number>;
  /** Lead sequences started (every lead that is not Dead). */
  sequencesStarted?: number;
  startedAt: string;
  updatedAt: string;
  error?: string;
}

export const onboardingProgressQuery = defineQuery<OnboardingProgress>('onboardingProgress');

export interface ImportLeadBatchInput {
  version: 1;
  clientId: string;
  campaignId: string;
  fromRow: number;
  toRow: number;
  defaultCountry: string;
}

export interface ImportLeadBatchResult {
  rowsRead: number;
  /** Rows newly inserted by this call (0 when a retry finds them already stored). */
  inserted: number;
  invalidPhones: number;
  /** Leads of the campaign in Postgres after this batch: the authoritative count. */
  importedTotal: number;
}

export interface SetCampaignStatusInput {
  version: 1;
  clientId: string;
  campaignId: string;
  status: 'importing' | 'imported' | 'running' | 'failed';
  error?: string;
}

// ---- Lead sequence (AD-001..004, ED-003, ED-006, SM-001, SM-004, VO-001..006, LI-002..005) ---

export type StepKindName = 'email' | 'email_followup' | 'voice' | 'linkedin_connect' | 'sms';
export type ChannelName = 'email' | 'sms' | 'voice' | 'linkedin';

export interface LeadSequenceInputV1 {
  version: 1;
  clientId: string;
  campaignId: string;
  leadId: string;
  /** Day 0 of the sequence (ISO); default: when the workflow starts. */
  startAt?: string;
}
export type LeadSequenceInput = LeadSequenceInputV1;

export type StepStatus = 'planned' | 'waiting' | 'sending' | 'sent' | 'skipped' | 'failed' | 'cancelled';

export interface StepProgress {
  step: number;
  day: number;
  kind: StepKindName;
  channel: ChannelName;
  status: StepStatus;
  /** When the step is (or was) due to run: the next open window in the recipient's zone. */
  plannedAt?: string;
  doneAt?: string;
  skipReason?: string;
  /** Provider outcome: message id, call outcome, invitation state... */
  outcome?: string;
  attempts: number;
}

export interface LeadProgress {
  leadId: string;
  /** Day 0 of the sequence: each step is due at startedAt + day, then in its next window. */
  startedAt?: string;
  tier?: string;
  zone?: string;
  state: 'starting' | 'running' | 'paused' | 'stopped' | 'completed';
  stopReason?: 'replied' | 'opted_out' | 'meeting_booked';
  steps: StepProgress[];
  linkedin?: {
    state: 'pending' | 'accepted' | 'ignored' | 'withdrawn';
    sentAt: string;
    acceptedAt?: string;
    messageAt?: string;
    messagedAt?: string;
  };
  next?: { step: number; kind: StepKindName; plannedAt: string };
}

export interface LeadEventBase {
  /** Provider event id (the webhook's), for de-duplication inside the workflow. */
  eventId: string;
  at: string;
}
export interface ReplyReceived extends LeadEventBase {
  channel: ChannelName;
  text?: string;
}
export interface OptedOut extends LeadEventBase {
  channel: ChannelName;
  reason: string;
}
export interface Bounced extends LeadEventBase {
  hard: boolean;
}
export interface CallEnded extends LeadEventBase {
  callId: string;
  outcome: 'answered' | 'voicemail' | 'busy' | 'no_answer' | 'failed';
  endedReason: string;
  providerCallSid?: string;
  durationSeconds?: number;
  summary?: string;
  transcript?: string;
  recordingUrl?: string;
}

export const replyReceivedSignal = defineSignal<[ReplyReceived]>('replyReceived');
export const optedOutSignal = defineSignal<[OptedOut]>('optedOut');
export const bouncedSignal = defineSignal<[Bounced]>('bounced');
export const linkedinAcceptedSignal = defineSignal<[LeadEventBase]>('linkedinAccepted');
export const callEndedSignal = defineSignal<[CallEnded]>('callEnded');
export const meetingBookedSignal = defineSignal<[LeadEventBase]>('meetingBooked');
export const pauseSignal = defineSignal<[{ reason: string }]>('pause');
export const resumeSignal = defineSignal<[]>('resume');
export const leadProgressQuery = defineQuery<LeadProgress>('leadProgress');

export interface LeadBatchInput {
  version: 1;
  clientId: string;
  campaignId: string;
  fromRow: number;
  toRow: number;
}

// ---- Resource pool, billing and client lifecycle (RP-001..010, SYS-005, ED-001, LI-001, LI-006) --

export const SCHEDULE_IDS = { poolMonitor: 'pool-monitor', healthMonitor: 'health-monitor' } as const;

export type PoolResourceType = 'domain' | 'mailbox' | 'phone_number' | 'linkedin_seat';
export type PoolCounts = Record<'domains' | 'mailboxes' | 'phoneNumbers' | 'linkedinSeats', number>;
export type BillingTierName = BillingTier;

/** A Stripe event as provisioning sees it (the webhook resolves the client and the tier). */
export interface BillingEventSignal {
  eventId: string;
  type: BillingEventType;
  /** Stripe event created (ISO). */
  created: string;
  customerId?: string;
  subscriptionId?: string;
  priceId?: string;
  tier?: BillingTierName | null;
  status?: string;
  paid?: boolean;
  currentPeriodEnd?: string;
  cancelAtPeriodEnd?: boolean;
}

export interface ProvisioningInputV1 {
  version: 1;
  clientId: string;
  /** Carried through continueAsNew. */
  resume?: { purchaseRound?: string; eventsApplied: number };
}
export type ProvisioningInput = ProvisioningInputV1;

export interface ProvisioningProgress {
  clientId: string;
  state: 'applying' | 'allocating' | 'purchasing' | 'waiting_for_pool' | 'downgrade_scheduled' | 'churned' | 'idle';
  heldTier: BillingTierName | null;
  entitledTier: BillingTierName | null;
  eventsApplied: number;
  missing?: PoolCounts;
  downgrade?: { tier: BillingTierName; at: string };
  lastAction?: string;
}

export const billingEventSignal = defineSignal<[BillingEventSignal]>('billingEvent');
/** Something changed in the client's resources (a domain retired, a purchase became ready): re-check the allocation. */
export const resourcesChangedSignal = defineSignal<[{ reason: string }]>('resourcesChanged');
export const provisioningProgressQuery = defineQuery<ProvisioningProgress>('provisioningProgress');

export interface ChurnHoldInputV1 {
  version: 1;
  clientId: string;
  /** When the subscription was cancelled (ISO): resources are released 30 days later. */
  cancelledAt: string;
}
export type ChurnHoldInput = ChurnHoldInputV1;

export interface ChurnHoldProgress {
  clientId: string;
  state: 'pausing' | 'holding' | 'releasing' | 'released' | 'reactivated';
  cancelledAt: string;
  releaseAt: string;
  sequencesPaused?: number;
  sequencesResumed?: number;
  released?: PoolCounts;
}
export const reactivateSignal = defineSignal<[{ at: string; reason: string }]>('reactivate');
export const churnHoldProgressQuery = defineQuery<ChurnHoldProgress>('churnHoldProgress');

export interface WarmupInputV1 {
  version: 1;
  domainId: string;
  /** Carried through continueAsNew: the days logged so far (the last 30 are kept). */
  log?: WarmupDay[];
}
export type WarmupInput = WarmupInputV1;

export interface WarmupDay {
  /** Domain age in days (purchase day = 1). */
  day: number;
  /** Per-mailbox daily limit applied that day. */
  limit: number;
  heatScore: number | null;
  at: string;
}
export interface WarmupProgress {
  domainId: string;
  state: 'warming' | 'ready' | 'stopped';
  days: WarmupDay[];
}
export const warmupProgressQuery = defineQuery<WarmupProgress>('warmupProgress');

export interface PoolMonitorInputV1 {
  version: 1;
}
export interface PoolMonitorResult {
  levels: Record<keyof PoolCounts, 'ok' | 'warning' | 'critical'>;
  bought: PoolCounts;
  warmupsStarted: string[];
}

export interface HealthMonitorInputV1 {
  version: 1;
}
export interface HealthMonitorResult {
  domainsChecked: number;
  byClass: Record<'good' | 'warning' | 'critical', number>;
  retired: string[];
  seatsChecked: number;
  seatsPaused: number;
  seatsThrottled: number;
}
