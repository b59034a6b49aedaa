/**
 * replyBody (domain/reply-text.ts): the reply itself, without the quoted original, as the intent
 * rules, the opt-out reader and the return-date reader see it (SYS-003, ED-005, SM-003). Each case
 * is a full reply as its client writes it (the lead's text first, then the client's marker and our
 * original), with the reply body the lead wrote, by hand. The original always carries the words
 * that would mislead the rules if read as the lead's: "call", "meeting", an out-of-office sentence
 * and our unsubscribe footer.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyReply, detectOptOut, type ReplyIntent } from '../../domain/index.js';
import { normalise, replyBody } from '../../domain/reply-text.js';

const NBSP = '\u00a0';

/** Our first email, as the lead's client shows it under the reply. */
const OURS = [
  'Hi Lee,',
  '',
  'Worth a quick call next week? I can set up a 15-minute meeting on Tuesday.',
  "I'm out of the office until 10 November, so any time after that works.",
  '',
  'Ada',
  'Agency Co, 1 George St, Sydney NSW 2000',
  'Not interested? Reply "unsubscribe" and we won\'t email you again.',
];
/** Our email quoted with "> " (Gmail, Apple Mail, Thunderbird). */
const QUOTED = OURS.map((l) => (l ? `> ${l}` : '>'));

/** The same reply with each kind of line ending. */
const endings = (lines: string[]) => [lines.join('\n'), lines.join('\r\n'), lines.join('\r')];

interface Case {
  client: string;
  text: string[];
  body: string[];
}

