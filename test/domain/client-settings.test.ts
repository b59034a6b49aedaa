/**
 * Client settings rules (domain/client-settings.ts) and what the messages make of them
 * (domain/message-templates.ts): field rules by table, RFC 7396 merge patches by the RFC's own
 * examples, the change list, the per-client overrides, and the first words of a call.
 */
import fc from 'fast-check';
import Holidays from 'date-holidays';
import { describe, expect, it } from 'vitest';
import {
  applySettingsPatch,
  bookingLinkSchema,
  ClientSettingsPatchSchema,
  clientOverrides,
  countryCodeSchema,
  mergePatch,
  readStoredSettings,
  settingsChanges,
  settingsIssues,
  settingsView,
  SMS_CONSENT_BASES,
  storedSettings,
  timeZoneSchema,
  type ClientSettingsView,
} from '../../domain/client-settings.js';
import { defaultDomainConfig, resolveClientConfig } from '../../domain/config.js';
import {
  bookingLinkForLead,
  callFirstMessage,
  DEFAULT_RECORDING_NOTICE,
  firstEmail,
  followUpEmail,
  linkedinMessage,
  linkedinNote,
  smsMessage,
  type MessageContext,
} from '../../domain/message-templates.js';

const client = { defaultTimezone: 'Australia/Sydney', defaultCountry: 'AU' };
const empty: ClientSettingsView = settingsView({}, client);

describe('client settings: field rules (SYS-007)', () => {
  it.each([
    ['Australia/Sydney', 'Australia/Sydney'],
    ['America/Argentina/Buenos_Aires', 'America/Argentina/Buenos_Aires'],
    ['australia/perth', 'Australia/Perth'],
    ['US/Eastern', 'America/New_York'],
    ['Asia/Calcutta', 'Asia/Kolkata'],
    ['europe/kiev', 'Europe/Kyiv'],
    [' Pacific/Auckland ', 'Pacific/Auckland'],
    ['UTC', 'Etc/UTC'],
  ])('ED-002: the zone %j is stored as %j', (input, stored) => {
    expect(timeZoneSchema.parse(input)).toBe(stored);
  });

  it.each(['Mars/Olympus_Mons', '+10:00', 'UTC+10', 'AEST', 'Sydney', ''])('ED-002: %j is not an IANA zone', (zone) => {
    expect(timeZoneSchema.safeParse(zone).success).toBe(false);
  });

  it('ED-002: every zone the runtime lists is accepted, and stored as a zone that computes the same offsets', () => {
    const zones = Intl.supportedValuesOf('timeZone');
    const offset = (zone: string, at: number) =>
      new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).format(at);
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: 0, max: 2_000_000_000_000 }), (z, at) => {
        const stored = timeZoneSchema.parse(z);
        expect(offset(stored, at)).toBe(offset(z, at));
      }),
    );
  });

  it.each([
    ['AU', 'AU'],
    ['nz', 'NZ'],
    [' gb ', 'GB'],
    ['us', 'US'],
    ['ca', 'CA'],
  ])('a country %j is stored as %j', (input, stored) => {
    expect(countryCodeSchema.parse(input)).toBe(stored);
  });

  it.each(['UK', 'XX', 'ZZ', 'AUS', 'A', '1A', 'Australia', ''])('%j is not a country with a holiday calendar', (code) => {
    expect(countryCodeSchema.safeParse(code).success).toBe(false);
  });

  it('every country date-holidays has a calendar for is accepted, in either case', () => {
    const codes = Object.keys(new Holidays().getCountries());
    expect(codes.length).toBeGreaterThan(100);
    fc.assert(
      fc.property(fc.constantFrom(...codes), fc.boolean(), (c, lower) => countryCodeSchema.parse(lower ? c.toLowerCase() : c) === c),
    );
  });

  it.each([
    ['https://cal.com/acme/intro', true],
    ['https://calendly.com/acme/30min?month=2027-01', true],
    ['https://book.example.com.au/x#top', true],
    ['http://cal.com/acme', false],
    ['cal.com/acme', false],
    ['https://', false],
    ['https://user:pw@cal.com/acme', false],
    ['https://cal.com/ac me', false],
    ['javascript:alert(1)', false],
    ['ftp://files.example.com/book', false],
  ])('a booking link %j is valid: %s', (link, valid) => {
    expect(bookingLinkSchema.safeParse(link).success).toBe(valid);
  });

  it.each(SMS_CONSENT_BASES)('AD-003: the consent basis %j is accepted', (basis) => {
    expect(ClientSettingsPatchSchema.parse({ smsConsentBasis: basis })).toEqual({ smsConsentBasis: basis });
  });

  it.each(['implied', 'EXPRESS', 'yes', ''])('AD-003: %j is not a consent basis', (basis) => {
    expect(ClientSettingsPatchSchema.safeParse({ smsConsentBasis: basis }).success).toBe(false);
  });

  it.each([
    [{ recordingNotice: 'This call is recorded.' }, true],
    [{ recordingNotice: 'Dieses Gespräch wird aufgezeichnet.' }, true],
    [{ recordingNotice: 'Recorded for {{ customer.number }}' }, false],
    [{ recordingNotice: '{% if x %}recorded{% endif %}' }, false],
    [{ recordingNotice: 'x'.repeat(301) }, false],
    [{ voicemailMessage: 'Line one\nline two' }, false],
    [{ assistantId: 'asst_7f3c-9' }, true],
    [{ assistantId: 'a/b' }, false],
    [{ knowledgeBaseId: '' }, false],
    [{ voicemail: 'hang_up' }, true],
    [{ voicemail: 'skip' }, false],
  ])('VO-001 VO-004: voice %j is valid: %s', (voice, valid) => {
    expect(ClientSettingsPatchSchema.safeParse({ voice }).success).toBe(valid);
  });
});

