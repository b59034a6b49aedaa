/**
 * The custom search attributes of Agency OS's workflows (SYS-009, "Temporal Web UI for ops"):
 * their names and types, defined once, and what a process carries from its start. An operator
 * finds workflows by them in the Web UI or with `temporal workflow list --query ...` (README.md,
 * "Operations: finding workflows"). Registered on every Temporal the code runs against: the dev
 * server's `--search-attribute` flags (npm start, the tests' global setup), `npm run
 * search-attributes:sync` and the worker at start for other clusters (lib/search-attributes.ts).
 *
 * Pure data: the keys have the shape of @temporalio/common's `defineSearchAttributeKey` (a name and
 * a type), so workflow code (which may import only @temporalio/workflow) and services use the same.
 */
import { WORKFLOW_TYPES } from './processes.js';

/** A lead sequence's state as operators search it (workflows/search-attributes.ts keeps it current). */
export const LEAD_STATES = ['running', 'waiting', 'paused', 'stopped', 'completed', 'failed'] as const;
export type LeadState = (typeof LEAD_STATES)[number];

const keyword = <N extends string>(name: N) => ({ name, type: 'KEYWORD' as const });
const datetime = <N extends string>(name: N) => ({ name, type: 'DATETIME' as const });

/** The keys, as `defineSearchAttributeKey(name, type)` would make them. Never rename one: queries and dashboards use them. */
export const SEARCH_ATTRIBUTE_KEYS = {
  /** Every process of a client: lead sequences, conversations, onboarding, campaign control. */
  clientId: keyword('ClientId'),
  /** Every process of a campaign: lead sequences, onboarding, campaign control (and conversations started with it). */
  campaignId: keyword('CampaignId'),
  /** A lead sequence's tier (the plan's). */
  leadTier: keyword('LeadTier'),
  /** A lead sequence's state: one of LEAD_STATES. */
  leadState: keyword('LeadState'),
  /** When a lead sequence's next step is due; cleared when none is. */
  nextStepAt: datetime('NextStepAt'),
  /** Why a lead sequence stopped (replied, opted_out, meeting_booked, campaign_stopped, ...). */
  stopReason: keyword('StopReason'),
  /** The channel of a lead sequence's next step (email, sms, voice, linkedin). */
  channel: keyword('Channel'),
} as const;

export type SearchAttributeTypeName = 'KEYWORD' | 'DATETIME';

/** Every custom search attribute with its type, in the order they are registered. */
export const SEARCH_ATTRIBUTES: readonly { name: string; type: SearchAttributeTypeName }[] = Object.values(SEARCH_ATTRIBUTE_KEYS);

/** The Temporal CLI's spelling of a type (`temporal server start-dev --search-attribute Name=Keyword`). */
export const CLI_TYPE_NAMES = { KEYWORD: 'Keyword', DATETIME: 'Datetime' } as const satisfies Record<SearchAttributeTypeName, string>;

/** What a process carries from its start: values by key (undefined ones are left out). */
export interface StartSearchAttributes {
  clientId?: string;
  campaignId?: string;
  leadTier?: string;
  leadState?: LeadState;
}

const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * The search attributes a workflow starts with, read from its input (the first argument): ClientId
 * and CampaignId of the processes that belong to a client or a campaign, and a lead sequence's tier
 * and first state. Processes without either (the pool's, a domain's) start with none.
 */
export function startSearchAttributes(workflowType: string, args: readonly unknown[]): StartSearchAttributes {
  const input = (args[0] ?? {}) as Record<string, unknown>;
  const ids = { clientId: text(input.clientId), campaignId: text(input.campaignId) };
  switch (workflowType) {
    case WORKFLOW_TYPES.lead: {
      const plan = (input.plan ?? undefined) as { tier?: unknown; stopReason?: unknown } | undefined;
      const leadState: LeadState = plan?.stopReason ? 'stopped' : input.paused ? 'paused' : 'running';
      return { ...ids, leadTier: text(plan?.tier), leadState };
    }
    case WORKFLOW_TYPES.onboarding:
    case WORKFLOW_TYPES.campaignControl:
    case WORKFLOW_TYPES.conversation:
    case WORKFLOW_TYPES.crmSync:
    case WORKFLOW_TYPES.provisioning:
    case WORKFLOW_TYPES.churnHold:
    case WORKFLOW_TYPES.knowledgeBase:
      return { clientId: ids.clientId, campaignId: ids.campaignId };
    default:
      return {};
  }
}
