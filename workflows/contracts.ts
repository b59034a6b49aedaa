/**
 * The contract between the API and the workflows: ids, task queues, inputs, signals and queries.
 * The one workflows/ file that api/ imports. Inputs are versioned objects; evolve them by adding a
 * version, never by changing the meaning of a field. Names, ids and the payloads that lower layers
 * build live in domain/processes.ts; this file makes the typed Temporal definitions from them.
 * What activities take and return lives beside the activities.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import {
  QUERY_NAMES,
  SIGNAL_NAMES,
  type BillingEventSignal,
  type BillingTierName,
  type Bounced,
  type CallEnded,
  type ChannelName,
  type LeadEventBase,
  type OptedOut,
  type PauseRequest,
  type StopRequest,
  type StopRequestReason,
  type CampaignAction,
  type CampaignControlRequest,
  type PoolCounts,
  type InboundMessage,
  type ManualReply,
  type Reclassify,
  type ReplyHandled,
  type ReplyReceived,
  type ResourcesChanged,
  type StepKindName,
} from '../domain/processes.js';

/** Ids, names, and the inputs and payloads built below the workflows: the API sees them here too. */
export * from '../domain/processes.js';
/** The processes that push changes to a provider (CRM sync, the voice knowledge base). */
export * from './contracts-sync.js';

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
  /** Signal enrichment per lead, by outcome: person data (matched, no_match, refused, ...) and email (checked, refused, ...). */
  signals?: { person: Record<string, number>; email: Record<string, number> };
  /** Lead sequences started (every lead that is not Dead). */
  sequencesStarted?: number;
  startedAt: string;
  updatedAt: string;
  error?: string;
}

export const onboardingProgressQuery = defineQuery<OnboardingProgress>(QUERY_NAMES.onboardingProgress);

// ---- Lead sequence (AD-001..004, ED-003, ED-006, SM-001, SM-004, VO-001..006, LI-002..005) ---

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
  /**
   * Why the sequence stopped: a reply, an opt-out, a meeting, or the person is in another sequence
   * (DOMAIN.md); or a stop request (SYS-007: its campaign was stopped).
   */
  stopReason?: 'replied' | 'opted_out' | 'meeting_booked' | 'person_in_another_sequence' | StopRequestReason;
  /** A reply holds the sequence until its conversation decides (SYS-003); `until`: an out-of-office's return. */
  replyHold?: { reason: string; until?: string };
  steps: StepProgress[];
  linkedin?: {
    state: 'pending' | 'accepted' | 'ignored' | 'withdrawn';
    sentAt: string;
    acceptedAt?: string;
    messageAt?: string;
    messagedAt?: string;
    /** Why the message after acceptance was not sent (the re-check before it: tier_not_allowed, ...). */
    messageSkipReason?: string;
    /** When the unanswered request was withdrawn at Unipile (LI-002, 30 days). */
    withdrawnAt?: string;
    /** Why Unipile could not withdraw it (a permanent refusal, alerted): it stays pending there. */
    withdrawRefused?: string;
  };
  next?: { step: number; kind: StepKindName; plannedAt: string };
}

export const replyReceivedSignal = defineSignal<[ReplyReceived]>(SIGNAL_NAMES.replyReceived);
export const optedOutSignal = defineSignal<[OptedOut]>(SIGNAL_NAMES.optedOut);
export const bouncedSignal = defineSignal<[Bounced]>(SIGNAL_NAMES.bounced);
export const linkedinAcceptedSignal = defineSignal<[LeadEventBase]>(SIGNAL_NAMES.linkedinAccepted);
export const callEndedSignal = defineSignal<[CallEnded]>(SIGNAL_NAMES.callEnded);
export const meetingBookedSignal = defineSignal<[LeadEventBase]>(SIGNAL_NAMES.meetingBooked);
export const pauseSignal = defineSignal<[PauseRequest]>(SIGNAL_NAMES.pause);
export const resumeSignal = defineSignal<[]>(SIGNAL_NAMES.resume);
/** Ends the sequence for good (SYS-007: its campaign was stopped). */
export const stopSignal = defineSignal<[StopRequest]>(SIGNAL_NAMES.stop);
export const replyHandledSignal = defineSignal<[ReplyHandled]>(SIGNAL_NAMES.replyHandled);
export const leadProgressQuery = defineQuery<LeadProgress>(QUERY_NAMES.leadProgress);

