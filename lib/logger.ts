/** pino everywhere; Temporal's runtime logger is routed into it (DESIGN.md convention 9). */
import { pino, type Logger } from 'pino';
import { DefaultLogger, makeTelemetryFilterString, Runtime, type LogLevel } from '@temporalio/worker';

export function createLogger(level: string, name = 'agency-os'): Logger {
  return pino({ name, level, redact: ['req.headers.authorization', 'req.headers["x-api-key"]', '*.apiKey', '*.password'] });
}

/**
 * The same runtime message (digits aside: "gRPC call poll_workflow_task_queue retried 6 times")
 * at most once per `windowMs`: while the Temporal server is away every poller and every pending
 * completion retries and says so, which would flood the terminal. The next one let through tells
 * how many were held back.
 */
export function createRepeatFilter(windowMs = 60_000, now: () => number = Date.now) {
  const seen = new Map<string, { at: number; held: number }>();
  return (message: string): { show: boolean; held: number } => {
    const key = message.replace(/\d+/g, '#');
    const t = now();
    const last = seen.get(key);
    if (last && t - last.at < windowMs) {
      last.held += 1;
      return { show: false, held: 0 };
    }
    seen.set(key, { at: t, held: 0 });
    return { show: true, held: last?.held ?? 0 };
  };
}

let installed = false;
/**
 * Installs the Temporal Runtime once per process, logging through pino. With `metricsBind`
 * (TEMPORAL_METRICS_BIND, host:port) the SDK's own worker metrics (task slots, poll latencies,
 * schedule-to-start, sticky cache...) are served for Prometheus at http://<metricsBind>/metrics.
 */
export function installTemporalRuntimeLogger(log: Logger, opts: { metricsBind?: string } = {}): void {
  if (installed) return;
  installed = true;
  const levels: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
    TRACE: 'trace',
    DEBUG: 'debug',
    INFO: 'info',
    WARN: 'warn',
    ERROR: 'error',
  };
  const repeats = createRepeatFilter();
  try {
    Runtime.install({
      // The core's own logs (pollers retrying while the server is away...) come through the
      // logger below too, at its level and through the repeat filter; without `forward` the core
      // prints them to the console itself, one line per retry.
      telemetryOptions: {
        logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }) },
        // Seconds and `_total` like the process's own series (lib/metrics.ts), under the `temporal_` prefix.
        ...(opts.metricsBind
          ? { metrics: { prometheus: { bindAddress: opts.metricsBind, countersTotalSuffix: true, useSecondsForDurations: true } } }
          : {}),
      },
      // Our processes handle SIGINT/SIGTERM themselves and stop the worker in order; the
      // runtime's own handlers would re-raise the signal and kill the process mid-shutdown.
      shutdownSignals: [],
      logger: new DefaultLogger('INFO', (entry) => {
        // The workflow bundler reports webpack's whole build summary at INFO, and the SDK warns that a
        // provider lane's worker (activities only, by design: lib/worker-group.ts) polls no
        // workflow tasks: both kept for debug.
        const quiet = entry.message.startsWith('asset workflow-bundle') || entry.message.startsWith('No workflows registered');
        const level = quiet ? 'debug' : levels[entry.level];
        if (!log.isLevelEnabled(level)) return;
        const { show, held } = repeats(entry.message);
        if (show) log[level]({ ...entry.meta, ...(held ? { repeatedSinceLast: held } : {}) }, entry.message);
      }),
    });
  } catch {
    // A Runtime was installed already in this process (tests install a quiet one): keep it.
    if (opts.metricsBind) log.warn({ bind: opts.metricsBind }, 'Temporal runtime installed already: its worker metrics are not exported');
    return;
  }
  if (opts.metricsBind) log.info({ url: `http://${opts.metricsBind}/metrics` }, 'Temporal SDK worker metrics exported');
}
