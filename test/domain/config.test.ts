import { describe, expect, it } from 'vitest';
import { DomainConfigError, DomainConfigSchema, defaultDomainConfig, parseDomainConfig, resolveClientConfig } from '../../domain/index.js';

describe('config: DOMAIN.md numbers are validated defaults', () => {
  it('SYS-002: scoring weights and tier thresholds', () => {
    const s = defaultDomainConfig.scoring;
    expect(s.dataQuality).toEqual({ max: 20, verifiedEmail: 8, phone: 6, linkedinUrl: 4, personalEmail: 2 });
    expect(s.authority).toEqual({
      max: 25,
      ownerFounderCeo: 25,
      cSuitePresident: 22,
      vp: 18,
      directorHead: 15,
      seniorManager: 10,
      managerLead: 7,
    });
    expect(s.companyFit).toEqual({ max: 25, industryMatch: 10, employeeCountInRange: 8, icpCountry: 7 });
    expect(s.timing).toMatchObject({
      max: 15,
      newInRole: 6,
      newInRoleUnderMonths: 6,
      companyHiring: 5,
      recentlyFunded: 4,
      fundedWithinMonths: 12,
    });
    expect(s.risk).toEqual({ bounced: 10, unsubscribed: 15, competitor: 15, badTitle: 5 });
    expect(defaultDomainConfig.tiers).toEqual({ Hot: 85, Warm: 60, Cool: 35, Cold: 20 });
  });

  it('AD-001/AD-004/LI-005: sequence and gating', () => {
    expect(defaultDomainConfig.sequence.steps).toEqual([
      { day: 0, kind: 'email' },
      { day: 3, kind: 'voice' },
      { day: 5, kind: 'linkedin_connect' },
      { day: 8, kind: 'email_followup' },
      { day: 12, kind: 'sms' },
    ]);
    expect(defaultDomainConfig.channelGating.Cool).toEqual(['email', 'linkedin']);
    expect(defaultDomainConfig.channelGating.Cold).toEqual(['email']);
    expect(defaultDomainConfig.channelGating.Dead).toEqual([]);
  });

  it('ED-001/ED-004/SM-004/VO-006/LI-004/RP-003/RP-010: the other numbers', () => {
    const c = defaultDomainConfig;
    expect(c.email.warmupRamp.map((s) => [s.fromDay, s.limit])).toEqual([
      [1, 5],
      [4, 10],
      [8, 20],
      [15, 35],
      [22, 50],
    ]);
    expect(c.email).toMatchObject({
      readyHeatScore: 85,
      warmedMailboxDailyLimit: 50,
      clientDailyCap: 200,
      replyReservePercent: 10,
      mailboxesPerDomain: 2,
    });
    expect(c.domainHealth).toMatchObject({
      windowDays: 30,
      warningBounceRate: 0.02,
      criticalBounceRate: 0.05,
      warningComplaintRate: 0.0005,
      criticalComplaintRate: 0.001,
      warningDailyLimit: 35,
      retirementAfterCriticalDays: 7,
    });
    expect(c.sms).toMatchObject({ gsm7SingleSegment: 160, ucs2SingleSegment: 70, maxSegments: 1, dailyPerNumber: 100 });
    expect(c.dncr.washValidDays).toBe(30);
    expect(c.voice).toMatchObject({
      busyRetryAfterMinutes: 120,
      busyMaxRetries: 2,
      noAnswerRetryAfterBusinessDays: 1,
      noAnswerMaxRetries: 1,
      dailyCallsPerNumber: 50,
      concurrentPerClient: 5,
      maxCallSeconds: 120,
      recordingRetentionDays: 90,
    });
    expect(c.linkedin).toMatchObject({
      weeklyCap: 80,
      weeklyWindowDays: 7,
      dailyCap: 20,
      ignoredAfterDays: 14,
      withdrawAfterDays: 30,
      messageAfterAcceptDays: 2,
    });
    expect(c.windows.linkedin.maxPerHour).toBe(8);
    expect(c.pool.tiers).toEqual({
      Ignition: { domains: 3, mailboxes: 6, phoneNumbers: 1, linkedinSeats: 4 },
      Velocity: { domains: 5, mailboxes: 10, phoneNumbers: 2, linkedinSeats: 7 },
      Dominance: { domains: 9, mailboxes: 18, phoneNumbers: 3, linkedinSeats: 14 },
    });
    expect(c.pool).toMatchObject({ bufferWarningPercent: 40, bufferCriticalPercent: 20, bufferTargetPercent: 40 });
    expect(c.churn.holdDays).toBe(30);
    expect(c.reply).toMatchObject({ answerDelayMinMinutes: 3, answerDelayMaxMinutes: 5 });
  });

  it('SYS-002: the default configuration is frozen and equals DomainConfigSchema.parse({})', () => {
    expect(Object.isFrozen(defaultDomainConfig)).toBe(true);
    expect(Object.isFrozen(defaultDomainConfig.email.warmupRamp)).toBe(true);
    expect(DomainConfigSchema.parse({})).toEqual(defaultDomainConfig);
  });

  it('SYS-002: invalid system configurations are rejected with field paths', () => {
    expect(() => parseDomainConfig({ tiers: { Hot: 50, Warm: 60 } })).toThrow(DomainConfigError);
    expect(() => parseDomainConfig({ channelGating: { Cold: ['email', 'linkedin'] } })).toThrow(/LI-005/);
    expect(() => parseDomainConfig({ windows: { voice: { start: '25:00' } } })).toThrow(/windows\.voice\.start/);
    expect(() => parseDomainConfig({ windows: { voice: { start: '17:00', end: '09:00' } } })).toThrow(/before its end/);
    expect(() => parseDomainConfig({ client: { defaultZone: 'Mars/Base' } })).toThrow(/IANA/);
    expect(() => parseDomainConfig({ email: { warmupRamp: [{ fromDay: 2, limit: 5 }] } })).toThrow(/day 1/);
    expect(() => parseDomainConfig({ emial: {} } as Record<string, unknown>)).toThrow(DomainConfigError);
    // An unknown key is named by its own path.
    expect(() => parseDomainConfig({ email: { dailyCapp: 5 } } as Record<string, unknown>)).toThrow(/email\.dailyCapp: not a setting/);
  });
});

