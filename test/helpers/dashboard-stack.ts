/**
 * The stack the dashboards' browser tests drive: a worker and the API (server.ts) on the run's
 * Temporal dev server and database, and Debian's Chromium; started before a file's tests (when
 * Chromium is there) and stopped after them.
 */
import { afterAll, beforeAll, inject } from 'vitest';
import type { Browser } from 'playwright-core';
import type { AppConfig } from '../../config/index.js';
import { startServer } from '../../server.js';
import { startWorker, type RunningWorker } from '../../worker.js';
import type { testDb } from './context.js';
import { BROWSER_WAIT_MS, haveBrowser, launchBrowser } from './browser.js';

export interface DashboardStack {
  server: Awaited<ReturnType<typeof startServer>>;
  worker: RunningWorker;
  browser: Browser;
}

/** Generous: a safety net on a busy machine, never a speed check (each wait is for a condition). */
export const LONG = { timeout: BROWSER_WAIT_MS };

export function dashboardStack(config: Readonly<AppConfig>, db: ReturnType<typeof testDb>): DashboardStack {
  const stack = {} as DashboardStack;
  beforeAll(async () => {
    if (!haveBrowser) return;
    stack.worker = await startWorker(config, { db, bundlePath: inject('workflowBundlePath') });
    stack.server = await startServer(config, { db });
    stack.browser = await launchBrowser();
  });
  afterAll(async () => {
    await stack.browser?.close();
    await stack.server?.close();
    await stack.worker?.shutdown();
    await db.close();
  });
  return stack;
}