describe('client settings: a stored document', () => {
  it('SYS-007: a document written past the API is read field by field: the valid fields kept, the others named', () => {
    const raw = { senderName: 'Alex', smsConsentBasis: 'yes please', voice: { assistantId: 'asst_1', voicemail: 'skip' }, colour: 'blue' };
    expect(readStoredSettings(raw)).toEqual({
      settings: { senderName: 'Alex', voice: { assistantId: 'asst_1' } },
      invalid: ['smsConsentBasis', 'voice.voicemail', 'colour'],
    });
    expect(readStoredSettings({ senderName: 'Alex' })).toEqual({ settings: { senderName: 'Alex' }, invalid: [] });
    expect(readStoredSettings(null)).toEqual({ settings: {}, invalid: [] });
  });
});

describe('client settings: a PATCH is a JSON merge patch (RFC 7396)', () => {
  // RFC 7396 Appendix A, every example.
  it.each([
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [
      ['a', 'b'],
      ['c', 'd'],
      ['c', 'd'],
    ],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])('RFC 7396: %j patched with %j is %j', (target, patch, result) => {
    expect(mergePatch(target, patch)).toEqual(result);
  });

  it('SYS-007: a patch changes exactly the fields it names, and the change list says old -> new', () => {
    const before = applySettingsPatch(empty, {
      senderName: 'Alex',
      voice: { assistantId: 'asst_1' },
      domainConfig: { email: { clientDailyCap: 120 } },
    });
    const after = applySettingsPatch(before, {
      voice: { knowledgeBaseId: 'kb_1' },
      senderName: null,
      domainConfig: { voice: { concurrentPerClient: 2 } },
    });
    expect(after).toEqual({
      ...empty,
      voice: { ...empty.voice, assistantId: 'asst_1', knowledgeBaseId: 'kb_1' },
      domainConfig: { email: { clientDailyCap: 120 }, voice: { concurrentPerClient: 2 } },
    });
    expect(settingsChanges(before, after)).toEqual([
      { field: 'domainConfig.voice.concurrentPerClient', old: null, new: 2 },
      { field: 'senderName', old: 'Alex', new: null },
      { field: 'voice.knowledgeBaseId', old: null, new: 'kb_1' },
    ]);
    // What is stored leaves unset fields out.
    expect(storedSettings(after).settings).toEqual({
      voice: { assistantId: 'asst_1', knowledgeBaseId: 'kb_1' },
      domainConfig: { email: { clientDailyCap: 120 }, voice: { concurrentPerClient: 2 } },
    });
  });

  const patchArb = fc.record(
    {
      senderName: fc.option(fc.constantFrom('Alex', 'Sam Lee', 'Zoë'), { nil: null }),
      bookingLink: fc.option(fc.constantFrom('https://cal.com/a', 'https://calendly.com/b'), { nil: null }),
      smsConsentBasis: fc.option(fc.constantFrom(...SMS_CONSENT_BASES), { nil: null }),
      voice: fc.record(
        {
          assistantId: fc.option(fc.constantFrom('asst_1', 'asst_2'), { nil: null }),
          recordingNotice: fc.option(fc.constantFrom('This call is recorded.', 'Recorded.'), { nil: null }),
        },
        { requiredKeys: [] },
      ),
      defaultCountry: fc.constantFrom('AU', 'NZ', 'US'),
    },
    { requiredKeys: [] },
  );

  it('SYS-007: applying a patch twice changes nothing the second time; no change list is empty unless something changed', () => {
    fc.assert(
      fc.property(patchArb, patchArb, (p1, p2) => {
        const once = applySettingsPatch(applySettingsPatch(empty, p1), p2);
        const twice = applySettingsPatch(once, p2);
        expect(twice).toEqual(once);
        expect(settingsChanges(once, twice)).toEqual([]);
        const before = applySettingsPatch(empty, p1);
        const changes = settingsChanges(before, once);
        expect(changes.length === 0).toBe(JSON.stringify(before) === JSON.stringify(once));
        // Every change names a field the second patch gave.
        const given = JSON.stringify(p2);
        for (const c of changes) expect(given).toContain(`"${c.field.split('.').pop()}"`);
      }),
    );
  });
});

