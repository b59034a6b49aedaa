/**
 * onboarding:{campaignId} with the score's signals (SYS-002, AD-004) on the time-skipping test
 * server, real activities and Postgres: signal columns in the list, Apollo people match and
 * ZeroBounce against their wire-format fakes, and providers that refuse or rate-limit.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkipping } from '../helpers/time-skipping.js';
import { workflowIds, type OnboardingInput, type OnboardingProgress } from '../../workflows/contracts.js';
import { validateCsvLeads, validateJsonLeads } from '../../api/lead-list.js';
import { createTestTenant, testDb } from '../helpers/context.js';
import { createTestWorker } from '../helpers/app.js';
import { recordHistory } from '../helpers/histories.js';
import { createMemoryRecorder } from '../../providers/sandbox/index.js';
import { sandboxProviders } from '../../app/providers.js';
import { createApolloPersonEnricher } from '../../providers/apollo/people-match.js';
import { createZeroBounceVerifier } from '../../providers/zerobounce/verifier.js';
import { apolloPerson, createApolloFake } from '../fakes/apollo-fake.js';
import { createZeroBounceFake } from '../fakes/zerobounce-fake.js';
import type { LeadRow } from '../../domain/lead-row.js';
import type { ProviderSet } from '../../providers/ports.js';

const db = testDb();
const providers = sandboxProviders(createMemoryRecorder());
const apollo = createApolloFake({ apiKey: 'apollo-k' });
const zb = createZeroBounceFake({ apiKey: 'zb-k' });
let env: TestWorkflowEnvironment;
let apolloUrl: string;
let zbUrl: string;

beforeAll(async () => {
  env = await createTimeSkipping({
    server: { executable: { type: 'existing-path', path: inject('testServerPath') } },
  });
  apolloUrl = (await apollo.start()).baseUrl;
  zbUrl = (await zb.start()).baseUrl;
});
afterAll(async () => {
  await apollo.stop();
  await zb.stop();
  await env?.teardown();
  await db.close();
});

const ICP = { industries: ['Software'], countries: ['AU'], employeeMin: 10, employeeMax: 200 };

/** A campaign with these rows staged, as POST /v1/campaigns stores them. */
async function staged(rows: LeadRow[]) {
  const { client } = await createTestTenant(db);
  const campaign = await db.asTenant(client.id, async (tx) => {
    const c = await tx.campaign.create({ data: { clientId: client.id, name: 'signals', icp: ICP, leadTotal: rows.length } });
    await tx.leadImportRow.createMany({ data: rows.map((data, i) => ({ campaignId: c.id, clientId: client.id, rowNumber: i + 1, data })) });
    return c;
  });
  const input: OnboardingInput = {
    version: 1,
    clientId: client.id,
    campaignId: campaign.id,
    leadTotal: rows.length,
    defaultCountry: 'AU',
    batchSize: 3,
  };
  return { client, campaign, input };
}

/** Runs onboarding to its end; `record` keeps its history for the replay test (RECORD_HISTORIES=1). */
async function onboard(input: OnboardingInput, set: ProviderSet = providers, record?: string): Promise<OnboardingProgress> {
  const taskQueue = `wf-${randomUUID()}`;
  const w = await createTestWorker({ env, taskQueue, db, providers: set });
  return w.runUntil(async () => {
    const handle = await env.client.workflow.start('onboardingWorkflow', {
      taskQueue,
      workflowId: workflowIds.onboarding(input.campaignId),
      args: [input],
    });
    const done = (await handle.result()) as OnboardingProgress;
    if (record) await recordHistory(record, handle);
    return done;
  });
}

const leadsOf = (campaignId: string) => db.system.lead.findMany({ where: { campaignId }, orderBy: { sourceRow: 'asc' } });

