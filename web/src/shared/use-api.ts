/** Loading an API answer into a component: data, error, loading, and a reload (optionally polling). */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { useContext } from 'preact/hooks';
import { createContext } from 'preact';
import type { Api } from './api';

export const ApiContext = createContext<Api | null>(null);

export function useApiClient(): Api {
  const api = useContext(ApiContext);
  if (!api) throw new Error('no API client: render inside <ApiContext.Provider>');
  return api;
}

export interface Loaded<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

/** GET `path` (null: nothing to load yet), again when it changes, and every `pollMs` while `poll` says so. */
export function useGet<T>(path: string | null, opts: { pollMs?: number; poll?: (data: T) => boolean } = {}): Loaded<T> {
  const api = useApiClient();
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: path !== null });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const pollRef = useRef(opts);
  pollRef.current = opts;

  useEffect(() => {
    if (path === null) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    setState((s) => ({ ...s, loading: true }));
    api
      .get<T>(path)
      .then((data) => {
        if (!live) return;
        setState({ data, loading: false });
        const { pollMs, poll } = pollRef.current;
        if (pollMs && (!poll || poll(data))) timer = setTimeout(reload, pollMs);
      })
      .catch((error: Error) => live && setState((s) => ({ ...s, error, loading: false })));
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [api, path, tick, reload]);

  return { data: state.data, error: state.error, loading: state.loading, reload };
}

export interface Paged<T> {
  rows: T[];
  error: Error | undefined;
  /** The first page has arrived. */
  loaded: boolean;
  /** Fetches the next page (the list's `nextCursor`); null on the last page. */
  loadMore: (() => void) | null;
}

/** A keyset list (`{ [key]: rows, nextCursor }`): the first page for `path`, then more on demand. */
export function usePaged<T>(path: string, key: string): Paged<T> {
  const api = useApiClient();
  const first = useGet<Record<string, unknown>>(path);
  const [more, setMore] = useState<{ rows: T[]; next: string | null; error?: Error } | null>(null);
  useEffect(() => setMore(null), [first.data]);
  const cursor = more ? more.next : ((first.data?.nextCursor as string | null | undefined) ?? null);
  const loadMore = cursor
    ? () => {
        const sep = path.includes('?') ? '&' : '?';
        api
          .get<Record<string, unknown>>(`${path}${sep}cursor=${encodeURIComponent(cursor)}`)
          .then((page) =>
            setMore((m) => ({ rows: [...(m?.rows ?? []), ...(page[key] as T[])], next: (page.nextCursor as string | null) ?? null })),
          )
          .catch((error: Error) => setMore((m) => ({ rows: m?.rows ?? [], next: m?.next ?? cursor, error })));
      }
    : null;
  return {
    rows: [...((first.data?.[key] as T[] | undefined) ?? []), ...(more?.rows ?? [])],
    error: first.error ?? more?.error,
    loaded: first.data !== undefined,
    loadMore,
  };
}
