/** pino everywhere; Temporal's runtime logger is routed into it (DESIGN.md convention 9). */
import { pino, type Logger } from 'pino';
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

export function createLogger(level: string, name = 'agency-os'): Logger {
  return pino({ name, level, redact: ['req.headers.authorization', 'req.headers["x-api-key"]', '*.apiKey', '*.password'] });
}

let installed = false;
/** Installs the Temporal Runtime once per process, logging through pino. */
export function installTemporalRuntimeLogger(log: Logger): void {
  if (installed) return;
  installed = true;
  const levels: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
    TRACE: 'trace',
    DEBUG: 'debug',
    INFO: 'info',
    WARN: 'warn',
    ERROR: 'error',
  };
  try {
    Runtime.install({
      // Our processes handle SIGINT/SIGTERM themselves and stop the worker in order; the
      // runtime's own handlers would re-raise the signal and kill the process mid-shutdown.
      shutdownSignals: [],
      logger: new DefaultLogger('INFO', (entry) => {
        // The workflow bundler reports webpack's whole build summary at INFO: keep it for debug.
        const level = entry.message.startsWith('asset workflow-bundle') ? 'debug' : levels[entry.level];
        log[level]({ ...entry.meta }, entry.message);
      }),
    });
  } catch {
    // A Runtime was installed already in this process (tests install a quiet one): keep it.
  }
}
