/**
 * What leaves for Sentry carries no personal data (SYS-009, issue 14): emails and phone numbers
 * inside any string, and message text fields, are replaced before sending (lib/sentry-scrub.ts).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { REDACTED, scrubBreadcrumb, scrubEvent, scrubText, scrubValue } from '../../lib/sentry-scrub.js';

const local = fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,20}[a-z0-9]$/);
const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
const email = fc
  .tuple(local, fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom('com', 'com.au', 'io', 'example', 'net'))
  .map(([l, labels, tld]) => `${l}@${labels.join('.')}.${tld}`);
const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
/** E.164 (+ and 8 to 15 digits) and local formats: 0412 345 678, (02) 9123 4567, 555-123-4567, 0412.345.678. */
const phone = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 9 }), digits(10)).map(([c, d]) => `+${c}${d}`),
  fc.tuple(digits(2), digits(9)).map(([c, d]) => `+${c.replace(/^0/, '6')} ${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}`),
  digits(8).map((d) => `04${d.slice(0, 2)} ${d.slice(2, 5)} ${d.slice(5)}`),
  digits(8).map((d) => `04${d}`),
  fc.tuple(digits(1), digits(8)).map(([a, d]) => `(0${a}) ${d.slice(0, 4)} ${d.slice(4)}`),
  fc.tuple(digits(3), digits(3), digits(4)).map(([a, b, c]) => `${a.replace(/^0/, '5')}-${b}-${c}`),
  digits(8).map((d) => `04${d.slice(0, 2)}.${d.slice(2, 5)}.${d.slice(5)}`),
);
const words = fc.array(fc.constantFrom('call', 'failed', 'for', 'lead', 'number', 'to', 'the', ':', 'id', 'step 3'), { maxLength: 5 });

describe('Sentry scrubbing (SYS-009)', () => {
  it('SYS-009: any email address inside any text is replaced', () => {
    fc.assert(
      fc.property(words, email, words, (before, e, after) => {
        const out = scrubText(`${before.join(' ')} ${e} ${after.join(' ')}`);
        expect(out).not.toContain(e);
        expect(out).toContain('[email]');
      }),
      { numRuns: 500 },
    );
  });

  it('SYS-009: any phone number, E.164 or local format, inside any text is replaced', () => {
    fc.assert(
      fc.property(words, phone, words, (before, p, after) => {
        const out = scrubText(`${before.join(' ')} ${p}, ${after.join(' ')}`);
        expect(out).not.toContain(p);
        expect(out.replace(/\D/g, '')).not.toContain(p.replace(/\D/g, ''));
        expect(out).toContain('[phone]');
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ["The 'To' number +61412345678 is not a valid phone number", "The 'To' number [phone] is not a valid phone number"],
    ['call (02) 9123 4567 or 0412 345 678', 'call [phone] or [phone]'],
    ['US 555-123-4567; intl +1 (555) 123-4567', 'US [phone]; intl [phone]'],
    ['lead jo.smith+x@acme.com.au bounced', 'lead [email] bounced'],
    ['mailto:JO@Example.COM', 'mailto:[email]'],
  ])('SYS-009: %j is sent as %j', (input, expected) => {
    expect(scrubText(input)).toBe(expected);
  });

  it.each([
    'workflow lead:6f1c2a9e-1234-4c3b-9a77-0d3c1e5f8a90 at 2026-12-04T10:15:00.000Z',
    'attempt 3 of 5, 1733300000000 ms, 120 seconds',
    'route /v1/leads/:id returned 500 (request req-1a2b)',
    'version 1.24.0, port 7233, 127.0.0.1:3000',
  ])('SYS-009: ids, dates, times and counts are kept: %j', (input) => {
    expect(scrubText(input)).toBe(input);
  });

  it('SYS-009: message text and contact fields are redacted at any depth, ids kept', () => {
    const data = {
      leadId: 'lead-1',
      clientId: 'client-1',
      touch: { channel: 'sms', body: 'Hi Jo, quick question', to: '+61412345678', attempt: 2 },
      reply: { subject: 'Re: meeting', text: 'call me', html: '<p>call me</p>', transcript: 'hello?' },
      messageContent: 'words',
      message_text: 'words',
      list: [{ email: 'jo@acme.com', phoneE164: '+61412345678', firstName: 'Jo' }],
    };
    expect(scrubValue(data)).toEqual({
      leadId: 'lead-1',
      clientId: 'client-1',
      touch: { channel: 'sms', body: REDACTED, to: REDACTED, attempt: 2 },
      reply: { subject: REDACTED, text: REDACTED, html: REDACTED, transcript: REDACTED },
      messageContent: REDACTED,
      message_text: REDACTED,
      list: [{ email: REDACTED, phoneE164: REDACTED, firstName: REDACTED }],
    });
  });

  it("SYS-009: an event keeps its tags and exception type, loses its request's URL, query, body and headers, and its user's email", () => {
    const event = {
      event_id: 'e1',
      message: 'failed for jo@acme.com',
      tags: { clientId: 'c1', route: '/v1/leads/:id' },
      exception: { values: [{ type: 'provider_invalid_number', value: 'Twilio refused +61412345678' }] },
      request: {
        method: 'GET',
        url: 'https://api.example/v1/leads/1?token=secret',
        query_string: 'token=secret',
        data: { text: 'x' },
        headers: { authorization: 'Bearer x' },
        cookies: { s: '1' },
      },
      user: { id: 'u1', email: 'jo@acme.com', ip_address: '1.2.3.4' },
      extra: { body: 'Hi Jo', attempt: 3 },
    };
    const out = scrubEvent(event);
    expect(out).toEqual({
      event_id: 'e1',
      message: 'failed for [email]',
      tags: { clientId: 'c1', route: '/v1/leads/:id' },
      exception: { values: [{ type: 'provider_invalid_number', value: 'Twilio refused [phone]' }] },
      request: { method: 'GET' },
      user: { id: 'u1' },
      extra: { body: REDACTED, attempt: 3 },
    });
    expect(JSON.stringify(out)).not.toMatch(/secret|jo@acme|61412345678|Bearer/);
  });

  it('SYS-009: a breadcrumb loses emails, phones and message text', () => {
    const crumb = scrubBreadcrumb({
      category: 'log',
      message: 'sent to 0412 345 678 / jo@acme.com',
      data: { subject: 'Hello', leadId: 'l1' },
    });
    expect(crumb).toEqual({ category: 'log', message: 'sent to [phone] / [email]', data: { subject: REDACTED, leadId: 'l1' } });
  });
});