const CASES: Case[] = [
  // ----- attribution lines -----
  {
    client: 'Gmail (en-US)',
    text: ['Yes, Tuesday works.', '', 'Lee', '', 'On Mon, Nov 3, 2025 at 10:02 AM Ada Lovelace <ada@agency-mail.test> wrote:', ...QUOTED],
    body: ['Yes, Tuesday works.', '', 'Lee', ''],
  },
  {
    client: 'Gmail (en-GB), attribution wrapped over two lines',
    text: ['Thanks Ada, not for us.', '', 'On Mon, 3 Nov 2025 at 10:02, Ada Lovelace <', 'ada@agency-mail.test> wrote:', '', ...QUOTED],
    body: ['Thanks Ada, not for us.', ''],
  },
  {
    client: 'Yahoo Mail, attribution wrapped over three lines, original not quoted',
    text: [
      'No thanks.',
      '',
      'On Monday, November 3, 2025 at 10:02:11 AM GMT+11,',
      'Ada Lovelace <ada@agency-mail.test>',
      'wrote:',
      '',
      ...OURS,
    ],
    body: ['No thanks.', ''],
  },
  {
    client: 'Thunderbird',
    text: ['Who else do you work with in Sydney?', '', 'On 03/11/2025 10:02, Ada Lovelace wrote:', ...QUOTED],
    body: ['Who else do you work with in Sydney?', ''],
  },
  {
    client: 'Outlook for Mac',
    text: ['Please send me a calendar invite.', '', 'On 3/11/25, 10:02 AM, "Ada Lovelace" <ada@agency-mail.test> wrote:', '', ...QUOTED],
    body: ['Please send me a calendar invite.', ''],
  },
  {
    client: 'Gmail (fr), no-break space before the colon',
    text: [
      'Merci, pas pour nous.',
      '',
      `Le lun. 3 nov. 2025 à 10:02, Ada Lovelace <ada@agency-mail.test> a${NBSP}écrit${NBSP}:`,
      '',
      ...QUOTED,
    ],
    body: ['Merci, pas pour nous.', ''],
  },
  {
    client: 'Gmail (fr), wrapped before "écrit"',
    text: ['Oui, mardi me va.', '', 'Le lun. 3 nov. 2025 à 10:02, Ada Lovelace <ada@agency-mail.test> a', `écrit${NBSP}:`, ...QUOTED],
    body: ['Oui, mardi me va.', ''],
  },
  {
    client: 'Gmail (de)',
    text: ['Danke, kein Bedarf.', '', 'Am Mo., 3. Nov. 2025 um 10:02 Uhr schrieb Ada Lovelace <ada@agency-mail.test>:', '', ...QUOTED],
    body: ['Danke, kein Bedarf.', ''],
  },
  {
    client: 'Thunderbird (de)',
    text: ['Gerne, Dienstag passt.', '', 'Am 03.11.25 um 10:02 schrieb Ada Lovelace:', ...QUOTED],
    body: ['Gerne, Dienstag passt.', ''],
  },
  {
    client: 'Gmail (es)',
    text: [
      'Gracias, no me interesa.',
      '',
      'El lun, 3 nov 2025 a las 10:02, Ada Lovelace (<ada@agency-mail.test>) escribió:',
      '',
      ...QUOTED,
    ],
    body: ['Gracias, no me interesa.', ''],
  },
  {
    client: 'Gmail (pt-BR)',
    text: [
      'Obrigado, podemos falar.',
      '',
      'Em seg., 3 de nov. de 2025 às 10:02, Ada Lovelace <ada@agency-mail.test> escreveu:',
      '',
      ...QUOTED,
    ],
    body: ['Obrigado, podemos falar.', ''],
  },
  {
    client: 'Gmail (it)',
    text: [
      'Grazie, martedì va bene.',
      '',
      'Il giorno lun 3 nov 2025 alle ore 10:02 Ada Lovelace <ada@agency-mail.test> ha scritto:',
      '',
      ...QUOTED,
    ],
    body: ['Grazie, martedì va bene.', ''],
  },
  {
    client: 'Gmail (nl)',
    text: ['Bedankt, geen interesse.', '', 'Op ma 3 nov 2025 om 10:02 schreef Ada Lovelace <ada@agency-mail.test>:', '', ...QUOTED],
    body: ['Bedankt, geen interesse.', ''],
  },
  {
    client: 'Apple Mail (nl)',
    text: [
      'Dinsdag is goed.',
      '',
      'Op 3 nov. 2025 om 10:02 heeft Ada Lovelace <ada@agency-mail.test> het volgende geschreven:',
      '',
      ...QUOTED,
    ],
    body: ['Dinsdag is goed.', ''],
  },
  {
    client: 'Gmail (sv)',
    text: ['Tack, inte intresserad.', '', 'Den mån 3 nov. 2025 kl 10:02 skrev Ada Lovelace <ada@agency-mail.test>:', '', ...QUOTED],
    body: ['Tack, inte intresserad.', ''],
  },
  {
    client: 'Gmail (da)',
    text: ['Tak, tirsdag passer.', '', 'Den man. 3. nov. 2025 kl. 10.02 skrev Ada Lovelace <ada@agency-mail.test>:', '', ...QUOTED],
    body: ['Tak, tirsdag passer.', ''],
  },
  {
    client: 'Gmail (nb), no opener word',
    text: ['Takk, ikke interessert.', '', 'man. 3. nov. 2025 kl. 10:02 skrev Ada Lovelace <ada@agency-mail.test>:', '', ...QUOTED],
    body: ['Takk, ikke interessert.', ''],
  },
  {
    client: 'a client writing "<name> skrev:"',
    text: ['Ring meg gjerne.', '', 'Ada Lovelace <ada@agency-mail.test> skrev:', ...QUOTED],
    body: ['Ring meg gjerne.', ''],
  },
  {
    client: 'Apple Mail (ja), "のメール:"',
    text: [
      'ご連絡ありがとうございます。来週の火曜日にお話しできます。',
      '',
      '2025/11/03 10:02、Ada Lovelace <ada@agency-mail.test>のメール:',
      '',
      ...QUOTED,
    ],
    body: ['ご連絡ありがとうございます。来週の火曜日にお話しできます。', ''],
  },
  {
    client: 'a Japanese client, "のメッセージ:"',
    text: ['検討します。', '', '2025年11月3日(月) 10:02 Ada Lovelace <ada@agency-mail.test> のメッセージ:', ...QUOTED],
    body: ['検討します。', ''],
  },
  {
    client: 'Gmail (ja), no verb',
    text: ['結構です。', '', '2025年11月3日(月) 10:02 Ada Lovelace <ada@agency-mail.test>:', '', ...QUOTED],
    body: ['結構です。', ''],
  },
  {
    client: 'Thunderbird (ja), "wrote:"',
    text: ['火曜日で大丈夫です。', '', 'On 2025/11/03 10:02, Ada Lovelace wrote:', ...QUOTED],
    body: ['火曜日で大丈夫です。', ''],
  },
  {
    client: 'Gmail (zh-CN), full-width colon',
    text: ['谢谢，我们不需要。', '', 'Ada Lovelace <ada@agency-mail.test> 于2025年11月3日周一 10:02写道：', '', ...QUOTED],
    body: ['谢谢，我们不需要。', ''],
  },
  {
    client: 'Gmail (zh-CN), wrapped before the time',
    text: ['好的，周二可以。', '', 'Ada Lovelace <ada@agency-mail.test> 于2025年11月3日周一', '10:02写道：', ...QUOTED],
    body: ['好的，周二可以。', ''],
  },
  {
    client: 'Gmail (ko)',
    text: [
      '감사합니다. 화요일 괜찮습니다.',
      '',
      '2025년 11월 3일 (월) 오전 10:02, Ada Lovelace <ada@agency-mail.test>님이 작성:',
      '',
      ...QUOTED,
    ],
    body: ['감사합니다. 화요일 괜찮습니다.', ''],
  },
  // ----- Outlook header blocks and separators -----
  {
    client: 'Outlook (en), separator and header block, original not quoted',
    text: [
      'Not interested, thanks.',
      '',
      'Regards,',
      'Lee Ead',
      '',
      '________________________________',
      'From: Ada Lovelace <ada@agency-mail.test>',
      'Sent: Monday, November 3, 2025 10:02 AM',
      'To: Lee Ead <lee@prospect.test>',
      'Subject: Quick question about Prospect Co',
      '',
      ...OURS,
    ],
    body: ['Not interested, thanks.', '', 'Regards,', 'Lee Ead', ''],
  },
  {
    client: 'Outlook (en), header block alone',
    text: [
      'Happy to chat.',
      '',
      'From: Ada Lovelace <ada@agency-mail.test>',
      'Sent: 03 November 2025 10:02',
      'To: Lee Ead',
      'Subject: Quick question',
      '',
      ...OURS,
    ],
    body: ['Happy to chat.', ''],
  },
  {
    client: 'Outlook (en), rich-text conversion, wrapped recipients',
    text: [
      'Tell me more.',
      '',
      '*From:* Ada Lovelace <ada@agency-mail.test>',
      '*Sent:* Monday, 3 November 2025 10:02 AM',
      '*To:* Lee Ead <lee@prospect.test>; Sam Ray <sam@prospect.test>;',
      'Kim Park <kim@prospect.test>',
      '*Subject:* Quick question',
      ...OURS,
    ],
    body: ['Tell me more.', ''],
  },
  {
    client: 'Outlook (fr)',
    text: [
      'Pas intéressé, merci.',
      '',
      '________________________________',
      `De${NBSP}: Ada Lovelace <ada@agency-mail.test>`,
      `Envoyé${NBSP}: lundi 3 novembre 2025 10:02`,
      `À${NBSP}: Lee Ead <lee@prospect.test>`,
      `Objet${NBSP}: Petite question`,
      '',
      ...OURS,
    ],
    body: ['Pas intéressé, merci.', ''],
  },
  {
    client: 'Outlook (de), no separator',
    text: [
      'Bitte rufen Sie mich an.',
      '',
      'Von: Ada Lovelace <ada@agency-mail.test>',
      'Gesendet: Montag, 3. November 2025 10:02',
      'An: Lee Ead <lee@prospect.test>',
      'Betreff: Kurze Frage',
      '',
      ...OURS,
    ],
    body: ['Bitte rufen Sie mich an.', ''],
  },
  {
    client: 'Outlook (nl)',
    text: [
      'Geen interesse.',
      'Van: Ada Lovelace <ada@agency-mail.test>',
      'Verzonden: maandag 3 november 2025 10:02',
      'Aan: Lee Ead',
      'Onderwerp: Vraag',
      ...OURS,
    ],
    body: ['Geen interesse.'],
  },
  {
    client: 'Outlook (it)',
    text: [
      'Va bene martedì.',
      '',
      'Da: Ada Lovelace <ada@agency-mail.test>',
      'Inviato: lunedì 3 novembre 2025 10:02',
      'A: Lee Ead',
      'Oggetto: Domanda',
      '',
      ...OURS,
    ],
    body: ['Va bene martedì.', ''],
  },
  {
    client: 'Outlook (es)',
    text: [
      'No, gracias.',
      '',
      'De: Ada Lovelace <ada@agency-mail.test>',
      'Enviado: lunes, 3 de noviembre de 2025 10:02',
      'Para: Lee Ead',
      'Asunto: Pregunta',
      '',
      ...OURS,
    ],
    body: ['No, gracias.', ''],
  },
  {
    client: 'Outlook (sv)',
    text: [
      'Tack, nej.',
      '',
      'Från: Ada Lovelace <ada@agency-mail.test>',
      'Skickat: den 3 november 2025 10:02',
      'Till: Lee Ead',
      'Ämne: Fråga',
      '',
      ...OURS,
    ],
    body: ['Tack, nej.', ''],
  },
  {
    client: 'Outlook (ja), full-width colons',
    text: [
      '不要です。',
      '',
      '差出人： Ada Lovelace <ada@agency-mail.test>',
      '送信日時： 2025年11月3日 10:02',
      '宛先： Lee Ead',
      '件名： ご質問',
      '',
      ...OURS,
    ],
    body: ['不要です。', ''],
  },
  {
    client: 'Outlook (en), "-----Original Message-----"',
    text: [
      'Wrong person, sorry.',
      '',
      '-----Original Message-----',
      'From: Ada Lovelace [mailto:ada@agency-mail.test]',
      'Sent: Monday, November 3, 2025 10:02 AM',
      'To: Lee Ead',
      'Subject: Quick question',
      '',
      ...OURS,
    ],
    body: ['Wrong person, sorry.', ''],
  },
  {
    client: 'Outlook (de), "-----Ursprüngliche Nachricht-----"',
    text: ['Kein Interesse.', '', '-----Ursprüngliche Nachricht-----', 'Von: Ada Lovelace', 'Gesendet: Montag', ...OURS],
    body: ['Kein Interesse.', ''],
  },
  {
    client: 'Outlook (fr), "-----Message d\'origine-----"',
    text: ['Rappelez-moi.', '', "-----Message d'origine-----", ...OURS],
    body: ['Rappelez-moi.', ''],
  },
  {
    client: 'Samsung Email, "Sent from my Galaxy" then "-------- Original message --------"',
    text: [
      'Sounds good',
      '',
      '',
      'Sent from my Galaxy',
      '',
      '',
      '-------- Original message --------',
      'From: Ada Lovelace <ada@agency-mail.test>',
      ...OURS,
    ],
    body: ['Sounds good', '', '', '', ''],
  },
  {
    client: 'Apple Mail, "Begin forwarded message:"',
    text: ['Jo, this one is for you.', '', 'Begin forwarded message:', '', 'From: Ada Lovelace <ada@agency-mail.test>', ...OURS],
    body: ['Jo, this one is for you.', ''],
  },
  {
    client: 'Gmail, "---------- Forwarded message ---------"',
    text: [
      'Adding Jo, our head of marketing.',
      '',
      '---------- Forwarded message ---------',
      'From: Ada Lovelace <ada@agency-mail.test>',
      ...OURS,
    ],
    body: ['Adding Jo, our head of marketing.', ''],
  },
  // ----- quoted lines -----
  {
    client: 'nested quotes "> >" and ">>", answers between quotes',
    text: [
      'Yes, Tuesday.',
      '> > Worth a quick call?',
      '>> Not interested? Reply "unsubscribe"',
      'And Thursday too.',
      '> I am out of the office until 10 November.',
    ],
    body: ['Yes, Tuesday.', 'And Thursday too.'],
  },
  {
    client: 'quoted with "|"',
    text: ['Happy to talk.', '', '| Worth a quick call next week?', '| Reply "unsubscribe" to opt out.', '|'],
    body: ['Happy to talk.', ''],
  },
  {
    client: 'the lead\'s own ">" (a comparison, an arrow) stays',
    text: [
      'We need > 50 seats -> is that possible?',
      '>50 seats, to be precise.',
      '>= 10 users per team',
      '',
      'On Mon, 3 Nov 2025 at 10:02, Ada <ada@agency-mail.test> wrote:',
      ...QUOTED,
    ],
    body: ['We need > 50 seats -> is that possible?', '>50 seats, to be precise.', '>= 10 users per team', ''],
  },
  // ----- lines that only look like markers -----
  {
    client: 'a lone "From:" line of the lead\'s',
    text: [
      'From: the sound of it, yes.',
      'From: our side, Tuesday works.',
      'Lee',
      '',
      'On Mon, 3 Nov 2025 at 10:02, Ada <ada@agency-mail.test> wrote:',
      ...QUOTED,
    ],
    body: ['From: the sound of it, yes.', 'From: our side, Tuesday works.', 'Lee', ''],
  },
  {
    client: 'a line of the lead\'s starting with "On" just above the attribution',
    text: ['On second thought, yes.', 'On Mon, 3 Nov 2025 at 10:02, Ada <ada@agency-mail.test> wrote:', ...QUOTED],
    body: ['On second thought, yes.'],
  },
  // ----- mobile signatures -----
  {
    client: 'Apple Mail (iPhone): signature, then the quoted attribution',
    text: [
      'Sounds good, call me.',
      '',
      'Sent from my iPhone',
      '',
      '> On 3 Nov 2025, at 10:02, Ada Lovelace <ada@agency-mail.test> wrote:',
      '>',
      ...QUOTED,
    ],
    body: ['Sounds good, call me.', '', ''],
  },
  {
    client: 'Outlook for iOS: "Get Outlook for iOS" then the header block',
    text: [
      'Not now.',
      '',
      'Get Outlook for iOS',
      '________________________________',
      'From: Ada Lovelace <ada@agency-mail.test>',
      'Sent: Monday, November 3, 2025 10:02:00 AM',
      'To: Lee Ead <lee@prospect.test>',
      'Subject: Quick question',
      '',
      ...OURS,
    ],
    body: ['Not now.', ''],
  },
  {
    client: 'iPhone (fr): "Envoyé de mon iPhone"',
    text: [
      'Oui, appelez-moi.',
      '',
      'Envoyé de mon iPhone',
      '',
      `> Le 3 nov. 2025 à 10:02, Ada Lovelace <ada@agency-mail.test> a écrit${NBSP}:`,
      ...QUOTED,
    ],
    body: ['Oui, appelez-moi.', '', ''],
  },
  {
    client: 'iPhone (de): "Von meinem iPhone gesendet"',
    text: [
      'Passt.',
      '',
      'Von meinem iPhone gesendet',
      '',
      '> Am 03.11.2025 um 10:02 schrieb Ada Lovelace <ada@agency-mail.test>:',
      ...QUOTED,
    ],
    body: ['Passt.', '', ''],
  },
  {
    client: "a signature followed by more of the lead's words (kept)",
    text: [
      'Yes.',
      '',
      'Sent from my iPhone',
      '',
      'PS: Tuesday 10am works best.',
      '',
      'On Mon, 3 Nov 2025 at 10:02, Ada <ada@agency-mail.test> wrote:',
      ...QUOTED,
    ],
    body: ['Yes.', '', '', 'PS: Tuesday 10am works best.', ''],
  },
  {
    client: 'a sentence that starts like a signature (kept)',
    text: ['Sent from my phone, sorry for typos: yes please.', 'Sent from my iPhone so excuse the brevity and the typos in it'],
    body: ['Sent from my phone, sorry for typos: yes please.', 'Sent from my iPhone so excuse the brevity and the typos in it'],
  },
];

