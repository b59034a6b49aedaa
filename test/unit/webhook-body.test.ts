/**
 * Decoding a signed webhook body into what Postgres can store (SYS-008): JSON or form fields,
 * NUL removed, lone surrogates replaced, a raw NUL byte tolerated, a byte order mark skipped,
 * invalid UTF-8 read as U+FFFD; what cannot be decoded is a reason, never an exception.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeWebhookBody, undecodedPayload } from '../../services/webhook-body.js';

const json = 'application/json';
const form = 'application/x-www-form-urlencoded';

describe('decodeWebhookBody (SYS-008)', () => {
  it.each([
    ['escaped NUL', '{"a":"x\\u0000y"}', json, { a: 'xy' }, true],
    ['escaped lone surrogate', '{"a":"\\ud800"}', json, { a: '\uFFFD' }, true],
    ['raw NUL byte inside a string', '{"a":"x\u0000y"}', json, { a: 'xy' }, true],
    ['a NUL in a key', '{"k\\u0000":1}', json, { k: 1 }, true],
    ['a byte order mark', '\uFEFF{"a":1}', json, { a: 1 }, false],
    ['no content type (JSON)', '{"a":1}', undefined, { a: 1 }, false],
    ['form with %00', 'Body=ST%00OP&From=%2B61400', form, { Body: 'STOP', From: '+61400' }, true],
    ['form with raw NUL', 'Body=a\u0000b', `${form}; charset=utf-8`, { Body: 'ab' }, true],
    ['form with encoded surrogate', 'Body=%ED%A0%80', form, { Body: '\uFFFD\uFFFD\uFFFD' }, false],
  ])('SYS-008: %s', (_what, body, type, value, sanitised) => {
    expect(decodeWebhookBody(Buffer.from(body), type)).toEqual({ ok: true, value, sanitised });
  });

  it('SYS-008: invalid UTF-8 bytes are read as U+FFFD', () => {
    expect(decodeWebhookBody(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]), json)).toEqual({
      ok: true,
      value: { a: '\uFFFD' },
      sanitised: false,
    });
  });

  it.each([
    ['not JSON', 'hello', 'the body is not valid JSON'],
    ['too deep', `${'['.repeat(100)}${']'.repeat(100)}`, 'the body is nested deeper than 64 levels'],
    ['very deep', `${'['.repeat(200_000)}${']'.repeat(200_000)}`, 'the body is nested deeper than 64 levels'],
  ])('SYS-008: %s is a reason, not an exception', (_what, body, reason) => {
    expect(decodeWebhookBody(Buffer.from(body), json)).toEqual({ ok: false, reason });
  });

  it('SYS-008: any bytes at all decode or give a reason, never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.constantFrom(json, form, undefined, 'text/plain'), (bytes, type) => {
        const r = decodeWebhookBody(Buffer.from(bytes), type);
        expect(typeof r.ok).toBe('boolean');
      }),
      { seed: 11, numRuns: 2000 },
    );
  });

  it('SYS-008: what is kept of an undecodable body is storable text', () => {
    expect(undecodedPayload(Buffer.from('bad\u0000\ud800'), 'the body is not valid JSON')).toEqual({
      undecoded: 'the body is not valid JSON',
      bytes: Buffer.from('bad\u0000\ud800').length,
      text: 'bad\uFFFD',
    });
  });
});
