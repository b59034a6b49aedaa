/**
 * The reply intents and their rules: keyword and pattern lists per intent, in priority order
 * (SYS-003, ED-005, SM-003). The patterns are matched against the normalised reply (reply-text.ts):
 * lower case, straight quotes, quoted text dropped. Re-exported by reply-intent.ts.
 */

export const REPLY_INTENTS = [
  'interested',
  'question',
  'referral',
  'out_of_office',
  'not_now',
  'not_interested',
  'unsubscribe',
  'wrong_person',
  'angry',
  'other',
] as const;
/** interested = interested / meeting request. */
export type ReplyIntent = (typeof REPLY_INTENTS)[number];

export interface IntentRule {
  intent: Exclude<ReplyIntent, 'other'>;
  patterns: readonly RegExp[];
}

/**
 * The rules, in priority order: the first intent with a matching pattern wins. Angry and
 * unsubscribe come first (stop and suppress), then auto-replies, then referrals (a referral
 * usually also says "wrong person"), then the rest.
 */
export const REPLY_INTENT_RULES: readonly IntentRule[] = [
  {
    intent: 'angry',
    patterns: [
      /\b(?:spam|spamming|spammer|spammy)\b/,
      /\bharass(?:ing|ment|ed)?\b/,
      /\bhow did you get (?:my|this) (?:email|e-mail|number|details|contact|address)\b/,
      /\b(?:report(?:ing)? you|reported you|acma|legal action|my lawyer|sue you)\b/,
      /\b(?:f+u+c+k+\w*|shit\w*|wtf|piss off|get lost|screw you|bugger off)\b/,
      /\b(?:leave me alone|stop (?:harassing|spamming|bothering|pestering) me)\b/,
      /\b(?:disgusting|appalling|unacceptable|outrageous)\b/,
      /\b(?:complaint|complain)\b/,
    ],
  },
  {
    intent: 'unsubscribe',
    patterns: [
      /\b(?:unsubscribe|opt(?:-| )?out)\b/,
      /\b(?:remove|delete) (?:me|my (?:email|e-mail|details|number|address))\b/,
      /\btake me off\b/,
      /\b(?:off|from) (?:your|the) (?:list|mailing list|database|system)\b/,
      /\bstop (?:emailing|e-mailing|messaging|texting|calling|contacting|sending)\b/,
      /\b(?:do not|don't|dont) (?:contact|email|e-mail|call|message|text) (?:me|us)\b/,
      /\bno more (?:emails|messages|texts|calls)\b/,
      /\bnever (?:contact|email|call) (?:me|us)\b/,
      // German, French, Spanish, Italian, Dutch, Portuguese (accents optional: a reply may lack them).
      /\b(?:abmelden|austragen|abbestellen)\b/,
      /\bkeine (?:weiteren )?(?:e-?mails|nachrichten|anrufe|sms)\b/,
      /\bnicht mehr (?:kontaktieren|anschreiben|anrufen|schreiben|mailen)\b/,
      /\bd[ée]s(?:inscri|abonn)/,
      /\bne (?:plus|pas) me (?:contacter|[ée]crire|appeler|solliciter|relancer)/,
      /\b(?:retirez|supprimez|enlevez)[- ]moi\b/,
      /\b(?:darme|dame|deme|darse|denme) de baja\b/,
      /\bno me (?:contacte|escriba|llame|env[ií]e|vuelva)/,
      /\b(?:cancellatemi|cancellami|disiscriv)/,
      /\bnon (?:contattatemi|contattarmi|scrivetemi|scrivermi|chiamatemi)\b/,
      /\b(?:afmelden|uitschrijven)\b/,
      /\bniet meer (?:contacteren|mailen|bellen|benaderen|e-?mailen)\b/,
      /\bdescadastr/,
      /\bn[aã]o me (?:contacte|contate|envie|ligue|mande)/,
    ],
  },
  {
    intent: 'out_of_office',
    patterns: [
      /\bout of (?:the )?office\b/,
      /\booo\b/,
      /\b(?:automatic|auto)(?:-| )?reply\b|\bautoreply\b/,
      /\bon (?:annual |parental |maternity |paternity |sick |long service )?(?:leave|holidays?|vacation)\b/,
      /\baway from (?:the|my) (?:office|desk)\b/,
      /\b(?:currently|will be) (?:away|travell?ing|out|offline)\b/,
      /\blimited access to (?:my )?(?:email|e-mail)\b/,
      /\b(?:i am|i'm|i will be|i'll be) (?:back|returning) (?:on|in|from)\b/,
      /\babwesenheitsnotiz\b|\bnicht im b(?:ü|ue|u)ro\b|\babwesend\b|\b(?:bin|ist) (?:derzeit |zurzeit |bis )?im urlaub\b/,
      /\babsente? (?:du bureau|jusqu|le \d|de retour)|\bmessage d'absence\b|\br[ée]ponse automatique\b|\bje suis (?:actuellement )?(?:absente?|en cong)/,
      /\bfuera de la oficina\b|\bestoy de vacaciones\b|\brespuesta autom[aá]tica\b/,
      /\bfuori (?:sede|ufficio)\b|\bsono in ferie\b|\brisposta automatica\b/,
      /\bafwezigheidsmelding\b|\bniet op kantoor\b|\bautomatisch antwoord\b|\bben (?:momenteel )?afwezig\b/,
      /\bfora do escrit[oó]rio\b|\bestou de f[eé]rias\b|\bresposta autom[aá]tica\b/,
    ],
  },
  {
    intent: 'referral',
    patterns: [
      /\b(?:reach out to|contact|speak (?:to|with)|talk (?:to|with)|get in touch with)\b[^.?!\n]{0,60}?\b(?:colleague|manager|head of|team|he|she|[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,})\b/,
      /\b(?:forward(?:ed|ing)?|pass(?:ed|ing)?) (?:this|it|your (?:email|message|note)) (?:on )?to\b/,
      /\b(?:cc'?d|cc'?ing|copied in|looped in|looping in)\b/,
      /\bthe (?:right|best) person (?:is|would be|to (?:speak|talk) to)\b/,
      /\byou(?:'ll| will| should)? (?:want|need) to (?:speak|talk) (?:to|with)\b/,
    ],
  },
  {
    intent: 'wrong_person',
    patterns: [
      /\bwrong (?:person|contact|guy|email|number|department)\b/,
      /\bnot the (?:right|correct|best|appropriate) (?:person|contact)\b/,
      /\b(?:i am|i'm) not (?:responsible|in charge|the decision maker|the right person|involved)\b/,
      /\bno longer (?:work|with|at|employed)\b/,
      /\b(?:have |has )?left (?:the|this) (?:company|business|organisation|organization)\b/,
      /\b(?:don't|do not) (?:handle|look after|deal with|manage) (?:this|that|marketing|sales)\b/,
      /\bnot my (?:area|department|role|call)\b/,
    ],
  },
  {
    intent: 'not_interested',
    patterns: [
      /\bnot interested\b(?!\s+(?:right now|at the moment|at this (?:time|stage)|for now|yet|now))/,
      /\bno,? thanks?\b|\bno thank you\b/,
      /\b(?:we're|we are|i'm|i am) (?:all set|covered|happy with (?:our|my) (?:current|existing)|not looking)\b/,
      /\b(?:don't|do not|dont) (?:need|want) (?:this|it|your|any)\b/,
      /\balready (?:have|use|using|work with|working with)\b/,
      /\bnot (?:a )?(?:fit|good fit|priority|relevant)\b/,
      /\b(?:i'll|i will|we'll|we will) pass\b/,
      /\bnot for (?:us|me)\b/,
      /\bkein(?:e|en)? interesse\b|\bnicht interessiert\b/,
      /\bpas int[ée]ress|\bne m'int[ée]resse pas\b|\bne nous int[ée]resse pas\b/,
      /\bno (?:me |nos )?interesa\b|\bno estoy interesad/,
      /\bnon (?:sono |siamo )?interessat|\bnon mi interessa\b/,
      /\bgeen interesse\b|\bniet ge[iï]nteresseerd\b/,
      /\bn[aã]o (?:tenho|temos) interesse\b|\bn[aã]o (?:estou|estamos) interessad/,
    ],
  },
  {
    intent: 'not_now',
    patterns: [
      /\bnot (?:right )?now\b/,
      /\bnot at (?:the moment|this (?:time|stage))\b/,
      /\bnot interested (?:right now|at the moment|at this (?:time|stage)|for now|yet|now)\b/,
      /\b(?:maybe|perhaps) (?:later|next (?:week|month|quarter|year))\b/,
      /\b(?:try|check back|reach out|circle back|follow up|ping me|contact me|get back to me)(?: again)? (?:later|next (?:week|month|quarter|year)|in (?:a few|a couple of|\d+|two|three|six) (?:weeks|months)|in the new year)\b/,
      /\b(?:bad|busy) time\b|\btoo busy\b/,
      /\bnext (?:quarter|financial year|year)\b/,
      /\bno budget\b/,
      /\btiming (?:isn't|is not) (?:right|great|ideal)\b/,
    ],
  },
  {
    intent: 'interested',
    patterns: [
      /\b(?:i'm|i am|we're|we are|very|definitely|could be|might be|would be) (?:interested|keen)\b/,
      /\bsounds (?:good|great|interesting|promising)\b/,
      /\btell me more\b/,
      /\blet's (?:talk|chat|meet|connect|do it|book|set)\b/,
      /\bhappy to (?:chat|talk|meet|connect|jump on)\b/,
      /\b(?:book|set up|schedule|arrange) (?:a |some )?(?:time|call|meeting|chat|demo)\b/,
      /\bsend (?:me |us )?(?:a |an |your )?(?:calendar|invite|booking link|link|times)\b/,
      /\bwhen are you (?:free|available)\b/,
      /\bwhat (?:times?|days?) (?:work|suits?)\b/,
      /\b(?:free|available) (?:on|next|this|tomorrow)\b/,
      /\b(?:i'd|i would|we'd|we would) (?:like|love) to (?:learn|hear|know|see|chat|talk|meet)\b/,
      /\byes,? please\b/,
      /\b(?:call|ring) me\b|\bgive me a (?:call|ring)\b/,
    ],
  },
  {
    intent: 'question',
    patterns: [
      /\?/,
      /\b(?:pricing|price|cost|costs|how much|fees?)\b/,
      /\bmore (?:info|information|details)\b/,
      /\bcan you (?:send|share|explain|tell)\b/,
      /^(?:what|how|who|when|where|why|which)\b/m,
    ],
  },
];