describe('reply text: the reply itself, any client and language (SYS-003, ED-005, SM-003)', () => {
  it.each(CASES)('SYS-003 SM-003: $client', ({ text, body }) => {
    for (const t of endings(text)) expect(replyBody(t)).toBe(body.join('\n'));
  });

  it('SYS-003: normalise lower-cases the reply and straightens quotes, without the original', () => {
    const text = ['I\u2019m \u201cKeen\u201d.', '', 'On Mon, 3 Nov 2025 at 10:02, Ada <ada@agency-mail.test> wrote:', ...QUOTED].join(
      '\r\n',
    );
    expect(normalise(text)).toBe('i\'m "keen".\n');
  });
});

describe("reply text: the intent and the opt-out read only the lead's words (SYS-003, SM-003)", () => {
  const reply = (lead: string[], marker: string[], original = OURS) => [...lead, '', ...marker, ...original].join('\r\n');
  const outlook = [
    'From: Ada Lovelace <ada@agency-mail.test>',
    'Sent: Monday, November 3, 2025 10:02 AM',
    'To: Lee Ead',
    'Subject: Quick question',
    '',
  ];
  const outlookFr = [
    'De : Ada Lovelace <ada@agency-mail.test>',
    'Envoyé : lundi 3 novembre 2025 10:02',
    'À : Lee Ead',
    'Objet : Question',
    '',
  ];
  const outlookIt = [
    'Da: Ada Lovelace <ada@agency-mail.test>',
    'Inviato: lunedì 3 novembre 2025 10:02',
    'A: Lee Ead',
    'Oggetto: Domanda',
    '',
  ];
  /** A follow-up of ours with an out-of-office sentence and a call in it, and no footer. */
  const followUp = ["I'm out of the office until 10 November; happy to call after that.", 'Ada'];
  const gmailDe = ['Am Mo., 3. Nov. 2025 um 10:02 Uhr schrieb Ada Lovelace <ada@agency-mail.test>:'];
  const gmailFr = [`Le lun. 3 nov. 2025 à 10:02, Ada Lovelace <ada@agency-mail.test> a${NBSP}écrit${NBSP}:`];

  it.each([
    [
      'a thank-you above an Outlook block (our call, meeting, out-of-office and unsubscribe below)',
      reply(['Thanks for the note.'], outlook),
      'other',
    ],
    ['"not interested" above an Outlook block', reply(['Not interested, thanks.'], outlook), 'not_interested'],
    ['a thank-you above a French Outlook block (our unsubscribe footer below, not quoted)', reply(['Merci beaucoup.'], outlookFr), 'other'],
    ['a thank-you above an Italian Outlook block (our out-of-office sentence below)', reply(['Grazie.'], outlookIt, followUp), 'other'],
    [
      '"sounds good" above our out-of-office sentence, Outlook separator',
      reply(['Sounds good.'], ['_'.repeat(32), ...outlook], followUp),
      'interested',
    ],
    ['a meeting request above a German attribution', reply(['Sounds good, what times work?'], gmailDe, QUOTED), 'interested'],
    ['a thank-you above a French attribution', reply(['Merci.'], gmailFr, QUOTED), 'other'],
    [
      'a lone "From:" sentence is read',
      reply(['From: the sound of it, not interested.'], ['On Mon, 3 Nov 2025 at 10:02, Ada <a@b.test> wrote:'], QUOTED),
      'not_interested',
    ],
    [
      'an unsubscribe request above a wrapped attribution',
      reply(['Please unsubscribe me.'], ['On Mon, 3 Nov 2025 at 10:02, Ada Lovelace <', 'ada@agency-mail.test> wrote:'], QUOTED),
      'unsubscribe',
    ],
  ] as [string, string, ReplyIntent][])('SYS-003 SM-003: %s', (_name, text, intent) => {
    expect(classifyReply(text).intent).toBe(intent);
  });

  it("SM-003: our unsubscribe footer under the reply is not the lead's opt-out", () => {
    expect(detectOptOut(replyBody(reply(['Thanks, talk soon.'], outlook))).optOut).toBe(false);
    expect(
      detectOptOut(
        replyBody(reply(['Ok.'], ['Sent from my iPhone', '', '> On 3 Nov 2025, at 10:02, Ada <ada@agency-mail.test> wrote:'], QUOTED)),
      ).optOut,
    ).toBe(false);
  });
});

