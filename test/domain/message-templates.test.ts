/**
 * The day-12 SMS is always a text that passes its channel's checks (SM-004, issue 10): one
 * segment (160 GSM-7 septets, extension characters counting two, or 70 UCS-2 code units), no
 * link, the opt-out line kept; names in any script are shortened or transliterated, never a
 * failure. The segment rule is written out here from GSM 03.38, not taken from domain/sms.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { smsMessage, type MessageContext } from '../../domain/message-templates.js';

const GSM_BASIC = new Set([
  ...'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
]);
const GSM_EXTENSION = new Set([...'^{}\\[~]|€\f']);

/** Whether a text is one SMS segment under GSM 03.38 / UCS-2. */
function oneSegment(text: string): boolean {
  const chars = [...text];
  if (chars.every((c) => GSM_BASIC.has(c) || GSM_EXTENSION.has(c))) {
    return chars.reduce((n, c) => n + (GSM_EXTENSION.has(c) ? 2 : 1), 0) <= 160;
  }
  return text.length <= 70; // UTF-16 code units
}

const base: MessageContext = { firstName: 'Ava', company: 'Syd Co', clientName: 'Acme Growth', senderName: 'Sam' };

describe('SMS text always fits (SM-004)', () => {
  it('SM-004: plain names get the full text, with the sender and the client', () => {
    const m = smsMessage(base)!;
    expect(m.text).toBe("Hi Ava, Sam's from Acme Growth. I emailed about a quick call; is next week good? Reply STOP to opt out.");
    expect(oneSegment(m.text)).toBe(true);
  });

  it.each([
    ['Polish', { firstName: 'Łukasz', clientName: 'Żabka Wzrost Sp. z o.o.' }],
    ['Vietnamese', { firstName: 'Nguyễn Thị Minh Khai', clientName: 'Công ty Tăng Trưởng' }],
    ['Russian', { firstName: 'Дмитрий', clientName: 'Рост и Продажи' }],
    ['Chinese', { firstName: '王小明', clientName: '增长伙伴有限公司' }],
    ['Arabic', { firstName: 'محمد', clientName: 'شركة النمو' }],
    ['Hebrew', { firstName: 'דוד', clientName: 'צמיחה בע"מ' }],
    ['Greek', { firstName: 'Σωκράτης', clientName: 'Ανάπτυξη Α.Ε.' }],
    ['Hindi', { firstName: 'अर्जुन', clientName: 'विकास प्राइवेट लिमिटेड' }],
    ['Japanese', { firstName: 'さくら', clientName: '株式会社グロース' }],
    ['Korean', { firstName: '민준', clientName: '성장 주식회사' }],
    ['Thai', { firstName: 'สมชาย', clientName: 'บริษัท เติบโต จำกัด' }],
    ['emoji', { firstName: 'Ana 🚀', clientName: 'Rocket 🚀 Growth 📈 Partners' }],
    ['combining marks', { firstName: 'Zoe\u0308', clientName: 'Cafe\u0301 Society' }],
    [
      'very long client name',
      { clientName: 'The Extraordinarily Long-Named International Growth and Outbound Partnership Consultancy of Greater Sydney Pty Ltd' },
    ],
    ['a client name that reads as a link', { clientName: 'growth.example.com' }],
  ])('SM-004: %s names give one segment with the opt-out line', (_name, over) => {
    const m = smsMessage({ ...base, ...over });
    expect(m).not.toBeNull();
    expect(oneSegment(m!.text), m!.text).toBe(true);
    expect(m!.text).toContain('Reply STOP to opt out.');
    expect(m!.text).not.toMatch(/https?:|www\.|\.com\b/i);
  });

  it('SM-004: a name GSM-7 cannot write is transliterated before the text is cut to the shortest', () => {
    const m = smsMessage({ ...base, firstName: 'Дмитрий', clientName: 'Рост' })!;
    expect(m.text).toMatch(/^Hi Dmitri/);
    expect(m.text).toContain('from Rost.');
  });

  it('property SM-004: for any names in any script the text is one segment, has the opt-out line and no link', () => {
    const name = fc.option(fc.string({ unit: 'grapheme', maxLength: 80 }), { nil: null });
    fc.assert(
      fc.property(
        name,
        name,
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 120 }),
        name,
        (firstName, company, clientName, senderName) => {
          const m = smsMessage({ firstName, company, clientName, senderName });
          expect(m).not.toBeNull();
          expect(oneSegment(m!.text), m!.text).toBe(true);
          expect(m!.text.endsWith('Reply STOP to opt out.')).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
