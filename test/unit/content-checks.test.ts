/**
 * The checks every outbound text passes (SYS-003, ED-005, SM-004): channel limits, subject,
 * placeholders, markup, AI self-references and invented facts. The SMS segment rule is written out
 * here from GSM 03.38 (160 septets, extension characters counting two; else 70 UTF-16 units), not
 * taken from domain/sms.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkContent,
  withUnsubscribeFooter,
  type ContentDraft,
  type ContentFacts,
  type ContentFailureCode,
  type ContentRequest,
} from '../../domain/content-checks.js';

const GSM_BASIC = new Set([
  ...'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
]);
const GSM_EXTENSION = new Set([...'^{}\\[~]|€\f']);

function oneSegment(text: string): boolean {
  const chars = [...text];
  if (chars.every((c) => GSM_BASIC.has(c) || GSM_EXTENSION.has(c)))
    return chars.reduce((n, c) => n + (GSM_EXTENSION.has(c) ? 2 : 1), 0) <= 160;
  return text.length <= 70;
}

const facts: ContentFacts = {
  lead: { firstName: 'Ava', lastName: 'Ng', company: 'Syd Co', title: 'Head of Sales' },
  client: {
    name: 'Acme Growth',
    senderName: 'Sam',
    pitch: 'We cut onboarding time by 30% for 120 customers.',
    bookingLink: 'https://cal.com/acme/intro?metadata[leadId]=lead-1',
    knowledgeBase: 'Pricing starts at $500 a month. Support: help@acme.example or +61 2 9999 1234. Setup takes 2 weeks.',
  },
};
const thread = [
  {
    direction: 'outbound' as const,
    channel: 'email' as const,
    text: 'Hi Ava, ...',
    at: '2026-11-30T00:00:00Z',
    subject: 'Quick question for Syd Co',
  },
  {
    direction: 'inbound' as const,
    channel: 'email' as const,
    text: 'Could we talk Tuesday at 2pm? My cell is 0412 345 678.',
    at: '2026-12-01T00:00:00Z',
  },
];
const req = (over: Partial<ContentRequest> = {}): ContentRequest => ({
  purpose: 'answer',
  channel: 'email',
  facts,
  intent: 'question',
  conversation: thread,
  ...over,
});
const codes = (r: ContentRequest, d: ContentDraft) => {
  const res = checkContent(r, d);
  return res.ok ? [] : res.failures.map((f) => f.code);
};

describe('content checks: channel rules (SM-004, SYS-003)', () => {
  it.each<[string, Partial<ContentRequest>, ContentDraft, ContentFailureCode[]]>([
    ['an empty text', { channel: 'linkedin' }, { text: '  \n ' }, ['empty']],
    ['an SMS of 161 GSM-7 characters', { channel: 'sms' }, { text: 'a'.repeat(161) }, ['sms_too_long']],
    ['an SMS of 71 characters with one emoji (UCS-2)', { channel: 'sms' }, { text: `🚀${'a'.repeat(69)}` }, ['sms_too_long']],
    ['an SMS with 80 extension characters (each counts two)', { channel: 'sms' }, { text: '€'.repeat(81) }, ['sms_too_long']],
    [
      'an SMS with the booking link (SM-004: no links)',
      { channel: 'sms' },
      { text: `Book here: ${facts.client.bookingLink}` },
      ['sms_contains_link'],
    ],
    [
      'an SMS with a bare domain',
      { channel: 'sms', facts: { ...facts, client: { ...facts.client, pitch: 'See acme.com.au' } } },
      { text: 'See acme.com.au' },
      ['sms_contains_link'],
    ],
    [
      'a LinkedIn note of 301 characters',
      { channel: 'linkedin', purpose: 'first_touch' },
      { text: 'a'.repeat(301) },
      ['linkedin_note_too_long'],
    ],
    [
      'a LinkedIn message of 8001 characters',
      { channel: 'linkedin', linkedinKind: 'message' },
      { text: 'a'.repeat(8001) },
      ['linkedin_message_too_long'],
    ],
    ['a first-touch email without a subject', { purpose: 'first_touch' }, { text: 'Hi Ava' }, ['missing_subject']],
    ['an answer in a thread without its subject', {}, { text: 'Hi Ava' }, ['missing_subject']],
    ['a subject on two lines', { purpose: 'first_touch' }, { subject: 'Hello\nAva', text: 'Hi Ava' }, ['subject_not_one_line']],
  ])('SM-004 SYS-003: %s fails', (_name, over, draft, expected) => {
    expect(codes(req(over), draft)).toEqual(expected);
  });

  it.each<[string, Partial<ContentRequest>, ContentDraft]>([
    ['an SMS of exactly 160 GSM-7 characters', { channel: 'sms' }, { text: 'a'.repeat(160) }],
    ['an SMS of 70 UCS-2 units', { channel: 'sms' }, { text: `Zoë 王${'a'.repeat(65)}` }],
    ['a LinkedIn note of 300 characters', { channel: 'linkedin', purpose: 'first_touch' }, { text: 'a'.repeat(300) }],
    ['a follow-up email without a subject (the sender sets "Re: ...")', { purpose: 'follow_up' }, { text: 'Hi Ava' }],
    ['an answer with no email in the thread, without a subject', { conversation: [] }, { text: 'Hi Ava' }],
    [
      'a voice opening that says it is an AI assistant (DOMAIN.md Voice)',
      { channel: 'voice', purpose: 'first_touch' },
      { text: 'Hi Ava, this is an AI assistant calling on behalf of Acme Growth.' },
    ],
  ])('SM-004 SYS-003: %s passes', (_name, over, draft) => {
    expect(checkContent(req(over), draft)).toEqual({ ok: true });
  });
});

describe('content checks: placeholders, markup, AI self-references (ED-005)', () => {
  it.each<[string, ContentFailureCode]>([
    ['Hi {{first_name}},', 'placeholder'],
    ['Hi {firstName},', 'placeholder'],
    ['Hi ${name},', 'placeholder'],
    ['Hi [First Name],', 'placeholder'],
    ['We help <company> grow.', 'placeholder'],
    ['Hi %FIRST_NAME%,', 'placeholder'],
    ['Lorem ipsum dolor sit amet.', 'placeholder'],
    ['<p>Hi Ava</p>', 'markup'],
    ['Hi Ava,<br>thanks', 'markup'],
    ['Hi&nbsp;Ava', 'markup'],
    ['**Great** to hear', 'markup'],
    ['Book [here](https://cal.com/acme/intro?metadata[leadId]=lead-1)', 'markup'],
    ['## Pricing', 'markup'],
    ['As an AI language model, I cannot book meetings.', 'ai_disclosure'],
    ["I'm an AI assistant for Acme Growth.", 'ai_disclosure'],
    ['I am a bot.', 'ai_disclosure'],
  ])('ED-005: "%s" fails with %s', (text, code) => {
    expect(codes(req({ channel: 'linkedin', linkedinKind: 'message' }), { text })).toContain(code);
  });

  it('ED-005: "language model" is refused on voice too, where the assistant may say it is an AI', () => {
    expect(codes(req({ channel: 'voice' }), { text: 'As a large language model I can help.' })).toContain('ai_disclosure');
  });

  it('ED-005: the subject is checked like the text', () => {
    expect(codes(req({ purpose: 'first_touch' }), { subject: 'Hi {{first_name}}', text: 'Hi Ava' })).toEqual(['placeholder']);
  });
});

describe('content checks: no invented facts (SYS-003, ED-005)', () => {
  it.each<[string, ContentFailureCode]>([
    ['Book at https://calendly.com/someone-else', 'invented_url'],
    ['See www.acme-growth.example', 'invented_url'],
    ['Details on acme.io/pricing', 'invented_url'],
    ['Write to sales@acme.example', 'invented_email'],
    ['Call us on +61 3 9000 0000', 'invented_phone'],
    ['Plans from $450 a month', 'invented_money'],
    ['Plans from AUD 450', 'invented_money'],
    ['We lift replies by 45%', 'invented_percentage'],
    ['We lift replies by 30 percent and save 45 percent', 'invented_percentage'],
    ['Setup takes 3 weeks', 'invented_number'],
    ['We grew 3x last year', 'invented_number'],
    ['Founded in 2015', 'invented_number'],
    ['We serve 120 countries', 'invented_number'],
  ])('SYS-003: "%s" fails with %s', (text, code) => {
    expect(codes(req(), { subject: 'Re: Quick question for Syd Co', text })).toContain(code);
  });

  it.each([
    ['the booking link as given', `Pick a time: ${facts.client.bookingLink}`],
    [
      'the facts in other words',
      'Pricing starts at $500 a month, and setup takes 2 weeks; onboarding is 30% faster for our 120 customers.',
    ],
    ['the email and phone of the knowledge base (phone in another format)', 'Write to help@acme.example or call 02 9999 1234.'],
    ["the lead's own time and number from the conversation", 'Tuesday at 2pm works; I will call 0412 345 678.'],
    ["the house's 15-minute call", 'Would a 15-minute call help?'],
    ['no numbers at all', 'Thanks Ava, happy to help.'],
  ])('ED-005: %s passes', (_name, text) => {
    expect(checkContent(req(), { subject: 'Re: Quick question for Syd Co', text })).toEqual({ ok: true });
  });

  it('ED-005: the facts of the lead count as given (a company with a number and a domain in its name)', () => {
    const r = req({ facts: { ...facts, lead: { firstName: 'Jo', company: '7 Days Media (7days.example)' } } });
    expect(
      checkContent(r, { subject: 'Re: Quick question for Syd Co', text: 'Hi Jo, great to hear from 7 Days Media at 7days.example.' }),
    ).toEqual({ ok: true });
  });

  it('ED-005: a failure names the offending value and says why', () => {
    const res = checkContent(req(), { subject: 'Re: x', text: 'Call +61 3 9000 0000 or visit https://evil.example/offer.' });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.failures).toEqual([
      {
        code: 'invented_url',
        value: 'https://evil.example/offer',
        reason: expect.stringContaining('not in the facts or the conversation'),
      },
      { code: 'invented_phone', value: '+61390000000', reason: expect.stringContaining('not in the facts or the conversation') },
    ]);
  });
});

describe('content checks: properties (SM-004, SYS-003)', () => {
  it('property SM-004: any text that passes as an SMS is one segment and carries no link', () => {
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      fc.string({ unit: fc.constantFrom(...'abc xyz.,!?€[]{}^~|\\'), maxLength: 200 }),
    );
    fc.assert(
      fc.property(text, (t) => {
        if (checkContent(req({ channel: 'sms', conversation: [] }), { text: t }).ok) {
          expect(oneSegment(t), t).toBe(true);
          expect(t).not.toMatch(/https?:\/\/|www\./i);
        }
      }),
      { numRuns: 2000 },
    );
  });

  const plain: ContentFacts = {
    lead: { firstName: 'Ava', company: 'Syd Co' },
    client: { name: 'Acme Growth', senderName: 'Sam', pitch: 'We help teams book meetings.' },
  };
  const label = fc.stringMatching(/^[a-z][a-z0-9]{1,10}$/);
  const invented = fc.oneof(
    fc
      .integer({ min: 0, max: 10_000_000 })
      .filter((n) => n !== 15)
      .map(String),
    fc
      .integer({ min: 1, max: 999 })
      .filter((n) => n !== 15)
      .map((n) => `$${n}`),
    fc
      .integer({ min: 1, max: 100 })
      .filter((n) => n !== 15)
      .map((n) => `${n}%`),
    fc
      .integer({ min: 2, max: 99 })
      .filter((n) => n !== 15)
      .map((n) => `${n} customers`),
    fc.tuple(label, fc.constantFrom('com', 'io', 'com.au', 'net')).map(([l, tld]) => `https://${l}.${tld}/x`),
    fc.tuple(label, fc.constantFrom('com', 'org')).map(([l, tld]) => `www.${l}.${tld}`),
    fc.tuple(label, label).map(([a, b]) => `${a}@${b}.com`),
  );

  it('property SYS-003: an output with a URL, email or number absent from the facts and the conversation never passes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('email', 'sms', 'linkedin', 'voice' as const),
        fc.constantFrom('Thanks Ava, happy to help', 'Hi there', 'We help teams book meetings'),
        invented,
        fc.constantFrom('.', ' today.', ' for Syd Co.'),
        (channel, before, claim, after) => {
          const r: ContentRequest = { purpose: 'answer', channel, facts: plain, intent: 'question', conversation: [] };
          expect(checkContent(r, { text: `${before} ${claim}${after}` }).ok).toBe(false);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('withUnsubscribeFooter (ED-005)', () => {
  it('ED-005: adds the unsubscribe line the email sender writes, once', () => {
    const url = 'https://app.example/u/lead-1.abc';
    const once = withUnsubscribeFooter('Hi Ava,\n\nThanks.\n\nSam\n', url);
    expect(once).toBe(`Hi Ava,\n\nThanks.\n\nSam\n\nUnsubscribe: ${url}`);
    expect(withUnsubscribeFooter(once, url)).toBe(once);
  });
});