describe('client settings: the per-client rule overrides (SYS-002, VO-004)', () => {
  it.each([
    [{ email: { clientDailyCap: -5 } }, 'domainConfig.email.clientDailyCap'],
    [{ email: { dailyPerMailbox: 80 } }, 'domainConfig.email.dailyPerMailbox'],
    [{ sequence: { steps: [] } }, 'domainConfig.sequence.steps'],
    [{ voice: { concurrentPerClient: 0 } }, 'domainConfig.voice.concurrentPerClient'],
    [{ client: { defaultZone: 'Europe/London' } }, 'domainConfig.client.defaultZone'],
    [{ client: { defaultCountry: 'GB' } }, 'domainConfig.client.defaultCountry'],
    [{ client: {} }, 'domainConfig.client'],
    [{ voice: { voicemail: 'hang_up' } }, 'domainConfig.voice.voicemail'],
  ])('SYS-002: the override %j is refused at %s', (domainConfig, path) => {
    const issues = settingsIssues({ ...empty, domainConfig }, defaultDomainConfig);
    expect(issues.map((i) => i.path)).toContain(path);
  });

  it('SYS-002: valid overrides pass; the lead rules see them with the client zone, country and voicemail', () => {
    const view = applySettingsPatch(empty, {
      voice: { voicemail: 'hang_up' },
      defaultTimezone: 'Australia/Perth',
      defaultCountry: 'NZ',
      domainConfig: { email: { clientDailyCap: 90 }, scoring: { dataQuality: { phone: 5 } } },
    });
    expect(settingsIssues(view, defaultDomainConfig)).toEqual([]);
    const stored = storedSettings(view);
    const config = resolveClientConfig(clientOverrides(stored.settings, stored) as never);
    expect(config.email.clientDailyCap).toBe(90);
    expect(config.scoring.dataQuality.phone).toBe(5);
    expect(config.voice.voicemail).toBe('hang_up');
    expect(config.client).toEqual({ defaultZone: 'Australia/Perth', defaultCountry: 'NZ' });
    // Nothing set: DOMAIN.md's voicemail default (leave the message).
    expect(resolveClientConfig(clientOverrides({}, client) as never).voice.voicemail).toBe('leave_message');
  });
});

