/**
 * Prometheus metrics (SYS-009, issue 14): one registry per process, so that `npm start` (worker and
 * API in one process) shows both on the API's GET /metrics, and a worker run alone shows its own on
 * WORKER_METRICS_PORT (serveMetrics below). Process plumbing: every layer that counts (the API, the
 * activities) imports the series from here; nothing here knows a service.
 *
 *   http_request_duration_seconds{method,route,status}  histogram; route is the pattern, never the URL
 *   webhooks_total{provider,result}                      processed, redelivered, duplicate, unsigned, invalid, retry_later, failed
 *   touches_total{channel,outcome,reason}                sent, failed, skipped, no_capacity, retry_later (reason: the refusal or skip)
 *   cap_refusals_total{channel,kind}                     a send refused by a cap (kind: which one)
 *   replies_total{intent,channel}                        inbound replies, by the intent read from them
 *   pool_buffer{resource_type} (+ _ratio, pool_allocated, pool_pending)  read from the pool on scrape
 *   and prom-client's default process metrics (CPU, memory, event loop lag, GC).
 * The Temporal SDK's own worker metrics are exported by its Runtime (lib/logger.ts, TEMPORAL_METRICS_BIND).
 */
import { createServer, type Server } from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });
const registers = [metricsRegistry];

export const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP requests answered by the API, by method, route pattern and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers,
});

export const webhooksTotal = new Counter({
  name: 'webhooks_total',
  help: 'Provider webhook deliveries, by provider and result',
  labelNames: ['provider', 'result'] as const,
  registers,
});

export const touchesTotal = new Counter({
  name: 'touches_total',
  help: 'Sequence steps decided, by channel and outcome (reason: why skipped, refused or failed)',
  labelNames: ['channel', 'outcome', 'reason'] as const,
  registers,
});

export const capRefusalsTotal = new Counter({
  name: 'cap_refusals_total',
  help: 'Sends refused by a daily or concurrency cap, by channel and cap kind',
  labelNames: ['channel', 'kind'] as const,
  registers,
});

export const repliesTotal = new Counter({
  name: 'replies_total',
  help: 'Inbound replies recorded, by intent and channel',
  labelNames: ['intent', 'channel'] as const,
  registers,
});

/** A label value of bounded shape: provider codes and reasons are short words; anything else is cut. */
export function metricLabel(value: string | undefined | null): string {
  if (!value) return 'none';
  const v = value.replace(/[^A-Za-z0-9_:.-]+/g, '_').slice(0, 64);
  return v || 'none';
}

/** One resource type's figures as the pool service measures them. */
export interface PoolFigures {
  readyUnallocated: number;
  allocated: number;
  pending?: number;
}
type PoolSource = () => Promise<Record<string, PoolFigures>>;

let poolSource: PoolSource | undefined;
let poolCache: { at: number; figures: Promise<Record<string, PoolFigures> | undefined> } | undefined;
const POOL_CACHE_MS = 10_000;

/**
 * Where pool_buffer reads from on scrape (the composition root gives the pool service's measure).
 * Returns the function that removes it (when its context closes).
 */
export function setPoolBufferSource(source: PoolSource): () => void {
  poolSource = source;
  poolCache = undefined;
  return () => {
    if (poolSource === source) {
      poolSource = undefined;
      poolCache = undefined;
    }
  };
}

/** The pool's figures, measured at most once per 10 s however many gauges and scrapers ask; none on error. */
function poolFigures(): Promise<Record<string, PoolFigures> | undefined> {
  const source = poolSource;
  if (!source) return Promise.resolve(undefined);
  const now = Date.now();
  if (!poolCache || now - poolCache.at > POOL_CACHE_MS) {
    poolCache = { at: now, figures: source().catch(() => undefined) };
  }
  return poolCache.figures;
}

function poolGauge(name: string, help: string, value: (f: PoolFigures) => number | undefined) {
  return new Gauge({
    name,
    help,
    labelNames: ['resource_type'] as const,
    registers,
    async collect() {
      const figures = await poolFigures();
      this.reset();
      for (const [type, f] of Object.entries(figures ?? {})) {
        const v = value(f);
        if (v !== undefined) this.set({ resource_type: type }, v);
      }
    },
  });
}

export const poolBuffer = poolGauge('pool_buffer', 'Pool units ready and unallocated, per resource type', (f) => f.readyUnallocated);
export const poolBufferRatio = poolGauge(
  'pool_buffer_ratio',
  'Ready-and-unallocated over allocated, per resource type (RP-003 alerts under 0.4 and 0.2); absent when nothing is allocated',
  (f) => (f.allocated > 0 ? f.readyUnallocated / f.allocated : undefined),
);
export const poolAllocated = poolGauge('pool_allocated', 'Pool units allocated to clients, per resource type', (f) => f.allocated);
export const poolPending = poolGauge('pool_pending', 'Pool units bought and not ready yet, per resource type', (f) => f.pending ?? 0);

/** The exposition text and its content type (text/plain; version=0.0.4). */
export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  return { contentType: metricsRegistry.contentType, body: await metricsRegistry.metrics() };
}

/** True when `token` is unset, or the request's `Authorization: Bearer` carries it. */
export function metricsAuthorized(token: string | undefined, authorization: string | undefined): boolean {
  if (!token) return true;
  const m = /^\s*bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!m) return false;
  const a = createHash('sha256').update(m[1]!).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

/**
 * A tiny HTTP server for a process without the API (the worker run alone): GET /metrics, the same
 * token rule as the API's route; everything else 404.
 */
export async function serveMetrics(o: { port: number; host?: string; token?: string }): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    if (!metricsAuthorized(o.token, req.headers.authorization)) {
      res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' }).end('unauthorized\n');
      return;
    }
    renderMetrics().then(
      ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : o.port;
  return {
    url: `http://${o.host ?? '127.0.0.1'}:${port}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
