/**
 * The knowledge-base routes of the Vapi fake (VO-001): files and query tools, in Vapi's wire
 * format (File_, QueryTool of @vapi-ai/server-sdk 2.0.1). VapiFake (vapi-fake.ts) hands it every
 * authorised request and exposes its `files`, `tools` and `deletedFileIds`.
 *
 *   POST   /file       multipart/form-data, part `file` (its filename and Content-Type kept), optional
 *                      `purpose` and `metadata` -> 201 File_ { id, orgId, object:'file', status:'done', name,
 *                      originalName, bytes, mimetype, purpose, metadata, url, createdAt, updatedAt };
 *                      400 for a body that is not multipart, without a `file` part, or with other fields
 *   GET    /file       -> 200 File_[];  GET /file/:id -> 200 File_ | 404
 *   DELETE /file/:id   -> 200 the deleted File_ | 404
 *   POST   /tool       { type:'query', knowledgeBases?, messages?, rejectionPlan? } -> 201 QueryTool { id, orgId,
 *                      type, knowledgeBases, createdAt, updatedAt }; 400 for another type (the fake has query
 *                      tools only), properties the DTO does not have ("property function should not exist":
 *                      CreateQueryToolDto has no `function`), a knowledge base that is not { provider:'google',
 *                      name, description, fileIds: string[], model? }, or a file id the org does not have
 *                      (the fake's choice: Vapi's answer to an unknown file id is unverified)
 *   GET    /tool       -> 200 tools;  GET /tool/:id -> 200 | 404
 *   PATCH  /tool/:id   UpdateToolsRequestBody.Query: the fields given replace the tool's (knowledgeBases
 *                      whole) -> 200 | 404 | 400 as for POST, and for a `type` other than the tool's
 *   DELETE /tool/:id   -> 200 the deleted tool | 404
 */
import { randomUUID } from 'node:crypto';
import type { FakeRequest, FakeResponse } from './http-fake.js';

/** A file as Vapi answers it, plus what the fake received (`content`: the exact bytes). */
export interface FakeVapiFile {
  id: string;
  orgId: string;
  object: 'file';
  status: 'done';
  name: string;
  originalName: string;
  /** The size in bytes (Vapi's field). */
  bytes: number;
  mimetype: string;
  purpose?: string;
  metadata?: Record<string, unknown>;
  url: string;
  createdAt: string;
  updatedAt: string;
  /** The uploaded bytes (not part of Vapi's answer). */
  content: Buffer;
}

export interface FakeVapiKnowledgeBase {
  provider: 'google';
  name: string;
  description: string;
  fileIds: string[];
  model?: string;
}

export interface FakeVapiTool {
  id: string;
  orgId: string;
  type: 'query';
  knowledgeBases?: FakeVapiKnowledgeBase[];
  messages?: unknown[];
  rejectionPlan?: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

type ErrorBody = (status: number, message: string | string[]) => unknown;

const QUERY_TOOL_PROPERTIES = new Set(['type', 'messages', 'knowledgeBases', 'rejectionPlan']);
const KNOWLEDGE_BASE_PROPERTIES = new Set(['name', 'provider', 'model', 'description', 'fileIds']);
const FILE_PURPOSES = ['assistant', 'composer-attachment', 'knowledge-base-v2'];
const FILE_FIELDS = new Set(['file', 'purpose', 'metadata']);

const reply = (status: number, body: unknown): FakeResponse => ({ status, body });
const isObject = (v: unknown): v is Record<string, unknown> => Boolean(v) && typeof v === 'object' && !Array.isArray(v);

export class VapiKnowledgeBaseRoutes {
  readonly files: FakeVapiFile[] = [];
  readonly tools: FakeVapiTool[] = [];
  /** Files deleted through DELETE /file/{id}, in order. */
  readonly deletedFileIds: string[] = [];
  readonly deletedToolIds: string[] = [];

  constructor(
    private readonly orgId: string,
    private readonly errorBody: ErrorBody,
  ) {}

  reset(): void {
    this.files.length = 0;
    this.tools.length = 0;
    this.deletedFileIds.length = 0;
    this.deletedToolIds.length = 0;
  }

