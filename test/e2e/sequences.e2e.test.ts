/**
 * End to end on simulated time: POST /v1/campaigns over real HTTP -> onboarding (enrichment,
 * DNCR wash at the fake register, scoring) -> every lead's sequence on the time-skipping Temporal
 * server -> touches recorded at the provider fakes. Then the counts the product is judged by:
 * touches outside windows, to DNCR numbers, after opt-out, duplicated, over a cap: all zero.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkipping } from '../helpers/time-skipping.js';
import { startServer } from '../../server.js';
import { isInsideWindow } from '../../domain/windows.js';
import { ADMIN_KEY, testConfig, testDb, waitFor } from '../helpers/context.js';
import { createTestWorker } from '../helpers/app.js';
import { provisionClientResources, startProviderFakes, type ProviderFakes } from '../helpers/provider-fakes.js';
import { httpApi, untilTemporalAnswers } from '../helpers/http-api.js';

let env: TestWorkflowEnvironment;
let fakes: ProviderFakes;
let server: Awaited<ReturnType<typeof startServer>>;
let config: ReturnType<typeof testConfig>;
let db: ReturnType<typeof testDb>;
const HOUR = 3_600_000;

beforeAll(async () => {
  env = await createTimeSkipping({
    server: { executable: { type: 'existing-path', path: inject('testServerPath') } },
  });
  fakes = await startProviderFakes();
  config = testConfig({ TEMPORAL_ADDRESS: env.address });
  db = testDb(config);
  server = await startServer(config, { db });
});
afterAll(async () => {
  await server?.close();
  await env?.teardown();
  await fakes?.stop();
  await db?.close();
});

const api = httpApi(() => server.url);

/**
 * A GET whose `field` comes from a workflow query: the API answers null when Temporal does not
 * answer within its deadline (a busy machine), so the test asks again until it has the answer.
 */
async function answered(url: string, key: string, field: 'sequence' | 'progress') {
  return waitFor(
    async () => {
      const res = await api('GET', url, key);
      return res.body?.[field] != null && res;
    },
    { timeoutMs: 120_000, intervalMs: 250, what: `${field} of ${url}` },
  );
}

/** Every lead of a campaign with its sequence's progress (asked until answered). */
async function leadDetails(campaignId: string, key: string) {
  const list = await api('GET', `/v1/campaigns/${campaignId}/leads`, key);
  return Promise.all(list.body.leads.map((l: { id: string }) => answered(`/v1/leads/${l.id}`, key, 'sequence')));
}

