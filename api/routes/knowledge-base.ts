/**
 * The client's voice knowledge base (VO-001): the documents its AI caller answers questions from.
 * A file is uploaded as multipart (`file`), checked (a supported type by its extension, 1 byte to
 * 5 MB, at most 50 files: domain/knowledge-base.ts), kept, and pushed to Vapi by
 * `knowledge-base:{clientId}`, which keeps a query tool searching exactly the client's files and
 * sets it as the client's `voice.knowledgeBaseId`: every call from then on can search them. A file
 * removed leaves the tool, then Vapi. The same bytes uploaded again are the same file (200, not 201).
 * Each change signals the sync; when Temporal does not answer in time the change is kept and the
 * answer is a 503 to retry (a retry of the same upload or removal changes nothing but the signal).
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { checkKnowledgeFile, KNOWLEDGE_FILE_MAX_BYTES } from '../../domain/knowledge-base.js';
import { KnowledgeBaseFull, type KnowledgeFileView } from '../../services/knowledge-base.js';
import { knowledgeBaseChangedSignal, WORKFLOW_TYPES, workflowIds, type KnowledgeBaseInput } from '../../workflows/contracts.js';
import { requireClientId } from '../plugins/auth.js';
import { HttpError, notFound } from '../errors.js';
import { ErrorBody, IdParams } from '../schemas.js';
import { SIGNAL_DEADLINE_MS, within } from '../temporal-deadline.js';
import type { AppDeps } from '../deps.js';

const FileOut = z.object({
  id: z.string(),
  name: z.string(),
  contentType: z.string(),
  size: z.number(),
  sha256: z.string(),
  /** pending (to upload), uploaded, removing, refused (the provider would not take it: see error) */
  status: z.string(),
  providerFileId: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  uploadedAt: z.string().nullable(),
});
const KnowledgeBaseOut = z.object({
  toolId: z.string().nullable(),
  syncedAt: z.string().nullable(),
  error: z.string().nullable(),
  files: z.array(FileOut),
});

const fileOut = (f: KnowledgeFileView) => ({
  ...f,
  createdAt: f.createdAt.toISOString(),
  uploadedAt: f.uploadedAt?.toISOString() ?? null,
});

/** The one `file` part of the multipart body: its name and bytes. A body the parser cannot read is a 400. */
async function readFilePart(req: FastifyRequest): Promise<{ filename: string; bytes: Buffer }> {
  if (!req.isMultipart()) throw new HttpError(415, 'unsupported_media_type', 'send the file as multipart/form-data, field "file"');
  let found: { filename: string; bytes: Buffer } | undefined;
  try {
    for await (const part of req.parts({ limits: { fileSize: KNOWLEDGE_FILE_MAX_BYTES + 1, files: 1 } })) {
      if (part.type !== 'file' || part.fieldname !== 'file')
        throw new HttpError(400, 'validation_failed', `unexpected field "${part.fieldname}"; send one file as "file"`);
      found = { filename: part.filename, bytes: await part.toBuffer() };
    }
  } catch (err) {
    if (err instanceof HttpError) throw err;
    const status = (err as { statusCode?: number }).statusCode;
    if (status === 413) throw new HttpError(413, 'too_large', `a file may have at most ${KNOWLEDGE_FILE_MAX_BYTES / 1024 / 1024} MB`);
    if (status !== undefined && status >= 400 && status < 500) throw err;
    throw new HttpError(400, 'invalid_multipart', `the multipart body cannot be read: ${(err as Error).message}`);
  }
  if (!found) throw new HttpError(400, 'validation_failed', 'missing file field "file"');
  return found;
}

export const knowledgeBaseRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  const { knowledgeBase, gateway } = deps.services;
  const tags = ['client'];

  /** Tells the client's sync a file changed; a 503 when Temporal does not answer in time (the change is kept). */
  async function signalSync(clientId: string, reason: string, log: FastifyRequest['log']) {
    const input: KnowledgeBaseInput = { version: 1, clientId };
    const sent = gateway.signalWithStart(
      WORKFLOW_TYPES.knowledgeBase,
      workflowIds.knowledgeBase(clientId),
      [input],
      knowledgeBaseChangedSignal,
      {
        reason,
      },
    );
    try {
      await within(sent, SIGNAL_DEADLINE_MS);
    } catch (err) {
      log.error({ err, clientId }, 'could not signal the knowledge-base sync');
      throw new HttpError(503, 'workflow_unavailable', 'the change is kept, but the sync could not be started yet: please send it again');
    }
  }

  app.get(
    '/v1/settings/voice/knowledge-base',
    {
      schema: {
        tags,
        summary: "The voice knowledge base: its files and Vapi's query tool over them (VO-001)",
        response: { 200: KnowledgeBaseOut },
      },
    },
    async (req) => {
      const kb = await knowledgeBase.forTenant(requireClientId(req)).view();
      return { ...kb, syncedAt: kb.syncedAt?.toISOString() ?? null, files: kb.files.map(fileOut) };
    },
  );

  app.post(
    '/v1/settings/voice/knowledge-base/files',
    {
      schema: {
        tags,
        summary: 'Add a document to the voice knowledge base (multipart, field "file")',
        description:
          'Supported: .txt .pdf .docx .doc .csv .tsv .md .yaml .yml .json .xml .log, 1 byte to 5 MB, at most 50 files. ' +
          '201 with the file (pending until Vapi has it); 200 with the file already there when the same bytes were uploaded before.',
        response: { 200: FileOut, 201: FileOut, 400: ErrorBody, 409: ErrorBody, 413: ErrorBody, 415: ErrorBody, 503: ErrorBody },
      },
    },
    async (req, reply) => {
      const clientId = requireClientId(req);
      const { filename, bytes } = await readFilePart(req);
      const checked = checkKnowledgeFile(filename, bytes.byteLength);
      if (!checked.ok) {
        const status = checked.issue.code === 'too_large' ? 413 : 400;
        throw new HttpError(status, checked.issue.code, checked.issue.message);
      }
      let added;
      try {
        added = await knowledgeBase.system.add(clientId, { name: checked.name, contentType: checked.contentType, bytes });
      } catch (err) {
        if (err instanceof KnowledgeBaseFull) throw new HttpError(409, 'knowledge_base_full', err.message);
        throw err;
      }
      await signalSync(clientId, `added:${added.file.id}`, req.log);
      return reply.status(added.created ? 201 : 200).send(fileOut(added.file));
    },
  );

  app.delete(
    '/v1/settings/voice/knowledge-base/files/:id',
    {
      schema: {
        tags,
        summary: 'Remove a document from the voice knowledge base (then from Vapi)',
        params: IdParams,
        response: { 202: FileOut, 404: ErrorBody, 503: ErrorBody },
      },
    },
    async (req, reply) => {
      const clientId = requireClientId(req);
      const file = await knowledgeBase.system.remove(clientId, req.params.id);
      if (!file) throw notFound('file');
      await signalSync(clientId, `removed:${file.id}`, req.log);
      return reply.status(202).send(fileOut(file));
    },
  );
};