// ---- Campaign control (SYS-007) -----------------------------------------------------------------

export interface CampaignControlInputV1 {
  version: 1;
  clientId: string;
  campaignId: string;
  /** Lead sequences per page (default 200). */
  pageSize?: number;
  /** Carried through continueAsNew: the pass under way (its action and cursor) and the tallies. */
  resume?: { pass: CampaignControlPass; passes: number; requests: number };
}
export type CampaignControlInput = CampaignControlInputV1;

/** One pass over the campaign's leads with one action (the campaign's status when the pass began). */
export interface CampaignControlPass {
  action: CampaignAction;
  reason?: string;
  /** Source row of the last lead reached (the keyset cursor). */
  afterRow: number;
  pages: number;
  /** Sequences that took the signal, and those that had ended already (nothing to signal). */
  signalled: number;
  finished: number;
}

export interface CampaignControlProgress {
  campaignId: string;
  state: 'applying' | 'done';
  /** Requests received (signals), and passes begun: a request during a pass starts a new one from the first lead. */
  requests: number;
  passes: number;
  /** The pass under way, or the last one. */
  pass?: CampaignControlPass;
  last?: CampaignControlRequest;
}

/** A client asked to pause, resume or stop the campaign: the workflow applies the campaign's status to every lead. */
export const campaignControlSignal = defineSignal<[CampaignControlRequest]>(SIGNAL_NAMES.campaignControl);
export const campaignControlProgressQuery = defineQuery<CampaignControlProgress>(QUERY_NAMES.campaignControlProgress);

// ---- Resource pool, billing and client lifecycle (RP-001..010, SYS-005, ED-001, LI-001, LI-006) --

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

export const billingEventSignal = defineSignal<[BillingEventSignal]>(SIGNAL_NAMES.billingEvent);
/** Something changed in the client's resources (a domain retired, a purchase became ready): re-check the allocation. */
export const resourcesChangedSignal = defineSignal<[ResourcesChanged]>(SIGNAL_NAMES.resourcesChanged);
export const provisioningProgressQuery = defineQuery<ProvisioningProgress>(QUERY_NAMES.provisioningProgress);

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
export const reactivateSignal = defineSignal<[{ at: string; reason: string }]>(SIGNAL_NAMES.reactivate);
export const churnHoldProgressQuery = defineQuery<ChurnHoldProgress>(QUERY_NAMES.churnHoldProgress);

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
export const warmupProgressQuery = defineQuery<WarmupProgress>(QUERY_NAMES.warmupProgress);

export interface PoolMonitorInputV1 {
  version: 1;
}
export interface HealthMonitorInputV1 {
  version: 1;
  /** A run continued as new: the day's check (not repeated) and how many of its retirements are done. */
  resume?: {
    domains: { checked: number; byClass: Record<'good' | 'warning' | 'critical', number>; retire: string[] };
    retired: number;
  };
}

// ---- Conversations (SYS-003, ED-005, SM-003) ---------------------------------------------------

/** What a conversation did with each message (the last 50), for the API and the Web UI. */
export interface ConversationProgress {
  leadId: string;
  state: 'waiting' | 'handling' | 'answer_due' | 'idle';
  handled: number;
  /** The answer waiting for its time (inside business hours, 3-5 minutes after the reply). */
  answerDue?: { messageId: string; at: string };
  log: Array<{ at: string; messageId?: string; what: string; detail?: string }>;
}

export const inboundMessageSignal = defineSignal<[InboundMessage]>(SIGNAL_NAMES.inboundMessage);
export const manualReplySignal = defineSignal<[ManualReply]>(SIGNAL_NAMES.manualReply);
export const reclassifySignal = defineSignal<[Reclassify]>(SIGNAL_NAMES.reclassify);
export const conversationProgressQuery = defineQuery<ConversationProgress>(QUERY_NAMES.conversationProgress);
