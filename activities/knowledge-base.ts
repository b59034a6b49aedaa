/**
 * The knowledge-base sync (VO-001): a client's uploaded files pushed to the voice provider and
 * its query tool made to search exactly them; the client's `voice.knowledgeBaseId` names that tool,
 * so every call from then on adds it to the assistant (activities/lead-sequence/voice-call.ts).
 *
 * In order, each id recorded as soon as the provider gives it (a retry goes on from there, never
 * uploading a file twice nor making a second tool):
 * 1. every pending file uploaded (its bytes then dropped); a file the provider refuses for good
 *    is recorded refused with its reason and alerted, and the rest go on;
 * 2. the tool created or updated over the uploaded files (skipped when it already searches them);
 * 3. the client's voice.knowledgeBaseId set to the tool (recorded as the system's change), or
 *    cleared when no file is left;
 * 4. removed files deleted at the provider, once the tool no longer names them, and then here.
 */
import { ProviderError, type VoiceKnowledgeBase } from '../providers/ports.js';
import type { Services } from '../services/index.js';

export interface KnowledgeBaseSyncInput {
  version: 1;
  clientId: string;
  /** The workflow's clock (the sync's time). */
  nowMs?: number;
}

export interface KnowledgeBaseSyncResult {
  status: 'synced';
  toolId: string | null;
  /** Files the tool searches now. */
  files: number;
  /** Files the provider refused (kept so, with their reasons, until removed). */
  refused: number;
  /** Files this sync uploaded, and removed. */
  uploaded: number;
  removed: number;
}

/** The tool's function name: what the assistant's model calls to search the client's documents. */
export const KNOWLEDGE_TOOL_NAME = 'search_knowledge_base';

const reasonOf = (err: ProviderError) => `${err.code}: ${err.message}`.slice(0, 500);
const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function createKnowledgeBaseActivities({ services, knowledgeBase }: { services: Services; knowledgeBase: VoiceKnowledgeBase }) {
  const kb = services.knowledgeBase.system;
  const { alerts, clientSettings } = services;

  async function upload(clientId: string, f: { id: string; name: string; contentType: string; content: Uint8Array | null }, at: Date) {
    if (!f.content) return null;
    try {
      const { fileId } = await knowledgeBase.uploadFile({ name: f.name, contentType: f.contentType, bytes: f.content });
      await kb.recordUploaded(f.id, fileId, at);
      return fileId;
    } catch (err) {
      if (!(err instanceof ProviderError) || err.retryable) throw err;
      await kb.recordRefused(f.id, reasonOf(err));
      await alerts.system.raise({
        kind: 'knowledge_file_refused',
        severity: 'warning',
        dedupeKey: `knowledge-file:${f.id}`,
        clientId,
        message: `The voice provider refused the knowledge-base file "${f.name}" (${reasonOf(err)}); remove it and upload it again in a supported form`,
        data: { fileId: f.id, code: err.code },
      });
      return null;
    }
  }

  return {
    async syncKnowledgeBase(input: KnowledgeBaseSyncInput): Promise<KnowledgeBaseSyncResult> {
      const at = new Date(input.nowMs ?? Date.now());
      const { clientId } = input;
      const now = await kb.forSync(clientId);
      let uploaded = 0;
      let refused = now.files.filter((f) => f.status === 'refused').length;
      // What each pending file became (its provider id, or refused); a file removed meanwhile is the next sync's (its signal).
      for (const f of now.files.filter((x) => x.status === 'pending')) {
        const fileId = await upload(clientId, f, at);
        Object.assign(f, fileId ? { status: 'uploaded', providerFileId: fileId } : { status: 'refused' });
        if (fileId) uploaded++;
        else refused++;
      }
      const fileIds = now.files.filter((f) => f.status === 'uploaded' && f.providerFileId).map((f) => f.providerFileId!);
      let toolId = now.toolId;
      if (fileIds.length > 0 && !(toolId && sameList(fileIds, now.fileIds))) {
        try {
          ({ toolId } = await knowledgeBase.upsertQueryTool({
            toolId,
            name: KNOWLEDGE_TOOL_NAME,
            description: `Searches ${now.clientName}'s own documents (products, services, prices, policies). Use it to answer any question about ${now.clientName} instead of guessing.`,
            fileIds,
          }));
        } catch (err) {
          if (err instanceof ProviderError && !err.retryable) await kb.recordSyncError(clientId, reasonOf(err));
          throw err;
        }
        await kb.recordTool(clientId, toolId);
      }

      // The calls use the tool while it searches something; none when the last file is gone.
      const wanted = fileIds.length > 0 ? toolId : null;
      const current = (await clientSettings.system.get(clientId))?.voice.knowledgeBaseId ?? null;
      if (current !== wanted && (wanted !== null || current === now.toolId))
        await clientSettings.system.update(clientId, { voice: { knowledgeBaseId: wanted } }, { kind: 'system' }, at);
      await kb.recordSynced(clientId, toolId, fileIds, at);

      let removed = 0;
      for (const f of now.files.filter((x) => x.status === 'removing')) {
        if (f.providerFileId) await knowledgeBase.deleteFile(f.providerFileId);
        await kb.recordRemoved(f.id);
        removed++;
      }
      return { status: 'synced', toolId, files: fileIds.length, refused, uploaded, removed };
    },
  };
}