// ----- properties -----

/** Lines of the lead's: words without colons, dashes or underscores (no marker can form). */
const WORDS = [
  'yes',
  'no',
  'thanks',
  'call',
  'meeting',
  'Tuesday',
  'on',
  'le',
  'am',
  'from',
  'my',
  'we',
  '10',
  '2025',
  'ada@x.test',
  '>',
  '|',
  '->',
  'é',
  '写',
];
/** A line of the lead's: ">" and "|" only inside it, never first (that would be a quote mark). */
const leadLine = fc
  .array(fc.constantFrom(...WORDS), { maxLength: 8 })
  .map((w) => w.join(' '))
  .filter((l) => !/^[>|]/.test(l));
/** Lines of the lead's that look like markers but are not. */
const lookalike = fc.constantFrom(
  'From: the sound of it, yes',
  'We need > 50 seats',
  '>50 seats',
  'Sent from my phone, sorry for typos',
  'On Tuesday we can talk',
  'wrote: nothing',
);
/** A line of a generated reply: the lead's (kept), quoted or a signature (dropped), a marker (cut there). */
type Tagged = { line: string; kind: 'lead' | 'dropped' | 'marker' };
const tag =
  (kind: Tagged['kind']) =>
  (line: string): Tagged => ({ line, kind });
