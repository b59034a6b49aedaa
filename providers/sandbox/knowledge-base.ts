/**
 * Sandbox knowledge base (VO-001): records what would have gone to Vapi, keeps nothing but ids.
 *
 *   uploadFile      records { provider: 'vapi', kind: 'kb_file_upload', to: fileId, payload: { fileId, name,
 *                   contentType, size, sha256 } } (never the bytes) and answers `sandbox_file_...`
 *   deleteFile      records 'kb_file_delete'; 'deleted' for a file of this sandbox (`sandbox_file_...`)
 *                   not deleted yet, else 'not_found'
 *   upsertQueryTool records 'kb_tool_create' or 'kb_tool_update' with { toolId, name, description,
 *                   fileIds }: a tool this sandbox made (`sandbox_tool_...`, in this process or an
 *                   earlier one) keeps its id; null or any other id gets a new `sandbox_tool_...`, as
 *                   a tool Vapi no longer has would.
 */
import { createHash } from 'node:crypto';
import type { KnowledgeFile, SandboxRecorder, VoiceKnowledgeBase } from '../ports.js';
import { SANDBOX_PROVIDERS } from './messaging.js';
import { sandboxId } from './recorder.js';

const FILE_PREFIX = 'sandbox_file_';
const TOOL_PREFIX = 'sandbox_tool_';

export function createSandboxVoiceKnowledgeBase(recorder: SandboxRecorder): VoiceKnowledgeBase {
  const provider = SANDBOX_PROVIDERS.voice;
  const deletedFiles = new Set<string>();
  return {
    async uploadFile(file: KnowledgeFile): Promise<{ fileId: string }> {
      const fileId = sandboxId('file');
      const sha256 = createHash('sha256').update(file.bytes).digest('hex');
      await recorder.record({
        provider,
        kind: 'kb_file_upload',
        to: fileId,
        payload: { fileId, name: file.name, contentType: file.contentType, size: file.bytes.byteLength, sha256 },
      });
      return { fileId };
    },

    async deleteFile(fileId: string): Promise<'deleted' | 'not_found'> {
      await recorder.record({ provider, kind: 'kb_file_delete', to: fileId, payload: { fileId } });
      if (!fileId.startsWith(FILE_PREFIX) || deletedFiles.has(fileId)) return 'not_found';
      deletedFiles.add(fileId);
      return 'deleted';
    },

    async upsertQueryTool(tool): Promise<{ toolId: string }> {
      const known = tool.toolId?.startsWith(TOOL_PREFIX) ?? false;
      const toolId = known && tool.toolId ? tool.toolId : sandboxId('tool');
      await recorder.record({
        provider,
        kind: known ? 'kb_tool_update' : 'kb_tool_create',
        to: toolId,
        payload: { toolId, name: tool.name, description: tool.description, fileIds: [...tool.fileIds] },
      });
      return { toolId };
    },
  };
}
