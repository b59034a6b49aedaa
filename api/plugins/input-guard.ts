/**
 * Bytes the database cannot store never reach it (SYS-009): a request whose path parameters,
 * query, headers or JSON body carry a NUL character (U+0000), an unpaired UTF-16 surrogate, or
 * nesting deeper than 64 levels is answered 400 `invalid_characters` naming the field, before
 * validation and before any service is called (domain/storable.ts). Routes that take raw bytes
 * and make them storable themselves (provider webhooks) say `config.rawInput`.
 * Multipart parts are not parsed here: the route that reads them checks them (campaigns.ts).
 */
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { describeUnstorable, findUnstorable, type UnstorableFinding } from '../../domain/storable.js';
import { HttpError } from '../errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route reads the raw body and makes it storable itself (webhooks). */
    rawInput?: boolean;
  }
}

export function unstorableInputError(f: UnstorableFinding): HttpError {
  return new HttpError(400, 'invalid_characters', `invalid request: ${describeUnstorable(f)}`, [
    { field: f.path, message: describeUnstorable(f) },
  ]);
}

/** Throws the 400 when a value (a request part, or a part of a multipart body) cannot be stored. */
export function assertStorable(value: unknown, where: string): void {
  const found = findUnstorable(value, where);
  if (found) throw unstorableInputError(found);
}

function checkRequest(req: FastifyRequest): void {
  assertStorable(req.params, 'path');
  assertStorable(req.query, 'query');
  assertStorable(req.headers, 'headers');
  const body = req.body;
  if (body !== undefined && !Buffer.isBuffer(body)) assertStorable(body, 'body');
}

export const inputGuardPlugin = fp(async (app) => {
  app.addHook('preValidation', async (req) => {
    if (req.routeOptions.config?.rawInput) return;
    checkRequest(req);
  });
});
