/**
 * Reading who a referral reply points at (SYS-003: "referral -> new lead"). The reply intent rules
 * (domain/reply-intent-rules.ts) are English only, so the wordings are English; names in other
 * scripts (Cyrillic, Chinese) and with accents, apostrophes and hyphens are covered.
 *
 * Obfuscated addresses ("jane[at]acme[dot]com") are deliberately NOT read: every address returned
 * appears in the reply as written (a property below), and a reconstructed one could reach a stranger.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readReferral, type Referral, type ReferralContext } from '../../domain/referral.js';
import { replyBody } from '../../domain/reply-text.js';

/** The lead who replied: Bob Jones at Acme, in Australia; we send from growthagency.io. */
const ctx: ReferralContext = {
  leadEmail: 'Bob.Jones@acme.com',
  leadPhone: '0413 999 888',
  leadCompanyDomain: 'acme.com',
  defaultCountry: 'AU',
  ourDomains: ['growthagency.io'],
};
const LEAD_E164 = '+61413999888';
const QUOTED =
  '\n\nOn Tue, 3 Jun 2025 at 10:12, Sam Carter <sam@growthagency.io> wrote:\n> Hi Bob,\n> Sam Carter | sam@growthagency.io | 0400 111 222';

type Expected = Omit<Referral, 'evidence'> & { evidence: string };

