/**
 * The enrichment adapters against their wire-format fakes (real HTTP servers): Apollo People
 * Enrichment as the PersonEnricher, ZeroBounce batch validation as the EmailVerifier, and the
 * sandbox verifier (SYS-002 signals).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createApolloPersonEnricher, apolloDate, buildApolloMatchBody } from '../../../providers/apollo/people-match.js';
import { createZeroBounceVerifier, zeroBounceCheck } from '../../../providers/zerobounce/verifier.js';
import { createSandboxEmailVerifier } from '../../../providers/sandbox/index.js';
import { APOLLO_FAKE_MATCH_PATH, apolloPerson, createApolloFake } from '../../fakes/apollo-fake.js';
import { ZEROBOUNCE_FAKE_PATH, createZeroBounceFake } from '../../fakes/zerobounce-fake.js';
import { rejection, useFake } from '../../helpers/assertions.js';

const apolloFake = createApolloFake({ apiKey: 'apollo-k' });
const apolloAt = useFake(apolloFake);
const zbFake = createZeroBounceFake({ apiKey: 'zb-k' });
const zbAt = useFake(zbFake);

const enricher = () => createApolloPersonEnricher({ apiKey: 'apollo-k', baseUrl: apolloAt.baseUrl, timeoutMs: 2_000 });
const verifier = (apiKey = 'zb-k') => createZeroBounceVerifier({ apiKey, baseUrl: zbAt.baseUrl, timeoutMs: 2_000 });

const ann = apolloPerson({
  id: 'p-ann',
  first_name: 'Ann',
  last_name: 'Lee',
  email: 'ann@acme.com.au',
  email_status: 'verified',
  organization_id: 'org-acme',
  employment_history: [
    { current: false, start_date: '2015-01-01', end_date: '2024-12-01', organization_id: 'org-old' },
    { current: true, start_date: '2025-11-01', end_date: null, organization_id: 'org-acme', title: 'CEO' },
  ],
  organization: {
    id: 'org-acme',
    name: 'Acme Pty Ltd',
    primary_domain: 'acme.com.au',
    latest_funding_round_date: '2025-06-01T00:00:00.000+00:00',
    funding_events: [{ date: '2023-02-01T00:00:00.000+00:00', type: 'Seed' }],
    organization_headcount_six_month_growth: 0.12,
  },
});

describe('Apollo people match (SYS-002 signals)', () => {
  beforeEach(() => apolloFake.setPeople([ann]));

  it('SYS-002: POSTs what is known of the lead with the key header and reads role start, funding, hiring and verification', async () => {
    const m = await enricher().match({
      email: 'ANN@acme.com.au',
      firstName: 'Ann',
      lastName: 'Lee',
      company: 'Acme',
      companyDomain: 'acme.com.au',
    });
    expect(m).toEqual({
      matched: true,
      facts: { roleStartedOn: '2025-11-01', fundedOn: '2025-06-01', companyHiring: true, emailVerified: true },
    });
    const req = apolloFake.requests.at(-1)!;
    expect(req.path).toBe(APOLLO_FAKE_MATCH_PATH);
    expect(req.apiKey).toBe('apollo-k');
    expect(req.body).toEqual({
      email: 'ann@acme.com.au',
      first_name: 'Ann',
      last_name: 'Lee',
      organization_name: 'Acme',
      domain: 'acme.com.au',
      reveal_personal_emails: false,
      reveal_phone_number: false,
    });
  });

  it('SYS-002: nobody found is a business result, and a query with too little to match on is not sent', async () => {
    expect(await enricher().match({ email: 'nobody@acme.com.au' })).toEqual({ matched: false });
    const before = apolloFake.requests.length;
    expect(await enricher().match({ firstName: 'Ann', company: 'Acme' })).toEqual({ matched: false });
    expect(apolloFake.requests.length).toBe(before);
  });

  it('SYS-002: a shrinking company is not hiring; facts Apollo lacks stay unknown; another address is not verified by it', async () => {
    apolloFake.setPeople([
      apolloPerson({ id: 'p2', email: 'bo@shrink.io', organization: { id: 'o2', organization_headcount_six_month_growth: -0.05 } }),
    ]);
    expect(await enricher().match({ email: 'bo@shrink.io' })).toEqual({
      matched: true,
      facts: { companyHiring: false, emailVerified: true },
    });
    apolloFake.setPeople([
      apolloPerson({ id: 'p3', email: 'cy@x.io', linkedin_url: 'https://www.linkedin.com/in/cy', organization: null }),
    ]);
    expect(await enricher().match({ email: 'other@x.io', linkedinUrl: 'http://linkedin.com/in/cy/' })).toEqual({
      matched: true,
      facts: {},
    });
  });

  it('SYS-002: 429 with Retry-After is transient with the delay; 401 is a permanent auth_failed; 503 and a dropped socket are transient', async () => {
    apolloFake.failNext({ endpoint: 'match', status: 429, retryAfter: '17' });
    const limited = await rejection(enricher().match({ email: 'ann@acme.com.au' }));
    expect([limited.code, limited.retryable, limited.retryAfterSeconds]).toEqual(['rate_limited', true, 17]);
    const denied = await rejection(createApolloPersonEnricher({ apiKey: 'wrong', baseUrl: apolloAt.baseUrl }).match({ email: 'a@b.co' }));
    expect([denied.code, denied.retryable, denied.message]).toEqual([
      'auth_failed',
      false,
      'Apollo people match failed (401): Invalid access credentials.',
    ]);
    apolloFake.failNext({ endpoint: 'match', status: 503 });
    expect((await rejection(enricher().match({ email: 'ann@acme.com.au' }))).retryable).toBe(true);
    apolloFake.setDown('destroy');
    expect((await rejection(enricher().match({ email: 'ann@acme.com.au' }))).code).toBe('network_error');
  });

  it("SYS-002: dates in any of Apollo's forms; the request body from a thin query", () => {
    expect([
      apolloDate('2024-03'),
      apolloDate('2024-03-09'),
      apolloDate('2024-03-09T10:00:00.000+00:00'),
      apolloDate('soon'),
      apolloDate(null),
    ]).toEqual(['2024-03-01', '2024-03-09', '2024-03-09', undefined, undefined]);
    expect(buildApolloMatchBody({ linkedinUrl: ' https://www.linkedin.com/in/x ' })).toEqual({
      linkedin_url: 'https://www.linkedin.com/in/x',
      reveal_personal_emails: false,
      reveal_phone_number: false,
    });
    expect(buildApolloMatchBody({ firstName: 'A', lastName: 'B' })).toBeUndefined();
  });
});

describe('ZeroBounce batch validation (SYS-002 verified email)', () => {
  it('SYS-002: sends one batch with the key and maps every status; free-mail addresses are flagged', async () => {
    zbFake.setStatus('bad@acme.com', 'invalid', 'mailbox_not_found');
    zbFake.setStatus('any@catch.com', 'catch-all');
    zbFake.setStatus('who@nowhere.com', 'unknown', 'timeout_exceeded');
    zbFake.setStatus('trap@x.com', 'spamtrap');
    zbFake.setStatus('dnm@x.com', 'do_not_mail', 'role_based');
    const checks = await verifier().verify([
      'Ann@Acme.com',
      'bad@acme.com',
      'any@catch.com',
      'who@nowhere.com',
      'trap@x.com',
      'dnm@x.com',
      'jo@gmail.com',
    ]);
    expect(Object.fromEntries(checks)).toEqual({
      'ann@acme.com': { status: 'valid', detail: 'valid' },
      'bad@acme.com': { status: 'invalid', detail: 'invalid: mailbox_not_found' },
      'any@catch.com': { status: 'risky', detail: 'catch-all' },
      'who@nowhere.com': { status: 'unknown', detail: 'unknown: timeout_exceeded' },
      'trap@x.com': { status: 'invalid', detail: 'spamtrap' },
      'dnm@x.com': { status: 'invalid', detail: 'do_not_mail: role_based' },
      'jo@gmail.com': { status: 'valid', detail: 'valid', freeEmail: true },
    });
    const req = zbFake.requests.at(-1)!;
    expect(req.path).toBe(ZEROBOUNCE_FAKE_PATH);
    expect((req.body as { api_key: string }).api_key).toBe('zb-k');
    expect(zbFake.batches.at(-1)).toHaveLength(7);
  });

  it('SYS-002: a refused key (200 with an "all" error) is a permanent auth_failed; 429 is transient with its delay; 500 transient', async () => {
    const refused = await rejection(verifier('wrong').verify(['a@b.co']));
    expect([refused.code, refused.retryable]).toEqual(['auth_failed', false]);
    expect(refused.message).toMatch(/Invalid API Key or your account ran out of credits/);
    zbFake.failNext({ status: 429, headers: { 'retry-after': '60' }, body: { error: 'Too many requests' } });
    const limited = await rejection(verifier().verify(['a@b.co']));
    expect([limited.code, limited.retryable, limited.retryAfterSeconds]).toEqual(['rate_limited', true, 60]);
    zbFake.failNext({ status: 500 });
    expect((await rejection(verifier().verify(['a@b.co']))).code).toBe('provider_unavailable');
  });

  it('SYS-002: more than 200 addresses is refused before sending; an empty list sends nothing', async () => {
    const many = Array.from({ length: 201 }, (_, i) => `p${i}@x.com`);
    expect((await rejection(verifier().verify(many))).code).toBe('bad_request');
    expect((await verifier().verify([])).size).toBe(0);
    expect(zbFake.requests).toHaveLength(0);
  });

  it('SYS-002: status table (unknown words are unknown)', () => {
    expect(zeroBounceCheck({ status: 'abuse' }).status).toBe('invalid');
    expect(zeroBounceCheck({ status: 'Catch-All' }).status).toBe('risky');
    expect(zeroBounceCheck({ status: 'brand_new_status' }).status).toBe('unknown');
    expect(zeroBounceCheck({ status: 'valid', free_email: 'true' }).freeEmail).toBe(true);
  });

  it('SYS-002: the sandbox verifier verifies nothing, except the named test addresses', async () => {
    const checks = await createSandboxEmailVerifier().verify([
      'ann@acme.com',
      'valid@example.com',
      'catch_all@example.com',
      'invalid@example.com',
    ]);
    expect([...checks.values()].map((c) => c.status)).toEqual(['unknown', 'valid', 'risky', 'invalid']);
  });
});