describe('campaign to touches, end to end', () => {
  it('SYS-001 SYS-007 AD-001 ED-002 ED-003 SM-001 SM-002 VO-001 VO-005: a campaign across zones runs to completion with zero touches outside windows, to DNCR numbers or duplicated', async () => {
    const created = await api('POST', '/v1/admin/clients', ADMIN_KEY, { name: 'E2E sequences', slug: `e2e-seq-${Date.now()}` });
    const client = created.body.client;
    const apiKey = created.body.apiKey.apiKey as string;
    await provisionClientResources(db, client.id, fakes);
    // The client sets its own settings through the API: the basis for business SMS (without one,
    // SMS steps are skipped: AD-003), its Vapi assistant and knowledge base, the recording notice
    // its calls open with, and the booking link its emails carry.
    const assistant = fakes.vapi.addAssistant({ model: { provider: 'openai', model: 'gpt-4o', toolIds: ['tool_transfer'] } });
    const notice = 'This call is recorded so we can follow up accurately';
    const settings = await api('PATCH', '/v1/settings', apiKey, {
      smsConsentBasis: 'inferred_business',
      senderName: 'Alex Demo',
      bookingLink: 'https://cal.com/e2e-demo/intro',
      voice: { assistantId: assistant.id, knowledgeBaseId: 'tool_kb_e2e', recordingNotice: notice },
    });
    expect(settings.status, JSON.stringify(settings.body)).toBe(200);
    fakes.dncr.register('+61413000222');
    const leads = [
      {
        email: 'ava@sydney.example',
        first_name: 'Ava',
        title: 'Founder',
        company: 'Syd Co',
        industry: 'Software',
        employee_count: 40,
        city: 'Sydney',
        state: 'NSW',
        country: 'AU',
        phone: '0413 000 111',
        linkedin_url: 'https://www.linkedin.com/in/ava-syd',
      },
      {
        email: 'ben@perth.example',
        first_name: 'Ben',
        title: 'CEO',
        company: 'Perth Co',
        industry: 'Software',
        employee_count: 40,
        city: 'Perth',
        state: 'WA',
        country: 'AU',
        phone: '0413 000 222',
        linkedin_url: 'https://www.linkedin.com/in/ben-per',
      },
      {
        email: 'cat@newyork.example',
        first_name: 'Cat',
        title: 'VP Marketing',
        company: 'NY Co',
        industry: 'Software',
        employee_count: 40,
        city: 'New York',
        state: 'NY',
        country: 'US',
        phone: '+1 212 555 0173', // not the demo list's number: the onboarding e2e runs the demo list beside this file
      },
    ];
    for (const l of leads)
      if (l.linkedin_url)
        fakes.unipile.setProfile({
          providerId: `ACo-${l.first_name}`,
          publicIdentifier: l.linkedin_url.split('/').pop()!,
          firstName: l.first_name,
        } as never);

    const worker = await createTestWorker({
      env,
      taskQueue: config.temporal.taskQueue,
      db,
      providers: {
        ...fakes.providers,
        // Every call is picked up and ends before the workflow asks about it.
        voice: {
          ...fakes.providers.voice,
          async startCall(call) {
            const placed = await fakes.providers.voice.startCall(call);
            fakes.vapi.endCall(placed.callId, { endedReason: 'customer-ended-call', durationSeconds: 30 } as never);
            return placed;
          },
          getCall: (id) => fakes.providers.voice.getCall(id),
        },
      },
    });
    await worker.runUntil(async () => {
      const res = await untilTemporalAnswers(api, 'POST', '/v1/campaigns', apiKey, {
        name: 'Three zones',
        icp: { industries: ['Software'], countries: ['AU', 'US'], employeeMin: 10, employeeMax: 200 },
        leads,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      const campaignId = res.body.id;
      // Onboarding runs without timers; then two simulated weeks for the sequences, answering calls as they come.
      // 40 simulated days: the five steps, and the LinkedIn requests' 30-day withdraw deadline.
      await env.sleep(40 * 24 * HOUR);
      const campaign = await answered(`/v1/campaigns/${campaignId}`, apiKey, 'progress');
      expect(campaign.body.status).toBe('running');
      expect(campaign.body.progress).toMatchObject({ imported: 3, enriched: 3, washed: 2, sequencesStarted: 3 });
      const detail = await leadDetails(campaignId, apiKey);
      const byEmail = Object.fromEntries(detail.map((d) => [d.body.email, d.body]));
      expect(byEmail['ava@sydney.example'].timezone).toBe('Australia/Sydney');
      expect(byEmail['ben@perth.example'].timezone).toBe('Australia/Perth');
      expect(byEmail['cat@newyork.example'].timezone).toBe('America/New_York');
      expect(byEmail['ben@perth.example'].dncr.result).toBe('registered');
      for (const d of detail) expect(d.body.sequence?.state, JSON.stringify(d.body.sequence)).toBe('completed');

      // Zero touches outside windows, to DNCR numbers, or duplicated.
      const touches = await db.system.touch.findMany({ where: { clientId: client.id }, include: { lead: true } });
      // Ava (Sydney, Warm): 5 touches; Ben (Perth, DNCR-registered): email x2 + LinkedIn; Cat (New York): email x2 + call + SMS.
      expect(
        touches
          .filter((t) => t.lead.email === 'ava@sydney.example')
          .map((t) => t.channel)
          .sort(),
      ).toEqual(['email', 'email', 'linkedin', 'sms', 'voice']);
      expect(
        touches
          .filter((t) => t.lead.email === 'ben@perth.example')
          .map((t) => t.channel)
          .sort(),
      ).toEqual(['email', 'email', 'linkedin']);
      const outside = touches.filter((t) => {
        const channel = t.channel === 'linkedin' ? 'linkedin' : t.channel;
        const zone = channel === 'linkedin' ? 'Australia/Sydney' : t.lead.timezone!;
        return !isInsideWindow({
          channel,
          zone,
          location: channel === 'linkedin' ? undefined : { country: t.lead.country, state: t.lead.state },
          at: t.sentAt!,
        } as never);
      });
      expect(outside.map((t) => `${t.channel}@${t.sentAt?.toISOString()}`)).toEqual([]);
      const toDncr = touches.filter((t) => (t.channel === 'sms' || t.channel === 'voice') && t.lead.dncrResult === 'registered');
      expect(toDncr).toEqual([]);
      const keys = touches.map((t) => `${t.leadId}:${t.step}:${t.channel}:${(t.evidence as { kind?: string }).kind ?? ''}`);
      expect(new Set(keys).size).toBe(keys.length);
      // And the fakes saw exactly what the touches say.
      expect(fakes.smtp.messages.filter((m) => m.to.some((a) => leads.some((l) => a.includes(l.email)))).length).toBe(
        touches.filter((t) => t.channel === 'email').length,
      );
      expect(fakes.twilio.messages.filter((m) => m.to === '+61413000222')).toHaveLength(0);
      expect(fakes.vapi.calls.filter((c) => JSON.stringify(c).includes('+61413000222'))).toHaveLength(0);

      // What the settings made of the touches: Ava's SMS went out (the consent basis set through the
      // API), her call used the client's assistant with its knowledge base and opened with its notice.
      const ava = byEmail['ava@sydney.example'];
      expect(fakes.twilio.messages.filter((m) => m.to === '+61413000111')).toHaveLength(1);
      const avaCall = fakes.vapi.calls.find((c) => c.customer?.number === '+61413000111')!;
      expect(avaCall.assistantId).toBe(assistant.id);
      expect(avaCall.assistantOverrides!.model).toEqual({ provider: 'openai', model: 'gpt-4o', toolIds: ['tool_transfer', 'tool_kb_e2e'] });
      expect((avaCall.assistantOverrides!.firstMessage as string).startsWith(`${notice}. `)).toBe(true);
      expect(avaCall.assistantOverrides!.firstMessage).toContain('E2E sequences');
      const avaMail = fakes.smtp.messages.find((m) => m.to.some((a) => a.includes('ava@sydney.example')) && !m.inReplyTo)!;
      expect(avaMail.text).toContain(`https://cal.com/e2e-demo/intro?metadata%5BleadId%5D=${ava.id}`);
    });
  });

  it("AD-001 SYS-010: one person twice in a list (any case, any number format) and in another client's list is in one sequence and touched at most once a day", async () => {
    const stamp = Date.now();
    const person = { email: `dee.${stamp}@dup.example`, phone: `0413 ${String(stamp).slice(-6, -3)} ${String(stamp).slice(-3)}` };
    const e164 = `+61413${String(stamp).slice(-6)}`;
    const row = (over: Record<string, unknown>) => ({
      first_name: 'Dee',
      title: 'Founder',
      company: 'Dup Co',
      industry: 'Software',
      employee_count: 40,
      city: 'Sydney',
      state: 'NSW',
      country: 'AU',
      ...over,
    });
    const clients: { id: string; key: string }[] = [];
    for (const name of ['Dup A', 'Dup B']) {
      const created = await api('POST', '/v1/admin/clients', ADMIN_KEY, { name, slug: `e2e-dup-${name.slice(-1).toLowerCase()}-${stamp}` });
      await provisionClientResources(db, created.body.client.id, fakes);
      await db.system.client.update({
        where: { id: created.body.client.id },
        data: { settings: { smsConsentBasis: 'inferred_business' } },
      });
      clients.push({ id: created.body.client.id as string, key: created.body.apiKey.apiKey as string });
    }
    const worker = await createTestWorker({ env, taskQueue: config.temporal.taskQueue, db, providers: fakes.providers });
    await worker.runUntil(async () => {
      const a = await untilTemporalAnswers(api, 'POST', '/v1/campaigns', clients[0]!.key, {
        name: 'Dup list',
        icp: { industries: ['Software'], countries: ['AU'] },
        leads: [
          row({ email: person.email, phone: person.phone }),
          row({ email: person.email.toUpperCase(), first_name: 'Deirdre' }),
          row({ email: `other.${stamp}@dup.example`, phone: `+61 ${e164.slice(3, 6)} ${e164.slice(6, 9)} ${e164.slice(9)}` }),
        ],
      });
      expect(a.status, JSON.stringify(a.body)).toBe(202);
      const b = await untilTemporalAnswers(api, 'POST', '/v1/campaigns', clients[1]!.key, {
        name: 'Same person elsewhere',
        icp: { industries: ['Software'], countries: ['AU'] },
        leads: [row({ email: person.email, phone: person.phone })],
      });
      expect(b.status, JSON.stringify(b.body)).toBe(202);
      await env.sleep(40 * 24 * HOUR);

      const leads = await db.system.lead.findMany({
        where: { clientId: { in: clients.map((c) => c.id) } },
        include: { touches: { where: { status: { in: ['sent', 'delivered', 'reserved'] } } } },
      });
      expect(leads).toHaveLength(4);
      const ran = leads.filter((l) => l.touches.length > 0);
      expect(ran, JSON.stringify(leads.map((l) => [l.email, l.phoneE164, l.status]))).toHaveLength(1);
      expect(
        leads.filter((l) => l.status === 'duplicate'),
        JSON.stringify(leads.map((l) => [l.email, l.phoneE164, l.status, l.touches.length])),
      ).toHaveLength(3);
      // At most one touch a day (Sydney days), whichever channel.
      const days = ran[0]!.touches.map((t) => t.sentAt!.toLocaleDateString('en-CA', { timeZone: 'Australia/Sydney' }));
      expect(days.length).toBeGreaterThan(1);
      expect(new Set(days).size).toBe(days.length);
      // The providers saw one person's messages once: from one client only. Whichever row won the
      // claim (the second address shares the person's number, so it is the same person), every
      // message to any of the person's addresses is one of the winner's touches.
      const addresses = [person.email, `other.${stamp}@dup.example`];
      expect(fakes.smtp.messages.filter((m) => m.to.some((x) => addresses.some((a) => x.toLowerCase().includes(a)))).length).toBe(
        ran[0]!.touches.filter((t) => t.channel === 'email').length,
      );
    });
  });

  it('VO-001 AD-003: a client without a voice assistant: every call step is skipped no_voice_assistant with one alert, and the sequences complete', async () => {
    const created = await api('POST', '/v1/admin/clients', ADMIN_KEY, { name: 'E2E no assistant', slug: `e2e-noasst-${Date.now()}` });
    const client = created.body.client;
    const apiKey = created.body.apiKey.apiKey as string;
    await provisionClientResources(db, client.id, fakes);
    expect((await api('PATCH', '/v1/settings', apiKey, { smsConsentBasis: 'express' })).status).toBe(200);
    const leads = ['0413 000 501', '0413 000 502'].map((phone, i) => ({
      email: `founder${i}@noassistant.example`,
      first_name: `Founder${i}`,
      title: 'Founder',
      company: `No Assistant ${i}`,
      industry: 'Software',
      employee_count: 40,
      city: 'Melbourne',
      state: 'VIC',
      country: 'AU',
      phone,
      linkedin_url: `https://www.linkedin.com/in/noasst-founder-${i}`,
    }));
    for (const [i, l] of leads.entries())
      fakes.unipile.setProfile({
        providerId: `ACo-noasst-${i}`,
        publicIdentifier: l.linkedin_url.split('/').pop()!,
        firstName: l.first_name,
      } as never);
    const callsBefore = fakes.vapi.calls.length;
    const worker = await createTestWorker({ env, taskQueue: config.temporal.taskQueue, db, providers: fakes.providers });
    await worker.runUntil(async () => {
      const res = await untilTemporalAnswers(api, 'POST', '/v1/campaigns', apiKey, {
        name: 'No assistant',
        icp: { industries: ['Software'], countries: ['AU'], employeeMin: 10, employeeMax: 200 },
        leads,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      await env.sleep(40 * 24 * HOUR);
      const detail = await leadDetails(res.body.id, apiKey);
      expect(detail).toHaveLength(2);
      for (const d of detail) {
        expect(d.body.sequence?.state, JSON.stringify(d.body.sequence)).toBe('completed');
        const steps = d.body.sequence.steps as { kind: string; status: string; skipReason?: string }[];
        expect(steps.find((s) => s.kind === 'voice')).toMatchObject({ status: 'skipped', skipReason: 'no_voice_assistant' });
        expect(steps.find((s) => s.kind === 'sms')).toMatchObject({ status: 'sent' });
      }
    });
    expect(fakes.vapi.calls.length).toBe(callsBefore);
    const alerts = await api('GET', `/v1/admin/alerts?state=open&clientId=${client.id}`, ADMIN_KEY);
    expect((alerts.body.alerts as { kind: string }[]).map((a) => a.kind)).toEqual(['voice_assistant_missing']);
  });
});
