/**
 * Starts `temporal server start-dev` (the Temporal CLI's real server, SQLite-backed, with the
 * Web UI) as a child process and waits until it answers. Used by `npm start` and the tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';

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
  for (const [name, type] of Object.entries(o.searchAttributes ?? {})) args.push('--search-attribute', `${name}=${type}`);

  const child = spawn(o.executable, args, { stdio: ['ignore', o.output ?? 'ignore', o.output ?? 'ignore'], detached: false });
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
        `temporal dev server exited during start (code ${child.exitCode}); run it by hand to see why: ${o.executable} ${args.join(' ')}`,
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
