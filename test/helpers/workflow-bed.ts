/**
 * The hooks of a workflow test file: a fresh time-skipping Temporal server per test (simulated
 * time only moves forward, and tests pin dates), the provider fakes for the file, and the
 * database closed at its end. Read `bed.env` and `bed.fakes` inside tests and hooks. And the same
 * for services tests (`servicesBed`) and API tests (`apiBed`).
 */
import { afterAll, afterEach, beforeAll, beforeEach, inject } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkipping } from './time-skipping.js';
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../../config/index.js';
import type { Services } from '../../services/index.js';
import { buildTestApp, testServices } from './app.js';
import { temporalClient, type testDb } from './context.js';
import { startProviderFakes, type ProviderFakes } from './provider-fakes.js';

export interface WorkflowBed {
  env: TestWorkflowEnvironment;
  fakes: ProviderFakes;
}

export function workflowBed(db: ReturnType<typeof testDb>): WorkflowBed {
  const bed = {} as WorkflowBed;
  beforeEach(async () => {
    bed.env = await createTimeSkipping({
      server: { executable: { type: 'existing-path', path: inject('testServerPath') } },
    });
  });
  afterEach(async () => {
    await bed.env?.teardown();
  });
  beforeAll(async () => {
    bed.fakes = await startProviderFakes();
  });
  afterAll(async () => {
    await bed.fakes?.stop();
    await db.close();
  });
  return bed;
}

/** The hooks of a services test file: the services over a real Temporal client, closed with the database at its end. */
export function servicesBed(db: ReturnType<typeof testDb>): { services: Services } {
  const bed = {} as { services: Services; temporal: Client };
  beforeAll(async () => {
    bed.temporal = await temporalClient();
    bed.services = await testServices(db, { temporal: bed.temporal, taskQueue: 'unused' });
  });
  afterAll(async () => {
    await bed.temporal?.connection.close();
    await db.close();
  });
  return bed;
}

/**
 * The hooks of an API test file: the application (for `bed.app.inject`) over the run's Temporal
 * dev server, closed with its client and the database at the file's end. A file's own beforeAll
 * runs after these, its own afterAll before them.
 */
export function apiBed(config: Readonly<AppConfig>, db: ReturnType<typeof testDb>): { app: FastifyInstance; temporal: Client } {
  const bed = {} as { app: FastifyInstance; temporal: Client };
  beforeAll(async () => {
    bed.temporal = await temporalClient();
    bed.app = await buildTestApp(config, { db, temporal: bed.temporal });
  });
  afterAll(async () => {
    await bed.app?.close();
    await bed.temporal?.connection.close();
    await db.close();
  });
  return bed;
}
