/**
 * Hostile input for the fuzz and webhook abuse tests (SYS-008, SYS-009): strings with NUL and
 * unpaired surrogates, huge and odd strings, JSON of wrong types and deep nesting, bodies that
 * are not what their content type says, and values shaped by a route's own OpenAPI schema but
 * carrying those strings (so they get past the first checks).
 */
import fc from 'fast-check';

/** What Postgres refuses or mangles, alone and inside text. */
export const UNSTORABLE = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\udc00y',
  'z\ud83d',
  'STOP\u0000',
  '\u0000'.repeat(40),
  '\ud800\u0000',
];

const ODD = [
  '',
  ' ',
  '0',
  '-1',
  'null',
  'true',
  '1e309',
  '9'.repeat(40),
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '../../etc/passwd',
  '%00',
  '\\u0000',
  'e\u0301',
  '\u{1D49C}',
  '\u202eevil',
  '\r\n\tx',
  '=cmd|calc',
  'aos_not_a_key',
  '00000000-0000-0000-0000-000000000000',
  '0000-01-01T00:00:00Z',
  '2147483648',
  '-2147483649',
  '1e400',
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  {
    weight: 8,
    arbitrary: fc.tuple(fc.string({ maxLength: 10 }), fc.constantFrom(...UNSTORABLE), fc.string({ maxLength: 10 })).map((p) => p.join('')),
  },
  { weight: 4, arbitrary: fc.constantFrom(...ODD) },
  { weight: 1, arbitrary: fc.constantFrom(5_000, 100_000).map((n) => 'x'.repeat(n)) },
);

const shortKey = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(...UNSTORABLE, '__proto__', 'constructor', 'prototype'));

/** Any JSON value, hostile strings and keys included. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString,
    fc.integer(),
    fc.constantFrom(0, -1, 1e308, -1e308, 2 ** 53, 0.5, 2 ** 31),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(shortKey, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** `n` levels of nesting, as JSON text. */
