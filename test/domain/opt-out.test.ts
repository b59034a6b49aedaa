/**
 * SM-003 (DOMAIN.md): "Opt-out words in a reply (STOP, UNSUBSCRIBE, CANCEL, END, QUIT, any case, with
 * or without punctuation), and any reply that asks in other words to stop being contacted, opt the
 * person out of all channels for every client. A sentence that uses one of the words in another
 * sense is not an opt-out."
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyReply, detectOptOut, isOptOut, parseDomainConfig } from '../../domain/index.js';

/** Replies that ask to stop contact, with the word (or wording) expected. */
const OPT_OUTS: [string, string][] = [
  // the word alone, any case, any punctuation
  ['STOP', 'STOP'],
  ['stop', 'STOP'],
  ['Stop!!', 'STOP'],
  ['  stop.  ', 'STOP'],
  ['"STOP"', 'STOP'],
  ['Stop 🛑', 'STOP'],
  ['UNSUBSCRIBE', 'UNSUBSCRIBE'],
  ['unsubscribe.', 'UNSUBSCRIBE'],
  ['CANCEL', 'CANCEL'],
  ['cancel', 'CANCEL'],
  ['Cancel.', 'CANCEL'],
  ['cancel!!!', 'CANCEL'],
  ['END', 'END'],
  ['end', 'END'],
  ['End.', 'END'],
  ['QUIT', 'QUIT'],
  ['quit', 'QUIT'],
  ['Quit!', 'QUIT'],
  ['qUiT', 'QUIT'],
  ['STOP STOP STOP', 'STOP'],
  // nearly alone: polite and filler words
  ['please cancel', 'CANCEL'],
  ['Please cancel.', 'CANCEL'],
  ['cancel please', 'CANCEL'],
  ['cancel pls', 'CANCEL'],
  ['end please', 'END'],
  ['End, please.', 'END'],
  ['pls end', 'END'],
  ['quit please', 'QUIT'],
  ['please quit', 'QUIT'],
  ['Stop please', 'STOP'],
  ['please stop', 'STOP'],
  ['stop now', 'STOP'],
  ['STOP now please thanks', 'STOP'],
  ['stop it', 'STOP'],
  ['end it', 'END'],
  ['cancel this', 'CANCEL'],
  ['Cancel it now', 'CANCEL'],
  ['cancel these', 'CANCEL'],
  ['quit it!', 'QUIT'],
  ['cancel thanks', 'CANCEL'],
  ['cancel, thank you', 'CANCEL'],
  ['Ok cancel', 'CANCEL'],
  ['no, stop', 'STOP'],
  ['No thanks. End', 'END'],
  ['UNSUBSCRIBE me', 'UNSUBSCRIBE'],
  ['unsubscribe me please', 'UNSUBSCRIBE'],
  // requests with what they stop
  ['please cancel these texts', 'CANCEL'],
  ['Please cancel these texts.', 'CANCEL'],
  ['cancel the texts', 'CANCEL'],
  ['cancel my subscription to these texts', 'CANCEL'],
  ['cancel my subscription', 'CANCEL'],
  ['end these messages', 'END'],
  ['end all messages please', 'END'],
  ['End the texts pls', 'END'],
  ['pls quit texting me', 'QUIT'],
  ['quit messaging me', 'QUIT'],
  ['Quit texting me!', 'QUIT'],
  ['quit sending me texts', 'QUIT'],
  ['Thanks but QUIT messaging me', 'QUIT'],
  ['thanks but quit messaging me', 'QUIT'],
  ['Hi, please stop texting me', 'STOP'],
  ['please stop texting me', 'STOP'],
  ['stop sending me messages', 'STOP'],
  ['Stop contacting me.', 'STOP'],
  ['can you cancel these texts', 'CANCEL'],
  ['Could you please stop messaging me?', 'STOP'],
  ['I want you to stop calling me', 'STOP'],
  ['I would like to cancel', 'CANCEL'],
  ["I'd like to cancel these messages", 'CANCEL'],
  ['I want to quit this list', 'QUIT'],
  ['you need to stop', 'STOP'],
  ['Seriously, stop.', 'STOP'],
  ['Interesting offer. But please end these texts', 'END'],
  ['not for me - cancel', 'CANCEL'],
  ['Sorry, not interested. Cancel please', 'CANCEL'],
  ['How do I unsubscribe?', 'UNSUBSCRIBE'],
  ['I already told you, unsubscribe', 'UNSUBSCRIBE'],
  // other languages (carrier keywords)
  ['Arrêter', 'ARRETER'],
  ['ARRET', 'ARRET'],
  ['arrêtez svp', 'ARRETEZ'],
  ['Alto', 'ALTO'],
  ['baja por favor', 'BAJA'],
  ['STOPP bitte', 'STOPP'],
  ['STOPALL', 'STOPALL'],
  ['optout', 'OPTOUT'],
  // other wordings
  ['take me off your list', 'take me'],
  ['Take me off your list please', 'take me'],
  ["don't contact me again", 'dont contact me'],
  ['Do not contact me again.', 'do not contact me'],
  ['never text me again', 'never text me'],
  ['remove my number', 'remove my number'],
  ['Please remove me from your list', 'remove me'],
  ['delete my details', 'delete my details'],
  ['no more texts please', 'no more texts'],
  ['opt me out', 'opt me out'],
  ['Opt out', 'opt out'],
  ['leave me alone', 'leave me alone'],
  ['lose my number', 'lose my number'],
  ['I do not wish to be contacted', 'do not wish to be contacted'],
  ["I don't want any more messages", 'dont want any more messages'],
  ['For the love of god stop texting me', 'stop texting'],
  ['Why do you keep calling? Stop calling me', 'STOP'],
  ['merci de ne plus me contacter', 'ne plus me contacter'],
  ['dame de baja', 'dame de baja'],
];