  /** The answer to a request for /file or /tool, or undefined for any other path. */
  route(req: FakeRequest): Promise<FakeResponse> | FakeResponse | undefined {
    const { method, path } = req;
    if (path === '/file') {
      if (method === 'POST') return this.upload(req);
      if (method === 'GET') return reply(200, this.files.map(answerOf));
    }
    if (path === '/tool') {
      if (method === 'POST') return this.createTool(req.body);
      if (method === 'GET') return reply(200, this.tools);
    }
    const f = /^\/file\/([^/]+)$/.exec(path);
    if (f) return this.fileById(method, decodeURIComponent(f[1]!));
    const t = /^\/tool\/([^/]+)$/.exec(path);
    if (t) return this.toolById(method, decodeURIComponent(t[1]!), req.body);
    return undefined;
  }

  private error(status: number, message: string | string[]): FakeResponse {
    return reply(status, this.errorBody(status, message));
  }

  private async upload(req: FakeRequest): Promise<FakeResponse> {
    const contentType = req.headers['content-type'] ?? '';
    if (!contentType.startsWith('multipart/form-data')) return this.error(400, ['file must be uploaded as multipart/form-data']);
    let form: FormData;
    try {
      form = await new Request('http://fake/file', {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: req.rawBytes,
      }).formData();
    } catch (err) {
      return this.error(400, [`multipart body could not be parsed: ${(err as Error).message}`]);
    }
    const problems: string[] = [];
    for (const key of new Set(form.keys())) if (!FILE_FIELDS.has(key)) problems.push(`property ${key} should not exist`);
    const part = form.get('file');
    if (!(part instanceof Blob)) problems.push('file is required');
    const purpose = form.get('purpose');
    if (purpose !== null && (typeof purpose !== 'string' || !FILE_PURPOSES.includes(purpose)))
      problems.push(`purpose must be one of the following values: ${FILE_PURPOSES.join(', ')}`);
    const rawMetadata = form.get('metadata');
    let metadata: Record<string, unknown> | undefined;
    if (rawMetadata !== null) {
      try {
        metadata = JSON.parse(String(rawMetadata)) as Record<string, unknown>;
      } catch {
        problems.push('metadata must be a JSON string');
      }
    }
    if (problems.length > 0 || !(part instanceof Blob)) return this.error(400, problems);
    const content = Buffer.from(await part.arrayBuffer());
    const name = part instanceof File && part.name ? part.name : 'blob';
    const now = new Date().toISOString();
    const id = randomUUID();
    const file: FakeVapiFile = {
      id,
      orgId: this.orgId,
      object: 'file',
      status: 'done',
      name,
      originalName: name,
      bytes: content.length,
      mimetype: part.type || 'application/octet-stream',
      ...(typeof purpose === 'string' ? { purpose } : {}),
      ...(metadata ? { metadata } : {}),
      url: `https://storage.vapi.fake/${this.orgId}/${id}`,
      createdAt: now,
      updatedAt: now,
      content,
    };
    this.files.push(file);
    return reply(201, answerOf(file));
  }

  private fileById(method: string, id: string): FakeResponse | undefined {
    const i = this.files.findIndex((x) => x.id === id);
    if (method !== 'GET' && method !== 'DELETE') return undefined;
    if (i < 0) return this.error(404, 'File not found');
    if (method === 'GET') return reply(200, answerOf(this.files[i]!));
    const [file] = this.files.splice(i, 1);
    this.deletedFileIds.push(file!.id);
    return reply(200, answerOf(file!));
  }

