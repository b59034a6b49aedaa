/**
 * A local fake of Sentry's ingest endpoint (SYS-009 tests): accepts POST /api/<projectId>/envelope/
 * and parses each envelope (newline-separated JSON: the envelope header, then per item an item
 * header and its payload; gzip bodies too). Events (item type "event") are kept for the test.
 *
 *   const sentry = await startSentryFake();
 *   initSentry({ dsn: sentry.dsn }, { processHandlers: false });
 *   ... await flushSentry(); await sentry.waitForEvents(1);
 *   sentry.events[0].tags; sentry.raw   // the bodies as received, to check nothing personal left
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { gunzipSync } from 'node:zlib';

export interface SentryEnvelope {
  projectId: string;
  header: Record<string, unknown>;
  items: { header: { type?: string; length?: number; [k: string]: unknown }; payload: unknown }[];
}

export interface SentryEventPayload {
  event_id?: string;
  level?: string;
  message?: string;
  tags?: Record<string, string>;
  extra?: Record<string, unknown>;
  fingerprint?: string[];
  exception?: { values?: { type?: string; value?: string }[] };
  request?: Record<string, unknown>;
  [k: string]: unknown;
}

/** Splits an envelope body: header line, then (item header, payload) pairs; a payload with `length` is read by bytes. */
export function parseEnvelope(body: Buffer, projectId = ''): SentryEnvelope {
  let pos = 0;
  const line = (): Buffer => {
    const end = body.indexOf(0x0a, pos);
    const out = body.subarray(pos, end === -1 ? body.length : end);
    pos = end === -1 ? body.length : end + 1;
    return out;
  };
  const header = JSON.parse(line().toString('utf8')) as Record<string, unknown>;
  const items: SentryEnvelope['items'] = [];
  while (pos < body.length) {
    const raw = line().toString('utf8').trim();
    if (raw === '') continue;
    const itemHeader = JSON.parse(raw) as SentryEnvelope['items'][number]['header'];
    let payload: Buffer;
    if (typeof itemHeader.length === 'number') {
      payload = body.subarray(pos, pos + itemHeader.length);
      pos += itemHeader.length;
      if (body[pos] === 0x0a) pos++;
    } else payload = line();
    const text = payload.toString('utf8');
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // An attachment or another non-JSON item: kept as text.
    }
    items.push({ header: itemHeader, payload: parsed });
  }
  return { projectId, header, items };
}

export interface SentryFake {
  /** A DSN pointing here: http://public@127.0.0.1:<port>/1. */
  dsn: string;
  envelopes: SentryEnvelope[];
  /** The event payloads received, in order. */
  events: SentryEventPayload[];
  /** Every body received, decompressed, as text. */
  raw: string[];
  /** Requests to anything but POST /api/<id>/envelope/. */
  unexpected: string[];
  /**
   * The events once at least `count` have arrived, or those there are after timeoutMs (default a
   * minute: a safety net for a hang on a busy machine, never a speed check).
   */
  waitForEvents(count: number, timeoutMs?: number): Promise<SentryEventPayload[]>;
  stop(): Promise<void>;
}

export async function startSentryFake(projectId = '1'): Promise<SentryFake> {
  const envelopes: SentryEnvelope[] = [];
  const events: SentryEventPayload[] = [];
  const raw: string[] = [];
  const unexpected: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const m = /^\/api\/([^/]+)\/envelope\/?(?:\?.*)?$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !m) {
        unexpected.push(`${req.method} ${req.url}`);
        res.writeHead(404).end();
        return;
      }
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      raw.push(body.toString('utf8'));
      try {
        const envelope = parseEnvelope(body, m[1]);
        envelopes.push(envelope);
        for (const item of envelope.items) if (item.header.type === 'event') events.push(item.payload as SentryEventPayload);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: envelope.header.event_id ?? null }));
      } catch (err) {
        unexpected.push(`unparseable envelope: ${String(err)}`);
        res.writeHead(400).end();
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    dsn: `http://public@127.0.0.1:${port}/${projectId}`,
    envelopes,
    events,
    raw,
    unexpected,
    async waitForEvents(count, timeoutMs = 60_000) {
      const until = Date.now() + timeoutMs;
      while (events.length < count && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
      return events;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
