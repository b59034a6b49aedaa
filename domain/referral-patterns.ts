/**
 * The vocabulary of referral replies (domain/referral.ts): referral phrases, titles and
 * departments, names in any script, sign-offs, role and system addresses. Pure patterns.
 */
// --- Vocabulary: phrase lists are plain lower case; ci() makes them case-insensitive, since names
// in the same pattern must stay case-sensitive (Node 20 has no inline (?i:) groups).
export const rx = (src: string, flags = 'u') => new RegExp(src, flags);
export const ci = (s: string) => s.replace(/[a-z]/g, (c) => `[${c}${c.toUpperCase()}]`).replace(/ /g, String.raw`\s+`);

export const DEPT = ci(
  'sales|marketing|growth|operations|ops|finance|partnerships|business development|procurement|purchasing|it|technology|engineering|product|people|hr|human resources|customer success|digital|brand|communications|strategy|revenue|demand generation|e-?commerce|events|content|legal|talent|recruitment',
);
export const DEPTS = `(?:${DEPT})(?:\\s+(?:${ci('and')}|&)\\s+(?:${DEPT}))?`;
export const TITLE_SRC =
  String.raw`\b(?:(?:${ci('senior|sr|junior|deputy|assistant|associate|acting|interim|regional|national|global|group')})\s+)?` +
  String.raw`(?:(?:${ci('head|director|vp|svp|evp|vice president|general manager|manager|lead')})(?:\s+(?:${ci('of|for')}))?\s+(?:${ci('the')}\s+)?${DEPTS}` +
  String.raw`|${DEPTS}\s+(?:${ci('director|manager|lead|head|coordinator|executive|specialist')})` +
  String.raw`|${ci('managing director|general manager|practice manager|office manager|executive assistant|co-?founder|founder|owner|president')}` +
  String.raw`|C[EFMOTRIP]O|[Cc]hief\s+\p{L}+\s+[Oo]fficer)\b`;

export const TOKEN = String.raw`(?:\p{Lu}(?:\p{Ll}|['-]\p{Lu})[\p{L}\p{M}]*(?:['-][\p{L}\p{M}]+)*|\p{Lo}[\p{Lo}\p{M}]*)`;
export const PARTICLES = new Set('van von der den de da di du del della dos das le la bin ibn al'.split(' '));
export const HONORIFIC = /^(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?$/;
export const NAME = String.raw`(?<![\p{L}\p{M}'-])(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?[ \t]+)?${TOKEN}(?:[ \t]+(?:(?:${[...PARTICLES].join('|')})[ \t]+){0,2}${TOKEN}){0,3}`;
/** Capitalised words that are not names: sentence openers, pronouns, teams, titles, days. */
export const STOP = new Set(
  (
    'i hi hello hey dear thanks thank please sorry unfortunately actually also and but or so if as for best regards cheers kind many ' +
    'talk speak contact reach get try email e-mail call ring ping forward forwarding cc our the my your his her their she he they ' +
    'him them we us you it this that these there here not no yes ok okay a an who what when where why how team department support ' +
    'office accounts reception admin head director manager vp ceo cfo cmo coo cto cro cio chief founder owner president senior sales ' +
    'marketing finance operations procurement hr it people growth product engineering mobile phone tel cell direct linkedin whatsapp ' +
    'monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october ' +
    'november december inc ltd pty llc gmbh'
  ).split(' '),
);

export const REL = ci('colleagues?|boss|manager|teammate|team-mate|co-?worker|counterpart|replacement|successor|assistant|director');
export const FORWARD = rx(
  String.raw`\b(?<verb>${ci("talk to|talk with|speak to|speak with|reach out to|get in touch with|get hold of|contact|introduce you to|put you in touch with|connect you with|(?:forward|pass)(?:ed|ing)?(?: (?:this|it|your (?:email|message|note)))?(?: on)? to|cc'?d|cc'?ing|copied in|copying in|looped in|looping in|loop in")}` +
    String.raw`|(?<weak>${ci('email|e-mail|call|ring|ping|try|ask for|write to')})|(?<strong>${ci('the (?:right|best|correct) (?:person|contact)(?: (?:now|here|for this))? (?:is|would be)|the person (?:you want|to talk to|to speak to) is')}))\b` +
    String.raw`(?:[\s,:–-]*(?:(?:${ci('my|our|the|your')}|${REL})\b|${TITLE_SRC}))*[\s,:–-]*(?<name>${NAME})?`,
  'gu',
);
export const BACKWARD = rx(
  String.raw`(?<name>${NAME})(?:\s*\([^()\n]{0,80}\)|\s*,[^,.!?\n]{0,60},)?\s+(?:(?<strong>${ci('is (?:the|your|our) (?:right|best|better|correct|appropriate|ideal|relevant) (?:person|contact|one)|would be (?:the|your|a) (?:right|best|better|good) (?:person|contact|one)|is who you (?:want|need)')})` +
    String.raw`|${ci('handles|looks after|manages|runs|owns|oversees|is in charge of|is responsible for|takes care of|deals with|can help')})\b`,
  'gu',
);
export const NAMES = rx(NAME, 'gu');
export const TITLES = rx(TITLE_SRC, 'gu');
export const BEFORE_EMAIL = rx(
  String.raw`(?<name>${NAME})(?:'s)?[ \t]*(?:<|\(|\[|[-–:,]|\s+(?:${ci("at|on|via|e-?mail(?: address)?(?: is)?:?|'s e-?mail(?: address)?(?: is)?:?")}))?[ \t]*[<([]?[ \t]*$`,
);
export const AFTER_EMAIL = rx(String.raw`^[ \t]*>?[ \t]*\((?<name>${NAME})[),]`);
export const SELF = rx(
  String.raw`(?:${ci("call me|ring me|text me|reach me|email me|e-mail me|contact me|i'm on|i am on|my mobile|my cell|my phone|my number|my direct line|my email|my e-mail|my address")})\b[^.!?\n]{0,30}$`,
);
export const LEFT_GAP = rx(
  String.raw`^[\s(),;:/|–—-]*(?:(?:${ci("is|who is|who's|'s")})\s+)?(?:(?:${ci('our|the|my|your|a|an')})\s+)?[\s(),;:/|–—-]*$`,
);
export const GREETING = /\b(?:hi|hello|hey|dear|thanks|thank you|cheers)[\s,]*$/i;
export const PRONOUN = rx(
  String.raw`\b(?:${ci('she|he|they')})(?:'s|\s+(?:${ci('is|are')}))\s+(?:${ci('also')}\s+)?(?:(?:${ci('our|the|my|your|a|an')})\s+)?$`,
);
export const SIGN_OFF =
  /^(?:(?:many|kind|best|warm|warmest) )?(?:thanks|thank you|thx|regards|cheers|best|sincerely|ta|all the best|best wishes)[\s,.!]*$/i;
export const ROLE =
  /^(?:info|sales|hello|hi|contact|enquiries|enquiry|inquiries|admin|office|team|support|help|marketing|accounts|billing|reception|careers|jobs|hr|media|press|partnerships|general|mail|service)$/;
export const SYSTEM = /^(?:no-?reply|do-?not-?reply|mailer-daemon|postmaster|bounces?)$/;
export const EMAIL = /[a-z0-9_%+-][a-z0-9._%+'-]{0,63}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,8}/gi;
