/**
 * VO-001: the Vapi knowledge-base adapter (real @vapi-ai/server-sdk) against the Vapi fake: files
 * uploaded as multipart with their exact bytes, name and content type; the query tool over exactly
 * the given files, updated in place or created anew when Vapi no longer has it; deletions that
 * find the file gone are done; errors classified with SDK retries off. And the sandbox adapter.
 */
import { describe, expect, it } from 'vitest';
import { createVapiKnowledgeBase } from '../../../providers/vapi/knowledge-base.js';
import { createMemoryRecorder, createSandboxVoiceKnowledgeBase } from '../../../providers/sandbox/index.js';
import type { KnowledgeFile } from '../../../providers/ports.js';
import { VapiFake } from '../../fakes/vapi-fake.js';
import { rejection, useFake } from '../../helpers/assertions.js';

const fake = new VapiFake();
const fakeAt = useFake(fake);
const kb = (apiKey = fake.apiKey) => createVapiKnowledgeBase({ apiKey, baseUrl: fakeAt.baseUrl });

/** A PDF-like binary: NUL bytes, 0xFF, CR LF, and a line that looks like a multipart boundary. */
const PDF_BYTES = new Uint8Array([
  ...Buffer.from('%PDF-1.7\n%'),
  0xe2,
  0xe3,
  0xcf,
  0xd3,
  0x0a,
  0x00,
  0x00,
  0x01,
  0xff,
  0xfe,
  0x0d,
  0x0a,
  ...Buffer.from('------formdata-undici-0\r\n'),
  0x00,
  ...Buffer.from('%%EOF'),
]);
const PDF: KnowledgeFile = { name: 'Preisliste – Zürich «2025» 価格.pdf', contentType: 'application/pdf', bytes: PDF_BYTES };
const FAQ: KnowledgeFile = {
  name: 'faq.txt',
  contentType: 'text/plain',
  bytes: new TextEncoder().encode('Q: Do you work weekends?\nA: Yes.\n'),
};

const TOOL = { name: 'acme-knowledge', description: 'Acme Plumbing: services, prices and service areas' };

