/**
 * The dashboards' HTTP client: the same JSON API as any integration, with the tab's key as a
 * Bearer token. An error answer becomes an ApiError carrying the API's code, message and the
 * field or row issues it listed.
 */
import { session, type Role } from './session';

export interface Issue {
  field?: string;
  message: string;
  row?: number;
  line?: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: Issue[] = [],
  ) {
    super(message);
  }
}

/** Fired when the API refuses the tab's key: the console shows its sign-in again. */
export const SIGNED_OUT = 'agency-os:signed-out';

function issuesOf(body: { issues?: unknown; details?: unknown }): Issue[] {
  const list = Array.isArray(body.issues) ? body.issues : Array.isArray(body.details) ? body.details : [];
  return list.filter((i): i is Issue => typeof i === 'object' && i !== null && typeof (i as Issue).message === 'string');
}

export interface Api {
  get<T>(path: string): Promise<T>;
  send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T>;
  /** A file download (CSV exports): fetched with the key, then saved under the server's file name. */
  download(path: string, fallbackName: string): Promise<void>;
}

export function createApi(role: Role, key = () => session.get(role)): Api {
  async function request(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${key() ?? ''}` };
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await fetch(path, { method, headers, body: payload });
    if (res.ok) return res;
    const text = await res.text();
    let parsed: { error?: string; message?: string; issues?: unknown; details?: unknown } = {};
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { message: text || res.statusText };
    }
    if (res.status === 401) window.dispatchEvent(new CustomEvent(SIGNED_OUT, { detail: role }));
    throw new ApiError(res.status, parsed.error ?? 'error', parsed.message ?? res.statusText, issuesOf(parsed));
  }

  return {
    async get<T>(path: string) {
      return (await (await request('GET', path)).json()) as T;
    },
    async send<T>(method: string, path: string, body?: unknown) {
      const res = await request(method, path, body);
      return (res.status === 204 ? null : await res.json()) as T;
    },
    async download(path, fallbackName) {
      const res = await request('GET', path);
      const name = /filename="?([^";]+)"?/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
  };
}
