/**
 * Provider lanes (issue 14, part 5): the calls to a rate-limited provider run as activities on a
 * task queue of their own, next to the worker's, and Temporal's matching service hands them out
 * no faster than the lane's rate (`maxTaskQueueActivitiesPerSecond`, one limit for the whole
 * cluster whatever the number of workers). A burst of thousands of due steps therefore waits in
 * the lane's queue instead of reaching the provider at once; the other lanes, and the workflows'
 * own database work on the main queue, are not held up behind it.
 *
 * The default rates are sized from what each provider publishes (docs/operations.md "Provider
 * lanes" gives the reasoning); each one is configurable (config/worker.ts).
 */
import { channelOf, type StepKind } from './step-kinds.js';

export const PROVIDER_LANES = ['email', 'sms', 'voice', 'linkedin', 'crm'] as const;
export type ProviderLane = (typeof PROVIDER_LANES)[number];

/** Activities per second each lane is handed out at by default (see the reasons below). */
export const DEFAULT_LANE_RATES: Readonly<Record<ProviderLane, number>> = Object.freeze({
  // SMTP submission to the mailboxes' own hosts (Infraforge): no published rate; every mailbox is
  // also held to its daily warmup cap. 10 a second keeps a burst from looking like a flood.
  email: 10,
  // Twilio limits an account's concurrent REST requests (HTTP 429, error 20429) without a number;
  // a send is one short request, so 10 a second stays far below any account's concurrency.
  sms: 10,
  // Vapi caps concurrent calls (campaigns default to 10): at most 10 call starts a minute keeps a
  // burst of due calls inside that cap for calls of a minute or more.
  voice: 10 / 60,
  // Unipile publishes no API rate; LinkedIn's limits are per seat and per day (the caps); spacing
  // the calls to one a second keeps the seats' activity human-looking.
  linkedin: 1,
  // HubSpot: 100 requests per 10 s per private app, CRM search about 4 a second; one sync is a
  // search and two or three writes, so 1 sync a second stays inside both.
  crm: 1,
});

/** The lane a step's send runs on: its channel's provider (the message after a LinkedIn acceptance included). */
export function laneOfStep(kind: StepKind | 'linkedin_message'): ProviderLane {
  return channelOf(kind);
}

/** The task queue of `lane` beside the worker's own `taskQueue` (the same name, a dot, the lane). */
export function laneTaskQueue(taskQueue: string, lane: ProviderLane): string {
  return `${taskQueue}.${lane}`;
}
