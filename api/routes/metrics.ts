/**
 * Prometheus metrics of this process (SYS-009): GET /metrics in the exposition format
 * (text/plain; version=0.0.4), every series of lib/metrics.ts (with `npm start` the worker's too:
 * one process, one registry). Open unless METRICS_TOKEN is set, then `Authorization: Bearer <token>`
 * is required (401 otherwise). Hidden from the OpenAPI document and not rate limited (api/app.ts).
 * Also times every answered request into http_request_duration_seconds by method, route pattern
 * (never the URL: paths and query strings carry ids and tokens) and status.
 */
import fp from 'fastify-plugin';
import type { FastifyPluginAsync } from 'fastify';
import { httpRequestDuration, metricsAuthorized, renderMetrics } from '../../lib/metrics.js';
import { HttpError } from '../errors.js';

export const METRICS_PATH = '/metrics';

const plugin: FastifyPluginAsync<{ token?: string }> = async (app, { token }) => {
  app.addHook('onResponse', (req, reply, done) => {
    httpRequestDuration.observe(
      { method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });

  app.get(METRICS_PATH, { config: { auth: 'none' }, schema: { hide: true } }, async (req, reply) => {
    if (!metricsAuthorized(token, req.headers.authorization)) {
      reply.header('www-authenticate', 'Bearer');
      throw new HttpError(401, 'unauthorized', 'this route needs the metrics token: send "Authorization: Bearer <METRICS_TOKEN>"');
    }
    const { contentType, body } = await renderMetrics();
    return reply.type(contentType).send(body);
  });
};

/** Registered with fastify-plugin: the timing hook covers every route of the app. */
export const metricsPlugin = fp(plugin, { name: 'agency-os-metrics' });
