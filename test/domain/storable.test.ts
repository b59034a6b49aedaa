/**
 * What Postgres can store (SYS-008, SYS-009): U+0000 is removed, an unpaired UTF-16 surrogate
 * becomes U+FFFD, paired surrogates (emoji) and every other character are kept; JSON values are
 * copied with every string and key made storable and refused past the depth limit.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { describeUnstorable, findUnstorable, MAX_JSON_DEPTH, storableJson, storableText, textProblem } from '../../domain/storable.js';

const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const storable = (s: string) => !s.includes('\u0000') && !LONE.test(s);
/** Strings made of any UTF-16 code units, NUL and lone surrogates included. */
const anyText = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 30 }).map((units) => String.fromCharCode(...units));

describe('storableText (SYS-008)', () => {
  it.each([
    ['plain', 'plain'],
    ['a\u0000b', 'ab'],
    ['\u0000\u0000', ''],
    ['STOP\u0000', 'STOP'],
    ['x\ud800y', 'x\uFFFDy'],
    ['x\udc00', 'x\uFFFD'],
    ['\udc00\ud800', '\uFFFD\uFFFD'], // reversed halves are two lone surrogates
    ['\ud83d\ude00', '\ud83d\ude00'], // a pair (😀) is kept
    ['é\u00A0\u202e\t\r\n', 'é\u00A0\u202e\t\r\n'],
  ])('SYS-008: %j -> %j', (input, out) => {
    expect(storableText(input)).toBe(out);
  });

  it('SYS-008: the result is always storable, idempotent, and equal to the input when that was storable', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const out = storableText(s);
        expect(storable(out)).toBe(true);
        expect(storableText(out)).toBe(out);
        if (storable(s)) expect(out).toBe(s);
        expect(textProblem(out)).toBeUndefined();
      }),
      { seed: 8, numRuns: 2000 },
    );
  });

  it('SYS-008: only NUL characters are dropped; each lone surrogate is one U+FFFD', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const nul = [...s].filter((c) => c === '\u0000').length;
        const lone = s.replace(/\u0000/g, '').match(new RegExp(LONE.source, 'g'))?.length ?? 0;
        expect(storableText(s).length).toBe(s.length - nul);
        expect([...storableText(s)].filter((c) => c === '\uFFFD').length - [...s].filter((c) => c === '\uFFFD').length).toBe(lone);
      }),
      { seed: 9, numRuns: 1000 },
    );
  });
});

describe('storableJson (SYS-008)', () => {
  it('SYS-008: strings and keys at any depth are made storable; numbers, booleans and null are kept', () => {
    const r = storableJson({ 'k\u0000': ['a\u0000', { b: '\ud800', n: 1.5, t: true, z: null }], __proto__x: 0 });
    expect(r).toEqual({ ok: true, changed: true, value: { k: ['a', { b: '\uFFFD', n: 1.5, t: true, z: null }], __proto__x: 0 } });
  });

  it('SYS-008: a "__proto__" key stays a plain data key', () => {
    const r = storableJson(JSON.parse('{"__proto__":{"polluted":"\\u0000"}}'));
    expect(r.ok && Object.keys(r.value as object)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it(`SYS-008: nesting up to ${MAX_JSON_DEPTH} levels is accepted, deeper is refused`, () => {
    const nest = (n: number) => JSON.parse(`${'['.repeat(n)}${']'.repeat(n)}`);
    expect(storableJson(nest(MAX_JSON_DEPTH)).ok).toBe(true);
    expect(storableJson(nest(MAX_JSON_DEPTH + 1))).toEqual({ ok: false, reason: `nested deeper than ${MAX_JSON_DEPTH} levels` });
  });

  it('SYS-008: any JSON value comes out storable, and unchanged when it was', () => {
    const value = fc.letrec<{ v: unknown }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        anyText,
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('v'), { maxLength: 4 }),
        fc.dictionary(anyText, tie('v'), { maxKeys: 4 }),
      ),
    })).v;
    fc.assert(
      fc.property(value, (v) => {
        const r = storableJson(v);
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(findUnstorable(r.value, 'v')).toBeUndefined();
        expect(r.changed).toBe(findUnstorable(v, 'v') !== undefined);
        if (!r.changed) expect(r.value).toEqual(v);
      }),
      { seed: 10, numRuns: 1000 },
    );
  });
});

describe('findUnstorable (SYS-009)', () => {
  it.each([
    [{ a: 'ok' }, undefined],
    [{ a: ['x', 'y\u0000'] }, { path: 'body.a.1', problem: 'nul' }],
    [{ 'k\ud800': 1 }, { path: 'body.<key>', problem: 'lone_surrogate' }],
    ['\udfff', { path: 'body', problem: 'lone_surrogate' }],
  ])('SYS-009: %j -> %j', (value, found) => {
    expect(findUnstorable(value, 'body')).toEqual(found);
  });

  it('SYS-009: the sentence names the field and the problem', () => {
    expect(describeUnstorable({ path: 'query.kind', problem: 'nul' })).toBe(
      'query.kind contains a NUL character (U+0000), which cannot be stored',
    );
    expect(describeUnstorable({ path: 'body', problem: 'too_deep' })).toBe(`body is nested deeper than ${MAX_JSON_DEPTH} levels`);
  });
});
