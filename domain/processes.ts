/**
 * The long-running processes by name: their workflow types, their ids (business keys), the names
 * of the messages the outside world sends them, and the inputs and message payloads that lower
 * layers (services, activities) build. Pure data and types: the Temporal definitions of these
 * messages are made from the names in workflows/contracts.ts, which the API imports.
 */
import type { BillingEventType } from './billing.js';
import type { BillingTier } from './config.js';

export const DEFAULT_TASK_QUEUE = 'agency-os';

/** Workflow function names as registered by the worker (never rename a deployed one). */
export const WORKFLOW_TYPES = {
  onboarding: 'onboardingWorkflow',
  lead: 'leadSequenceWorkflow',
  provisioning: 'provisioningWorkflow',
  churnHold: 'churnHoldWorkflow',
  warmup: 'warmupWorkflow',
  poolMonitor: 'poolMonitorWorkflow',
  healthMonitor: 'healthMonitorWorkflow',
} as const;

/** Workflow ids are business keys: one onboarding per campaign, one sequence per lead, ... */
export const workflowIds = {
  onboarding: (campaignId: string) => `onboarding:${campaignId}`,
  lead: (leadId: string) => `lead:${leadId}`,
  warmup: (domainId: string) => `warmup:${domainId}`,
  provisioning: (clientId: string) => `provisioning:${clientId}`,
  churnHold: (clientId: string) => `churn-hold:${clientId}`,
} as const;

export const SCHEDULE_IDS = { poolMonitor: 'pool-monitor', healthMonitor: 'health-monitor' } as const;

export const SIGNAL_NAMES = {
  replyReceived: 'replyReceived',
  optedOut: 'optedOut',
  bounced: 'bounced',
  linkedinAccepted: 'linkedinAccepted',
  callEnded: 'callEnded',
  meetingBooked: 'meetingBooked',
  pause: 'pause',
  resume: 'resume',
  billingEvent: 'billingEvent',
  resourcesChanged: 'resourcesChanged',
  reactivate: 'reactivate',
} as const;

export const QUERY_NAMES = {
  onboardingProgress: 'onboardingProgress',
  leadProgress: 'leadProgress',
  provisioningProgress: 'provisioningProgress',
  churnHoldProgress: 'churnHoldProgress',
  warmupProgress: 'warmupProgress',
} as const;

// ---- Lead sequences ---------------------------------------------------------------------------

export type StepKindName = 'email' | 'email_followup' | 'voice' | 'linkedin_connect' | 'sms';
export type ChannelName = 'email' | 'sms' | 'voice' | 'linkedin';

export interface LeadSequenceInputV1 {
  version: 1;
  clientId: string;
  campaignId: string;
  leadId: string;
  /** Day 0 of the sequence (ISO); default: when the workflow starts. */
  startAt?: string;
  /**
   * The plan, made (and the person claimed) by whoever started the sequence (the onboarding batch):
   * the workflow starts from it instead of planning itself. Absent: the workflow plans (older inputs).
   */
  plan?: LeadPlan;
  /** When the plan's first planned step is due (its next open window from day 0), made with the plan. */
  firstStepAtMs?: number;
}
export type LeadSequenceInput = LeadSequenceInputV1;

/** A planned step of a lead's sequence (AD-001, AD-003): skipped ones carry their reason. */
export interface PlannedStep {
  step: number;
  day: number;
  kind: StepKindName;
  channel: ChannelName;
  status: 'planned' | 'skipped';
  skipReason?: string;
}

/** A lead's sequence plan (domain/lead-plan.ts). */
export interface LeadPlan {
  tier: string;
  zone: string;
  steps: PlannedStep[];
  /** The sequence ends before its first step (the lead replied, opted out, booked, or its person is in another sequence). */
  stopReason?: 'opted_out' | 'replied' | 'meeting_booked' | 'person_in_another_sequence';
  /** The LinkedIn branch's waits (LI-002, LI-003). */
  linkedin: { ignoreAfterMs: number; withdrawAfterMs: number; messageAfterMs: number };
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
export interface PauseRequest {
  reason: string;
}

// ---- Client provisioning ----------------------------------------------------------------------

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

export interface ResourcesChanged {
  reason: string;
}

export type PoolResourceType = 'domain' | 'mailbox' | 'phone_number' | 'linkedin_seat';
export type PoolCounts = Record<'domains' | 'mailboxes' | 'phoneNumbers' | 'linkedinSeats', number>;