/** Replies that use the words in another sense, or say nothing about contact. */
const REPLIES: string[] = [
  'we will end the quarter strong',
  'We will END the quarter strong',
  'I had to cancel the meeting, can we move it?',
  "don't quit on us",
  "Don't quit on us!",
  'See you at the end of the week',
  'SEE YOU AT THE END OF THE WEEK',
  'Can we cancel Tuesday and do Wednesday?',
  'Can we cancel tuesday and do wednesday',
  'I need to cancel our meeting tomorrow',
  'Please cancel the meeting and send a new invite',
  'Cancel Thursday, Friday works better',
  'End of the month works for us',
  'End of story, we signed with you!',
  'That was the end of our trial',
  "By the end of the day I'll have the numbers",
  'Let me know when the offer ends',
  'The promotion ended last week?',
  'My colleague quit last month, talk to Sam',
  'She quit, try sam@acme.com',
  "I can't stop thinking about your offer",
  'Feel free to stop by our office on Tuesday',
  "Don't stop, this is great",
  'We stopped using our old vendor',
  'Our subscription ends in March, call me then',
  'Sounds good, call me',
  'yes please',
  'Interested! When can we talk?',
  'What does it cost?',
  'stopwatch',
  'endless possibilities',
  'cancellation policy?',
  'quite good actually',
  'The weekend is fine',
  'Call me at the end of next week',
  'I will cancel my other vendor if this works',
  'We had to end our contract with them',
  '',
  '   ',
  '👍',
];