export function deepJson(n: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? `${'['.repeat(n)}${']'.repeat(n)}` : `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
}

// ---- a value following an OpenAPI (JSON Schema) shape, its strings hostile --------------------

export type JsonSchema = Record<string, any>;

/** `schema` with its `$ref`s resolved against the document's components. */
function resolve(schema: JsonSchema, doc: JsonSchema): JsonSchema {
  let s = schema;
  for (let i = 0; i < 10 && typeof s?.$ref === 'string'; i++) {
    const path = (s.$ref as string).replace(/^#\//, '').split('/');
    s = path.reduce<any>((node, part) => node?.[part], doc) ?? {};
  }
  return s ?? {};
}

/** Values of the schema's shape (sometimes of another), with hostile strings. */
export function shaped(schema: JsonSchema | undefined, doc: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema ?? {}, doc);
  if (depth > 4) return hostileJson;
  const variants = s.anyOf ?? s.oneOf ?? s.allOf;
  if (Array.isArray(variants) && variants.length) {
    return fc.oneof(...variants.map((v: JsonSchema) => shaped(v, doc, depth + 1)));
  }
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  let own: fc.Arbitrary<unknown>;
  if (Array.isArray(s.enum) && s.enum.length) own = fc.constantFrom(...s.enum);
  else if (type === 'object' || s.properties) {
    const props = Object.entries((s.properties ?? {}) as Record<string, JsonSchema>);
    const required = new Set<string>(s.required ?? []);
    own = fc
      .tuple(
        ...props.map(([k, v]) =>
          fc.option(shaped(v, doc, depth + 1), { freq: required.has(k) ? 8 : 2 }).map((value) => [k, value] as const),
        ),
        fc.dictionary(shortKey, hostileJson, { maxKeys: 1 }),
      )
      .map((parts) => {
        const extra = parts.pop() as Record<string, unknown>;
        const entries = (parts as (readonly [string, unknown])[]).filter(([, v]) => v !== null);
        return { ...Object.fromEntries(entries), ...extra };
      });
  } else if (type === 'array') own = fc.array(shaped(s.items, doc, depth + 1), { maxLength: 3 });
  else if (type === 'integer' || type === 'number') {
    own = fc.oneof(fc.integer({ min: -5, max: 500 }), fc.constantFrom(s.minimum ?? 0, s.maximum ?? 1, 2 ** 31, -(2 ** 31) - 1, 1e300, 0.5));
  } else if (type === 'boolean') own = fc.boolean();
  else if (type === 'string') {
    const plausible = s.format === 'email' ? 'lead@example.com' : s.format === 'uuid' ? '6f1c2c9e-0d5e-4d2a-9a53-1f0f5c4f7e11' : 'Acme';
    own = fc.oneof(
      { weight: 2, arbitrary: hostileString },
      { weight: 2, arbitrary: fc.constant(plausible) },
      { weight: 3, arbitrary: fc.constantFrom(...UNSTORABLE).map((u) => `${plausible}${u}`) },
    );
  } else own = hostileJson;
  return fc.oneof({ weight: 9, arbitrary: own }, { weight: 1, arbitrary: hostileJson });
}

// ---- wire encodings --------------------------------------------------------------------------

/**
 * Percent-encodes every byte of a string's UTF-8; an unpaired surrogate goes as its CESU-8 bytes
 * (%ED%A0%80 for U+D800): what a client that does not check its text would send.
 */
export function percentEncode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const next = s.charCodeAt(i + 1);
    if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(s.slice(i, i + 2));
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      out += `%${(0xe0 | (c >> 12)).toString(16).toUpperCase()}%${(0x80 | ((c >> 6) & 0x3f)).toString(16).toUpperCase()}%${(0x80 | (c & 0x3f)).toString(16).toUpperCase()}`;
    } else out += encodeURIComponent(s[i]!);
  }
  return out;
}

/** application/x-www-form-urlencoded of these fields, with percentEncode. */
export function formEncode(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
    .join('&');
}

// ---- mutations of a valid value --------------------------------------------------------------

type Step = string | number;

/** Every place in a JSON value: each leaf, each container, each key (as [path, 'key']). */
function places(value: unknown, path: Step[] = [], out: { path: Step[]; key: boolean }[] = []) {
  out.push({ path, key: false });
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const step = Array.isArray(value) ? Number(k) : k;
      if (!Array.isArray(value)) out.push({ path: [...path, step], key: true });
      places(v, [...path, step], out);
    }
  }
  return out;
}

function nested(n: number): unknown {
  let v: unknown = 'deep';
  for (let i = 0; i < n; i++) v = [v];
  return v;
}

const MUTATIONS = ['append', 'insert', 'replace', 'wrong-type', 'huge', 'deep', 'delete', 'key'] as const;

/** One change to one place of `seed`: a NUL or surrogate added to its text, another value or type, huge, deep, gone, or a bad key. */
export function mutate(seed: unknown): fc.Arbitrary<unknown> {
  const all = places(seed);
  return fc
    .record({
      at: fc.nat({ max: all.length - 1 }),
      kind: fc.constantFrom(...MUTATIONS, 'append', 'append', 'insert'),
      bad: fc.constantFrom(...UNSTORABLE),
      other: hostileJson,
      depth: fc.constantFrom(65, 1_000),
    })
    .map(({ at, kind, bad, other, depth }) => {
      const root = { v: structuredClone(seed) as unknown };
      const { path, key } = all[at]!;
      const steps: Step[] = ['v', ...path];
      const last = steps.pop()!;
      const parent = steps.reduce<any>((node, s) => node[s], root);
      const current = parent[last];
      if (key) {
        parent[`${String(last)}${bad}`] = current;
        delete parent[last];
        return root.v;
      }
      const text = typeof current === 'string' ? current : JSON.stringify(current ?? '');
      const mid = Math.floor(text.length / 2);
      const next: Record<(typeof MUTATIONS)[number], unknown> = {
        append: `${text}${bad}`,
        insert: `${text.slice(0, mid)}${bad}${text.slice(mid)}`,
        replace: typeof other === 'string' ? other : bad,
        'wrong-type': other,
        huge: `${text}${'x'.repeat(300_000)}`,
        deep: nested(depth),
        delete: undefined,
        key: current,
      };
      if (kind === 'delete' && path.length > 0) {
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else delete parent[last];
      } else parent[last] = next[kind];
      return root.v;
    });
}
