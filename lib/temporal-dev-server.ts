/**
 * Starts `temporal server start-dev` (the Temporal CLI's real server, SQLite-backed, with the
 * Web UI) as a child process and waits until it answers. Used by `npm start` and the tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { devServerSearchAttributes } from './search-attributes.js';

export interface DevServerOptions {
  executable: string;
  port: number;
  /** Web UI port; omit for a headless server. */
  uiPort?: number;
  namespace?: string;
  /** More namespaces to create at launch (tests that need a namespace of their own). */
  extraNamespaces?: string[];
  /** SQLite file to persist state across restarts; in-memory when omitted. */
  dbFilename?: string;
  /** Custom search attributes registered at launch on every namespace; default: the project's (SYS-009, lib/search-attributes.ts). */
  searchAttributes?: Record<string, 'Keyword' | 'Text' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList'>;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Where the server's own output goes (default: discarded). */
  output?: 'inherit' | 'ignore';
  startTimeoutMs?: number;
}

export interface RunningDevServer {
  address: string;
  uiUrl?: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startDevServer(o: DevServerOptions): Promise<RunningDevServer> {
  if (await portOpen(o.port)) throw new Error(`port ${o.port} is already in use; set another with TEMPORAL_PORT or stop what uses it`);
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(o.port), '--namespace', o.namespace ?? 'default'];
  for (const ns of o.extraNamespaces ?? []) args.push('--namespace', ns);
  args.push('--log-level', o.logLevel ?? 'warn');
  args.push('--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=OFF');
  if (o.dbFilename) args.push('--db-filename', o.dbFilename);
  if (o.uiPort) args.push('--ui-port', String(o.uiPort));
  else args.push('--headless');
  for (const [name, type] of Object.entries(o.searchAttributes ?? devServerSearchAttributes()))
    args.push('--search-attribute', `${name}=${type}`);

  const inherit = o.output === 'inherit';
  const child = spawn(o.executable, args, {
    stdio: ['ignore', inherit ? 'inherit' : 'ignore', inherit ? 'inherit' : 'pipe'],
    detached: false,
  });
  // The last lines it wrote, to say why when it exits during start (drained all along).
  const lastLines: string[] = [];
  child.stderr?.on('data', (b: Buffer) => {
    lastLines.push(...b.toString().split('\n').filter(Boolean));
    lastLines.splice(0, Math.max(0, lastLines.length - 10));
  });
  let exited = false;
  // Never leave the server behind, whatever ends this process (a signal handler of another
  // library may call process.exit before our own shutdown reaches the server).
  const killOnExit = () => {
    if (!exited) child.kill('SIGTERM');
  };
  process.once('exit', killOnExit);
  child.once('exit', () => {
    exited = true;
    process.removeListener('exit', killOnExit);
  });
  const deadline = Date.now() + (o.startTimeoutMs ?? 60_000);
  // The frontend opens its port once the namespace is registered and ready.
  while (!(await portOpen(o.port))) {
    if (exited)
      throw new Error(
        `temporal dev server exited during start (code ${child.exitCode}): ${lastLines.slice(-3).join(' | ') || '(no output)'}; run it by hand to see more: ${o.executable} ${args.join(' ')}`,
      );
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`temporal dev server did not open port ${o.port} in time`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    address: `127.0.0.1:${o.port}`,
    uiUrl: o.uiPort ? `http://127.0.0.1:${o.uiPort}` : undefined,
    process: child,
    async stop() {
      if (exited) return;
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

export { portOpen };

/** Waits until the namespace answers describeNamespace (the frontend can open before it is registered). */
export async function waitForNamespace(address: string, namespace: string, timeoutMs = 30_000): Promise<void> {
  const { Connection } = await import('@temporalio/client');
  const deadline = Date.now() + timeoutMs;
  const connection = await Connection.connect({ address });
  try {
    for (;;) {
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  } finally {
    await connection.close();
  }
}

export interface SupervisorOptions {
  /** Starts the server again (same port, same state file). */
  start: () => Promise<RunningDevServer>;
  /** Restarts allowed within `windowMs` before giving up (default 5 in 10 minutes). */
  maxRestarts?: number;
  windowMs?: number;
  /** Wait before a restart: `initialBackoffMs`, doubled each time up to `maxBackoffMs` (defaults 1 s, 30 s). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** One line per event (exit, back, give up): never more. */
  log: (line: string) => void;
  /** Called once when the restarts are used up or a restart fails for good; the stack stops. */
  onGiveUp: (reason: string) => void;
}

export interface SupervisedDevServer {
  readonly current: RunningDevServer;
  readonly restarts: number;
  /** Stops supervising and stops the server (no restart follows this exit). */
  stop(): Promise<void>;
}

/**
 * Keeps a dev server running for `npm start`: when it exits without being asked to, it is started
 * again after a bounded, growing backoff (its SQLite file keeps the workflows); past `maxRestarts`
 * within `windowMs`, or when it cannot be started again, `onGiveUp` is called once. Each event is
 * one log line, so a server that keeps dying never floods the terminal.
 */
export function superviseDevServer(first: RunningDevServer, o: SupervisorOptions): SupervisedDevServer {
  const maxRestarts = o.maxRestarts ?? 5;
  const windowMs = o.windowMs ?? 10 * 60_000;
  const initial = o.initialBackoffMs ?? 1_000;
  const maxBackoff = o.maxBackoffMs ?? 30_000;
  let current = first;
  let stopped = false;
  let gaveUp = false;
  let restarts = 0;
  const recent: number[] = [];
  let wake: (() => void) | undefined;

  const giveUp = (reason: string) => {
    if (gaveUp || stopped) return;
    gaveUp = true;
    o.log(reason);
    o.onGiveUp(reason);
  };

  const watch = (server: RunningDevServer) => {
    server.process.once('exit', (code, signal) => {
      if (stopped || gaveUp) return;
      void restart(code, signal);
    });
  };

  async function restart(code: number | null, signal: NodeJS.Signals | null): Promise<void> {
    const how = signal ? `signal ${signal}` : `code ${code}`;
    for (let attempt = 1; ; attempt++) {
      const now = Date.now();
      while (recent.length && recent[0]! <= now - windowMs) recent.shift();
      if (recent.length >= maxRestarts) {
        giveUp(
          `the Temporal dev server exited (${how}) and was already restarted ${recent.length} times in ${Math.round(windowMs / 60_000)} min: stopping (see why with: temporal server start-dev --log-level info)`,
        );
        return;
      }
      recent.push(now);
      const delay = Math.min(maxBackoff, initial * 2 ** (recent.length - 1));
      o.log(
        `the Temporal dev server exited (${how}); restarting it in ${Math.round(delay / 100) / 10} s (restart ${recent.length} of at most ${maxRestarts})`,
      );
      await new Promise<void>((r) => {
        const t = setTimeout(r, delay);
        wake = () => {
          clearTimeout(t);
          r();
        };
      });
      wake = undefined;
      if (stopped) return;
      try {
        current = await o.start();
      } catch (err) {
        if (attempt >= maxRestarts) {
          giveUp(`the Temporal dev server could not be started again: ${(err as Error).message}`);
          return;
        }
        continue;
      }
      if (stopped) {
        await current.stop();
        return;
      }
      restarts += 1;
      o.log(`the Temporal dev server is back on ${current.address}`);
      watch(current);
      return;
    }
  }

  watch(first);
  return {
    get current() {
      return current;
    },
    get restarts() {
      return restarts;
    },
    async stop() {
      stopped = true;
      wake?.();
      await current.stop();
    },
  };
}
