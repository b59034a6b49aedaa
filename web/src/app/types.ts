/** The shapes the client API answers (api/routes/*), as the dashboard reads them. */
export interface Campaign {
  id: string;
  name: string;
  status: string;
  leadTotal: number;
  createdAt: string;
  progress?: Record<string, unknown> & { stage: string; total: number; imported?: number };
  warnings?: { row: number; line?: number; field: string; message: string }[];
}

export interface StepProgress {
  step: number;
  day: number;
  kind: string;
  channel: string;
  status: string;
  plannedAt?: string;
  doneAt?: string;
  skipReason?: string;
  outcome?: string;
  attempts: number;
}

export interface LeadProgress {
  startedAt?: string;
  state: string;
  tier?: string;
  zone?: string;
  stopReason?: string;
  replyHold?: { reason: string; until?: string };
  steps: StepProgress[];
  next?: { step: number; kind: string; plannedAt: string };
}

export interface Touch {
  step: number;
  channel: string;
  status: string;
  plannedAt: string | null;
  sentAt: string | null;
  provider: string | null;
  providerRef: string | null;
  evidence: unknown;
}

export interface Lead {
  id: string;
  campaignId: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  title: string | null;
  company: string | null;
  phone: { given: string | null; e164: string | null; issue: { code: string; message: string } | null };
  linkedinUrl: string | null;
  timezone: string | null;
  timezoneSource: string | null;
  score: number | null;
  tier: string | null;
  scoreReasons: { part: string; code: string; points: number }[] | null;
  dncr: { result: string | null; washedAt: string | null };
  status: string;
  optedOutAt: string | null;
  repliedAt: string | null;
  sequence: LeadProgress | null;
  /** It has a sequence, but Temporal did not answer in time: ask again. */
  sequenceUnavailable: boolean;
  touches: Touch[];
}

export interface LeadRow {
  id: string;
  campaignId: string;
  campaignName?: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  title?: string | null;
  tier: string | null;
  score: number | null;
  status: string;
  timezone: string | null;
  repliedAt?: string | null;
}

export interface Message {
  id: string;
  direction: string;
  channel: string;
  kind: string;
  subject: string | null;
  text: string;
  intent: string | null;
  status: string;
  reason: string | null;
  at: string;
}

export interface Conversation {
  id: string;
  leadId: string;
  campaignId: string;
  state: string;
  lastIntent: string | null;
  lastChannel: string | null;
  lastMessageAt: string | null;
  handledAt: string | null;
  lead?: { id: string; firstName: string | null; lastName: string | null; email: string | null; company: string | null };
  lastMessage?: Message | null;
  messages?: Message[];
}

export const TIERS = ['Hot', 'Warm', 'Cool', 'Cold', 'Dead', 'unscored'];
export const CHANNELS = ['email', 'sms', 'voice', 'linkedin'] as const;
