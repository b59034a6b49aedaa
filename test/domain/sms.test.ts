import { describe, expect, it } from 'vitest';
import {
  analyseSms,
  assertSingleSegment,
  assertValidSms,
  detectOptOut,
  findLinks,
  isGsm7,
  isOptOut,
  SmsTooLongError,
  SmsValidationError,
  validateSms,
} from '../../domain/index.js';

describe('sms: encoding and length (SM-004)', () => {
  it.each([
    ['Hello there', 'GSM-7', 11, 1],
    ['', 'GSM-7', 0, 0],
    ['a'.repeat(160), 'GSM-7', 160, 1],
    ['a'.repeat(161), 'GSM-7', 161, 2],
    ['a'.repeat(159) + '€', 'GSM-7', 161, 2], // € is an extension character: 2 units
    ['a'.repeat(158) + '€', 'GSM-7', 160, 1],
    ['^{}\\[~]|€', 'GSM-7', 18, 1], // every extension character counts twice
    ['Café à Zürich, señor! £5 @ 10¥ §¿¡', 'GSM-7', 34, 1], // accented letters of the GSM-7 basic set
    ['ΔΦΓΛΩΠΨΣΘΞ', 'GSM-7', 10, 1],
    ['line1\nline2\r', 'GSM-7', 12, 1],
    ['\f', 'GSM-7', 2, 1], // form feed is in the extension table
    ['ç', 'UCS-2', 1, 1], // lower-case c cedilla is not GSM-7 (only Ç is)
    ['Meet at 3pm — ok?', 'UCS-2', 17, 1], // em dash
    ['It’s here', 'UCS-2', 9, 1], // curly apostrophe
    ['Hi 👋', 'UCS-2', 5, 1], // emoji: a surrogate pair, two UTF-16 units
    ['x'.repeat(70), 'GSM-7', 70, 1],
    ['✓' + 'x'.repeat(69), 'UCS-2', 70, 1],
    ['✓' + 'x'.repeat(70), 'UCS-2', 71, 2],
    ['你好'.repeat(40), 'UCS-2', 80, 2],
    ['✓'.repeat(134), 'UCS-2', 134, 2],
    ['✓'.repeat(135), 'UCS-2', 135, 3],
    ['a'.repeat(306), 'GSM-7', 306, 2],
    ['a'.repeat(307), 'GSM-7', 307, 3],
  ])('SM-004: %j is %s, %i units, %i segment(s)', (text, encoding, units, segments) => {
    const a = analyseSms(text);
    expect(a.encoding).toBe(encoding);
    expect(a.units).toBe(units);
    expect(a.segments).toBe(segments);
    expect(a.limit).toBe(encoding === 'GSM-7' ? 160 : 70);
    expect(a.fitsOneSegment).toBe(units <= a.limit);
  });

  it('SM-004: an escape pair is never split across segments of a concatenated message', () => {
    // 306 units would fit 2 x 153, but 152 plain + '€' (2 units) would end at 154 > 153:
    // the € moves to segment 2, which then overflows into a third.
    const text = 'a'.repeat(152) + '€' + 'a'.repeat(152);
    expect(analyseSms(text).units).toBe(306);
    expect(analyseSms(text).segments).toBe(3);
  });

  it('SM-004: a surrogate pair is never split across UCS-2 segments', () => {
    const text = '✓'.repeat(66) + '👋' + '✓'.repeat(66);
    expect(analyseSms(text).units).toBe(134);
    expect(analyseSms(text).segments).toBe(3);
  });

  it('SM-004: non-GSM characters are reported', () => {
    expect(analyseSms('Hi — it’s 👋 — ok').nonGsmCharacters).toEqual(['—', '’', '👋']);
    expect(isGsm7('Hello {name}')).toBe(true);
    expect(isGsm7('Hello “name”')).toBe(false);
  });

  it('SM-004: a message over one segment is rejected with a clear error (GSM-7)', () => {
    const text = 'Hi {first}, ' + 'x'.repeat(150);
    let err: unknown;
    try {
      assertSingleSegment(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SmsTooLongError);
    const e = err as SmsTooLongError;
    expect(e.code).toBe('SMS_TOO_LONG');
    expect(e.analysis.units).toBe(164);
    expect(e.message).toMatch(/164 GSM-7 units/);
    expect(e.message).toMatch(/one segment allows 160/);
    expect(e.message).toMatch(/remove 4 unit/);
    expect(e.message).toMatch(/extension character/);
  });

  it('SM-004: a message over one segment is rejected with a clear error (UCS-2 names the character)', () => {
    const text = 'Great chatting — ' + 'x'.repeat(60);
    expect(() => assertSingleSegment(text)).toThrow(/UCS-2 because of '—' \(U\+2014\).*allows 70.*has 77.*remove 7/);
    expect(assertSingleSegment('Short and sweet').segments).toBe(1);
  });

  it('SM-004: no links, not empty', () => {
    expect(findLinks('see https://acme.com/x and www.acme.io, or acme.com.au.')).toEqual([
      'https://acme.com/x',
      'www.acme.io,',
      'acme.com.au',
    ]);
    expect(findLinks('Call me at 3.30pm, e.g. tomorrow. Cost is $1.50')).toEqual([]);
    const r = validateSms('Book here: cal.com/jo');
    expect(r.ok).toBe(false);
    expect(r.issues.map((i) => i.code)).toEqual(['contains_link']);
    expect(validateSms('   ').issues.map((i) => i.code)).toEqual(['empty']);
    expect(() => assertValidSms('x'.repeat(200) + ' acme.com')).toThrow(SmsValidationError);
    expect(assertValidSms('Hi Jo, worth a quick chat this week?').encoding).toBe('GSM-7');
  });
});

describe('sms: opt-out keywords (SM-003)', () => {
  it.each([
    ['STOP', true, 'STOP'],
    ['stop', true, 'STOP'],
    ['Stop.', true, 'STOP'],
    [' STOP! ', true, 'STOP'],
    ['Unsubscribe', true, 'UNSUBSCRIBE'],
    ['cancel', true, 'CANCEL'],
    ['End', true, 'END'],
    ['quit', true, 'QUIT'],
    ['Stop please', true, 'STOP'],
    ['please stop texting me', true, 'STOP'],
    ['Please unsubscribe me from this list', true, 'UNSUBSCRIBE'],
    ['cancel pls', true, 'CANCEL'],
    ['Thanks but QUIT messaging me', true, 'QUIT'],
    ['See you at the end of the week', false, null],
    ['Can we cancel Tuesday and do Wednesday?', false, null],
    ['SEE YOU AT THE END OF THE WEEK', false, null],
    ['Sounds good, call me', false, null],
    ['stopwatch', false, null],
    ['', false, null],
  ])('SM-003: %j -> opt-out %s', (text, optOut, keyword) => {
    expect(detectOptOut(text)).toEqual({ optOut, keyword });
    expect(isOptOut(text)).toBe(optOut);
  });
});