describe('config: per-client overrides', () => {
  it('SYS-002: scoring weights, default zone, daily cap and voicemail behaviour are per client', () => {
    const c = resolveClientConfig({
      scoring: { companyFit: { industryMatch: 12 } },
      client: { defaultZone: 'Australia/Perth' },
      email: { clientDailyCap: 150 },
      voice: { voicemail: 'hang_up' },
    });
    expect(c.scoring.companyFit.industryMatch).toBe(12);
    expect(c.scoring.companyFit.employeeCountInRange).toBe(8);
    expect(c.client.defaultZone).toBe('Australia/Perth');
    expect(c.email.clientDailyCap).toBe(150);
    expect(c.email.warmedMailboxDailyLimit).toBe(50);
    expect(c.voice.voicemail).toBe('hang_up');
    expect(Object.isFrozen(c)).toBe(true);
    expect(defaultDomainConfig.scoring.companyFit.industryMatch).toBe(10);
  });

  it('AD-002: a client cannot override the sequence (no user-written sequences) or system rules', () => {
    expect(() => resolveClientConfig({ sequence: { steps: [] } } as never)).toThrow(/sequence\.steps/);
    expect(() => resolveClientConfig({ dncr: { washValidDays: 90 } } as never)).toThrow(/not overridable per client/);
    expect(() => resolveClientConfig({ windows: { email: { start: '06:00' } } } as never)).toThrow(DomainConfigError);
  });

  it('SYS-002: overrides are validated', () => {
    expect(() => resolveClientConfig({ scoring: { companyFit: { industryMatch: -1 } } })).toThrow(/scoring\.companyFit\.industryMatch/);
    expect(() => resolveClientConfig({ client: { defaultZone: 'Nowhere/Land' } })).toThrow(/IANA/);
    expect(resolveClientConfig(undefined)).toBe(defaultDomainConfig);
  });
});