const ctx = (over: Partial<MessageContext> = {}): MessageContext => ({
  firstName: 'Lee',
  company: 'Lead Co',
  clientName: 'Acme Growth',
  senderName: 'Alex',
  ...over,
});

describe('the first words of a call: the recording notice, then who calls (VO-001, DOMAIN.md Voice)', () => {
  it('VO-001: without a notice of its own the call opens with the default notice, then the caller for the client', () => {
    const first = callFirstMessage(ctx());
    expect(first.startsWith(`${DEFAULT_RECORDING_NOTICE} `)).toBe(true);
    expect(first).toContain('AI assistant');
    expect(first).toContain('Acme Growth');
  });

  it.each([
    ['Calls are recorded for quality', 'Calls are recorded for quality. '],
    ['Calls are recorded!', 'Calls are recorded! '],
    ['  Este llamada se graba.  ', 'Este llamada se graba. '],
  ])('VO-001: the notice %j is said first as %j', (notice, start) => {
    expect(callFirstMessage(ctx(), notice).startsWith(start)).toBe(true);
  });

  const text = fc.string({ minLength: 1, maxLength: 40 });
  it('VO-001: for any notice and any names, the notice comes first, the client is named, and nothing is a template tag', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 120 }).filter((s) => /[a-z]/i.test(s) && !/[{}\p{Cc}]/u.test(s)),
        text,
        text,
        fc.string({ minLength: 1, maxLength: 40 }).filter((s) => /[a-z]/i.test(s)),
        (notice, firstName, company, clientName) => {
          const first = callFirstMessage(ctx({ firstName, company, clientName }), notice);
          expect(first.startsWith(notice.trim().replace(/\s+/g, ' '))).toBe(true);
          expect(first).not.toMatch(/\{\{|\{%|[{}]/);
          const spokenName = clientName
            .replace(/[{}]/g, '')
            .replace(/\p{Cc}+/gu, ' ')
            .replace(/\s+/g, ' ')
            .trim();
          if (spokenName) expect(first).toContain(`on behalf of ${spokenName}`);
        },
      ),
    );
  });

  it('VO-001: a lead named like a template is said, never evaluated', () => {
    const first = callFirstMessage(ctx({ firstName: '{{ customer.number }}' }));
    expect(first).not.toContain('{');
    expect(first).toContain('customer.number');
  });
});

describe('the booking link in the messages', () => {
  it.each([
    ['https://cal.com/acme/intro', 'https://cal.com/acme/intro?metadata%5BleadId%5D=lead-1'],
    ['https://app.cal.com/acme/intro?duration=30', 'https://app.cal.com/acme/intro?duration=30&metadata%5BleadId%5D=lead-1'],
    ['https://calendly.com/acme/30min', 'https://calendly.com/acme/30min?utm_content=lead-1'],
    ['https://book.example.com/acme', 'https://book.example.com/acme'],
    ['https://notcal.com/acme', 'https://notcal.com/acme'],
  ])('SYS-004: %s for lead-1 is %s', (link, tagged) => {
    expect(bookingLinkForLead(link, 'lead-1')).toBe(tagged);
    if (tagged.includes('metadata')) expect(new URL(tagged).searchParams.get('metadata[leadId]')).toBe('lead-1');
  });

  it('SM-004: the emails and the LinkedIn message carry the booking link; the SMS and the connection note never do', () => {
    const link = 'https://cal.com/acme/intro?metadata%5BleadId%5D=lead-1';
    const c = ctx({ bookingLink: link });
    expect(firstEmail(c).text).toContain(link);
    expect(followUpEmail(c).text).toContain(link);
    expect(linkedinMessage(c).text).toContain(link);
    expect(linkedinNote(c).text).not.toContain('cal.com');
    expect(smsMessage(c)!.text).not.toMatch(/https?:|cal\.com/);
    // Without a link, nothing about one.
    expect(firstEmail(ctx()).text).not.toContain('Pick a time');
  });
});
