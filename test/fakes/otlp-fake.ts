/**
 * A local OTLP/HTTP trace collector (SYS-009 tracing tests): accepts POST /v1/traces with an
 * ExportTraceServiceRequest in OTLP's JSON encoding (what @opentelemetry/exporter-trace-otlp-http
 * sends: hex trace and span ids, integer enums, AnyValue attributes; gzip bodies too), answers as
 * a collector does (200, an ExportTraceServiceResponse), and keeps every span, flattened with its
 * resource's service.name. Anything else (another path, protobuf) is refused and recorded.
 *
 *   const otlp = await startOtlpFake();
 *   loadConfig({ ..., OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint });
 *   ... await otlp.waitFor((spans) => spans.find((s) => s.name === 'RunWorkflow:x'));
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { gunzipSync } from 'node:zlib';

/** OTLP's SpanKind numbers (opentelemetry-proto trace.proto). */
export const SPAN_KIND = { INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 } as const;

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** Undefined for a root span. */
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  /** The resource's service.name (which process made it). */
  service: string;
  resource: Record<string, unknown>;
  scope: string;
  status: { code?: number; message?: string };
}

interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
  arrayValue?: { values?: AnyValue[] };
  kvlistValue?: { values?: KeyValue[] };
  bytesValue?: string;
}
interface KeyValue {
  key: string;
  value?: AnyValue;
}
interface ExportRequest {
  resourceSpans?: {
    resource?: { attributes?: KeyValue[] };
    scopeSpans?: {
      scope?: { name?: string };
      spans?: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind?: number;
        attributes?: KeyValue[];
        status?: { code?: number; message?: string };
      }[];
    }[];
  }[];
}

function valueOf(v: AnyValue | undefined): unknown {
  if (!v) return undefined;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  // int64 may come as a JSON string (proto3 JSON mapping) or a number.
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(valueOf);
  if (v.kvlistValue) return attributesOf(v.kvlistValue.values);
  return v.bytesValue;
}

function attributesOf(list: KeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, valueOf(kv.value)]));
}

const HEX_ID = /^[0-9a-f]+$/;

/** Flattens one export request; throws on what a collector would refuse (ids not hex of the right length). */
export function decodeExport(body: ExportRequest): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  for (const rs of body.resourceSpans ?? []) {
    const resource = attributesOf(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        if (s.traceId.length !== 32 || !HEX_ID.test(s.traceId)) throw new Error(`bad traceId ${s.traceId}`);
        if (s.spanId.length !== 16 || !HEX_ID.test(s.spanId)) throw new Error(`bad spanId ${s.spanId}`);
        out.push({
          traceId: s.traceId,
          spanId: s.spanId,
          ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
          name: s.name,
          kind: s.kind ?? 0,
          attributes: attributesOf(s.attributes),
          service: String(resource['service.name'] ?? ''),
          resource,
          scope: ss.scope?.name ?? '',
          status: s.status ?? {},
        });
      }
    }
  }
  return out;
}

export interface OtlpFake {
  /** The collector's base URL, for OTEL_EXPORTER_OTLP_ENDPOINT (traces at <endpoint>/v1/traces). */
  endpoint: string;
  spans: ReceivedSpan[];
  /** Export requests accepted. */
  requests: number;
  /** The headers of the last export request. */
  lastHeaders: Record<string, string | string[] | undefined>;
  /** Requests refused (wrong path or method, protobuf, unparseable JSON). */
  unexpected: string[];
  /** Polls the spans received until `found` returns something truthy (then returned), or throws after timeoutMs. */
  waitFor<T>(found: (spans: ReceivedSpan[]) => T | undefined | false, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

export async function startOtlpFake(): Promise<OtlpFake> {
  const unexpected: string[] = [];
  const fake = { spans: [] as ReceivedSpan[], requests: 0, lastHeaders: {} as OtlpFake['lastHeaders'], unexpected };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
      if (req.method !== 'POST' || req.url?.split('?')[0] !== '/v1/traces' || type !== 'application/json') {
        unexpected.push(`${req.method} ${req.url} ${type}`);
        res.writeHead(req.url?.split('?')[0] === '/v1/traces' ? 415 : 404).end();
        return;
      }
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      try {
        fake.spans.push(...decodeExport(JSON.parse(body.toString('utf8')) as ExportRequest));
        fake.requests += 1;
        fake.lastHeaders = req.headers;
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } catch (err) {
        unexpected.push(`unparseable export: ${String(err)}`);
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 3, message: String(err) }));
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    endpoint: `http://127.0.0.1:${port}`,
    async waitFor<T>(found: (spans: ReceivedSpan[]) => T | undefined | false, timeoutMs = 60_000): Promise<T> {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const value = found(fake.spans);
        if (value) return value;
        if (Date.now() > until) throw new Error(`spans not received; got: ${fake.spans.map((s) => s.name).join(', ') || 'none'}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
