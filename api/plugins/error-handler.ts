/**
 * One error handler for the whole API: zod validation errors become 400 with field paths,
 * known HttpErrors keep their status, 4xx from Fastify keep theirs, a value the database refuses
 * (out of range, unstorable text: SQLSTATE class 22) is a 400 and never a 500, and a 5xx never
 * shows internals (the log gets the stack, the caller a request id; Sentry, when on, the error
 * with its route pattern, request id and client: lib/sentry.ts).
 */
import type { FastifyInstance, FastifyError, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { HttpError, ValidationFailed, refusedValue, type FieldIssue } from '../errors.js';
import { captureFailure } from '../../lib/sentry.js';

/** SYS-009: a 5xx reaches Sentry (when on) by its route pattern, never its URL (query strings carry tokens). */
function capture(err: unknown, req: FastifyRequest, status: number): void {
  captureFailure(err, {
    tags: { route: req.routeOptions.url ?? 'unmatched', method: req.method, requestId: req.id, clientId: req.clientId, status },
  });
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? 'body';
      const issues = err.validation.flatMap((v): FieldIssue[] => {
        const path = [
          where,
          ...String(v.instancePath ?? '')
            .split('/')
            .filter(Boolean),
        ];
        // An unknown field is named by its own path, not its parent's.
        const keys = (v.params as { keys?: unknown } | undefined)?.keys;
        if (v.keyword === 'unrecognized_keys' && Array.isArray(keys) && keys.length > 0) {
          return keys.map((k) => ({ field: [...path, String(k)].join('.'), message: 'unknown field' }));
        }
        return [{ field: path.join('.'), message: v.message ?? 'invalid' }];
      });
      const failed = new ValidationFailed(issues);
      return reply.status(400).send({ error: failed.code, message: failed.message, issues });
    }
    if (err instanceof ValidationFailed) {
      return reply.status(400).send({ error: err.code, message: err.message, issues: err.issues });
    }
    if (err instanceof HttpError) {
      if (err.statusCode >= 500) capture(err, req, err.statusCode);
      return reply.status(err.statusCode).send({ error: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) });
    }
    const refused = refusedValue(err);
    if (refused) {
      // Input the validation let through and the database cannot hold: the caller's to fix, and ours to tighten.
      req.log.warn({ err }, 'the database refused a value of the request');
      return reply.status(400).send({
        error: 'invalid_value',
        message: `a value in the request cannot be stored or compared: ${refused.message} (database code ${refused.code})`,
      });
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.status(status).send({ error: err.code?.toLowerCase() ?? 'bad_request', message: err.message });
    }
    req.log.error({ err }, 'request failed');
    capture(err, req, status >= 500 ? status : 500);
    return reply.status(status >= 500 ? status : 500).send({
      error: 'internal_error',
      message: 'something went wrong on our side; nothing was lost. Retry, or quote the request id to support',
      requestId: req.id,
    });
  });

  app.setNotFoundHandler((req, reply) =>
    reply.status(404).send({ error: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` }),
  );
}
