/**
 * Admin: alerts (SYS-009, RP-003). Explicit system path: admin key only.
 * List open (unresolved), acknowledged, resolved or all alerts; acknowledge one; resolve one.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { toAlertNotice, type AlertRow } from '../../services/alerts.js';
import { ErrorBody, IdParams } from '../schemas.js';
import { notFound } from '../errors.js';
import type { AppDeps } from '../deps.js';

const Severity = z.enum(['info', 'warning', 'critical']);

const AlertOut = z.object({
  id: z.string(),
  kind: z.string(),
  severity: Severity,
  message: z.string(),
  clientId: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  notifiedAt: z.string().nullable(),
});

const ListQuery = z.object({
  /** open = unresolved (acknowledged or not); acknowledged = acknowledged and unresolved. */
  state: z.enum(['open', 'acknowledged', 'resolved', 'all']).default('open'),
  severity: Severity.optional(),
  kind: z.string().trim().min(1).max(200).optional(),
  clientId: z.uuid({ message: 'must be a UUID' }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const AcknowledgeBody = z
  .strictObject({ by: z.string().trim().min(1).max(200).default('admin') })
  .nullish()
  .transform((b) => b ?? { by: 'admin' });

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const toAlertOut = (a: AlertRow): z.infer<typeof AlertOut> => ({
  ...toAlertNotice(a),
  acknowledgedAt: iso(a.acknowledgedAt),
  acknowledgedBy: a.acknowledgedBy,
  resolvedAt: iso(a.resolvedAt),
  notifiedAt: iso(a.notifiedAt),
});

export const adminAlertRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  const alerts = deps.services.alerts.system;
  const admin = { auth: 'admin' as const };

  app.get(
    '/v1/admin/alerts',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: 'List alerts, newest first (default: the open ones)',
        querystring: ListQuery,
        response: { 200: z.object({ alerts: z.array(AlertOut) }), 400: ErrorBody },
      },
    },
    async (req) => {
      const rows = await alerts.list(req.query);
      return { alerts: rows.map(toAlertOut) };
    },
  );

  app.post(
    '/v1/admin/alerts/:id/acknowledge',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: 'Acknowledge an alert (acknowledging again keeps the first acknowledgement)',
        params: IdParams,
        body: AcknowledgeBody,
        response: { 200: z.object({ alert: AlertOut }), 404: ErrorBody },
      },
    },
    async (req) => {
      const alert = await alerts.acknowledge(req.params.id, req.body.by);
      if (!alert) throw notFound('alert');
      return { alert: toAlertOut(alert) };
    },
  );

  app.post(
    '/v1/admin/alerts/:id/resolve',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: 'Resolve an alert (the condition is over; a recurrence raises a new alert)',
        params: IdParams,
        response: { 200: z.object({ alert: AlertOut }), 404: ErrorBody },
      },
    },
    async (req) => {
      const alert = await alerts.resolveById(req.params.id);
      if (!alert) throw notFound('alert');
      return { alert: toAlertOut(alert) };
    },
  );
};
