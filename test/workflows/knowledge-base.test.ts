/**
 * knowledge-base:{clientId} (VO-001) on the time-skipping server with the Vapi fake: files added
 * and removed reach Vapi, the query tool searches exactly the files kept, the client's
 * voice.knowledgeBaseId names it (a change recorded as the system's), a file Vapi refuses is
 * recorded and alerted while the others go on, and a lost answer is retried without a second upload.
 */
import { randomUUID, createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { WorkflowHandle } from '@temporalio/client';
import {
  knowledgeBaseChangedSignal,
  knowledgeBaseProgressQuery,
  workflowIds,
  type KnowledgeBaseInput,
  type KnowledgeBaseProgress,
} from '../../workflows/contracts.js';
import { createKnowledgeBase } from '../../services/knowledge-base.js';
import { createTestWorker } from '../helpers/app.js';
import { createTestTenant, testDb, waitFor } from '../helpers/context.js';
import { workflowBed } from '../helpers/workflow-bed.js';

const db = testDb();
const bed = workflowBed(db);
const kb = createKnowledgeBase(db);

/** A PDF-like file: binary bytes with NULs, high bytes and line ends, unique per call. */
const pdf = () => Buffer.concat([Buffer.from('%PDF-1.7\n%\u00e2\u00e3\r\n'), Buffer.from([0, 255, 13, 10, 0]), Buffer.from(randomUUID())]);
const text = (s: string) => Buffer.from(`${s} ${randomUUID()}`, 'utf8');

async function setup() {
  const { client } = await createTestTenant(db, 'Acme Plumbing');
  const taskQueue = `kb-${randomUUID()}`;
  const worker = await createTestWorker({ env: bed.env, taskQueue, db, providers: bed.fakes.providers });
  const input: KnowledgeBaseInput = { version: 1, clientId: client.id };
  let handle: WorkflowHandle | undefined;
  /** Tells the sync something changed, and waits until it has run `runs` times in all. */
  const changed = async (runs: number) => {
    handle = await bed.env.client.workflow.signalWithStart('knowledgeBaseWorkflow', {
      taskQueue,
      workflowId: workflowIds.knowledgeBase(client.id),
      args: [input],
      signal: knowledgeBaseChangedSignal,
      signalArgs: [{ reason: 'test' }],
    });
    // Simulated time moves on a little between looks, so a retried activity's backoff passes.
    return waitFor(
      async () => {
        const p = (await handle!.query(knowledgeBaseProgressQuery)) as KnowledgeBaseProgress;
        if (p.runs >= runs && p.runs === p.requested) return p;
        await bed.env.sleep(5_000);
        return false;
      },
      { timeoutMs: 120_000, what: `sync run ${runs}` },
    );
  };
  const settings = async () =>
    ((await db.system.client.findUniqueOrThrow({ where: { id: client.id } })).settings as { voice?: { knowledgeBaseId?: string } }).voice
      ?.knowledgeBaseId ?? null;
  const rows = () => db.system.knowledgeFile.findMany({ where: { clientId: client.id }, orderBy: { createdAt: 'asc' } });
  return { client, worker, changed, settings, rows, handle: () => handle! };
}

describe('knowledge-base:{clientId} (VO-001)', () => {
  it('VO-001: uploaded files reach Vapi with their exact bytes, one query tool searches exactly them and is the client knowledge base; a removed file leaves the tool, then Vapi; the last one gone clears it', async () => {
    const s = await setup();
    const vapi = bed.fakes.vapi;
    await s.worker.runUntil(async () => {
      const a = pdf();
      const b = text('Opening hours: 7am to 5pm, Monday to Friday.');
      const fa = (await kb.system.add(s.client.id, { name: 'Price list 2027 – Zürich.pdf', contentType: 'application/pdf', bytes: a }))
        .file;
      const fb = (await kb.system.add(s.client.id, { name: 'hours.txt', contentType: 'text/plain', bytes: b })).file;
      const first = await s.changed(1);
      expect(first.last).toMatchObject({ status: 'synced', files: 2, uploaded: 2, refused: 0, removed: 0 });

      const rows = await s.rows();
      expect(rows.map((r) => [r.status, r.content])).toEqual([
        ['uploaded', null],
        ['uploaded', null],
      ]);
      const atVapi = rows.map((r) => vapi.files.find((f) => f.id === r.providerFileId)!);
      expect(atVapi.map((f) => [f.name, f.mimetype, createHash('sha256').update(f.content).digest('hex')])).toEqual([
        ['Price list 2027 – Zürich.pdf', 'application/pdf', fa.sha256],
        ['hours.txt', 'text/plain', fb.sha256],
      ]);
      const toolsBefore = vapi.tools.length;
      expect(toolsBefore).toBeGreaterThan(0);
      const toolId = await s.settings();
      const tool = vapi.tools.find((t) => t.id === toolId)!;
      expect(tool).toBeDefined();
      expect(tool.type).toBe('query');
      expect((tool.knowledgeBases ?? []).flatMap((k) => k.fileIds ?? [])).toEqual(rows.map((r) => r.providerFileId));
      const change = await db.system.clientSettingsChange.findFirstOrThrow({
        where: { clientId: s.client.id },
        orderBy: { createdAt: 'desc' },
      });
      expect(change.actor).toBe('system');

      // The same signal again with nothing changed: no upload, no tool call.
      const requestsBefore = vapi.requests.length;
      await s.changed(2);
      expect(vapi.requests.length).toBe(requestsBefore);

      // The price list removed: the tool searches the hours only (same tool), then Vapi deletes the file.
      await kb.system.remove(s.client.id, fa.id);
      const third = await s.changed(3);
      expect(third.last).toMatchObject({ status: 'synced', files: 1, removed: 1 });
      expect(vapi.tools.length).toBe(toolsBefore); // the same tool, updated
      expect(await s.settings()).toBe(tool.id);
      expect((vapi.tools.find((t) => t.id === tool.id)!.knowledgeBases ?? []).flatMap((k) => k.fileIds ?? [])).toEqual([
        rows[1]!.providerFileId,
      ]);
      const ours = (ids: string[]) => ids.filter((id) => rows.some((r) => r.providerFileId === id));
      expect(ours(vapi.deletedFileIds)).toEqual([rows[0]!.providerFileId]);
      expect((await s.rows()).map((r) => r.id)).toEqual([fb.id]);

      // The last file removed: no knowledge base for the calls.
      await kb.system.remove(s.client.id, fb.id);
      await s.changed(4);
      expect(await s.settings()).toBeNull();
      expect(await s.rows()).toEqual([]);
      expect(ours(vapi.deletedFileIds)).toEqual([rows[0]!.providerFileId, rows[1]!.providerFileId]);
    });
  });

  it('VO-001: a file Vapi refuses is recorded refused with its reason and one alert, and the others still reach the tool; a Vapi outage (503) is retried by Temporal and the file is uploaded once', async () => {
    const s = await setup();
    const vapi = bed.fakes.vapi;
    await s.worker.runUntil(async () => {
      const bad = (await kb.system.add(s.client.id, { name: 'scan.pdf', contentType: 'application/pdf', bytes: pdf() })).file;
      const good = (await kb.system.add(s.client.id, { name: 'faq.md', contentType: 'text/markdown', bytes: text('# FAQ') })).file;
      vapi.script({
        status: 400,
        body: { statusCode: 400, message: ['file is corrupted'], error: 'Bad Request' },
        match: { method: 'POST', path: '/file' },
      });
      vapi.script({ status: 503, match: { method: 'POST', path: '/file' } });
      const p = await s.changed(1);
      expect(p.last).toMatchObject({ status: 'synced', files: 1, uploaded: 1, refused: 1 });
      const rows = await s.rows();
      expect(rows.find((r) => r.id === bad.id)).toMatchObject({ status: 'refused', content: null });
      expect(rows.find((r) => r.id === bad.id)!.error).toContain('corrupted');
      expect(rows.find((r) => r.id === good.id)).toMatchObject({ status: 'uploaded' });
      // This test's files at Vapi (the fake serves the whole file): the refused one never, the other once, after the 503.
      expect(vapi.files.filter((f) => ['scan.pdf', 'faq.md'].includes(f.name)).map((f) => f.name)).toEqual(['faq.md']);
      const toolId = await s.settings();
      const tool = vapi.tools.find((t) => t.id === toolId)!;
      expect((tool.knowledgeBases ?? []).flatMap((k) => k.fileIds ?? [])).toEqual([rows.find((r) => r.id === good.id)!.providerFileId]);
      const alerts = await db.system.alert.findMany({ where: { clientId: s.client.id, kind: 'knowledge_file_refused' } });
      expect(alerts.map((a) => a.dedupeKey)).toEqual([`knowledge-file:${bad.id}`]);
    });
  });
});