  private toolById(method: string, id: string, body: unknown): FakeResponse | undefined {
    const i = this.tools.findIndex((x) => x.id === id);
    if (method !== 'GET' && method !== 'DELETE' && method !== 'PATCH') return undefined;
    if (i < 0) return this.error(404, 'Tool not found');
    const tool = this.tools[i]!;
    if (method === 'GET') return reply(200, tool);
    if (method === 'DELETE') {
      this.tools.splice(i, 1);
      this.deletedToolIds.push(tool.id);
      return reply(200, tool);
    }
    const problems = this.queryToolProblems(body, 'update');
    if (problems.length > 0) return this.error(400, problems);
    const dto = body as Record<string, unknown>;
    if (dto.type !== undefined && dto.type !== tool.type)
      return this.error(400, [`type cannot change from ${tool.type} to ${String(dto.type)}`]);
    for (const key of ['knowledgeBases', 'messages', 'rejectionPlan'] as const) {
      if (dto[key] !== undefined) (tool as unknown as Record<string, unknown>)[key] = structuredClone(dto[key]);
    }
    tool.updatedAt = new Date().toISOString();
    return reply(200, tool);
  }

  private createTool(body: unknown): FakeResponse {
    if (!isObject(body)) return this.error(400, ['body must be a JSON object']);
    if (body.type !== 'query') return this.error(400, [`the fake creates tools of type 'query' only, not '${String(body.type)}'`]);
    const problems = this.queryToolProblems(body, 'create');
    if (problems.length > 0) return this.error(400, problems);
    const now = new Date().toISOString();
    const tool: FakeVapiTool = {
      id: randomUUID(),
      orgId: this.orgId,
      type: 'query',
      ...(body.knowledgeBases !== undefined ? { knowledgeBases: structuredClone(body.knowledgeBases as FakeVapiKnowledgeBase[]) } : {}),
      ...(body.messages !== undefined ? { messages: structuredClone(body.messages as unknown[]) } : {}),
      ...(body.rejectionPlan !== undefined ? { rejectionPlan: structuredClone(body.rejectionPlan as Record<string, unknown>) } : {}),
      createdAt: now,
      updatedAt: now,
    };
    this.tools.push(tool);
    return reply(201, tool);
  }

  /** What Vapi would say about a CreateQueryToolDto / UpdateQueryToolDto (plus the file ids the org has). */
  private queryToolProblems(body: unknown, mode: 'create' | 'update'): string[] {
    if (!isObject(body)) return ['body must be a JSON object'];
    const problems: string[] = [];
    for (const key of Object.keys(body)) if (!QUERY_TOOL_PROPERTIES.has(key)) problems.push(`property ${key} should not exist`);
    if (mode === 'update' && body.type !== undefined && typeof body.type !== 'string') problems.push('type must be a string');
    if (body.messages !== undefined && !Array.isArray(body.messages)) problems.push('messages must be an array');
    if (body.rejectionPlan !== undefined && !isObject(body.rejectionPlan)) problems.push('rejectionPlan must be an object');
    if (body.knowledgeBases === undefined) return problems;
    if (!Array.isArray(body.knowledgeBases)) return [...problems, 'knowledgeBases must be an array'];
    for (const [n, kb] of (body.knowledgeBases as unknown[]).entries()) {
      const at = `knowledgeBases.${n}`;
      if (!isObject(kb)) {
        problems.push(`${at} must be an object`);
        continue;
      }
      for (const key of Object.keys(kb)) if (!KNOWLEDGE_BASE_PROPERTIES.has(key)) problems.push(`${at}.property ${key} should not exist`);
      if (kb.provider !== 'google') problems.push(`${at}.provider must be one of the following values: google`);
      if (typeof kb.name !== 'string') problems.push(`${at}.name must be a string`);
      if (typeof kb.description !== 'string') problems.push(`${at}.description must be a string`);
      if (kb.model !== undefined && typeof kb.model !== 'string') problems.push(`${at}.model must be a string`);
      if (!Array.isArray(kb.fileIds) || !kb.fileIds.every((x) => typeof x === 'string')) {
        problems.push(`${at}.each value in fileIds must be a string`);
        continue;
      }
      for (const fileId of kb.fileIds as string[])
        if (!this.files.some((x) => x.id === fileId)) problems.push(`${at}.fileIds: file ${fileId} not found`);
    }
    return problems;
  }
}

/** A stored file as Vapi answers it (without the bytes). */
function answerOf(file: FakeVapiFile): Omit<FakeVapiFile, 'content'> {
  const { content: _content, ...answer } = file;
  return answer;
}
