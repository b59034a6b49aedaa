/**
 * A client's voice knowledge base (VO-001): the files it uploaded and the provider's query tool
 * over them. The client lists its own under row-level security (forTenant); files are added and
 * removed on the system path for the client the API key names (the tenant role only reads these
 * tables), and the sync (`knowledge-base:{clientId}`, activities/knowledge-base.ts) records what
 * the provider did. A file's bytes are kept only until the provider has them.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../db/client.js';
import { KNOWLEDGE_BASE_MAX_FILES } from '../domain/knowledge-base.js';
import { BadInput } from '../domain/failures.js';

export type KnowledgeFileStatus = 'pending' | 'uploaded' | 'removing' | 'refused';

/** A file as the client sees it (never its bytes). */
export interface KnowledgeFileView {
  id: string;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  status: KnowledgeFileStatus;
  providerFileId: string | null;
  error: string | null;
  createdAt: Date;
  uploadedAt: Date | null;
}

export interface KnowledgeBaseView {
  toolId: string | null;
  syncedAt: Date | null;
  error: string | null;
  files: KnowledgeFileView[];
}

/** The client's knowledge base already holds KNOWLEDGE_BASE_MAX_FILES files. */
export class KnowledgeBaseFull extends BadInput {}

const fileView = {
  id: true,
  name: true,
  contentType: true,
  size: true,
  sha256: true,
  status: true,
  providerFileId: true,
  error: true,
  createdAt: true,
  uploadedAt: true,
} as const;
const oldestFirst = [{ createdAt: 'asc' }, { id: 'asc' }] as const;

export function createKnowledgeBase(db: Db) {
  const { knowledgeFile, knowledgeBase } = db.system;
  return {
    forTenant(clientId: string) {
      return {
        /** The knowledge base with every file not yet removed, oldest first. */
        view: (): Promise<KnowledgeBaseView> =>
          db.asTenant(clientId, async (tx) => {
            const [kb, files] = await Promise.all([
              tx.knowledgeBase.findUnique({ where: { clientId } }),
              tx.knowledgeFile.findMany({ where: { status: { not: 'removing' } }, select: fileView, orderBy: [...oldestFirst] }),
            ]);
            return {
              toolId: kb?.providerToolId ?? null,
              syncedAt: kb?.syncedAt ?? null,
              error: kb?.error ?? null,
              files: files as KnowledgeFileView[],
            };
          }),
      };
    },

    system: {
      /**
       * Adds a file to client `clientId`'s knowledge base. The same bytes already there (not being
       * removed) are that file again: `created` false, nothing added. KnowledgeBaseFull past the limit.
       */
      async add(clientId: string, f: { name: string; contentType: string; bytes: Uint8Array }) {
        const sha256 = createHash('sha256').update(f.bytes).digest('hex');
        return db.system.$transaction(async (tx) => {
          // One add at a time per client (the count and the duplicate check hold until commit).
          await tx.$queryRaw`SELECT id FROM clients WHERE id = ${clientId}::uuid FOR UPDATE`;
          const same = await tx.knowledgeFile.findFirst({ where: { clientId, sha256, status: { not: 'removing' } }, select: fileView });
          if (same) return { file: same as KnowledgeFileView, created: false };
          const count = await tx.knowledgeFile.count({ where: { clientId, status: { not: 'removing' } } });
          if (count >= KNOWLEDGE_BASE_MAX_FILES)
            throw new KnowledgeBaseFull(`the knowledge base holds ${KNOWLEDGE_BASE_MAX_FILES} files already: remove one first`);
          const file = await tx.knowledgeFile.create({
            data: { clientId, name: f.name, contentType: f.contentType, size: f.bytes.byteLength, sha256, content: Buffer.from(f.bytes) },
            select: fileView,
          });
          return { file: file as KnowledgeFileView, created: true };
        });
      },

      /** Marks a file of the client's to be removed (at the provider, then here); null when it has none with that id. */
      async remove(clientId: string, fileId: string): Promise<KnowledgeFileView | null> {
        const { count } = await knowledgeFile.updateMany({ where: { id: fileId, clientId }, data: { status: 'removing' } });
        if (!count) return null;
        return (await knowledgeFile.findUnique({ where: { id: fileId }, select: fileView })) as KnowledgeFileView | null;
      },

      /** What a sync works from: the tool, and every file with the bytes of those still to upload. */
      async forSync(clientId: string) {
        const [kb, files, client] = await Promise.all([
          knowledgeBase.findUnique({ where: { clientId } }),
          knowledgeFile.findMany({ where: { clientId }, orderBy: [...oldestFirst] }),
          db.system.client.findUniqueOrThrow({ where: { id: clientId }, select: { name: true } }),
        ]);
        return { toolId: kb?.providerToolId ?? null, fileIds: kb?.fileIds ?? [], clientName: client.name, files };
      },

      /**
       * The provider has the file: its id kept, its bytes dropped. A file removed meanwhile keeps
       * 'removing' with the id, so the sync deletes it at the provider too.
       */
      async recordUploaded(fileId: string, providerFileId: string, at: Date) {
        const { count } = await knowledgeFile.updateMany({
          where: { id: fileId, status: 'pending' },
          data: { status: 'uploaded', providerFileId, content: null, uploadedAt: at, error: null },
        });
        if (!count) await knowledgeFile.updateMany({ where: { id: fileId, status: 'removing' }, data: { providerFileId, content: null } });
      },

      /** The provider refused the file for good (its reason kept; the bytes dropped). */
      recordRefused: (fileId: string, error: string) =>
        knowledgeFile.updateMany({
          where: { id: fileId, status: 'pending' },
          data: { status: 'refused', content: null, error: error.slice(0, 500) },
        }),

      /** A removed file is gone at the provider: the row goes. */
      recordRemoved: (fileId: string) => knowledgeFile.deleteMany({ where: { id: fileId, status: 'removing' } }),

      /** The tool searches exactly `fileIds` now. */
      recordSynced: (clientId: string, toolId: string | null, fileIds: string[], at: Date) =>
        knowledgeBase.upsert({
          where: { clientId },
          create: { clientId, providerToolId: toolId, fileIds, syncedAt: at, error: null },
          update: { providerToolId: toolId, fileIds, syncedAt: at, error: null },
        }),

      /** The tool's id as soon as the provider gives it (a retry then updates it instead of making another). */
      recordTool: (clientId: string, toolId: string) =>
        knowledgeBase.upsert({ where: { clientId }, create: { clientId, providerToolId: toolId }, update: { providerToolId: toolId } }),

      recordSyncError: (clientId: string, error: string) =>
        knowledgeBase.upsert({
          where: { clientId },
          create: { clientId, error: error.slice(0, 1000) },
          update: { error: error.slice(0, 1000) },
        }),
    },
  };
}
export type KnowledgeBaseService = ReturnType<typeof createKnowledgeBase>;
