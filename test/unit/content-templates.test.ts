/**
 * The template engine's texts (SYS-003, ED-005, SM-004): first touches and follow-ups from the
 * message templates, answers per intent and channel, and every text passing the content checks
 * whatever the names (long, non-Latin, emoji, placeholder-like, links, digits). The SMS segment
 * rule is written out here from GSM 03.38, not taken from domain/sms.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkContent, type ContentFacts, type ContentRequest, type ConversationTurn } from '../../domain/content-checks.js';
import { composeFromTemplates } from '../../domain/content-templates.js';
import { REPLY_INTENTS } from '../../domain/reply-intent.js';

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

const BOOKING = 'https://cal.com/acme/intro?metadata[leadId]=lead-1';
const facts: ContentFacts = {
  lead: { firstName: 'Ava', lastName: 'Ng', company: 'Syd Co', title: 'Head of Sales' },
  client: {
    name: 'Acme Growth',
    senderName: 'Sam',
    pitch: 'We help sales teams book more meetings.',
    bookingLink: BOOKING,
    knowledgeBase: 'Pricing starts at $500 a month per team.\nWe integrate with HubSpot and Salesforce.',
  },
};
const sent: ConversationTurn = {
  direction: 'outbound',
  channel: 'email',
  text: 'Hi Ava, ...',
  at: '2026-11-30T00:00:00Z',
  subject: 'Quick question for Syd Co',
};
const asked = (text: string, channel: ConversationTurn['channel'] = 'email'): ConversationTurn[] => [
  sent,
  { direction: 'inbound', channel, text, at: '2026-12-01T00:00:00Z' },
];
const answer = (over: Partial<ContentRequest>): ContentRequest => ({
  purpose: 'answer',
  channel: 'email',
  facts,
  intent: 'interested',
  conversation: asked('Sounds good, keen to chat.'),
  ...over,
});

describe('template first touches and follow-ups (SYS-003, SM-004)', () => {
  it('SYS-003: a first email has a subject, the pitch and the booking link', () => {
    const d = composeFromTemplates({ purpose: 'first_touch', channel: 'email', facts });
    expect(d.subject).toBe('Quick question for Syd Co');
    expect(d.text).toContain('We help sales teams book more meetings.');
    expect(d.text).toContain(BOOKING);
  });

  it('SYS-003: a follow-up email has no subject of its own (the sender threads it as "Re: ...")', () => {
    expect(composeFromTemplates({ purpose: 'follow_up', channel: 'email', facts }).subject).toBeUndefined();
  });

  it('SM-004: the SMS is one segment with the opt-out line and no link', () => {
    const d = composeFromTemplates({ purpose: 'first_touch', channel: 'sms', facts });
    expect(oneSegment(d.text)).toBe(true);
    expect(d.text).toContain('Reply STOP to opt out.');
    expect(d.text).not.toContain('http');
  });

  it('SYS-003: LinkedIn: a connection note on a first touch (at most 300 characters), a message with the link after acceptance', () => {
    const noteText = composeFromTemplates({ purpose: 'first_touch', channel: 'linkedin', facts }).text;
    expect(noteText.length).toBeLessThanOrEqual(300);
    expect(noteText).not.toContain('http');
    expect(composeFromTemplates({ purpose: 'follow_up', channel: 'linkedin', facts }).text).toContain(BOOKING);
  });

  it('SYS-003: voice: the opening says who calls and for whom; the follow-up is the voicemail', () => {
    expect(composeFromTemplates({ purpose: 'first_touch', channel: 'voice', facts }).text).toMatch(
      /AI assistant calling on behalf of Acme Growth/,
    );
    expect(composeFromTemplates({ purpose: 'follow_up', channel: 'voice', facts }).text).toMatch(/follow up by email/);
  });

  it('SYS-003: a LinkedIn note that would be cut at 300 characters drops the company instead', () => {
    const long = { ...facts, lead: { ...facts.lead, company: 'C'.repeat(280) } };
    const d = composeFromTemplates({ purpose: 'first_touch', channel: 'linkedin', facts: long });
    expect(d.text).toMatch(/connect\.$/);
    expect(d.text).not.toContain('CCC');
  });
});

describe('template answers per intent (SYS-003, ED-005, SM-004)', () => {
  it('ED-005: interested, by email: thanks and the booking link, in the thread ("Re: <subject of the last outbound email>")', () => {
    const d = composeFromTemplates(answer({}));
    expect(d.subject).toBe('Re: Quick question for Syd Co');
    expect(d.text).toMatch(/^Hi Ava,\n\nThanks for getting back to me/);
    expect(d.text).toContain(BOOKING);
    expect(d.text).toMatch(/Sam\nAcme Growth$/);
  });

  it('ED-005: an email answer without an email in the thread has no subject', () => {
    expect(composeFromTemplates(answer({ conversation: [] })).subject).toBeUndefined();
  });

  it('SM-004: interested, by SMS: no link; asks for a good time; one segment', () => {
    const d = composeFromTemplates(answer({ channel: 'sms', conversation: asked('yes keen', 'sms') }));
    expect(d.text).not.toMatch(/https?:|cal\.com/);
    expect(d.text).toMatch(/What day and time suit you/);
    expect(oneSegment(d.text)).toBe(true);
  });

  it('ED-005: interested, on LinkedIn: thanks and the booking link', () => {
    const d = composeFromTemplates(answer({ channel: 'linkedin', conversation: asked('Sure', 'linkedin') }));
    expect(d.text).toMatch(/^Hi Ava, thanks for getting back to me/);
    expect(d.text).toContain(BOOKING);
  });

  it('ED-005: interested, without a booking link: asks for a time instead', () => {
    const d = composeFromTemplates(answer({ facts: { ...facts, client: { ...facts.client, bookingLink: null } } }));
    expect(d.text).toMatch(/What day and time suit you/);
    expect(d.text).not.toContain('http');
  });

  it('ED-005: a question is answered with the knowledge-base sentence that matches it, and the booking link', () => {
    const d = composeFromTemplates(answer({ intent: 'question', conversation: asked('What does the pricing look like?') }));
    expect(d.text).toContain('Pricing starts at $500 a month per team.');
    expect(d.text).toContain(BOOKING);
    const crm = composeFromTemplates(answer({ intent: 'question', conversation: asked('Do you integrate with Salesforce?') }));
    expect(crm.text).toContain('We integrate with HubSpot and Salesforce.');
  });

  it('ED-005: a question the facts do not answer gets a promise to follow up, nothing made up', () => {
    const d = composeFromTemplates(answer({ intent: 'question', conversation: asked('Are you ISO certified?') }));
    expect(d.text).toContain("I'll get back to you with the details.");
  });

  it('SM-004: a question by SMS: the answer when it fits one segment, else the promise', () => {
    const fits = composeFromTemplates(answer({ channel: 'sms', intent: 'question', conversation: asked('pricing?', 'sms') }));
    expect(fits.text).toContain('Pricing starts at $500 a month per team.');
    const longKb = { ...facts, client: { ...facts.client, knowledgeBase: `Pricing depends on ${'many '.repeat(40)}things.` } };
    const falls = composeFromTemplates(
      answer({ channel: 'sms', intent: 'question', facts: longKb, conversation: asked('pricing?', 'sms') }),
    );
    expect(falls.text).toContain("I'll get back to you with the details.");
    expect(oneSegment(falls.text)).toBe(true);
  });

  it.each(['referral', 'out_of_office', 'not_now', 'not_interested', 'unsubscribe', 'wrong_person', 'angry', 'other'] as const)(
    'SYS-003: %s gets a short, polite acknowledgement: no link, no pitch',
    (intent) => {
      for (const channel of ['email', 'sms', 'linkedin', 'voice'] as const) {
        const d = composeFromTemplates(answer({ intent, channel }));
        expect(d.text).not.toContain('http');
        expect(d.text).not.toContain(facts.client.pitch!);
        expect(d.text.length).toBeLessThan(200);
      }
    },
  );

  it('SM-004: a name too long for one segment is dropped from the SMS (a shorter text, never a failure)', () => {
    const long = { ...facts, lead: { firstName: 'Bartholomew-Maximilian '.repeat(6) } };
    const d = composeFromTemplates(answer({ channel: 'sms', facts: long }));
    expect(oneSegment(d.text)).toBe(true);
    expect(d.text).not.toContain('Bartholomew');
  });

  it('SM-004: a non-GSM name is written in ASCII so the full text fits 160 characters', () => {
    const d = composeFromTemplates(answer({ channel: 'sms', facts: { ...facts, lead: { firstName: 'Дмитрий' } } }));
    expect(d.text).toMatch(/^Hi Dmitri\w*, Sam from Acme Growth here\./);
    expect(oneSegment(d.text)).toBe(true);
  });

  it('ED-005: a name that looks like a placeholder is left out ("Hi there")', () => {
    const d = composeFromTemplates(answer({ facts: { ...facts, lead: { firstName: '{{first_name}}' } } }));
    expect(d.text).toMatch(/^Hi there,/);
  });
});

describe('every template text passes its checks (property, SYS-003 ED-005 SM-004)', () => {
  const nonLatin = fc.constantFrom(
    'Łukasz',
    'Nguyễn Thị Minh Khai',
    'Дмитрий',
    '王小明',
    'محمد',
    'דוד',
    'अर्जुन',
    'さくら',
    '민준',
    'Ana 🚀',
    'Zoe\u0308',
  );
  const anyName = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 80 }),
    fc.string({ unit: 'grapheme', minLength: 100, maxLength: 400 }),
    nonLatin,
    fc.constantFrom('{{first_name}}', '[Company]', '<b>Bo</b>', 'acme.com', '7 Days', '3M', 'I am a bot', 'https://x.example'),
  );
  const name = fc.option(anyName, { nil: null });
  // A client's name is configured text: any script and emoji, but no markup or placeholder characters.
  const clientName = fc.oneof(
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 120 }).filter((s) => !/[{}[\]<>%*#&_`$]/.test(s) && s.trim() !== ''),
    nonLatin,
  );
  const request = fc.record({
    purpose: fc.constantFrom('first_touch', 'follow_up', 'answer' as const),
    channel: fc.constantFrom('email', 'sms', 'linkedin', 'voice' as const),
    intent: fc.constantFrom(...REPLY_INTENTS),
    linkedinKind: fc.constantFrom(undefined, 'note', 'message' as const),
    firstName: name,
    lastName: name,
    company: name,
    title: name,
    client: clientName,
    sender: name,
    pitch: fc.option(fc.constantFrom('We help sales teams book more meetings.', 'We cut churn by 20% in 3 months.'), { nil: null }),
    link: fc.option(fc.constantFrom(BOOKING, 'https://calendly.com/acme/15min?utm_content=lead-1'), { nil: null }),
    question: fc.constantFrom('What does it cost?', 'Do you integrate with HubSpot?', 'who are you', ''),
  });

  it('property SYS-003 ED-005 SM-004: any purpose, channel and intent with any names gives a text that passes checkContent', () => {
    fc.assert(
      fc.property(request, (r) => {
        const req: ContentRequest = {
          purpose: r.purpose,
          channel: r.channel,
          intent: r.intent,
          ...(r.linkedinKind ? { linkedinKind: r.linkedinKind } : {}),
          facts: {
            lead: { firstName: r.firstName, lastName: r.lastName, company: r.company, title: r.title },
            client: {
              name: r.client,
              senderName: r.sender,
              pitch: r.pitch,
              bookingLink: r.link,
              knowledgeBase: facts.client.knowledgeBase,
            },
          },
          conversation: r.purpose === 'answer' ? asked(r.question, r.channel) : [],
        };
        const d = composeFromTemplates(req);
        const res = checkContent(req, d);
        expect(res, JSON.stringify(d)).toEqual({ ok: true });
        if (r.channel === 'sms') expect(oneSegment(d.text), d.text).toBe(true);
        if (r.channel === 'linkedin' && (r.linkedinKind ?? (r.purpose === 'first_touch' ? 'note' : 'message')) === 'note') {
          expect(d.text.length).toBeLessThanOrEqual(300);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