describe('opt-out: wordings (SM-003)', () => {
  it.each(OPT_OUTS)('SM-003: %j opts out (%s)', (text, keyword) => {
    expect(detectOptOut(text)).toEqual({ optOut: true, keyword });
    expect(isOptOut(text)).toBe(true);
  });

  it.each(REPLIES)('SM-003: %j is a reply, not an opt-out', (text) => {
    expect(detectOptOut(text)).toEqual({ optOut: false, keyword: null });
  });

  it('SM-003: an email reply asking to stop in those words is the unsubscribe intent (stop and suppress)', () => {
    for (const text of ['please cancel these texts', 'Quit messaging me.', 'End.', 'take me off your list']) {
      expect(classifyReply(text).intent, text).toBe('unsubscribe');
    }
    expect(classifyReply('I had to cancel the meeting, can we move it?').intent).not.toBe('unsubscribe');
  });

  it('SM-003: the words are configuration: a client may add a word or a wording', () => {
    const config = parseDomainConfig({
      sms: { optOutKeywords: ['STOP', 'HALT'], optOutPhrases: ['\\bgo away\\b'] },
    });
    expect(detectOptOut('halt please', config)).toEqual({ optOut: true, keyword: 'HALT' });
    expect(detectOptOut('please go away', config)).toEqual({ optOut: true, keyword: 'go away' });
    expect(detectOptOut('quit', config).optOut).toBe(false);
    expect(() => parseDomainConfig({ sms: { optOutPhrases: ['(unclosed'] } })).toThrow(/regular expression/);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const KEYWORDS = ['STOP', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT'];
/** Any case of a word, letter by letter. */
const anyCase = (w: string) =>
  fc
    .array(fc.boolean(), { minLength: w.length, maxLength: w.length })
    .map((up) => [...w].map((ch, i) => (up[i] ? ch : ch.toLowerCase())).join(''));
/** Punctuation, whitespace and emoji that may surround a word. */
const wrapping = fc
  .array(
    fc.constantFrom(' ', '  ', '\n', '\t', '.', '!', '!!', '?', ',', '"', "'", '*', '(', ')', '-', '…', '🛑', '🙏', '😡', '👍', '❤️', '✋'),
    {
      maxLength: 5,
    },
  )
  .map((a) => a.join(''));
const POLITE = ['please', 'thanks', 'thank you', 'pls', 'now', 'asap', 'thx', 'cheers', 'please, thanks', 'right now please', 'thank you!'];
const CONTACT_OBJECTS = ['texting me', 'messaging me', 'these texts', 'the messages', 'my subscription', 'sending me texts', 'calling me'];

describe('opt-out: properties (SM-003)', () => {
  it('SM-003: any opt-out word alone, in any case, wrapped in any punctuation, whitespace or emoji, opts out', () => {
    fc.assert(
      fc.property(fc.constantFrom(...KEYWORDS).chain(anyCase), wrapping, wrapping, (word, before, after) => {
        expect(detectOptOut(`${before}${word}${after}`)).toEqual({ optOut: true, keyword: word.toUpperCase() });
      }),
      { numRuns: 2000 },
    );
  });

  it('SM-003: appending or prepending a polite phrase does not change an opt-out', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...KEYWORDS).chain(anyCase),
        fc.constantFrom(...POLITE),
        fc.constantFrom(' ', ', ', '. ', '! ', ' - '),
        fc.boolean(),
        (word, polite, sep, prepend) => {
          const text = prepend ? `${polite}${sep}${word}` : `${word}${sep}${polite}`;
          expect(isOptOut(text)).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('SM-003: a request made with an opt-out word and what it stops opts out, in any case and punctuation', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...KEYWORDS).chain(anyCase),
        fc.constantFrom(...CONTACT_OBJECTS),
        fc.constantFrom('', 'please ', 'pls ', 'can you ', 'thanks but ', 'I want you to '),
        wrapping,
        fc.boolean(),
        (word, object, lead, after, upper) => {
          const text = `${lead}${word} ${object}${after}`;
          expect(isOptOut(upper ? text.toUpperCase() : text)).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('SM-003: a sentence using CANCEL, END or QUIT about something else stays a reply, in any case', () => {
    const sentences = [
      (w: string) => `we will ${w} the quarter strong`,
      (w: string) => `I had to ${w} the meeting, can we move it?`,
      (w: string) => `don't ${w} on us`,
      (w: string) => `${w} of the month works`,
      (w: string) => `can we ${w} Tuesday instead`,
    ];
    fc.assert(
      fc.property(
        fc.constantFrom('CANCEL', 'END', 'QUIT').chain(anyCase),
        fc.constantFrom(...sentences),
        wrapping,
        (word, sentence, after) => {
          expect(isOptOut(sentence(word) + after)).toBe(false);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
