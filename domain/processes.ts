/**
 * The long-running processes by name: their workflow types, their ids (business keys), the names
 * of the messages the outside world sends them, and the inputs and message payloads that lower
 * layers (services, activities) build. Pure data and types: the Temporal definitions of these
 * messages are made from the names in workflows/contracts.ts, which the API imports.
 */
import type { BillingEventType } from './billing.js';
import type { BillingTier } from './config.js';

export const DEFAULT_TASK_QUEUE = 'agency-os';

export * from './sync-processes.js';

/** Workflow function names as registered by the worker (never rename a deployed one). */
export const WORKFLOW_TYPES = {
  onboarding: 'onboardingWorkflow',
  lead: 'leadSequenceWorkflow',
  provisioning: 'provisioningWorkflow',
  churnHold: 'churnHoldWorkflow',
  warmup: 'warmupWorkflow',
  poolMonitor: 'poolMonitorWorkflow',
  healthMonitor: 'healthMonitorWorkflow',
  conversation: 'conversationWorkflow',
  crmSync: 'crmSyncWorkflow',
  mailboxReading: 'mailboxReadingWorkflow',
  campaignControl: 'campaignControlWorkflow',
  outreachPrep: 'dailyOutreachPrepWorkflow',
  outreachPrepZones: 'outreachPrepZonesWorkflow',
  recordingRetention: 'recordingRetentionWorkflow',
  knowledgeBase: 'knowledgeBaseWorkflow',
} as const;

/** Workflow ids are business keys: one onboarding per campaign, one sequence per lead, ... */
export const workflowIds = {
  onboarding: (campaignId: string) => `onboarding:${campaignId}`,
  lead: (leadId: string) => `lead:${leadId}`,
  warmup: (domainId: string) => `warmup:${domainId}`,
  provisioning: (clientId: string) => `provisioning:${clientId}`,
  churnHold: (clientId: string) => `churn-hold:${clientId}`,
  conversation: (leadId: string) => `conversation:${leadId}`,
  crmSync: (leadId: string) => `crm-sync:${leadId}`,
  campaignControl: (campaignId: string) => `campaign-control:${campaignId}`,
  knowledgeBase: (clientId: string) => `knowledge-base:${clientId}`,
} as const;

export const SCHEDULE_IDS = {
  poolMonitor: 'pool-monitor',
  healthMonitor: 'health-monitor',
  mailboxReading: 'mailbox-reading',
  recordingRetention: 'recording-retention',
  outreachPrepZones: 'outreach-prep-zones',
} as const;

/** SDK-002: one `daily-outreach-prep:<IANA zone>` Schedule per zone its clients use (lib/schedules.ts). */
export const OUTREACH_PREP_SCHEDULE_PREFIX = 'daily-outreach-prep:';
export const outreachPrepScheduleId = (zone: string) => `${OUTREACH_PREP_SCHEDULE_PREFIX}${zone}`;

export const SIGNAL_NAMES = {
  replyReceived: 'replyReceived',
  optedOut: 'optedOut',
  bounced: 'bounced',
  linkedinAccepted: 'linkedinAccepted',
  callEnded: 'callEnded',
  meetingBooked: 'meetingBooked',
  pause: 'pause',
  resume: 'resume',
  stop: 'stop',
  campaignControl: 'campaignControl',
  billingEvent: 'billingEvent',
  resourcesChanged: 'resourcesChanged',
  reactivate: 'reactivate',
  replyHandled: 'replyHandled',
  inboundMessage: 'inboundMessage',
  manualReply: 'manualReply',
  reclassify: 'reclassify',
  crmSync: 'crmSync',
  knowledgeBaseChanged: 'knowledgeBaseChanged',
} as const;

export const QUERY_NAMES = {
  onboardingProgress: 'onboardingProgress',
  leadProgress: 'leadProgress',
  provisioningProgress: 'provisioningProgress',
  churnHoldProgress: 'churnHoldProgress',
  warmupProgress: 'warmupProgress',
  conversationProgress: 'conversationProgress',
  crmSyncProgress: 'crmSyncProgress',
  campaignControlProgress: 'campaignControlProgress',
  knowledgeBaseProgress: 'knowledgeBaseProgress',
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
  /** Start paused (its campaign is paused, SYS-007): no step is sent before a resume signal. */
  paused?: PauseRequest;
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
/** Why a request ends a sequence from outside (SYS-007: its campaign was stopped). */
export type StopRequestReason = 'campaign_stopped';
/** Ends the sequence for good, like a reply or an opt-out (LeadProgress.stopReason takes the reason). */
export interface StopRequest {
  reason: StopRequestReason;
  /** Who or what asked, kept for the record (the client's reason). */
  note?: string;
}

// ---- Campaign control (SYS-007) ------------------------------------------------------------------

export type CampaignAction = 'pause' | 'resume' | 'stop';

/** A client asked to pause, resume or stop a campaign (the campaign's status is already written). */
export interface CampaignControlRequest {
  action: CampaignAction;
  reason?: string;
  /** When it was asked (ISO), for the record. */
  at: string;
}
/**
 * What the conversation decided about the lead's sequence after a reply (SYS-003): a reply holds
 * the sequence at once (replyReceived); this ends the hold: stop for good, keep holding (a human
 * or the lead answers next), hold until a time (an out-of-office's return), or release it.
 */
export interface ReplyHandled {
  eventId: string;
  decision: 'stop' | 'hold' | 'hold_until' | 'release';
  /** hold_until: when the sequence may go on (epoch ms). */
  untilMs?: number;
  /** The intent or the person that decided (kept on the lead's progress). */
  reason: string;
}

// ---- Conversations (SYS-003, ED-005, SM-003) -----------------------------------------------------

/** A message from the lead, as a webhook or the mailbox reader received it. */
export interface InboundMessage {
  /** The provider event (dedup key inside the workflow). */
  eventId: string;
  channel: ChannelName;
  /** Who carried it (twilio, email, imap, unipile, vapi) and its id there: the message is kept once per pair. */
  provider: string;
  providerMessageId: string;
  text: string;
  at: string;
  subject?: string;
  /** Message-IDs of the thread (In-Reply-To first, then References), an email's. */
  threadIds?: string[];
  /** The number or mailbox of ours it reached. */
  to?: string;
  /** Written by a machine (an auto-reply: RFC 3834 headers, "Automatic reply:"): only an out-of-office holds the sequence. */
  auto?: boolean;
}

export interface ConversationInputV1 {
  version: 1;
  clientId: string;
  leadId: string;
  /** The lead's campaign: the workflow's CampaignId search attribute (SYS-009); absent in older starts. */
  campaignId?: string;
  /** Carried through continueAsNew: messages not yet handled and the event ids already seen (the last 200). */
  carried?: {
    pending: InboundMessage[];
    seen: string[];
    manual: ManualReply[];
    reclassify: Reclassify[];
    /** The answer waiting for its time. */
    due?: { messageId: string; atMs: number };
    handled: number;
  };
}
export type ConversationInput = ConversationInputV1;

/** An answer written by a person in the inbox: sent now, on the lead's last channel unless said. */
export interface ManualReply {
  requestId: string;
  text: string;
  channel?: ChannelName;
  subject?: string;
  by: string;
}

/** A person corrects a reply's intent: the new intent's action is applied. */
export interface Reclassify {
  requestId: string;
  messageId: string;
  intent: string;
  by: string;
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
