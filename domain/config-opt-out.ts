/**
 * The word lists of the opt-out rule (SM-003, domain/opt-out.ts), part of the `sms` configuration
 * section. Words are compared accent-free, in any case, with apostrophes dropped (don't = dont).
 *
 * Pure: no I/O, no clock.
 */
import { z } from 'zod';

/** A word list written as one string (space-separated; '|' where the items are phrases). */
const words = (defaults: string) => z.array(z.string().min(1)).default(defaults.includes('|') ? defaults.split('|') : defaults.split(' '));

/** A pattern source that compiles as a regular expression (checked when the configuration is parsed). */
const pattern = z.string().refine(
  (s) => {
    try {
      new RegExp(s, 'u');
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a valid regular expression' },
);

export const optOutFields = {
  /**
   * SM-003: opt-out words, any case. One counts when the reply uses it as a request: alone or with only
   * polite and filler words ("Stop!!", "cancel please"), or at the start of a request with what it
   * stops ("pls quit texting me", "cancel my subscription to these texts"). DOMAIN.md's five, the
   * CTIA words (STOPALL, OPTOUT, REVOKE) and the common French, Spanish and German carrier keywords.
   */
  optOutKeywords: z
    .array(z.string().min(1))
    .min(1)
    .default([
      'STOP',
      'UNSUBSCRIBE',
      'CANCEL',
      'END',
      'QUIT',
      'STOPALL',
      'OPTOUT',
      'REVOKE',
      'ARRET',
      'ARRETER',
      'ARRETEZ',
      'ALTO',
      'BAJA',
      'STOPP',
    ]),
  /** Opt-out words with no other sense: anywhere in a reply they opt out ("how do I unsubscribe?"). */
  optOutAnywhereKeywords: words('UNSUBSCRIBE STOPALL OPTOUT DESABONNER DESINSCRIRE ABMELDEN'),
  /** Words that may stand around an opt-out word without changing it ("STOP now please thanks", "end it", "baja por favor"). */
  optOutFillerWords: words(
    'please pls plz pleas plse kindly thanks thank you thx thanx ty cheers ta now asap immediately already right away me us it this that these those them all ok okay yes just again here sms txt text texts message messages msg msgs and sir mate x por favor svp sil vous plait merci bitte danke gracias',
  ),
  /**
   * Words and phrases that may open a request before the opt-out word ("please", "can you",
   * "I want you to", "thanks but"); a negation is never one, so "don't quit on us" stays a reply.
   */
  optOutLeadIns: words(
    'please|pls|plz|kindly|just|now|ok|okay|yes|no|hi|hello|hey|thanks|thank you|thx|but|so|and|seriously|sorry|again|i said|can you|could you|would you|will you|can u|could u|you can|you need to|you have to|you must|you should|u need to|i want to|i wish to|i would like to|id like to|i want you to|i need you to|id like you to|i would like you to|make it|go ahead and|please can you|i want it to',
  ),
  /** Words that say the request is about contact ("stop texting", "cancel these texts", "end my subscription"). */
  optOutContactWords: words(
    'texting texts txts txting messaging messages msgs sms smses calling calls emailing emails contacting contact sending spamming spam bothering harassing pestering subscription subscriptions notifications marketing promotions alerts list me us everything',
  ),
  /** Words skipped between the opt-out word and what it stops ("cancel my subscription", "end all of these messages"). */
  optOutSkipWords: words('the these this those all any of your ur my our further future more sending me from to'),
  /**
   * Other wordings that ask to stop being contacted, as patterns over the reply in lower case,
   * accent-free, apostrophes dropped, every run of other characters one space.
   */
  optOutPhrases: z
    .array(pattern)
    .default([
      '\\bopt (?:me )?out\\b',
      '\\b(?:take|remove|delete|drop|erase|scrub|strike) (?:me|my (?:number|details|name|email|info|information|contact details|mobile|phone)|this number)\\b',
      '\\boff (?:your|the|this|ur) (?:list|mailing list|database|system|contact list|texts?)\\b',
      '(?<!\\b(?:dont|do not|never|not|wont|cant|cannot) )\\b(?:stop|quit|cease|end) (?:all |the |your |these |sending me )*(?:texting|txting|messaging|calling|contacting|emailing|spamming|bothering|harassing|pestering|texts|messages|calls)\\b',
      '\\b(?:do not|dont|never|no longer|stop) (?:ever )?(?:contact|text|txt|message|msg|call|email|ring|sms|bother|spam|phone) (?:me|us|this number)\\b',
      '\\bno more (?:texts|txts|messages|msgs|calls|emails|sms|contact)\\b',
      '\\b(?:leave me alone|lose my number|delete my number|i want out)\\b',
      '\\b(?:do not|dont|no longer) (?:want|wish) (?:to (?:be contacted|receive|get|hear from you)|(?:any |these |your )?(?:more )?(?:texts|messages|calls|emails))\\b',
      '\\b(?:unsubscribe|unsub)\\b',
      '\\bne (?:plus|pas) (?:me )?(?:contacter|appeler|ecrire|envoyer)\\b',
      '\\b(?:dame|darme|deme|dar) de baja\\b',
      '\\bno me (?:contacte|escriba|llame|envie|vuelva)',
      '\\bkeine (?:weiteren )?(?:sms|nachrichten|anrufe|e ?mails)\\b',
      '\\bnicht mehr (?:kontaktieren|anschreiben|anrufen|schreiben)\\b',
      '\\b(?:abmelden|austragen|abbestellen)\\b',
      '\\bnon (?:contattatemi|contattarmi|scrivetemi|scrivermi|chiamatemi)\\b',
      '\\b(?:cancellatemi|cancellami)\\b',
      '\\bniet meer (?:contacteren|mailen|bellen|benaderen|sms en)\\b',
      '\\b(?:afmelden|uitschrijven)\\b',
      '\\bnao me (?:contacte|contate|envie|ligue|mande)',
      '\\bdescadastr',
    ]),
};
