/**
 * The channels and the step kinds, and which channel each kind uses. Imports nothing, so workflow
 * code can use it without bringing the rule configuration (zod, luxon) into the workflow bundle;
 * config-blocks.ts re-exports it.
 */
export const CHANNELS = ['email', 'sms', 'voice', 'linkedin'] as const;
export type Channel = (typeof CHANNELS)[number];

export const STEP_KINDS = ['email', 'email_followup', 'voice', 'linkedin_connect', 'sms'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** Channel used by each step kind. */
export const CHANNEL_OF_KIND: Readonly<Record<StepKind, Channel>> = Object.freeze({
  email: 'email',
  email_followup: 'email',
  voice: 'voice',
  linkedin_connect: 'linkedin',
  sms: 'sms',
});

/** The channel of a step's kind, or of the message after an accepted LinkedIn invitation. */
export function channelOf(kind: StepKind | 'linkedin_message'): Channel {
  return kind === 'linkedin_message' ? 'linkedin' : CHANNEL_OF_KIND[kind];
}
