import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  actionForIntent,
  answerDelayMinutes,
  answerSendTime,
  classifyReply,
  extractReturnDate,
  REPLY_INTENTS,
  type ReplyIntent,
} from '../../domain/index.js';
import { detectOptOut } from '../../domain/sms.js';

describe('reply intent: classification rules (SYS-003)', () => {
  it.each([
    ["Sounds great, let's chat next week. What times work for you?", 'interested'],
    ['Yes please, send me a calendar invite', 'interested'],
    ["I'd love to learn more. Are you free on Thursday?", 'interested'],
    ['Happy to jump on a call', 'interested'],
    ['How much does it cost?', 'question'],
    ['Can you send more information about pricing', 'question'],
    ['Who else do you work with?', 'question'],
    ['You should speak with our head of marketing, sarah@acme.com', 'referral'],
    ["I'm not the right person - please reach out to my colleague jane@acme.com", 'referral'],
    ["I've forwarded this to our COO", 'referral'],
    ['I am out of the office until Monday 14 July with limited access to email.', 'out_of_office'],
    ["Automatic reply: I'm on annual leave and will be back on 21/07/2025. For urgent matters contact bob@x.com", 'out_of_office'],
    ['Not right now, maybe next quarter', 'not_now'],
    ['Not interested at the moment, too busy', 'not_now'],
    ['Reach out again in the new year', 'not_now'],
    ['Not interested, thanks', 'not_interested'],
    ['No thanks.', 'not_interested'],
    ["We're all set with our current agency", 'not_interested'],
    ['Please remove me from your list', 'unsubscribe'],
    ['unsubscribe', 'unsubscribe'],
    ['STOP', 'unsubscribe'],
    ["Don't email me again", 'unsubscribe'],
    ['Wrong person, sorry', 'wrong_person'],
    ['I no longer work at Acme.', 'wrong_person'],
    ['This is spam. How did you get my email? I will report you to ACMA.', 'angry'],
    ['Stop harassing me', 'angry'],
    ['Thanks for the note.', 'other'],
    ['', 'other'],
  ] as [string, ReplyIntent][])('SYS-003: %j -> %s', (text, intent) => {
    const r = classifyReply(text);
    expect(r.intent).toBe(intent);
    expect(r.confidence).toBeGreaterThan(0);
    expect(r.confidence).toBeLessThanOrEqual(1);
    if (intent !== 'other') expect(r.matched.length).toBeGreaterThan(0);
  });

  it('SYS-003: quoted earlier messages are ignored', () => {
    const text = 'Sounds good, call me.\n\nOn Mon, 2 Jun 2025 at 09:00, Jo <jo@agency.com> wrote:\n> Not interested? Reply STOP to opt out';
    expect(classifyReply(text).intent).toBe('interested');
    expect(classifyReply('Thanks!\n> please unsubscribe me').intent).toBe('other');
  });
});

describe('reply intent: out-of-office return date (SYS-003)', () => {
  const now = '2025-07-02T02:00:00Z'; // Wed 2 July 2025 in Sydney
  it.each([
    ['I am out of the office until Monday 14 July.', '2025-07-14'],
    ["I'm on leave and will be back on 21/07/2025.", '2025-07-21'],
    ['Out of office, returning 2025-08-04.', '2025-08-04'],
    ['On holiday, back on August 3rd', '2025-08-03'],
    ['OOO - back tomorrow', '2025-07-03'],
    ['Away from the office, back Monday', '2025-07-07'],
    ['Out of office until 3 January', '2026-01-03'], // next occurrence
    ['Out of office. I will return on the 5th of March 2026', '2026-03-05'],
    ['Out of office this week', null],
  ])('SYS-003: %j -> %s', (text, date) => {
    expect(extractReturnDate(text, now, 'Australia/Sydney')).toBe(date);
    const r = classifyReply(text, { now, zone: 'Australia/Sydney' });
    expect(r.intent).toBe('out_of_office');
    expect(r.returnDate).toBe(date ?? undefined);
  });
});

describe('reply intent: actions (SYS-003, ED-005)', () => {
  it.each([
    ['interested', { sequence: 'pause', suppress: false, answer: true, alertHuman: false, createLead: false }],
    ['question', { sequence: 'pause', suppress: false, answer: true, alertHuman: false, createLead: false }],
    ['referral', { sequence: 'stop', suppress: false, answer: false, alertHuman: false, createLead: true }],
    ['out_of_office', { sequence: 'pause_until_return', suppress: false, answer: false, alertHuman: false, createLead: false }],
    ['not_interested', { sequence: 'stop', suppress: true, answer: false, alertHuman: false, createLead: false }],
    ['unsubscribe', { sequence: 'stop', suppress: true, answer: false, alertHuman: false, createLead: false }],
    ['angry', { sequence: 'stop', suppress: true, answer: false, alertHuman: true, createLead: false }],
    ['not_now', { sequence: 'stop', suppress: false, answer: false, alertHuman: false, createLead: false }],
    ['wrong_person', { sequence: 'stop', suppress: false, answer: false, alertHuman: false, createLead: false }],
    ['other', { sequence: 'pause', suppress: false, answer: false, alertHuman: true, createLead: false }],
  ] as [ReplyIntent, object][])('SYS-003: %s -> %j', (intent, action) => {
    expect(actionForIntent(intent)).toEqual(action);
  });

  it('SYS-003: every intent has an action', () => {
    for (const i of REPLY_INTENTS) expect(actionForIntent(i)).toBeDefined();
  });

  it('ED-005: the answer goes out 3-5 minutes later, inside business hours', () => {
    const zone = 'Australia/Sydney';
    const location = { country: 'AU', state: 'NSW' };
    for (let i = 0; i < 20; i++) {
      const d = answerDelayMinutes(`reply-${i}`);
      expect(d).toBeGreaterThanOrEqual(3);
      expect(d).toBeLessThanOrEqual(5);
    }
    const received = DateTime.fromISO('2025-06-03T10:00', { zone });
    const t = answerSendTime({ receivedAt: received.toJSDate(), seed: 'r1', zone, location });
    const mins = (t.getTime() - received.toMillis()) / 60_000;
    expect(mins).toBeGreaterThanOrEqual(3);
    expect(mins).toBeLessThanOrEqual(5);
    // Friday evening -> Monday 09:00 (or after a holiday)
    const late = answerSendTime({ receivedAt: DateTime.fromISO('2025-06-06T18:00', { zone }).toJSDate(), seed: 'r1', zone, location });
    expect(DateTime.fromJSDate(late, { zone }).toFormat('ccc HH:mm')).toBe('Tue 09:00'); // Monday 9 June is the King's Birthday
  });
});

