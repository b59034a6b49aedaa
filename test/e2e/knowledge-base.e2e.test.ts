/**
 * VO-001 end to end: a client uploads a document over HTTP, the worker's knowledge-base sync puts it
 * in Vapi (the Vapi fake, through the real SDK) under a query tool, the client's settings name that
 * tool, and the lead's call then goes out with it added to the assistant's model. Then the document
 * is removed and the next call has no knowledge base.
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkipping, untilSimulated } from '../helpers/time-skipping.js';
import { startServer } from '../../server.js';
import { workflowIds } from '../../workflows/contracts.js';
import { testConfig, testDb } from '../helpers/context.js';
import { createTestWorker } from '../helpers/app.js';
import { seedSequenceLead } from '../helpers/lead-setup.js';
import { startProviderFakes, type ProviderFakes } from '../helpers/provider-fakes.js';
import { httpApi } from '../helpers/http-api.js';

const HOUR = 3_600_000;
let env: TestWorkflowEnvironment;
let fakes: ProviderFakes;
let server: Awaited<ReturnType<typeof startServer>>;
let config: ReturnType<typeof testConfig>;
let db: ReturnType<typeof testDb>;

beforeAll(async () => {
  env = await createTimeSkipping({ server: { executable: { type: 'existing-path', path: inject('testServerPath') } } });
  fakes = await startProviderFakes();
  config = testConfig({ TEMPORAL_ADDRESS: env.address, AU_CALLS_AND_SMS: 'off', EMAIL_DELIVERY: 'sandbox' });
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

async function uploadFile(key: string, name: string, bytes: Uint8Array) {
  const form = new FormData();
  form.append('file', new Blob([bytes]), name);
  const res = await fetch(`${server.url}/v1/settings/voice/knowledge-base/files`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}` },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as { id: string; sha256: string } };
}

/** Real time passes (the sync is an activity); simulated time `stepMs` a look, so a retry's backoff passes too. */
const until = <T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, stepMs = 60_000) =>
  untilSimulated(env, what, probe, ok, stepMs);

describe('the voice knowledge base (end to end)', () => {
  it("VO-001: a document uploaded over HTTP is in Vapi under the client's query tool, the settings name it, and a call carries it; removed, the next call has none", async () => {
    const assistant = fakes.vapi.addAssistant({ model: { provider: 'openai', model: 'gpt-4o', toolIds: [] } });
    const s = await seedSequenceLead(db, fakes, {
      tier: 'Warm',
      zone: 'Australia/Sydney',
      state: 'NSW',
      washedAt: new Date(await env.currentTimeMs()),
      settings: { voice: { assistantId: assistant.id } },
    });
    const worker = await createTestWorker({ env, taskQueue: config.temporal.taskQueue, db, providers: fakes.providers });
    await worker.runUntil(async () => {
      const doc = Buffer.concat([
        Buffer.from('%PDF-1.7\n'),
        Buffer.from([0, 200, 13, 10]),
        Buffer.from(`Emergency call-out: $180. ${randomUUID()}`),
      ]);
      const up = await uploadFile(s.apiKey, 'Call-out prices – 2027.pdf', doc);
      expect(up.status).toBe(201);
      expect(up.body.sha256).toBe(createHash('sha256').update(doc).digest('hex'));

      const kb = await until(
        'the document in Vapi',
        async () => (await api('GET', '/v1/settings/voice/knowledge-base', s.apiKey)).body,
        (b) => b.toolId !== null && b.files.every((f: { status: string }) => f.status === 'uploaded'),
      );
      const [file] = kb.files;
      const atVapi = fakes.vapi.files.find((f) => f.id === file.providerFileId)!;
      expect([atVapi.name, atVapi.mimetype, Buffer.from(atVapi.content).equals(doc)]).toEqual([
        'Call-out prices – 2027.pdf',
        'application/pdf',
        true,
      ]);
      const tool = fakes.vapi.tools.find((t) => t.id === kb.toolId)!;
      expect((tool.knowledgeBases ?? []).flatMap((k) => k.fileIds ?? [])).toEqual([file.providerFileId]);
      expect((await api('GET', '/v1/settings', s.apiKey)).body.voice.knowledgeBaseId).toBe(kb.toolId);

      // The lead's call goes out with the tool added to the assistant's own model.
      await env.client.workflow.start('leadSequenceWorkflow', {
        taskQueue: config.temporal.taskQueue,
        workflowId: workflowIds.lead(s.lead.id),
        args: [{ version: 1, clientId: s.client.id, campaignId: s.campaign.id, leadId: s.lead.id }],
      });
      const call = await until(
        "the lead's call",
        async () => fakes.vapi.calls.find((c) => c.customer?.number === s.lead.phoneE164),
        (c) => c !== undefined,
        HOUR,
      );
      expect(call!.assistantOverrides!.model).toEqual({ provider: 'openai', model: 'gpt-4o', toolIds: [kb.toolId] });

      // Removed: the tool no longer names it, Vapi deletes it, and the client has no knowledge base.
      const removed = await api('DELETE', `/v1/settings/voice/knowledge-base/files/${file.id}`, s.apiKey);
      expect(removed.status).toBe(202);
      await until(
        'the document gone',
        async () => (await api('GET', '/v1/settings', s.apiKey)).body.voice.knowledgeBaseId,
        (id) => id === null,
      );
      await until(
        'the file deleted at Vapi',
        async () => fakes.vapi.deletedFileIds,
        (ids) => ids.includes(file.providerFileId),
      );
      expect((await api('GET', '/v1/settings/voice/knowledge-base', s.apiKey)).body.files).toEqual([]);
      const changes = (await api('GET', '/v1/settings/changes', s.apiKey)).body.changes;
      expect(changes.filter((c: { actor: { kind: string } }) => c.actor.kind === 'system')).toHaveLength(2);
    });
  });
});