describe('onboarding: the score signals (SYS-002, AD-004)', () => {
  it('SYS-002 AD-004: a list with the signal columns produces Hot, Warm, Cool, Cold and Dead leads, each as DOMAIN.md scores it', async () => {
    const csv = [
      'email,email_verified,personal_email,title,industry,employee_count,country,phone,linkedin_url,months_in_role,company_hiring,months_since_funding,competitor',
      // 20 (8+6+4+2) + 25 + 25 + 15 (6+5+4) = 85
      'hot@acme.com,yes,hot@gmail.com,Founder,Software,40,AU,0412 345 671,https://www.linkedin.com/in/hot,2,yes,6,',
      // 18 (8+6+4) + 15 + 25 + 4 = 62
      'warm@acme.com,yes,,Director of Sales,Software,40,AU,0412 345 672,https://www.linkedin.com/in/warm,,,11,',
      // 14 (8+6) + 7 + 7 + 5 + 6 = 39
      'cool@acme.com,true,,Marketing Manager,Retail,5000,AU,0412 345 673,,3,1,,',
      // 6 + 10 + 7 + 5 = 28 (the email is not verified)
      'cold@acme.com,no,,Senior Manager,Retail,5000,AU,0412 345 674,,,y,,',
      // 8 + 0 + 7 - 15 = 0 (a competitor)
      'dead@acme.com,yes,,Account Executive,Retail,5000,AU,,,,,,yes',
    ].join('\n');
    const list = validateCsvLeads(csv, 100);
    if (!list.ok) throw new Error(list.message);
    const { campaign, input } = await staged(list.rows);
    const done = await onboard(input, providers, 'onboarding-signal-tiers');
    expect(done).toMatchObject({
      stage: 'running',
      imported: 5,
      scoredByTier: { Hot: 1, Warm: 1, Cool: 1, Cold: 1, Dead: 1 },
      sequencesStarted: 4,
    });
    const leads = await leadsOf(campaign.id);
    expect(leads.map((l) => [l.email, l.score, l.tier])).toEqual([
      ['hot@acme.com', 85, 'Hot'],
      ['warm@acme.com', 62, 'Warm'],
      ['cool@acme.com', 39, 'Cool'],
      ['cold@acme.com', 28, 'Cold'],
      ['dead@acme.com', 0, 'Dead'],
    ]);
    expect((leads[0]!.scoreReasons as { code: string }[]).map((r) => r.code)).toEqual(
      expect.arrayContaining(['verified_email', 'personal_email', 'new_in_role', 'company_hiring', 'recently_funded']),
    );
    // Without a configured person-data provider, the reason is recorded; the list's own answer needs no verifier.
    expect(leads[1]!.attributes).toMatchObject({
      list: { emailVerified: true },
      person: { outcome: 'not_configured' },
      email: { outcome: 'not_needed' },
    });
    expect(done.signals).toMatchObject({ person: { not_configured: 4, not_needed: 1 }, email: { not_needed: 5 } });
  });

  it('SYS-002: without signal columns, Apollo people match and ZeroBounce fill them: the best lead reaches Hot', async () => {
    const monthsAgo = (n: number) => new Date(Date.now() - n * 30.5 * 86_400_000).toISOString().slice(0, 10);
    apollo.setPeople([
      apolloPerson({
        id: 'p-ann',
        email: 'ann@acme.io',
        organization_id: 'o1',
        employment_history: [{ current: true, start_date: monthsAgo(2), organization_id: 'o1' }],
        organization: {
          id: 'o1',
          latest_funding_round_date: `${monthsAgo(4)}T00:00:00.000+00:00`,
          organization_headcount_six_month_growth: 0.2,
        },
      }),
      apolloPerson({ id: 'p-bo', email: 'bo@acme.io', organization: { id: 'o2', organization_headcount_six_month_growth: -0.1 } }),
    ]);
    zb.setStatus('bo@acme.io', 'invalid', 'mailbox_not_found');
    const rows = validateJsonLeads(
      [
        {
          email: 'ann@acme.io',
          personal_email: 'ann@gmail.com',
          title: 'CEO',
          industry: 'Software',
          employee_count: 50,
          country: 'AU',
          phone: '0412 345 681',
          linkedin_url: 'https://www.linkedin.com/in/ann',
        },
        { email: 'bo@acme.io', title: 'VP Sales', industry: 'Software', employee_count: 50, country: 'AU', phone: '0412 345 682' },
        { email: 'cy@acme.io', title: 'Head of Growth', industry: 'Software', employee_count: 50, country: 'AU' },
      ],
      100,
    );
    if (!rows.ok) throw new Error(rows.message);
    const { campaign, input } = await staged(rows.rows);
    const before = apollo.matchBodies.length;
    const done = await onboard(input, {
      ...providers,
      personEnricher: createApolloPersonEnricher({ apiKey: 'apollo-k', baseUrl: apolloUrl }),
      emailVerifier: createZeroBounceVerifier({ apiKey: 'zb-k', baseUrl: zbUrl }),
    });
    const leads = await leadsOf(campaign.id);
    // ann: 20 + 25 + 25 + 15 = 85; bo: 6 + 18 + 25 = 49 (invalid email, shrinking, no funding); cy: 8 + 15 + 25 = 48 (no match)
    expect(leads.map((l) => [l.email, l.score, l.tier])).toEqual([
      ['ann@acme.io', 85, 'Hot'],
      ['bo@acme.io', 49, 'Cool'],
      ['cy@acme.io', 48, 'Cool'],
    ]);
    expect(leads[0]!.attributes).toMatchObject({
      person: {
        provider: 'apollo',
        outcome: 'matched',
        facts: { roleStartedOn: monthsAgo(2), fundedOn: monthsAgo(4), companyHiring: true },
      },
      email: { provider: 'zerobounce', outcome: 'checked', status: 'valid' },
    });
    expect(leads[1]!.attributes).toMatchObject({
      email: { status: 'invalid', reason: 'invalid: mailbox_not_found' },
      person: { facts: { companyHiring: false } },
    });
    expect(leads[2]!.attributes).toMatchObject({ person: { outcome: 'no_match' } });
    expect(done.signals).toEqual({ person: { matched: 2, no_match: 1 }, email: { checked: 3 } });
    expect(apollo.matchBodies.length - before).toBe(3);
  });

  it('SYS-002: a refusing provider never fails onboarding: leads are scored without its facts, with the reason, and an alert; a rate limit is waited out', async () => {
    apollo.setPeople([
      apolloPerson({ id: 'p-x', email: 'x@acme.io', organization: { id: 'o', organization_headcount_six_month_growth: 0.3 } }),
    ]);
    apollo.failNext({ endpoint: 'match', status: 429, retryAfter: '1' });
    const rows = validateJsonLeads(
      [
        { email: 'x@acme.io', title: 'CEO', industry: 'Software', employee_count: 50, country: 'AU' },
        { email: 'y@acme.io', title: 'CEO' },
      ],
      100,
    );
    if (!rows.ok) throw new Error(rows.message);
    const { client, campaign, input } = await staged(rows.rows);
    const before = apollo.matchBodies.length;
    const done = await onboard(input, {
      ...providers,
      personEnricher: createApolloPersonEnricher({ apiKey: 'apollo-k', baseUrl: apolloUrl }),
      emailVerifier: createZeroBounceVerifier({ apiKey: 'not-the-key', baseUrl: zbUrl }),
    });
    expect(done.stage).toBe('running');
    // The rate-limited lead was asked again after Retry-After; no lead was asked twice otherwise.
    expect(apollo.matchBodies.length - before).toBe(3);
    const leads = await leadsOf(campaign.id);
    expect(leads[0]!.attributes).toMatchObject({
      person: { outcome: 'matched', facts: { companyHiring: true } },
      email: { provider: 'zerobounce', outcome: 'refused', reason: expect.stringMatching(/auth_failed.*Invalid API Key/) },
    });
    // The verifier refused, so Apollo's own verification of the same address counts: 8 + 25 + 25 + 5 = 63.
    // The second lead: no verification, no match, no country: 25.
    expect(leads.map((l) => l.score)).toEqual([63, 25]);
    expect(leads[1]!.attributes).toMatchObject({ email: { outcome: 'refused' }, person: { outcome: 'no_match' } });
    const alert = await db.system.alert.findFirst({ where: { clientId: client.id, kind: 'enrichment_refused' } });
    expect(alert?.message).toMatch(/zerobounce refuses enrichment \(auth_failed\)/);
  });
});
