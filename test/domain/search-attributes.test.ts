/**
 * SYS-009: the search attributes a process starts with, read from its input (domain/search-attributes.ts).
 */
import { describe, expect, it } from 'vitest';
import { WORKFLOW_TYPES } from '../../domain/processes.js';
import { CLI_TYPE_NAMES, SEARCH_ATTRIBUTES, startSearchAttributes } from '../../domain/search-attributes.js';

const lead = { version: 1, clientId: 'c1', campaignId: 'k1', leadId: 'l1' };
const plan = { tier: 'Warm', zone: 'Australia/Sydney', steps: [], linkedin: {} };

describe('start search attributes (SYS-009)', () => {
  it('SYS-009: the seven attributes of the issue, each once, Keyword but NextStepAt (Datetime)', () => {
    expect(SEARCH_ATTRIBUTES.map((a) => a.name)).toEqual([
      'ClientId',
      'CampaignId',
      'LeadTier',
      'LeadState',
      'NextStepAt',
      'StopReason',
      'Channel',
    ]);
    expect(SEARCH_ATTRIBUTES.filter((a) => a.type === 'DATETIME').map((a) => a.name)).toEqual(['NextStepAt']);
    expect(CLI_TYPE_NAMES).toEqual({ KEYWORD: 'Keyword', DATETIME: 'Datetime' });
  });

  it('SYS-009: a lead sequence starts with its client, campaign, tier and state (running, paused or stopped)', () => {
    expect(startSearchAttributes(WORKFLOW_TYPES.lead, [{ ...lead, plan }])).toEqual({
      clientId: 'c1',
      campaignId: 'k1',
      leadTier: 'Warm',
      leadState: 'running',
    });
    expect(startSearchAttributes(WORKFLOW_TYPES.lead, [{ ...lead, plan, paused: { reason: 'campaign_paused' } }]).leadState).toBe('paused');
    expect(startSearchAttributes(WORKFLOW_TYPES.lead, [{ ...lead, plan: { ...plan, stopReason: 'replied' } }]).leadState).toBe('stopped');
    // An input without a plan (the workflow plans itself): no tier yet.
    expect(startSearchAttributes(WORKFLOW_TYPES.lead, [lead])).toEqual({
      clientId: 'c1',
      campaignId: 'k1',
      leadTier: undefined,
      leadState: 'running',
    });
  });

  it('SYS-009: onboarding and campaign control carry client and campaign, a conversation its client, pool processes nothing', () => {
    const both = { clientId: 'c1', campaignId: 'k1' };
    expect(startSearchAttributes(WORKFLOW_TYPES.onboarding, [{ version: 1, ...both, leadTotal: 3 }])).toEqual(both);
    expect(startSearchAttributes(WORKFLOW_TYPES.campaignControl, [{ version: 1, ...both }])).toEqual(both);
    expect(startSearchAttributes(WORKFLOW_TYPES.conversation, [{ version: 1, clientId: 'c1', leadId: 'l1' }])).toEqual({
      clientId: 'c1',
      campaignId: undefined,
    });
    expect(startSearchAttributes(WORKFLOW_TYPES.warmup, [{ version: 1, domainId: 'd1' }])).toEqual({});
    expect(startSearchAttributes(WORKFLOW_TYPES.poolMonitor, [])).toEqual({});
  });
});
