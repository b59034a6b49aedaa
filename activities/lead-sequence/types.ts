/** What the lead sequence's activities take and return, and what they are built from. */
import type { SkipReason } from '../../domain/sequence.js';
import type { StepKindName } from '../../domain/processes.js';
import type { ProviderSet } from '../../providers/ports.js';
import type { Services } from '../../services/index.js';
import type { ContentWriter } from './content.js';
import type { TouchDone } from '../../services/touches/index.js';
import type { LeadContext } from '../../services/leads/sequence.js';
import type { GuardStopReason, TouchEvidence } from '../../domain/compliance.js';

/** A step's kind, or the message after an accepted LinkedIn invitation. */
export type Kind = StepKindName | 'linkedin_message';

export interface LeadSequenceSettings {
  /** Public base URL of the API (unsubscribe links, provider status callbacks). */
  publicBaseUrl: string;
  /** Signs unsubscribe links. */
  unsubscribeSecret: string;
}

export interface LeadSequenceDeps {
  services: Services;
  providers: Pick<ProviderSet, 'email' | 'sms' | 'voice' | 'recordings' | 'linkedin' | 'dncr'>;
  settings: LeadSequenceSettings;
  /** Writes each touch's text, checked (activities/lead-sequence/content.ts). */
  content: ContentWriter;
}

export interface SendStepInput {
  version: 1;
  clientId: string;
  leadId: string;
  campaignId: string;
  step: number;
  kind: Kind;
  idempotencyKey: string;
  plannedAt?: string;
  /** The workflow's clock when it scheduled the send: the instant every decision is made for. */
  nowMs?: number;
}

export type SendResult =
  | TouchDone
  | { status: 'skipped'; reason: SkipReason | string }
  | { status: 'no_capacity' | 'retry_later'; notBeforeMs: number; reason: string };

/** One channel's sender: reserve over the touch ledger (with the guard's evidence), then deliver through the provider. */
export type ChannelSender = (input: SendStepInput, ctx: LeadContext, evidence: TouchEvidence) => Promise<SendResult>;

/** runStep's input: a step's send, and the next step to plan once this one is done. */
export interface RunStepInput extends SendStepInput {
  next?: { kind: Kind; earliestMs: number; seed: string };
  /** The seed of this step's time when it has to wait (not sent now: a reschedule, no capacity). */
  againSeed?: string;
}

/** What the re-check before a step says when the step is not sent now. */
export type StepCheck =
  { action: 'skip'; reason: string } | { action: 'stop'; reason: GuardStopReason } | { action: 'reschedule'; notBeforeMs: number };

/** The re-check's refusal, or the send's result; with the next step's time (the step is done) or this step's next time (it waits). */
export type RunStepResult = ({ check: StepCheck } | { sent: SendResult }) & { nextAtMs?: number; againAtMs?: number };
