/**
 * VoiceKnowledgeBase over Vapi (VO-001) with the real `@vapi-ai/server-sdk` client: a client's
 * knowledge-base files uploaded to Vapi, and the query tool that searches them (PROVIDERS.md 3).
 *
 * Verified in node_modules/@vapi-ai/server-sdk (2.0.1, Fern-generated):
 * - `files.create({ file })` is `POST /file` as multipart/form-data (core/form-data-utils: a
 *   native FormData, the SDK sets no content type of its own) with the part `file`, built by
 *   core/file `toMultipartDataPart`: an `Uploadable.WithMetadata` `{ data, filename, contentType }`
 *   becomes a Blob of type `contentType` appended with `filename`, so the part carries
 *   `filename="<name>"` and `Content-Type: <type>` (a bare Uint8Array would go out nameless as
 *   application/octet-stream). The optional `purpose` and `metadata` fields are not sent. It
 *   answers a `File_` `{ id, orgId, name, originalName, bytes, mimetype, status, ... }`.
 * - `files.delete({ id })` is `DELETE /file/{id}` (answers the deleted File_); 404 when unknown.
 * - `tools.create(CreateToolsRequest.Query)` is `POST /tool` with the JSON `{ type: 'query',
 *   knowledgeBases?, messages?, rejectionPlan? }`, a `KnowledgeBase` being `{ name, provider,
 *   description, fileIds, model? }` with `provider` 'google' (the only KnowledgeBaseProvider).
 *   CreateQueryToolDto (and UpdateQueryToolDto) have no `function`: Vapi's guide and PROVIDERS.md
 *   show `function: { name }`, the SDK generated from Vapi's API definition does not, so we follow
 *   the SDK and the tool's name is its knowledge base's `name` (Vapi's answer to an extra
 *   `function` is unverified).
 * - `tools.update({ id, body: UpdateToolsRequestBody.Query })` is `PATCH /tool/{id}` with the JSON
 *   `{ type: 'query', knowledgeBases, ... }`: `knowledgeBases` is replaced whole. 404 when unknown.
 * - Bodies go out as given (no serialization layer); every endpoint calls `baseUrl ?? environment
 *   ?? 'https://api.vapi.ai'` + path.
 * - Retries (core/fetcher/requestWithRetries): 408, 429 and every 5xx, POST included, default 2.
 *   Uploads and tool creation have no idempotency key, so `maxRetries: 0` on the client and on
 *   every request: one uploadFile() is at most one POST /file, one tool creation one POST /tool.
 *   The workflow retries, and records each id as soon as it has it.
 *
 * Errors: classifyVapiError (providers/vapi/calls.ts): 408/429/5xx, timeouts and network failures
 * are retryable ProviderErrors; 401/403 'auth_failed', 404 'not_found', other 4xx permanent.
 * deleteFile answers 'not_found' for a 404; upsertQueryTool creates a new tool when the one it
 * was given answers 404 to the update.
 */
import type { Vapi } from '@vapi-ai/server-sdk';
import { ProviderError, type KnowledgeFile, type VoiceKnowledgeBase } from '../ports.js';
import { classifyVapiError, type VapiAdapterOptions } from './calls.js';
import { vapiClient } from './client.js';

const PROVIDER = 'vapi';

/** The query tool's one knowledge base (PROVIDERS.md 3: provider 'google', over uploaded files). */
export function queryToolKnowledgeBases(tool: { name: string; description: string; fileIds: string[] }): Vapi.KnowledgeBase[] {
  return [{ provider: 'google', name: tool.name, description: tool.description, fileIds: [...tool.fileIds] }];
}

/** The multipart part of a knowledge file: its bytes with its name and content type. */
export function knowledgeFileUpload(file: KnowledgeFile): Vapi.CreateFileDto['file'] {
  return { data: file.bytes, filename: file.name, contentType: file.contentType };
}

function idOf(answer: unknown): string | undefined {
  const id = (answer as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}

export function createVapiKnowledgeBase(opts: VapiAdapterOptions): VoiceKnowledgeBase {
  const { client, requestOptions } = vapiClient(opts);

  async function createTool(knowledgeBases: Vapi.KnowledgeBase[]): Promise<{ toolId: string }> {
    let created: Vapi.CreateToolsResponse;
    try {
      created = await client.tools.create({ type: 'query', knowledgeBases }, requestOptions);
    } catch (err) {
      throw classifyVapiError(err);
    }
    const toolId = idOf(created);
    if (!toolId) throw new ProviderError(PROVIDER, 'invalid_response', 'Vapi created the query tool but returned no id', false);
    return { toolId };
  }

  return {
    async uploadFile(file: KnowledgeFile): Promise<{ fileId: string }> {
      let uploaded: Vapi.File_;
      try {
        uploaded = await client.files.create({ file: knowledgeFileUpload(file) }, requestOptions);
      } catch (err) {
        throw classifyVapiError(err);
      }
      const fileId = idOf(uploaded);
      if (!fileId) throw new ProviderError(PROVIDER, 'invalid_response', 'Vapi stored the file but returned no id', false);
      return { fileId };
    },

    async deleteFile(fileId: string): Promise<'deleted' | 'not_found'> {
      try {
        await client.files.delete({ id: fileId }, requestOptions);
        return 'deleted';
      } catch (err) {
        const e = classifyVapiError(err);
        if (e.code === 'not_found') return 'not_found';
        throw e;
      }
    },

    async upsertQueryTool(tool): Promise<{ toolId: string }> {
      const knowledgeBases = queryToolKnowledgeBases(tool);
      if (tool.toolId) {
        try {
          await client.tools.update({ id: tool.toolId, body: { type: 'query', knowledgeBases } }, requestOptions);
          return { toolId: tool.toolId };
        } catch (err) {
          const e = classifyVapiError(err);
          // The tool is gone at Vapi (deleted in the dashboard): a new one over the same files.
          if (e.code !== 'not_found') throw e;
        }
      }
      return createTool(knowledgeBases);
    },
  };
}
