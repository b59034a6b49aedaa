/**
 * What a client may do with a whole campaign (SYS-007, domain/campaign-control.ts): every status
 * against every action, as the table in the rule says.
 */
import { describe, expect, it } from 'vitest';
import { decideCampaignControl, type CampaignStatusView } from '../../domain/campaign-control.js';

const ONBOARDING: CampaignStatusView[] = ['draft', 'importing', 'imported', 'enriching', 'scoring'];

describe('campaign control decisions (SYS-007)', () => {
  it.each(ONBOARDING)('SYS-007: a campaign still onboarding (%s) may be paused or stopped, not resumed', (status) => {
    expect(decideCampaignControl(status, 'pause', 'active')).toEqual({ ok: true, status: 'paused' });
    expect(decideCampaignControl(status, 'stop', 'active')).toEqual({ ok: true, status: 'stopped' });
    expect(decideCampaignControl(status, 'resume', 'active')).toMatchObject({ ok: false, code: 'not_paused' });
  });

  it('SYS-007: a running or paused campaign takes every action; a repeat is accepted', () => {
    for (const status of ['running', 'paused'] as const) {
      expect(decideCampaignControl(status, 'pause', 'active')).toEqual({ ok: true, status: 'paused' });
      expect(decideCampaignControl(status, 'resume', 'active')).toEqual({ ok: true, status: 'running' });
      expect(decideCampaignControl(status, 'stop', 'active')).toEqual({ ok: true, status: 'stopped' });
    }
  });

  it('SYS-007: stop is final: only a repeated stop is accepted', () => {
    expect(decideCampaignControl('stopped', 'stop', 'active')).toEqual({ ok: true, status: 'stopped' });
    expect(decideCampaignControl('stopped', 'pause', 'active')).toMatchObject({ ok: false, code: 'campaign_stopped' });
    expect(decideCampaignControl('stopped', 'resume', 'active')).toMatchObject({ ok: false, code: 'campaign_stopped' });
  });

  it("SYS-007: a failed campaign can only be stopped; a churned client's campaign is not resumed (its churn hold holds it)", () => {
    expect(decideCampaignControl('failed', 'pause', 'active')).toMatchObject({ ok: false, code: 'campaign_failed' });
    expect(decideCampaignControl('failed', 'resume', 'active')).toMatchObject({ ok: false, code: 'campaign_failed' });
    expect(decideCampaignControl('failed', 'stop', 'active')).toEqual({ ok: true, status: 'stopped' });
    expect(decideCampaignControl('paused', 'resume', 'churned')).toMatchObject({ ok: false, code: 'client_churned' });
    expect(decideCampaignControl('running', 'pause', 'churned')).toEqual({ ok: true, status: 'paused' });
    expect(decideCampaignControl('paused', 'stop', 'churned')).toEqual({ ok: true, status: 'stopped' });
  });
});
