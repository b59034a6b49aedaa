/**
 * SYS-001 intake: an uploaded list's bytes become its text in the right encoding, or are refused
 * with the encoding problem named (domain/text-encoding.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../../api/text-encoding.js';

const TEXT = 'email,first_name,company\nzoe@x.com,Zoë,Müller & Söhne GmbH\nrene@y.fr,René,Café Crème – Straße 5 €\n';

const utf16le = (s: string, bom = true) => Buffer.concat([Buffer.from(bom ? [0xff, 0xfe] : []), Buffer.from(s, 'utf16le')]);
const utf16be = (s: string, bom = true) => {
  const b = Buffer.from(s, 'utf16le');
  b.swap16();
  return Buffer.concat([Buffer.from(bom ? [0xfe, 0xff] : []), b]);
};
/** Windows-1252 bytes of a text (Latin-1 letters map to the same byte; the few 0x80-0x9F signs listed). */
const cp1252 = (s: string) => {
  const extra: Record<string, number> = { '€': 0x80, '–': 0x96, '—': 0x97, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '…': 0x85 };
  return Buffer.from([...s].map((c) => extra[c] ?? c.charCodeAt(0)));
};

describe('decodeText (SYS-001)', () => {
  it.each([
    ['UTF-8', Buffer.from(TEXT, 'utf8'), 'utf-8'],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT, 'utf8')]), 'utf-8'],
    ['UTF-16 LE with BOM', utf16le(TEXT), 'utf-16le'],
    ['UTF-16 BE with BOM', utf16be(TEXT), 'utf-16be'],
    ['UTF-16 LE without BOM', utf16le(TEXT, false), 'utf-16le'],
    ['UTF-16 BE without BOM', utf16be(TEXT, false), 'utf-16be'],
    ['Windows-1252 (Excel "CSV" on Windows)', cp1252(TEXT), 'windows-1252'],
  ])('SYS-001: %s is read as the same text', (_name, bytes, encoding) => {
    expect(decodeText(bytes)).toEqual({ ok: true, text: TEXT, encoding });
  });

  it('SYS-001: Latin-1 (ISO-8859-1) accents are read, not stored as mojibake', () => {
    const r = decodeText(Buffer.from('name\nJosé Núñez,François,Ærø,Øst,Grüße\n', 'latin1'));
    expect(r).toEqual({ ok: true, text: 'name\nJosé Núñez,François,Ærø,Øst,Grüße\n', encoding: 'windows-1252' });
  });

  it.each([
    [
      'Cyrillic in Windows-1251',
      Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0xc8, 0xe2, 0xe0, 0xed, 0x20, 0xcf, 0xe5, 0xf2, 0xf0, 0xee, 0xe2]),
      /Cyrillic, Greek, Asian/,
    ],
    ['Japanese in Shift_JIS', Buffer.from([0x6e, 0x0a, 0x93, 0xfa, 0x96, 0x7b, 0x8c, 0xea]), /not UTF-8/],
    ['UTF-32 LE', Buffer.from([0xff, 0xfe, 0, 0, 0x61, 0, 0, 0]), /UTF-32/],
    ['a binary file', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x14, 0x00, 0x06, 0x00, 0x08]), /not a text \(CSV\) file/],
    ['UTF-8 text with a NUL', Buffer.from('a,b\n1,\u0000x\n', 'utf8'), /zero \(NUL\) bytes/],
    ['a byte Windows-1252 does not define', Buffer.from([0x61, 0x0a, 0xe9, 0x81]), /byte 0x81/],
    ['a control character', Buffer.from('a,b\n1,\u0007\n', 'utf8'), /control character U\+0007/],
  ])('SYS-001: %s is refused, naming the encoding problem and the way out', (_name, bytes, why) => {
    const r = decodeText(bytes);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe('unsupported_encoding');
    expect(r.message).toMatch(why);
    expect(r.message).toMatch(/save the file as UTF-8/);
  });

  it('SYS-001: a declared charset wins: Cyrillic Windows-1251 and Shift_JIS read when named; a wrong or unknown one is refused', () => {
    const cyr = Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0xc8, 0xe2, 0xe0, 0xed]);
    expect(decodeText(cyr, 'windows-1251')).toEqual({ ok: true, text: 'name\nИван', encoding: 'windows-1251' });
    expect(decodeText(Buffer.from([0x6e, 0x0a, 0x93, 0xfa, 0x96, 0x7b]), 'Shift_JIS')).toEqual({
      ok: true,
      text: 'n\n日本',
      encoding: 'shift_jis',
    });
    expect(decodeText(Buffer.from([0xff, 0xff]), 'utf-8')).toMatchObject({ ok: false, message: expect.stringMatching(/not valid utf-8/) });
    expect(decodeText(cyr, 'klingon')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/"klingon" is not a character encoding/),
    });
  });
});

/** Western text: printable Latin-1 with at most two non-ASCII letters in a row (as in Grüße, Ação). */
const westernText = fc
  .array(
    fc.oneof(
      fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,.;-_@"\n'.split('')),
      fc.constantFrom(...'éèêëàâäçñóòôöúùûüíìîïÉÈÀÇÑÓÖÜßæøåÆØÅ'.split('')).map((c) => `${c}a`),
    ),
    { maxLength: 200 },
  )
  .map((parts) => parts.join(''));

describe('decodeText properties (SYS-001)', () => {
  it('SYS-001: any text survives UTF-8, UTF-8 with BOM, UTF-16 LE/BE with BOM', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 200 }).filter((s) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFEFF]/.test(s)),
        (s) => {
          for (const bytes of [Buffer.from(s, 'utf8'), Buffer.from(`\uFEFF${s}`, 'utf8'), utf16le(s), utf16be(s)]) {
            const r = decodeText(bytes);
            expect(r.ok && r.text).toBe(s);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('SYS-001: Western text saved as Latin-1/Windows-1252 reads back exactly', () => {
    fc.assert(
      fc.property(westernText, (s) => {
        const r = decodeText(Buffer.from(s, 'latin1'));
        expect(r.ok && r.text).toBe(s);
      }),
      { numRuns: 500 },
    );
  });

  it('SYS-001: whatever the bytes, the answer is a text without NUL or an encoding refusal (never a throw)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.option(fc.constantFrom('utf-8', 'windows-1251', 'utf-16le', 'nope'), { nil: undefined }),
        (bytes, cs) => {
          const r = decodeText(bytes, cs);
          if (r.ok) expect(r.text).not.toMatch(/\u0000/);
          else expect(r.code).toBe('unsupported_encoding');
        },
      ),
      { numRuns: 1000 },
    );
  });
});