describe('referral: who the reply points at (SYS-003)', () => {
  const cases: [string, string, Expected | null][] = [
    [
      'name, address, phone and title in one sentence',
      "Hi Sam, I'm not the right person - talk to Jane Smith (jane.smith@acme.com, +61 412 345 678), our Head of Sales.",
      {
        email: 'jane.smith@acme.com',
        phoneE164: '+61412345678',
        firstName: 'Jane',
        lastName: 'Smith',
        title: 'Head of Sales',
        evidence: 'talk to Jane Smith',
      },
    ],
    [
      '"contact Jane" with a first name only',
      'Not me, please contact Jane: jane@acme.com',
      { email: 'jane@acme.com', firstName: 'Jane', evidence: 'contact Jane: jane@acme.com' },
    ],
    [
      'Dr. prefix, apostrophe and hyphen in the name, "she\'s the CMO"',
      "Please reach out to Dr. Jane O'Neil-Smith at jane.oneil@acme.com - she's the CMO.",
      {
        email: 'jane.oneil@acme.com',
        firstName: 'Jane',
        lastName: "O'Neil-Smith",
        title: 'CMO',
        evidence: "Dr. Jane O'Neil-Smith at jane.oneil@acme.com - she's the CMO.",
      },
    ],
    [
      'a display name before the address',
      'Jane Smith <jane@acme.com> is the right person for this.',
      { email: 'jane@acme.com', firstName: 'Jane', lastName: 'Smith', evidence: 'Jane Smith <jane@acme.com> is the right person' },
    ],
    [
      '"X is the right person" with the address after',
      'Not my area. Priya Patel is the right person: priya.patel@acme.com',
      {
        email: 'priya.patel@acme.com',
        firstName: 'Priya',
        lastName: 'Patel',
        evidence: 'Priya Patel is the right person: priya.patel@acme.com',
      },
    ],
    [
      'a personal address is preferred over info@',
      'You could try info@acme.com, but better to email Priya Patel directly at priya.patel@acme.com.',
      { email: 'priya.patel@acme.com', firstName: 'Priya', lastName: 'Patel', evidence: 'priya.patel@acme.com' },
    ],
    [
      'a role address when it is the only one',
      "Please send this to sales@acme.com, they'll pick it up.",
      { email: 'sales@acme.com', evidence: 'sales@acme.com' },
    ],
    [
      'a phone only',
      'Wrong person, sorry. Call Tom Nguyen on 0412 345 678, he runs procurement.',
      { phoneE164: '+61412345678', firstName: 'Tom', lastName: 'Nguyen', evidence: 'Call Tom Nguyen on 0412 345 678' },
    ],
    ['a name without any contact is no lead', "I'm not the right person, talk to Jane Smith, she's our CMO.", null],
    [
      'a colleague at another domain (their agency)',
      'We outsource marketing to our agency - speak with Mark Lee (mark@brightsparks.com.au).',
      { email: 'mark@brightsparks.com.au', firstName: 'Mark', lastName: 'Lee', evidence: 'speak with Mark Lee (mark@brightsparks.com.au)' },
    ],
    [
      'an address with a + tag is kept as written',
      'Forwarding this to Jane: jane+vendors@acme.com',
      { email: 'jane+vendors@acme.com', firstName: 'Jane', evidence: 'jane+vendors@acme.com' },
    ],
    [
      'an upper-case address is lower-cased; first.last@ gives the name',
      'The best person is JANE.SMITH@ACME.COM',
      { email: 'jane.smith@acme.com', firstName: 'Jane', lastName: 'Smith', evidence: 'The best person is JANE.SMITH@ACME.COM' },
    ],
    ['an obfuscated address is not read', 'Talk to Jane Smith at jane[at]acme[dot]com', null],
    [
      'the quoted original below the reply (our address, our phone) is ignored',
      `Not me - jane.smith@acme.com is who you want.${QUOTED}`,
      { email: 'jane.smith@acme.com', firstName: 'Jane', lastName: 'Smith', evidence: 'jane.smith@acme.com is who you want.' },
    ],
    ['only the quoted original has contacts', `Wrong person, sorry.${QUOTED}`, null],
    [
      "the replier's own signature after the sign-off is not the referral's",
      'Please talk to Jane Smith (jane.smith@acme.com).\n\nThanks,\nBob Jones\nMarketing Coordinator | Acme\nM: 0413 999 777\nbob.jones@acme.com',
      { email: 'jane.smith@acme.com', firstName: 'Jane', lastName: 'Smith', evidence: 'Please talk to Jane Smith (jane.smith@acme.com).' },
    ],
    [
      "the lead's own number in the text is not the referral's",
      'You can reach me on 0413 999 888 but Jane handles this now: jane@acme.com',
      { email: 'jane@acme.com', firstName: 'Jane', evidence: 'Jane handles this now: jane@acme.com' },
    ],
    [
      'a first-person "call me" number is the replier\'s',
      'Call me on 0400 123 456 if you want, but Jane (jane@acme.com) looks after this.',
      { email: 'jane@acme.com', firstName: 'Jane', evidence: 'Jane (jane@acme.com) looks after this.' },
    ],
    [
      'two people named: the title of the other is not taken',
      'Bob Brown (CFO) is on leave until March. Talk to Jane Smith instead: jane.smith@acme.com, 0412 345 678.',
      {
        email: 'jane.smith@acme.com',
        phoneE164: '+61412345678',
        firstName: 'Jane',
        lastName: 'Smith',
        evidence: 'Talk to Jane Smith instead',
      },
    ],
    [
      'two people with addresses: the one "the right person" points at',
      "Sarah (sarah.jones@acme.com) used to run this, but she's moved on. The right person now is Tom Baker - tom.baker@acme.com.",
      {
        email: 'tom.baker@acme.com',
        firstName: 'Tom',
        lastName: 'Baker',
        evidence: 'The right person now is Tom Baker - tom.baker@acme.com.',
      },
    ],
    [
      "cc'd, with the title after a pronoun",
      "I've cc'd Priya Sharma (priya.sharma@acme.com), she's our Head of Partnerships.",
      {
        email: 'priya.sharma@acme.com',
        firstName: 'Priya',
        lastName: 'Sharma',
        title: 'Head of Partnerships',
        evidence: "I've cc'd Priya Sharma",
      },
    ],
    [
      'forwarding to "our VP Marketing, <name>", accents kept',
      "I'm forwarding this to our VP Marketing, José Núñez (jose.nunez@acme.com).",
      {
        email: 'jose.nunez@acme.com',
        firstName: 'José',
        lastName: 'Núñez',
        title: 'VP Marketing',
        evidence: 'José Núñez (jose.nunez@acme.com)',
      },
    ],
    [
      'a Cyrillic name',
      'Please speak with Ольга Петрова (olga.petrova@acme.ru), Head of Marketing.',
      { email: 'olga.petrova@acme.ru', firstName: 'Ольга', lastName: 'Петрова', title: 'Head of Marketing', evidence: 'Ольга Петрова' },
    ],
    [
      'a Chinese name (one word: no first/last split can be told)',
      'Please get in touch with 王伟 (wang.wei@acme.cn), our Sales Director.',
      {
        email: 'wang.wei@acme.cn',
        firstName: '王伟',
        title: 'Sales Director',
        evidence: 'get in touch with 王伟 (wang.wei@acme.cn), our Sales Director.',
      },
    ],
    [
      'firstname.lastname@ is the name when none is written',
      'Not me. Try mike.o-brien@acme.com.',
      { email: 'mike.o-brien@acme.com', firstName: 'Mike', lastName: 'O-Brien', evidence: 'Try mike.o-brien@acme.com.' },
    ],
    [
      'a title in brackets after the address',
      'Please contact jane.smith@acme.com (VP Marketing).',
      {
        email: 'jane.smith@acme.com',
        firstName: 'Jane',
        lastName: 'Smith',
        title: 'VP Marketing',
        evidence: 'Please contact jane.smith@acme.com (VP Marketing).',
      },
    ],
    [
      '"our CMO, <name>" with an address and a phone',
      "You'll want to speak to our CMO, Jane Doe - jane.doe@acme.com or 0412 345 678.",
      {
        email: 'jane.doe@acme.com',
        phoneE164: '+61412345678',
        firstName: 'Jane',
        lastName: 'Doe',
        title: 'CMO',
        evidence: 'our CMO, Jane Doe',
      },
    ],
    [
      'a curly apostrophe in the name',
      'Please contact Siobhán O’Connor (siobhan.oconnor@acme.ie) about this.',
      { email: 'siobhan.oconnor@acme.ie', firstName: 'Siobhán', lastName: "O'Connor", evidence: 'Siobhán O' },
    ],
    [
      'an international number beside the address',
      'Talk to Raj Singh (raj@acme.com, +44 20 7946 0958) in our London office.',
      { email: 'raj@acme.com', phoneE164: '+442079460958', firstName: 'Raj', lastName: 'Singh', evidence: 'Talk to Raj Singh' },
    ],
    [
      'a contact block under the referral, signature after it',
      'Hi Sam,\nNot my area. Contact our Head of Operations:\n\nMark Lee\nmark.lee@acme.com\n02 9999 0000\n\nThanks,\nBob',
      {
        email: 'mark.lee@acme.com',
        phoneE164: '+61299990000',
        firstName: 'Mark',
        lastName: 'Lee',
        title: 'Head of Operations',
        evidence: 'Mark Lee mark.lee@acme.com 02 9999 0000',
      },
    ],
    ['a no-reply address is never a lead', 'Our system sends from noreply@acme.com, so talk to Jane Smith instead.', null],
    ["the lead's own address with a + tag is not a referral", 'Write to Bob.Jones+vendors@acme.com instead.', null],
    [
      'one of our addresses in the reply is skipped',
      'I got your email from sam@growthagency.io - talk to Jane at jane@acme.com',
      { email: 'jane@acme.com', firstName: 'Jane', evidence: 'talk to Jane at jane@acme.com' },
    ],
  ];

  it.each(cases)('SYS-003: %s', (_label, text, expected) => {
    const got = readReferral(text, ctx);
    if (expected === null) return expect(got).toBeNull();
    expect(got).toEqual({ ...expected, evidence: expect.stringContaining(expected.evidence) });
  });

  it('SYS-003: a national number is read in the default country (US), with "our office manager, <name>"', () => {
    const got = readReferral('Please call our office manager, Dana White, at (415) 555-2671.', { defaultCountry: 'US' });
    expect(got).toEqual({
      phoneE164: '+14155552671',
      firstName: 'Dana',
      lastName: 'White',
      title: 'office manager',
      evidence: expect.any(String),
    });
  });

  it('SYS-003: the quoted original is dropped even when our sending domains are not given', () => {
    const { ourDomains: _ours, ...withoutOurs } = ctx;
    expect(readReferral(`Wrong person, sorry.${QUOTED}`, withoutOurs)).toBeNull();
    expect(readReferral(`Not me - jane.smith@acme.com is who you want.${QUOTED}`, withoutOurs)?.email).toBe('jane.smith@acme.com');
  });

  it('SYS-003: the evidence is the sentence the referral was read from, not the whole reply', () => {
    const got = readReferral(
      'Thanks for getting in touch. Unfortunately I left Acme in May. Please email Jane Smith at jane.smith@acme.com. Good luck!',
      ctx,
    );
    expect(got?.evidence).toBe('Please email Jane Smith at jane.smith@acme.com.');
  });

  it('SYS-003: an unknown default country still reads international numbers and never throws', () => {
    const got = readReferral('Call Jane Smith on +61 412 345 678.', { defaultCountry: 'ZZ' });
    expect(got).toMatchObject({ phoneE164: '+61412345678', firstName: 'Jane', lastName: 'Smith' });
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

/** Replies assembled from realistic pieces: referral phrases, names, the lead's own contacts in many spellings, others. */
const piece = fc.oneof(
  fc.constantFrom(
    'talk to ',
    'please contact ',
    'The right person is ',
    "I've cc'd ",
    ' handles this. ',
    'call me on ',
    'Jane Smith ',
    'Dr. Ольга Петрова ',
    'our Head of Sales, ',
    ' (',
    ') ',
    ', ',
    '. ',
    '\n',
    '\n\nThanks,\nBob\n',
    '\n> ',
    '\nOn Mon, 2 Jun 2025, Sam <sam@growthagency.io> wrote:\n',
    'bob.jones@acme.com',
    'BOB.JONES@ACME.COM',
    'bob.jones+sales@acme.com',
    '0413 999 888',
    '+61 413 999 888',
    '+61413999888',
    '(04) 1399 9888',
    'jane.smith@acme.com',
    'info@acme.com',
    'sam@growthagency.io',
    '0412 345 678',
    '+44 20 7946 0958',
    'jane[at]acme[dot]com',
  ),
  fc.string({ maxLength: 12 }),
);
const reply = fc.array(piece, { maxLength: 14 }).map((parts) => parts.join(''));

describe('referral: properties (SYS-003)', () => {
  it("SYS-003: never returns the lead's own address (any case, any + tag) or phone", () => {
    fc.assert(
      fc.property(reply, (text) => {
        const got = readReferral(text, ctx);
        if (got?.email) expect(got.email.replace(/\+[^@]*@/, '@')).not.toBe('bob.jones@acme.com');
        expect(got?.phoneE164).not.toBe(LEAD_E164);
      }),
      { numRuns: 3000 },
    );
  });

  it('SYS-003: any address returned appears, case-insensitively, in the reply body (never in the quoted original alone)', () => {
    fc.assert(
      fc.property(reply, (text) => {
        const got = readReferral(text, ctx);
        if (got?.email) expect(replyBody(text).toLowerCase()).toContain(got.email);
        if (got) expect(got.email ?? got.phoneE164).toBeDefined();
      }),
      { numRuns: 3000 },
    );
  });

  it('SYS-003: never throws on arbitrary text and context', () => {
    const anyCtx = fc.record({
      leadEmail: fc.option(fc.string(), { nil: null }),
      leadPhone: fc.option(fc.string(), { nil: null }),
      leadCompanyDomain: fc.option(fc.string(), { nil: null }),
      defaultCountry: fc.oneof(fc.constantFrom('AU', 'US', 'GB', 'au'), fc.string({ maxLength: 3 })),
    });
    fc.assert(
      fc.property(
        fc.oneof(reply, fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 300 })),
        anyCtx,
        (text, c) => {
          readReferral(text, c);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
