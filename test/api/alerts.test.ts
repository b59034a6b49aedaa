/**
 * Alerts (SYS-009, RP-003): raised once per condition (atomic under concurrency), notified once
 * by signed webhook and/or email, listed, acknowledged and resolved through the admin API.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertActivities } from '../../activities/alerts.js';
import { createAlertService, type AlertInput } from '../../services/alerts.js';
import { createAlertNotifier, signAlertBody, verifyAlertSignature } from '../../providers/alerts/notifier.js';
import { HttpFake } from '../fakes/http-fake.js';
import { createSmtpFake } from '../fakes/smtp-fake.js';
import { ADMIN_KEY, auth, createTestTenant, testConfig, testDb } from '../helpers/context.js';
import { apiBed } from '../helpers/workflow-bed.js';

const config = testConfig();
const db = testDb(config);
const bed = apiBed(config, db);

const unique = (label: string) => `test:${label}:${randomUUID()}`;
const alertInput = (dedupeKey: string, extra: Partial<AlertInput> = {}): AlertInput => ({
  kind: 'test.condition',
  severity: 'warning',
  message: 'Something needs attention',
  dedupeKey,
  data: { source: 'alerts.test' },
  ...extra,
});
const silent = createAlertNotifier({ emailFrom: 'alerts@agency-os.test' });
const rowsWithKey = (dedupeKey: string) => db.system.alert.findMany({ where: { dedupeKey }, orderBy: { createdAt: 'asc' } });

describe('raising alerts (RP-003: not repeated while the condition lasts)', () => {
  const alerts = createAlertService({ db, notifier: silent });

  it('RP-003 SYS-009: raising the same condition twice stores one alert (created, then not)', async () => {
    const key = unique('twice');
    const first = await alerts.system.raise(alertInput(key));
    const second = await alerts.system.raise(alertInput(key, { message: 'Still wrong' }));
    expect(first.created).toBe(true);
    expect(second).toEqual({ id: first.id, created: false });
    const rows = await rowsWithKey(key);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      kind: 'test.condition',
      severity: 'warning',
      message: 'Something needs attention',
      data: { source: 'alerts.test' },
      resolvedAt: null,
      notifiedAt: null,
    });
    expect(silent.channels).toEqual([]);
  });

  it('RP-003: ten concurrent raises of one condition store one alert', async () => {
    const key = unique('concurrent');
    const results = await Promise.all(Array.from({ length: 10 }, () => alerts.system.raise(alertInput(key))));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(await rowsWithKey(key)).toHaveLength(1);
  });

  it('RP-003: once resolved, a recurrence raises a new alert', async () => {
    const key = unique('recurrence');
    const first = await alerts.system.raise(alertInput(key));
    expect(await alerts.system.resolve([key])).toBe(1);
    expect(await alerts.system.resolve([key])).toBe(0);
    const again = await alerts.system.raise(alertInput(key));
    expect(again.created).toBe(true);
    expect(again.id).not.toBe(first.id);
    const rows = await rowsWithKey(key);
    expect(rows).toHaveLength(2);
    expect(rows.filter((r) => r.resolvedAt === null).map((r) => r.id)).toEqual([again.id]);
  });

  it('SYS-009: the activities take the workflow clock (nowMs) and resolve by key', async () => {
    const key = unique('activities');
    const activities = createAlertActivities({ alerts });
    const tenant = await createTestTenant(db, 'Alerted client');
    const nowMs = Date.parse('2026-03-01T00:00:00.000Z');
    const raised = await activities.raiseAlert({
      version: 1,
      ...alertInput(key, { clientId: tenant.client.id, severity: 'critical' }),
      nowMs,
    });
    expect(raised.created).toBe(true);
    const row = await db.system.alert.findUniqueOrThrow({ where: { id: raised.id } });
    expect(row.createdAt.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(row).toMatchObject({ clientId: tenant.client.id, severity: 'critical' });
    expect(await activities.resolveAlerts({ version: 1, dedupeKeys: [key], nowMs: nowMs + 60_000 })).toEqual({ resolved: 1 });
    expect((await db.system.alert.findUniqueOrThrow({ where: { id: raised.id } })).resolvedAt?.toISOString()).toBe(
      '2026-03-01T00:01:00.000Z',
    );
  });
});

describe('notifications (SYS-009)', () => {
  const secret = 'alert-webhook-secret';
  let receiver: HttpFake;

  beforeAll(async () => {
    receiver = new HttpFake(() => ({ status: 200, body: { ok: true } }));
    await receiver.start();
  });
  afterAll(async () => {
    await receiver?.stop();
  });

  const deliveriesOf = (alertId: string) => receiver.requests.filter((r) => r.headers['x-agency-os-event-id'] === alertId);

  it('SYS-009 RP-003: the webhook gets one signed notification however often the condition is raised', async () => {
    const notifier = createAlertNotifier({
      webhookUrl: `${receiver.baseUrl}/alerts`,
      webhookSecret: secret,
      emailFrom: 'alerts@agency-os.test',
    });
    expect(notifier.channels).toEqual(['webhook']);
    const alerts = createAlertService({ db, notifier });
    const key = unique('webhook-once');
    const first = await alerts.system.raise(alertInput(key, { severity: 'critical', message: 'Domain blacklisted' }));
    const more = await Promise.all([alerts.system.raise(alertInput(key)), alerts.system.raise(alertInput(key))]);
    expect(more.every((r) => r.id === first.id && !r.created)).toBe(true);

    const deliveries = deliveriesOf(first.id);
    expect(deliveries).toHaveLength(1);
    const [req] = deliveries;
    expect(req!.method).toBe('POST');
    expect(req!.path).toBe('/alerts');
    expect(req!.headers['content-type']).toBe('application/json');
    expect(verifyAlertSignature(req!.rawBody, req!.headers['x-agency-os-signature'] as string, secret)).toBe(true);
    expect(verifyAlertSignature(req!.rawBody, req!.headers['x-agency-os-signature'] as string, 'wrong-secret')).toBe(false);
    expect(req!.body).toMatchObject({
      type: 'alert',
      alert: {
        id: first.id,
        kind: 'test.condition',
        severity: 'critical',
        message: 'Domain blacklisted',
        clientId: null,
        data: { source: 'alerts.test' },
      },
    });
    const row = await db.system.alert.findUniqueOrThrow({ where: { id: first.id } });
    expect(row.notifiedAt).not.toBeNull();
    expect(row.notifyError).toBeNull();
  });

  it('SYS-009: a failed webhook throws and records the error; the retried raise notifies (2 attempts, 1 accepted)', async () => {
    const notifier = createAlertNotifier({
      webhookUrl: `${receiver.baseUrl}/flaky`,
      webhookSecret: secret,
      emailFrom: 'alerts@agency-os.test',
    });
    const warnings: string[] = [];
    const alerts = createAlertService({ db, notifier, log: { warn: (_o, msg) => warnings.push(msg) } });
    const key = unique('webhook-retry');
    receiver.failNext({ path: '/flaky', status: 500 });

    await expect(alerts.system.raise(alertInput(key))).rejects.toThrow(/500/);
    const [stored] = await rowsWithKey(key);
    expect(stored).toMatchObject({ notifiedAt: null });
    expect(stored!.notifyError).toMatch(/500/);
    expect(warnings).toHaveLength(1);

    const retried = await alerts.system.raise(alertInput(key));
    expect(retried).toEqual({ id: stored!.id, created: false });
    await alerts.system.raise(alertInput(key));

    const deliveries = deliveriesOf(stored!.id);
    expect(deliveries.map((d) => d.status)).toEqual([500, 200]);
    expect(deliveries.every((d) => verifyAlertSignature(d.rawBody, d.headers['x-agency-os-signature'] as string, secret))).toBe(true);
    const after = await db.system.alert.findUniqueOrThrow({ where: { id: stored!.id } });
    expect(after.notifiedAt).not.toBeNull();
    expect(after.notifyError).toBeNull();
    expect(await rowsWithKey(key)).toHaveLength(1);
  });

  it('SYS-009: an unreachable webhook throws too', async () => {
    const dead = new HttpFake(() => ({ status: 200 }));
    const { baseUrl } = await dead.start();
    await dead.stop();
    const notifier = createAlertNotifier({ webhookUrl: `${baseUrl}/gone`, emailFrom: 'alerts@agency-os.test', timeoutMs: 2_000 });
    const alerts = createAlertService({ db, notifier });
    const key = unique('webhook-dead');
    await expect(alerts.system.raise(alertInput(key))).rejects.toThrow(/unreachable/);
    expect((await rowsWithKey(key))[0]!.notifyError).toMatch(/unreachable/);
  });

  it('SYS-009: an email notification reaches the SMTP server with the severity and message in the subject', async () => {
    const smtp = createSmtpFake();
    const { host, port } = await smtp.start();
    try {
      const notifier = createAlertNotifier({
        emailTo: 'ops@agency.test',
        emailFrom: 'alerts@agency-os.test',
        smtpUrl: `smtp://${host}:${port}`,
      });
      expect(notifier.channels).toEqual(['email']);
      const alerts = createAlertService({ db, notifier });
      const key = unique('email');
      const message = `Mailbox pool below minimum for client X: ${'x'.repeat(100)}`;
      const raised = await alerts.system.raise(alertInput(key, { severity: 'critical', message }));
      await alerts.system.raise(alertInput(key, { severity: 'critical', message }));
      const [mail] = await smtp.waitForMessages(1);
      expect(smtp.messages).toHaveLength(1);
      expect(mail!.subject).toBe(`[Agency OS] CRITICAL: ${message.slice(0, 80)}`);
      expect(mail!.envelope.rcptTo).toEqual(['ops@agency.test']);
      expect(mail!.from).toBe('alerts@agency-os.test');
      expect(mail!.text).toContain(message);
      expect(mail!.text).toContain(raised.id);
      expect((await db.system.alert.findUniqueOrThrow({ where: { id: raised.id } })).notifiedAt).not.toBeNull();
    } finally {
      await smtp.stop();
    }
  });

  it('SYS-009: signatures are checked for body, secret, format and age', () => {
    const body = JSON.stringify({ type: 'alert', alert: { id: 'a' } });
    const now = Date.now();
    const header = signAlertBody(body, secret, now);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyAlertSignature(body, header, secret)).toBe(true);
    expect(verifyAlertSignature(`${body} `, header, secret)).toBe(false);
    expect(verifyAlertSignature(body, header, 'other')).toBe(false);
    expect(verifyAlertSignature(body, undefined, secret)).toBe(false);
    expect(verifyAlertSignature(body, 'garbage', secret)).toBe(false);
    const old = signAlertBody(body, secret, now - 10 * 60_000);
    expect(verifyAlertSignature(body, old, secret)).toBe(false);
    expect(verifyAlertSignature(body, old, secret, 3_600)).toBe(true);
  });
});

describe('admin API (SYS-009)', () => {
  const alerts = createAlertService({ db, notifier: silent });
  const kind = `test.admin.${randomUUID()}`;
  const ids: Record<'warn' | 'crit' | 'info', string> = { warn: '', crit: '', info: '' };
  let clientId = '';

  beforeAll(async () => {
    clientId = (await createTestTenant(db, 'Alert list client')).client.id;
    const t0 = Date.now() - 60_000;
    ids.info = (
      await alerts.system.raise({ kind, severity: 'info', message: 'old info', dedupeKey: unique('admin-info') }, new Date(t0))
    ).id;
    ids.warn = (
      await alerts.system.raise(
        { kind, severity: 'warning', message: 'client warning', dedupeKey: unique('admin-warn'), clientId },
        new Date(t0 + 1_000),
      )
    ).id;
    ids.crit = (
      await alerts.system.raise(
        { kind, severity: 'critical', message: 'system critical', dedupeKey: unique('admin-crit') },
        new Date(t0 + 2_000),
      )
    ).id;
    await db.system.alert.update({ where: { id: ids.info }, data: { resolvedAt: new Date(t0 + 3_000) } });
  });

  const list = async (query: string) => {
    const res = await bed.app.inject({
      method: 'GET',
      url: `/v1/admin/alerts?kind=${encodeURIComponent(kind)}${query}`,
      headers: auth(ADMIN_KEY),
    });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().alerts as Array<{ id: string }>).map((a) => a.id);
  };

  it('SYS-009: lists open alerts newest first by default, with state, severity, client and limit filters', async () => {
    expect(await list('')).toEqual([ids.crit, ids.warn]);
    expect(await list('&state=resolved')).toEqual([ids.info]);
    expect(await list('&state=all')).toEqual([ids.crit, ids.warn, ids.info]);
    expect(await list('&severity=critical')).toEqual([ids.crit]);
    expect(await list(`&clientId=${clientId}`)).toEqual([ids.warn]);
    expect(await list('&state=all&limit=1')).toEqual([ids.crit]);

    const res = await bed.app.inject({
      method: 'GET',
      url: `/v1/admin/alerts?kind=${encodeURIComponent(kind)}&clientId=${clientId}`,
      headers: auth(ADMIN_KEY),
    });
    expect(res.json().alerts[0]).toEqual({
      id: ids.warn,
      kind,
      severity: 'warning',
      message: 'client warning',
      clientId,
      data: {},
      createdAt: expect.any(String),
      acknowledgedAt: null,
      acknowledgedBy: null,
      resolvedAt: null,
      notifiedAt: null,
    });
  });

  it('SYS-009: acknowledging keeps the first acknowledgement; the alert stays open', async () => {
    const first = await bed.app.inject({
      method: 'POST',
      url: `/v1/admin/alerts/${ids.warn}/acknowledge`,
      headers: auth(ADMIN_KEY),
      payload: { by: 'ops@agency.test' },
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().alert).toMatchObject({ id: ids.warn, acknowledgedBy: 'ops@agency.test', resolvedAt: null });
    const ackAt = first.json().alert.acknowledgedAt as string;
    expect(ackAt).toEqual(expect.any(String));

    const again = await bed.app.inject({
      method: 'POST',
      url: `/v1/admin/alerts/${ids.warn}/acknowledge`,
      headers: auth(ADMIN_KEY),
      payload: { by: 'someone-else' },
    });
    expect(again.statusCode).toBe(200);
    expect(again.json().alert).toMatchObject({ acknowledgedBy: 'ops@agency.test', acknowledgedAt: ackAt });

    const noBody = await bed.app.inject({ method: 'POST', url: `/v1/admin/alerts/${ids.crit}/acknowledge`, headers: auth(ADMIN_KEY) });
    expect(noBody.statusCode, noBody.body).toBe(200);
    expect(noBody.json().alert).toMatchObject({ acknowledgedBy: 'admin' });

    expect(await list('&state=acknowledged')).toEqual([ids.crit, ids.warn]);
    expect(await list('')).toEqual([ids.crit, ids.warn]);
  });

  it('SYS-009: an operator resolves an alert; it leaves the open list', async () => {
    const res = await bed.app.inject({ method: 'POST', url: `/v1/admin/alerts/${ids.crit}/resolve`, headers: auth(ADMIN_KEY) });
    expect(res.statusCode, res.body).toBe(200);
    const resolvedAt = res.json().alert.resolvedAt as string;
    expect(resolvedAt).toEqual(expect.any(String));
    const again = await bed.app.inject({ method: 'POST', url: `/v1/admin/alerts/${ids.crit}/resolve`, headers: auth(ADMIN_KEY) });
    expect(again.statusCode).toBe(200);
    expect(again.json().alert.resolvedAt).toBe(resolvedAt);
    expect(await list('')).toEqual([ids.warn]);
    expect(await list('&state=resolved')).toEqual([ids.crit, ids.info]);
  });

  it('SYS-009: the alert routes need the admin key, answer 404 for unknown alerts and 400 for bad input', async () => {
    expect((await bed.app.inject({ method: 'GET', url: '/v1/admin/alerts' })).statusCode).toBe(401);
    const tenant = await createTestTenant(db);
    expect((await bed.app.inject({ method: 'GET', url: '/v1/admin/alerts', headers: auth(tenant.apiKey) })).statusCode).toBe(401);
    expect((await bed.app.inject({ method: 'POST', url: `/v1/admin/alerts/${ids.warn}/acknowledge` })).statusCode).toBe(401);
    expect((await bed.app.inject({ method: 'POST', url: `/v1/admin/alerts/${ids.warn}/resolve` })).statusCode).toBe(401);

    const unknown = randomUUID();
    const ack = await bed.app.inject({ method: 'POST', url: `/v1/admin/alerts/${unknown}/acknowledge`, headers: auth(ADMIN_KEY) });
    expect(ack.statusCode).toBe(404);
    expect(ack.json()).toMatchObject({ error: 'not_found', message: 'alert not found' });
    expect(
      (await bed.app.inject({ method: 'POST', url: `/v1/admin/alerts/${unknown}/resolve`, headers: auth(ADMIN_KEY) })).statusCode,
    ).toBe(404);
    expect(
      (await bed.app.inject({ method: 'POST', url: '/v1/admin/alerts/not-a-uuid/acknowledge', headers: auth(ADMIN_KEY) })).statusCode,
    ).toBe(400);

    const bogus = await bed.app.inject({ method: 'GET', url: '/v1/admin/alerts?state=bogus', headers: auth(ADMIN_KEY) });
    expect(bogus.statusCode).toBe(400);
    expect(bogus.json().error).toBe('validation_failed');
    expect(bogus.json().issues.map((i: { field: string }) => i.field)).toEqual(['querystring.state']);
    expect((await bed.app.inject({ method: 'GET', url: '/v1/admin/alerts?limit=0', headers: auth(ADMIN_KEY) })).statusCode).toBe(400);
    expect((await bed.app.inject({ method: 'GET', url: '/v1/admin/alerts?clientId=nope', headers: auth(ADMIN_KEY) })).statusCode).toBe(400);
  });
});
