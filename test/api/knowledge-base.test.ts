/**
 * VO-001: the voice knowledge base through the API (bed.app.inject, the real database and the run's
 * Temporal dev server): a document uploaded as multipart is kept byte for byte and its sync
 * signalled; the same bytes again are the same file; what Vapi cannot take is a clear 4xx that
 * stores nothing; a client sees and removes only its own files.
 */
import { createHash, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { workflowIds } from '../../workflows/contracts.js';
import { KNOWLEDGE_BASE_MAX_FILES } from '../../domain/knowledge-base.js';
import { createTestTenant, testConfig, testDb } from '../helpers/context.js';
import { apiBed } from '../helpers/workflow-bed.js';

const config = testConfig();
const db = testDb(config);
const bed = apiBed(config, db);
let tenant: Awaited<ReturnType<typeof createTestTenant>>;
let other: Awaited<ReturnType<typeof createTestTenant>>;
beforeAll(async () => {
  tenant = await createTestTenant(db, 'KB client');
  other = await createTestTenant(db, 'Other client');
});

const auth = (key: string) => ({ authorization: `Bearer ${key}` });
const URL_FILES = '/v1/settings/voice/knowledge-base/files';

/** A multipart body with the given parts (a file part when `filename` is given), as bytes. */
async function form(parts: { field: string; filename?: string; bytes: Uint8Array | string; type?: string }[]) {
  const f = new FormData();
  for (const p of parts) {
    if (p.filename !== undefined) f.append(p.field, new Blob([p.bytes], { type: p.type ?? 'application/octet-stream' }), p.filename);
    else f.append(p.field, typeof p.bytes === 'string' ? p.bytes : Buffer.from(p.bytes).toString());
  }
  const req = new Request('http://x/', { method: 'POST', body: f });
  return { payload: Buffer.from(await req.arrayBuffer()), headers: { 'content-type': req.headers.get('content-type')! } };
}

async function upload(key: string, filename: string, bytes: Uint8Array | string, type?: string) {
  const body = await form([{ field: 'file', filename, bytes, ...(type ? { type } : {}) }]);
  return bed.app.inject({ method: 'POST', url: URL_FILES, headers: { ...auth(key), ...body.headers }, payload: body.payload });
}

const rowsOf = (clientId: string) => db.system.knowledgeFile.findMany({ where: { clientId } });

describe('VO-001: the voice knowledge base API', () => {
  it('VO-001: a document is kept byte for byte (binary, non-ASCII name) and its sync started; the same bytes again are the same file', async () => {
    const bytes = Buffer.concat([Buffer.from('%PDF-1.4\r\n'), Buffer.from([0, 1, 2, 255, 254, 0, 13, 10]), Buffer.from(randomUUID())]);
    const res = await upload(tenant.apiKey, 'Preisliste Zürich – 2027.pdf', bytes, 'application/octet-stream');
    expect(res.statusCode, res.body).toBe(201);
    const file = res.json();
    expect(file).toMatchObject({
      name: 'Preisliste Zürich – 2027.pdf',
      contentType: 'application/pdf', // from its extension, not the browser's generic type
      size: bytes.byteLength,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      status: 'pending',
      providerFileId: null,
    });
    const row = await db.system.knowledgeFile.findUniqueOrThrow({ where: { id: file.id } });
    expect(Buffer.from(row.content!).equals(bytes)).toBe(true);
    // The sync was signalled: knowledge-base:{clientId} runs with the change in its history.
    const handle = bed.temporal.workflow.getHandle(workflowIds.knowledgeBase(tenant.client.id));
    expect((await handle.describe()).type).toBe('knowledgeBaseWorkflow');
    const history = await handle.fetchHistory();
    expect(history.events!.filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'knowledgeBaseChanged')).toHaveLength(
      1,
    );

    const again = await upload(tenant.apiKey, 'copy of the price list.pdf', bytes);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(file.id);
    expect(await rowsOf(tenant.client.id)).toHaveLength(1);

    const listed = await bed.app.inject({ method: 'GET', url: '/v1/settings/voice/knowledge-base', headers: auth(tenant.apiKey) });
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toMatchObject({ toolId: null, files: [{ id: file.id, status: 'pending' }] });
    expect(listed.json().files[0]).not.toHaveProperty('content'); // never the bytes
    const theirs = await bed.app.inject({ method: 'GET', url: '/v1/settings/voice/knowledge-base', headers: auth(other.apiKey) });
    expect(theirs.json().files).toEqual([]);
  });

  it('VO-001: what cannot be a knowledge-base file is a clear 4xx and stores nothing', async () => {
    const t = await createTestTenant(db, 'Refused uploads');
    const cases: [string, () => Promise<{ statusCode: number; json: () => { error: string } }>, number, string][] = [
      ['an image', () => upload(t.apiKey, 'logo.png', 'png bytes', 'image/png'), 400, 'unsupported_type'],
      ['no extension', () => upload(t.apiKey, 'README', 'text'), 400, 'unsupported_type'],
      ['an empty file', () => upload(t.apiKey, 'empty.txt', ''), 400, 'empty'],
      ['over 5 MB', () => upload(t.apiKey, 'big.txt', 'x'.repeat(5 * 1024 * 1024 + 1)), 413, 'too_large'],
      [
        'another field',
        async () => {
          const body = await form([{ field: 'document', filename: 'faq.md', bytes: '# FAQ' }]);
          return bed.app.inject({ method: 'POST', url: URL_FILES, headers: { ...auth(t.apiKey), ...body.headers }, payload: body.payload });
        },
        400,
        'validation_failed',
      ],
      [
        'no file',
        async () => {
          const body = await form([{ field: 'note', bytes: 'hello' }]);
          return bed.app.inject({ method: 'POST', url: URL_FILES, headers: { ...auth(t.apiKey), ...body.headers }, payload: body.payload });
        },
        400,
        'validation_failed',
      ],
      [
        'JSON instead of multipart',
        () => bed.app.inject({ method: 'POST', url: URL_FILES, headers: auth(t.apiKey), payload: { file: 'faq' } }),
        415,
        'unsupported_media_type',
      ],
    ];
    for (const [what, send, status, error] of cases) {
      const res = await send();
      expect([what, res.statusCode, res.json().error]).toEqual([what, status, error]);
    }
    const unsigned = await bed.app.inject({ method: 'POST', url: URL_FILES, payload: {} });
    expect(unsigned.statusCode).toBe(401);
    expect(await rowsOf(t.client.id)).toEqual([]);
  });

  it(`VO-001: a client removes only its own files; the ${KNOWLEDGE_BASE_MAX_FILES + 1}th file is refused (409) until one is removed`, async () => {
    const t = await createTestTenant(db, 'Full knowledge base');
    const first = (await upload(t.apiKey, 'faq.md', `# FAQ ${randomUUID()}`)).json();
    // Another client cannot see or remove it; an id that is not a UUID is a 400.
    const foreign = await bed.app.inject({ method: 'DELETE', url: `${URL_FILES}/${first.id}`, headers: auth(other.apiKey) });
    expect(foreign.statusCode).toBe(404);
    expect((await bed.app.inject({ method: 'DELETE', url: `${URL_FILES}/not-a-uuid`, headers: auth(t.apiKey) })).statusCode).toBe(400);

    await db.system.knowledgeFile.createMany({
      data: Array.from({ length: KNOWLEDGE_BASE_MAX_FILES - 1 }, (_, i) => ({
        clientId: t.client.id,
        name: `doc-${i}.txt`,
        contentType: 'text/plain',
        size: 1,
        sha256: createHash('sha256').update(`doc-${i}`).digest('hex'),
        status: 'uploaded',
      })),
    });
    const full = await upload(t.apiKey, 'one-more.txt', randomUUID());
    expect(full.statusCode).toBe(409);
    expect(full.json().error).toBe('knowledge_base_full');

    const removed = await bed.app.inject({ method: 'DELETE', url: `${URL_FILES}/${first.id}`, headers: auth(t.apiKey) });
    expect(removed.statusCode).toBe(202);
    expect(removed.json()).toMatchObject({ id: first.id, status: 'removing' });
    const listed = (await bed.app.inject({ method: 'GET', url: '/v1/settings/voice/knowledge-base', headers: auth(t.apiKey) })).json();
    expect(listed.files.map((f: { id: string }) => f.id)).not.toContain(first.id);
    expect((await upload(t.apiKey, 'one-more.txt', randomUUID())).statusCode).toBe(201);
  });
});