const tagged: fc.Arbitrary<Tagged> = fc.oneof(
  // Header lines alone are no marker: a "From:" line cuts only with "Sent:"/"To:" below it.
  {
    weight: 6,
    arbitrary: fc.oneof(leadLine, lookalike, fc.constantFrom('From: Ada <ada@x.test>', 'Sent: Monday', 'To: Lee')).map(tag('lead')),
  },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('> ', '>> ', '> > ', '| '), leadLine).map(([q, l]) => tag('dropped')(q + l)) },
  { weight: 1, arbitrary: fc.constantFrom('>', 'Sent from my iPhone', 'Get Outlook for iOS', 'Envoyé de mon iPhone').map(tag('dropped')) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        'On Mon, 3 Nov 2025 at 10:02, Ada <ada@x.test> wrote:',
        '-----Original Message-----',
        '________________________________',
        'Le lun. 3 nov. 2025 à 10:02, Ada <ada@x.test> a écrit :',
        'Ada <ada@x.test> 于2025年11月3日周一 10:02写道：',
      )
      .map(tag('marker')),
  },
);
const eol = fc.constantFrom('\n', '\r\n', '\r');

describe('reply text: properties (SYS-003, SM-003)', () => {
  it('SYS-003 SM-003: the reply body is always a prefix of the lines, without quoted lines and mobile signatures', () => {
    fc.assert(
      fc.property(fc.array(tagged, { maxLength: 30 }), eol, (lines, nl) => {
        const out = replyBody(lines.map((l) => l.line).join(nl));
        const marker = lines.findIndex((l) => l.kind === 'marker');
        const kept = (upTo: number) => lines.slice(0, upTo).filter((l) => l.kind !== 'dropped');
        // Nothing from the first marker on is ever kept.
        const candidates = kept(marker < 0 ? lines.length : marker);
        const prefixes = candidates.map((_, m) =>
          candidates
            .slice(0, m)
            .map((l) => l.line)
            .join('\n'),
        );
        prefixes.push(candidates.map((l) => l.line).join('\n'));
        expect(prefixes).toContain(out);
      }),
      { numRuns: 2000 },
    );
  });

  it('SYS-003: a text without any marker comes back unchanged, apart from its line endings', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(leadLine, lookalike), { maxLength: 20 }), eol, (lines, nl) => {
        expect(replyBody(lines.join(nl))).toBe(lines.join('\n'));
      }),
      { numRuns: 2000 },
    );
  });

  it('SYS-003 SM-003: never throws, on any text', () => {
    const line = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 120 }),
      tagged.map((t) => t.line),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), eol, (lines, nl) => {
        const out = replyBody(lines.join(nl));
        expect(typeof out).toBe('string');
        expect(out.length).toBeLessThanOrEqual(lines.join(nl).length);
      }),
      { numRuns: 2000 },
    );
  });
});