describe('reply intent: other languages (SYS-003, SM-003)', () => {
  // Each written as a person in that language would write it; the intent is what the reply says.
  it.each([
    ['Bitte keine weiteren E-Mails.', 'unsubscribe'],
    ['Bitte nicht mehr kontaktieren.', 'unsubscribe'],
    ['Bitte tragen Sie mich aus, ich möchte mich abmelden.', 'unsubscribe'],
    ['Merci de ne plus me contacter.', 'unsubscribe'],
    ['Désinscrivez-moi svp', 'unsubscribe'],
    ['Retirez-moi de votre liste.', 'unsubscribe'],
    ['Por favor, darme de baja.', 'unsubscribe'],
    ['No me escriba más, gracias.', 'unsubscribe'],
    ['Non contattatemi più, grazie.', 'unsubscribe'],
    ['Cancellatemi dalla lista.', 'unsubscribe'],
    ['Graag afmelden.', 'unsubscribe'],
    ['Niet meer mailen aub.', 'unsubscribe'],
    ['Não me contacte mais.', 'unsubscribe'],
    ['Quero descadastrar meu email.', 'unsubscribe'],
    ['Kein Interesse, danke.', 'not_interested'],
    ['Wir sind nicht interessiert.', 'not_interested'],
    ['Pas intéressé, merci.', 'not_interested'],
    ['Ça ne m’intéresse pas.', 'not_interested'],
    ['No me interesa, gracias.', 'not_interested'],
    ['Non sono interessato.', 'not_interested'],
    ['Geen interesse, bedankt.', 'not_interested'],
    ['Não temos interesse no momento.', 'not_interested'],
    ['Ich bin derzeit nicht im Büro und ab dem 15. Januar wieder erreichbar.', 'out_of_office'],
    ['Abwesenheitsnotiz: Ich bin im Urlaub.', 'out_of_office'],
    ['Je suis absent du bureau jusqu’au 12 janvier.', 'out_of_office'],
    ['Réponse automatique : je suis en congés.', 'out_of_office'],
    ['Estoy fuera de la oficina hasta el lunes.', 'out_of_office'],
    ['Sono in ferie fino al 10 gennaio.', 'out_of_office'],
    ['Ik ben momenteel afwezig.', 'out_of_office'],
    ['Estou de férias até dia 5.', 'out_of_office'],
  ] as const)('SYS-003: %j -> %s', (text, intent) => {
    expect(classifyReply(text).intent).toBe(intent);
  });

  it.each([
    'Bitte keine weiteren SMS',
    'Bitte nicht mehr anrufen',
    'no me contacte mas',
    'non contattatemi',
    'graag afmelden',
    'nao me envie mais mensagens',
  ])('SM-003: the SMS reply %j opts the number out', (text) => {
    expect(detectOptOut(text).optOut).toBe(true);
  });

  it.each(['Kein Problem, gerne nächste Woche', 'No problem, me interesa saber más', 'Je suis intéressé, appelez-moi'])(
    'SM-003: %j is no opt-out',
    (text) => {
      expect(detectOptOut(text).optOut).toBe(false);
      expect(['unsubscribe', 'not_interested']).not.toContain(classifyReply(text).intent);
    },
  );
});

describe('reply intent: the return date in other languages (SYS-003)', () => {
  const now = '2026-12-03T00:00:00Z';
  it.each([
    ['Ich bin derzeit nicht im Büro und ab dem 15. Januar wieder erreichbar.', '2027-01-15'],
    ['Bis zum 20. Dezember abwesend.', '2026-12-20'],
    ['Je suis absent du bureau, de retour le 12 janvier.', '2027-01-12'],
    ['Absent jusqu’au 18 décembre.', '2026-12-18'],
    ['Estoy fuera de la oficina hasta el 10 de enero.', '2027-01-10'],
    ['Sono in ferie fino al 8 gennaio 2027.', '2027-01-08'],
    ['Ik ben afwezig tot 5 januari.', '2027-01-05'],
    ['Estou de férias até 6 de janeiro.', '2027-01-06'],
  ])('SYS-003: %j -> %s', (text, date) => {
    expect(extractReturnDate(text, now, 'Europe/Berlin')).toBe(date);
    expect(classifyReply(text, { now, zone: 'Europe/Berlin' })).toMatchObject({ intent: 'out_of_office', returnDate: date });
  });
});
