/**
 * VO-001: what a client's voice knowledge base accepts. Vapi reads these formats in a knowledge
 * base (its knowledge-base guide): plain text, PDF, Word, CSV/TSV, Markdown, YAML, JSON, XML and
 * logs. A file is known by its name's extension (what Vapi goes by); the content type a browser
 * sends is often generic (application/octet-stream), so the one kept is the extension's.
 */

/** Extension -> the content type the file is stored and uploaded with. */
export const KNOWLEDGE_FILE_TYPES: Readonly<Record<string, string>> = {
  txt: 'text/plain',
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  doc: 'application/msword',
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  md: 'text/markdown',
  yaml: 'application/yaml',
  yml: 'application/yaml',
  json: 'application/json',
  xml: 'application/xml',
  log: 'text/plain',
};

/**
 * At most this many bytes a file. Vapi advises small, focused documents for retrieval; 5 MB
 * holds a long product manual as PDF, and keeps the bytes the database holds until the upload small.
 */
export const KNOWLEDGE_FILE_MAX_BYTES = 5 * 1024 * 1024;
/** At most this many files in one client's knowledge base. */
export const KNOWLEDGE_BASE_MAX_FILES = 50;
/** A file name's length limit (what the provider keeps as the name, and what the client sees). */
export const KNOWLEDGE_FILE_NAME_MAX = 200;

export type KnowledgeFileIssue =
  | { code: 'empty'; message: string }
  | { code: 'too_large'; message: string }
  | { code: 'unsupported_type'; message: string }
  | { code: 'bad_name'; message: string };

/** The file's name as kept: its last path segment, control characters removed, trimmed. */
export function knowledgeFileName(raw: string): string {
  const last = raw.split(/[\\/]/).pop() ?? '';
  return last.replace(/[\u0000-\u001f\u007f]/g, '').trim();
}

/** The extension a name ends with, lower case ('' when none). */
export function knowledgeFileExtension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1).toLowerCase() : '';
}

/** Why a file cannot join a knowledge base, or its content type when it can. */
export function checkKnowledgeFile(
  rawName: string,
  size: number,
): { ok: true; name: string; contentType: string } | { ok: false; issue: KnowledgeFileIssue } {
  const name = knowledgeFileName(rawName);
  if (!name || name.length > KNOWLEDGE_FILE_NAME_MAX)
    return { ok: false, issue: { code: 'bad_name', message: `a file needs a name of 1 to ${KNOWLEDGE_FILE_NAME_MAX} characters` } };
  const contentType = KNOWLEDGE_FILE_TYPES[knowledgeFileExtension(name)];
  if (!contentType)
    return {
      ok: false,
      issue: {
        code: 'unsupported_type',
        message: `"${name}" is not a supported file type (${Object.keys(KNOWLEDGE_FILE_TYPES)
          .map((e) => `.${e}`)
          .join(', ')})`,
      },
    };
  if (size === 0) return { ok: false, issue: { code: 'empty', message: `"${name}" is empty` } };
  if (size > KNOWLEDGE_FILE_MAX_BYTES)
    return { ok: false, issue: { code: 'too_large', message: `"${name}" is larger than ${KNOWLEDGE_FILE_MAX_BYTES / 1024 / 1024} MB` } };
  return { ok: true, name, contentType };
}