describe('VO-001: knowledge-base files at Vapi', () => {
  it('VO-001: uploadFile sends one multipart POST /file and Vapi holds the exact bytes, the non-ASCII file name and the content type', async () => {
    const { fileId } = await kb().uploadFile(PDF);
    expect(fake.files).toHaveLength(1);
    const stored = fake.files[0]!;
    expect(fileId).toBe(stored.id);
    expect(stored.name).toBe(PDF.name);
    expect(stored.originalName).toBe(PDF.name);
    expect(stored.mimetype).toBe('application/pdf');
    expect(stored.bytes).toBe(PDF_BYTES.length);
    expect(Buffer.compare(stored.content, Buffer.from(PDF_BYTES))).toBe(0);

    const [req, ...more] = fake.requestsTo('POST', '/file');
    expect(more).toHaveLength(0);
    expect(req!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(req!.headers.authorization).toBe(`Bearer ${fake.apiKey}`);

    const second = await kb().uploadFile(FAQ);
    expect(second.fileId).not.toBe(fileId);
    expect(fake.files.map((f) => [f.name, f.mimetype, f.content.toString('utf8')])).toEqual([
      [PDF.name, 'application/pdf', Buffer.from(PDF_BYTES).toString('utf8')],
      ['faq.txt', 'text/plain', 'Q: Do you work weekends?\nA: Yes.\n'],
    ]);
  });

  it('VO-001: deleteFile answers deleted, then not_found once the file is gone (a 404 is done, not a failure)', async () => {
    const { fileId } = await kb().uploadFile(FAQ);
    expect(await kb().deleteFile(fileId)).toBe('deleted');
    expect(fake.files).toHaveLength(0);
    expect(fake.deletedFileIds).toEqual([fileId]);
    expect(await kb().deleteFile(fileId)).toBe('not_found');
    expect(fake.requestsTo('DELETE', `/file/${fileId}`).map((r) => r.status)).toEqual([200, 404]);
  });
});

describe('VO-001: the query tool at Vapi', () => {
  it('VO-001: a new query tool has one google knowledge base over exactly the given file ids', async () => {
    const a = (await kb().uploadFile(PDF)).fileId;
    const b = (await kb().uploadFile(FAQ)).fileId;
    const { toolId } = await kb().upsertQueryTool({ toolId: null, ...TOOL, fileIds: [a, b] });
    expect(fake.tools).toHaveLength(1);
    expect(fake.tools[0]).toMatchObject({
      id: toolId,
      type: 'query',
      knowledgeBases: [{ provider: 'google', name: TOOL.name, description: TOOL.description, fileIds: [a, b] }],
    });
    const [req, ...more] = fake.requestsTo('POST', '/tool');
    expect(more).toHaveLength(0);
    expect(req!.body).toEqual({
      type: 'query',
      knowledgeBases: [{ provider: 'google', name: TOOL.name, description: TOOL.description, fileIds: [a, b] }],
    });
  });

  it('VO-001: an update replaces the knowledge base file list and keeps the tool id (PATCH /tool/{id})', async () => {
    const [a, b, c] = [(await kb().uploadFile(PDF)).fileId, (await kb().uploadFile(FAQ)).fileId, (await kb().uploadFile(FAQ)).fileId];
    const { toolId } = await kb().upsertQueryTool({ toolId: null, ...TOOL, fileIds: [a!, b!] });
    const updated = await kb().upsertQueryTool({ toolId, ...TOOL, fileIds: [c!, a!] });
    expect(updated.toolId).toBe(toolId);
    expect(fake.tools).toHaveLength(1);
    expect(fake.tools[0]!.knowledgeBases).toEqual([
      { provider: 'google', name: TOOL.name, description: TOOL.description, fileIds: [c, a] },
    ]);
    expect(fake.requestsTo('PATCH', `/tool/${toolId}`).map((r) => r.status)).toEqual([200]);
    expect(fake.requestsTo('POST', '/tool')).toHaveLength(1);
  });

  it('VO-001: an update of a tool Vapi no longer has (deleted, or never known) creates a new tool over the files', async () => {
    const a = (await kb().uploadFile(PDF)).fileId;
    const { toolId } = await kb().upsertQueryTool({ toolId: null, ...TOOL, fileIds: [a] });
    const gone = await fetch(`${fakeAt.baseUrl}/tool/${toolId}`, { method: 'DELETE', headers: { authorization: `Bearer ${fake.apiKey}` } });
    expect(gone.status).toBe(200);

    const again = await kb().upsertQueryTool({ toolId, ...TOOL, fileIds: [a] });
    expect(again.toolId).not.toBe(toolId);
    expect(fake.tools.map((t) => [t.id, t.knowledgeBases?.[0]?.fileIds])).toEqual([[again.toolId, [a]]]);
    expect(fake.requestsTo('PATCH', `/tool/${toolId}`).map((r) => r.status)).toEqual([404]);

    const unknown = await kb().upsertQueryTool({ toolId: 'never-existed', ...TOOL, fileIds: [a] });
    expect(unknown.toolId).not.toBe('never-existed');
    expect(fake.tools).toHaveLength(2);
  });

  it('VO-001: a tool over a file Vapi does not have is a permanent invalid_request', async () => {
    const err = await rejection(kb().upsertQueryTool({ toolId: null, ...TOOL, fileIds: ['no-such-file'] }));
    expect(err).toMatchObject({ provider: 'vapi', code: 'invalid_request', retryable: false, status: 400 });
    expect(fake.tools).toHaveLength(0);
  });
});

describe('VO-001: Vapi knowledge-base errors', () => {
  it('VO-001: a wrong API key is a permanent auth_failed for uploads, deletions and tools', async () => {
    const wrong = kb('not-the-key');
    const attempts = [
      () => wrong.uploadFile(FAQ),
      () => wrong.deleteFile('some-file'),
      () => wrong.upsertQueryTool({ toolId: null, ...TOOL, fileIds: [] }),
      () => wrong.upsertQueryTool({ toolId: 'some-tool', ...TOOL, fileIds: [] }),
    ];
    for (const attempt of attempts) {
      const err = await rejection(attempt());
      expect(err).toMatchObject({ provider: 'vapi', code: 'auth_failed', retryable: false, status: 401 });
    }
    expect(fake.files).toHaveLength(0);
    expect(fake.tools).toHaveLength(0);
  });

  it('VO-001: a 5xx on upload is a retryable ProviderError and exactly one POST /file reached Vapi (no SDK retry)', async () => {
    fake.failNext(503);
    const err = await rejection(kb().uploadFile(PDF));
    expect(err).toMatchObject({ provider: 'vapi', code: 'provider_unavailable', retryable: true, status: 503 });
    expect(fake.requestsTo('POST', '/file')).toHaveLength(1);
    expect(fake.files).toHaveLength(0);
  });

  it('VO-001: a 5xx on tool creation is retryable and exactly one POST /tool reached Vapi', async () => {
    const a = (await kb().uploadFile(FAQ)).fileId;
    fake.failNext(500);
    const err = await rejection(kb().upsertQueryTool({ toolId: null, ...TOOL, fileIds: [a] }));
    expect(err).toMatchObject({ provider: 'vapi', code: 'provider_unavailable', retryable: true, status: 500 });
    expect(fake.requestsTo('POST', '/tool')).toHaveLength(1);
  });

  it('VO-001: a 5xx on a tool update is retryable and creates no second tool', async () => {
    const a = (await kb().uploadFile(FAQ)).fileId;
    const { toolId } = await kb().upsertQueryTool({ toolId: null, ...TOOL, fileIds: [a] });
    fake.failNext(502);
    const err = await rejection(kb().upsertQueryTool({ toolId, ...TOOL, fileIds: [] }));
    expect(err).toMatchObject({ code: 'provider_unavailable', retryable: true });
    expect(fake.requestsTo('PATCH', `/tool/${toolId}`)).toHaveLength(1);
    expect(fake.requestsTo('POST', '/tool')).toHaveLength(1);
    expect(fake.tools[0]!.knowledgeBases?.[0]?.fileIds).toEqual([a]);
  });
});

describe('VO-001: the sandbox knowledge base', () => {
  it('VO-001: records uploads (never the bytes), deletions and tools; a sandbox tool keeps its id, another id gets a new tool', async () => {
    const recorder = createMemoryRecorder();
    const sandbox = createSandboxVoiceKnowledgeBase(recorder);
    const { fileId } = await sandbox.uploadFile(PDF);
    expect(fileId).toMatch(/^sandbox_file_[0-9a-f]{24}$/);
    const upload = recorder.filter('vapi', 'kb_file_upload');
    expect(upload).toHaveLength(1);
    expect(upload[0]!.payload).toMatchObject({ fileId, name: PDF.name, contentType: 'application/pdf', size: PDF_BYTES.length });
    expect(JSON.stringify(upload[0]!.payload)).not.toContain('%PDF');

    const { toolId } = await sandbox.upsertQueryTool({ toolId: null, ...TOOL, fileIds: [fileId] });
    expect(toolId).toMatch(/^sandbox_tool_[0-9a-f]{24}$/);
    expect((await sandbox.upsertQueryTool({ toolId, ...TOOL, fileIds: [] })).toolId).toBe(toolId);
    // A fresh adapter (a worker restart) still knows its own tools.
    expect((await createSandboxVoiceKnowledgeBase(recorder).upsertQueryTool({ toolId, ...TOOL, fileIds: [] })).toolId).toBe(toolId);
    const other = await sandbox.upsertQueryTool({ toolId: 'real-vapi-tool', ...TOOL, fileIds: [] });
    expect(other.toolId).not.toBe('real-vapi-tool');
    expect(recorder.filter('vapi').map((e) => e.kind)).toEqual([
      'kb_file_upload',
      'kb_tool_create',
      'kb_tool_update',
      'kb_tool_update',
      'kb_tool_create',
    ]);
    expect(recorder.filter('vapi', 'kb_tool_create')[0]!.payload).toEqual({ toolId, ...TOOL, fileIds: [fileId] });

    expect(await sandbox.deleteFile(fileId)).toBe('deleted');
    expect(await sandbox.deleteFile(fileId)).toBe('not_found');
    expect(await sandbox.deleteFile('not-a-sandbox-file')).toBe('not_found');
  });
});
