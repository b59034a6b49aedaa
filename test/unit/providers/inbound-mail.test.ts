/**
 * The inbound-mail parser (providers/email/inbound-mail.ts): realistic messages from
 * test/fakes/mail-samples.ts are read and classified as RFC 3464 (delivery status notifications),
 * RFC 3463 (enhanced status codes: 5.x.x permanent, 4.x.x transient) and RFC 3834 (automatic
 * responses) define them; hostile input never throws.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyReply } from '../../../domain/reply-intent.js';
import { INBOUND_MAIL_MAX_BYTES, INBOUND_MAIL_MAX_TEXT_CHARS, parseInboundMail } from '../../../providers/email/inbound-mail.js';
import { LATIN1_REPLY_TEXT, OURS, SAMPLES, SJIS_REPLY_TEXT, SJIS_SUBJECT, withHeader } from '../../fakes/mail-samples.js';

describe('inbound mail: replies', () => {
  it('SYS-003 ED-005: a plain reply is a reply; threading ids normalised, the quoted history left out of text', async () => {
    const mail = await parseInboundMail(SAMPLES.plainReply);
    expect(mail).toMatchObject({
      kind: 'reply',
      messageId: '<CAB1x=Qz9kL0pR2m@mail.prospect.test>',
      inReplyTo: OURS.followUp,
      references: [OURS.first, OURS.followUp],
      from: { address: 'lee.ead@prospect.test', name: 'Lee Ead' },
      to: ['anna@agency-mail.test'],
      subject: 'Re: Quick question about Prospect Co',
      // Date: Tue, 4 Nov 2025 15:20:55 +0100
      date: '2025-11-04T14:20:55.000Z',
      text: 'Hi Anna,\n\nYes, happy to talk. Does Tuesday at 10am work?\n\nLee',
    });
    expect(mail.fullText).toContain('> Just following up on my note from last week.');
    expect(mail.autoReply).toBeUndefined();
    expect(mail.bounce).toBeUndefined();
  });

  it('SYS-003: an HTML-only reply gets its text from the HTML, the blockquote left out', async () => {
    const mail = await parseInboundMail(SAMPLES.htmlOnlyReply);
    expect(mail.kind).toBe('reply');
    expect(mail.text).toContain('Thanks Anna, we are not looking at this right now.');
    expect(mail.text).toContain('Please remove me from your list.');
    expect(mail.text).not.toContain('short question');
    expect(mail.fullText).toContain('short question about your outbound');
    expect(mail.inReplyTo).toBe(OURS.first);
    expect(mail.references).toEqual([OURS.first]);
    expect(mail.from).toEqual({ address: 'kim@bigcorp.test', name: 'Kim Park' });
  });

  it('SYS-003: ISO-8859-1 quoted-printable and Shift_JIS base64 bodies, and encoded-word headers, are decoded', async () => {
    const latin = await parseInboundMail(SAMPLES.latin1Reply);
    expect(latin).toMatchObject({ kind: 'reply', text: LATIN1_REPLY_TEXT, subject: 'Re: Rendez-vous après-midi' });
    expect(latin.from).toEqual({ address: 'francois.leger@entreprise.test', name: 'François Léger' });
    const sjis = await parseInboundMail(Buffer.from(SAMPLES.sjisReply, 'latin1'));
    expect(sjis).toMatchObject({ kind: 'reply', text: SJIS_REPLY_TEXT, subject: SJIS_SUBJECT, inReplyTo: OURS.first });
    expect(sjis.from).toEqual({ address: 'yamada@kaisha.test', name: '山田 太郎' });
  });

  it('SYS-003: an attachment is not text', async () => {
    const mail = await parseInboundMail(SAMPLES.withAttachment);
    expect(mail).toMatchObject({ kind: 'reply', text: 'Hi Anna, our requirements are attached.' });
    expect(mail.fullText).not.toContain('PDF');
  });
});

describe('inbound mail: automatic replies (RFC 3834)', () => {
  it('SYS-003: the Outlook out-of-office is an auto_reply (Auto-Submitted), and its return date still reads', async () => {
    const mail = await parseInboundMail(SAMPLES.outOfOffice);
    expect(mail).toMatchObject({ kind: 'auto_reply', autoReply: { reason: 'auto-submitted: auto-replied' }, inReplyTo: OURS.first });
    expect(mail.text).toContain('until Monday 17 November 2025');
    const reading = classifyReply(mail.text, { now: '2025-11-03T09:00:42Z', zone: 'Europe/London' });
    expect(reading).toMatchObject({ intent: 'out_of_office', returnDate: '2025-11-17' });
  });

  const subjectOf = (subject: string) => SAMPLES.plainReply.replace('Subject: Re: Quick question about Prospect Co', `Subject: ${subject}`);
  const cases: Array<[string, string, string | undefined]> = [
    ['Auto-Submitted: auto-generated', withHeader(SAMPLES.plainReply, 'Auto-Submitted: auto-generated'), 'auto-submitted: auto-generated'],
    [
      'Auto-Submitted: auto-notified (extension keyword)',
      withHeader(SAMPLES.plainReply, 'Auto-Submitted: auto-notified; owner=x'),
      'auto-submitted: auto-notified; owner=x',
    ],
    ['Auto-Submitted: no (a person)', withHeader(SAMPLES.plainReply, 'Auto-Submitted: no'), undefined],
    ['Auto-Submitted: No (with a comment)', withHeader(SAMPLES.plainReply, 'Auto-Submitted: No (sent by hand)'), undefined],
    ['X-Autoreply', withHeader(SAMPLES.plainReply, 'X-Autoreply: yes'), 'x-autoreply: yes'],
    ['X-Autorespond', withHeader(SAMPLES.plainReply, 'X-Autorespond: Out of office'), 'x-autorespond: Out of office'],
    ['Precedence: auto_reply', withHeader(SAMPLES.plainReply, 'Precedence: auto_reply'), 'precedence: auto_reply'],
    ['Precedence: bulk', withHeader(SAMPLES.plainReply, 'Precedence: bulk'), 'precedence: bulk'],
    ['Precedence: junk', withHeader(SAMPLES.plainReply, 'Precedence: junk'), 'precedence: junk'],
    ['Precedence: list (a mailing list, not automatic)', withHeader(SAMPLES.plainReply, 'Precedence: list'), undefined],
    ['X-Auto-Response-Suppress', withHeader(SAMPLES.plainReply, 'X-Auto-Response-Suppress: All'), 'x-auto-response-suppress: All'],
    ['"Automatic reply:" subject', subjectOf('Automatic reply: Quick question'), 'subject: automatic reply'],
    ['"Out of Office:" subject', subjectOf('Out of Office: Quick question'), 'subject: out of office'],
    ['"Out of Office AutoReply:" subject', subjectOf('Out of Office AutoReply: Quick question'), 'subject: out of office'],
    ['a person writing about being out of office', subjectOf('Re: Out of office next week?'), undefined],
  ];
  it.each(cases)('SYS-003: %s', async (_name, raw, reason) => {
    const mail = await parseInboundMail(raw);
    if (reason === undefined) {
      expect(mail.kind).toBe('reply');
      expect(mail.autoReply).toBeUndefined();
    } else {
      expect(mail.kind).toBe('auto_reply');
      expect(mail.autoReply).toEqual({ reason });
    }
    // Classified or not, the threading and the text are read the same way.
    expect(mail.inReplyTo).toBe(OURS.followUp);
  });

  it('SYS-003: a read receipt (multipart/report; report-type=disposition-notification) is automatic, not a reply', async () => {
    const mdn = [
      'From: lee@prospect.test',
      'To: anna@agency-mail.test',
      'Subject: Read: Quick question about Prospect Co',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=disposition-notification; boundary="mdn"',
      '',
      '--mdn',
      'Content-Type: text/plain',
      '',
      'Your message was read on Monday.',
      '--mdn',
      'Content-Type: message/disposition-notification',
      '',
      'Reporting-UA: outlook.test',
      `Original-Message-ID: ${OURS.first}`,
      'Disposition: manual-action/MDN-sent-manually; displayed',
      '--mdn--',
      '',
    ].join('\r\n');
    const mail = await parseInboundMail(mdn);
    expect(mail).toMatchObject({ kind: 'auto_reply', autoReply: { reason: 'report-type: disposition-notification' } });
  });
});

describe('inbound mail: bounces (RFC 3464 / RFC 3463)', () => {
  it('ED-004: a Postfix DSN, Action failed 5.1.1, is a hard bounce (even with Auto-Submitted); the original id from text/rfc822-headers', async () => {
    const mail = await parseInboundMail(SAMPLES.postfixDsn);
    expect(mail.kind).toBe('bounce');
    expect(mail.bounce).toEqual({
      recipients: [
        {
          // Final-Recipient: rfc822; Nobody@Prospect.test (the address type dropped, lower-cased)
          address: 'nobody@prospect.test',
          action: 'failed',
          status: '5.1.1',
          // Diagnostic-Code: smtp; ... folded over two lines, unfolded
          diagnostic: '550 5.1.1 <nobody@prospect.test>: Recipient address rejected: User unknown in virtual mailbox table',
        },
      ],
      hard: true,
      originalMessageId: OURS.toNobody,
      reason: 'delivery-status',
    });
    expect(mail.from?.address).toBe('mailer-daemon@mx.agency-mail.test');
    expect(mail.autoReply).toBeUndefined();
  });

  it('ED-004: a Gmail DSN is a hard bounce; the original id from the returned message/rfc822', async () => {
    const mail = await parseInboundMail(SAMPLES.gmailDsn);
    expect(mail.kind).toBe('bounce');
    expect(mail.bounce).toMatchObject({ hard: true, originalMessageId: OURS.toGone, reason: 'delivery-status' });
    expect(mail.bounce?.recipients).toEqual([
      expect.objectContaining({
        address: 'gone@bigcorp.test',
        action: 'failed',
        status: '5.1.1',
        diagnostic: expect.stringMatching(/^550-5\.1\.1 The email account/),
      }),
    ]);
    expect(mail.text).toContain('Address not found');
  });

  it('ED-004: an Exchange NDR (5.1.10) is a hard bounce with the original id', async () => {
    const mail = await parseInboundMail(SAMPLES.exchangeNdr);
    expect(mail.kind).toBe('bounce');
    expect(mail.bounce).toEqual({
      recipients: [
        {
          address: 'pat.smith@bigcorp.test',
          action: 'failed',
          status: '5.1.10',
          diagnostic: '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
        },
      ],
      hard: true,
      originalMessageId: OURS.toExchange,
      reason: 'delivery-status',
    });
  });

  it('ED-004: a delay warning (Action delayed, 4.7.1) is a soft bounce', async () => {
    const mail = await parseInboundMail(SAMPLES.delayedDsn);
    expect(mail.kind).toBe('bounce');
    expect(mail.bounce).toMatchObject({
      hard: false,
      originalMessageId: OURS.toSlow,
      recipients: [
        { address: 'slow@laggard.test', action: 'delayed', status: '4.7.1', diagnostic: '451 4.7.1 Greylisted, please try again later' },
      ],
    });
  });

  it('ED-004: Action failed with a 4.x.x status (a transient condition given up on) is not hard', async () => {
    const raw = SAMPLES.postfixDsn.replace('Status: 5.1.1', 'Status: 4.4.7').replace('smtp; 550 5.1.1', 'smtp; 451 4.4.7');
    const mail = await parseInboundMail(raw);
    expect(mail.bounce).toMatchObject({ hard: false, recipients: [{ action: 'failed', status: '4.4.7' }] });
  });

  it('ED-004: a DSN reporting only delivery (Action delivered) is automatic, not a bounce', async () => {
    const raw = SAMPLES.postfixDsn.replace('Action: failed', 'Action: delivered').replace('Status: 5.1.1', 'Status: 2.0.0');
    const mail = await parseInboundMail(raw);
    expect(mail).toMatchObject({ kind: 'auto_reply', autoReply: { reason: 'delivery-status: delivered' } });
    expect(mail.bounce).toBeUndefined();
  });

  it('ED-004: without a returned-message part, the original id comes from In-Reply-To', async () => {
    const raw = [
      'From: MAILER-DAEMON@relay.test',
      'To: anna@agency-mail.test',
      `In-Reply-To: ${OURS.first}`,
      'Subject: failure notice',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain',
      '',
      'Delivery failed.',
      '--b',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; relay.test',
      '',
      'Final-Recipient: rfc822; lee@prospect.test',
      'Action: failed',
      'Status: 5.2.2',
      '--b--',
      '',
    ].join('\r\n');
    const mail = await parseInboundMail(raw);
    expect(mail.bounce).toEqual({
      recipients: [{ address: 'lee@prospect.test', action: 'failed', status: '5.2.2' }],
      hard: true,
      originalMessageId: OURS.first,
      reason: 'delivery-status',
    });
  });

  it('ED-004: an Exim non-DSN bounce (X-Failed-Recipients, SMTP 550 in the text) is hard; the original id from the copied message', async () => {
    const mail = await parseInboundMail(SAMPLES.eximBounce);
    expect(mail.kind).toBe('bounce');
    expect(mail.bounce).toEqual({
      recipients: [
        {
          address: 'former.employee@oldcorp.test',
          action: 'failed',
          status: '5.1.1',
          diagnostic: '550 5.1.1 <former.employee@oldcorp.test>: Recipient address rejected: User unknown',
        },
      ],
      hard: true,
      originalMessageId: OURS.toFormer,
      reason: 'x-failed-recipients',
    });
  });

  it('ED-004: a non-DSN bounce with only a 4xx code is soft; a 5xx in the copied original does not count', async () => {
    const soft = SAMPLES.eximBounce
      .replace('550 5.1.1 <former', '451 4.4.1 <former')
      .replace('Hi, short question', '550 reasons to talk: short question');
    const mail = await parseInboundMail(soft);
    expect(mail.bounce).toMatchObject({ hard: false, recipients: [{ address: 'former.employee@oldcorp.test', status: '4.4.1' }] });
  });

  it('ED-004: a MAILER-DAEMON message without X-Failed-Recipients is still a bounce, never a reply', async () => {
    const raw = SAMPLES.eximBounce.replace('X-Failed-Recipients: former.employee@oldcorp.test\r\n', '');
    const mail = await parseInboundMail(raw);
    expect(mail).toMatchObject({
      kind: 'bounce',
      bounce: { recipients: [], hard: true, reason: 'from: mailer-daemon', originalMessageId: OURS.toFormer },
    });
  });
});

describe('inbound mail: hostile input', () => {
  const kinds = ['reply', 'auto_reply', 'bounce'];

  it('SYS-003: garbage bytes, an empty message and headers without a body do not throw', async () => {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256));
    for (const raw of [
      garbage,
      '',
      Buffer.alloc(0),
      'Subject: only a header',
      '\r\n\r\n\r\n',
      'From: <>\r\nTo: ,,,\r\nDate: not a date\r\n\r\nx',
    ]) {
      const mail = await parseInboundMail(raw);
      expect(kinds).toContain(mail.kind);
      expect(typeof mail.text).toBe('string');
      expect(mail.references).toEqual(expect.any(Array));
    }
    // An unreadable Date header gives no date (mailparser would put the current time).
    expect((await parseInboundMail('From: a@b.test\r\nDate: not a date\r\n\r\nhello')).date).toBeUndefined();
  });

  it('SYS-003: a 5 MB message is capped: its text, and the bytes read (a part after 4 MB is not reached)', async () => {
    const line = 'All work and no play makes a long reply.\r\n';
    const long = `From: lee@prospect.test\r\nSubject: long\r\nContent-Type: text/plain\r\n\r\nHi Anna,\r\n${line.repeat(130_000)}`;
    expect(Buffer.byteLength(long)).toBeGreaterThan(5 * 1024 * 1024);
    const mail = await parseInboundMail(long);
    expect(mail).toMatchObject({ kind: 'reply', subject: 'long' });
    expect(mail.text.startsWith('Hi Anna,')).toBe(true);
    expect(mail.fullText.length).toBe(INBOUND_MAIL_MAX_TEXT_CHARS);

    const attachment = Buffer.alloc(3 * 1024 * 1024, 7)
      .toString('base64')
      .replace(/.{76}/g, '$&\r\n');
    const mixed = [
      'From: lee@prospect.test',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain',
      '',
      'Hi Anna, see attached.',
      '--b',
      'Content-Type: application/octet-stream',
      'Content-Transfer-Encoding: base64',
      '',
      attachment,
      '--b',
      'Content-Type: text/plain',
      '',
      'TAIL PART',
      '--b--',
      '',
    ].join('\r\n');
    expect(Buffer.byteLength(mixed)).toBeGreaterThan(INBOUND_MAIL_MAX_BYTES * 2);
    const capped = await parseInboundMail(mixed);
    expect(capped.fullText).toContain('Hi Anna, see attached.');
    expect(capped.fullText).not.toContain('TAIL PART');

    // A 5 MB header block (no body separator) is refused by the parser, and read as an empty reply.
    const headerOnly = await parseInboundMail(`X-Junk: ${'a'.repeat(5 * 1024 * 1024)}`);
    expect(headerOnly).toMatchObject({ kind: 'reply', text: '' });
  });

  it('SYS-003: arbitrary bytes never throw (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), async (bytes) => {
        const mail = await parseInboundMail(Buffer.from(bytes));
        expect(kinds).toContain(mail.kind);
      }),
      { seed: 3003, numRuns: 300 },
    );
  });

  it('SYS-003 ED-004: arbitrary header values and MIME structure around the samples never throw (fast-check)', async () => {
    const names = [
      'Content-Type',
      'Auto-Submitted',
      'X-Failed-Recipients',
      'From',
      'References',
      'In-Reply-To',
      'Date',
      'Precedence',
      'Content-Transfer-Encoding',
    ];
    const sample = fc.constantFrom(...Object.values(SAMPLES));
    const header = fc.tuple(fc.constantFrom(...names), fc.string({ maxLength: 200 })).map(([n, v]) => `${n}: ${v.replace(/\r?\n/g, ' ')}`);
    await fc.assert(
      fc.asyncProperty(sample, fc.array(header, { maxLength: 4 }), fc.nat(), async (raw, headers, cut) => {
        const mangled = headers.reduce(withHeader, raw.slice(0, cut % (raw.length + 1)));
        const mail = await parseInboundMail(mangled);
        expect(kinds).toContain(mail.kind);
        if (mail.bounce) expect(typeof mail.bounce.hard).toBe('boolean');
      }),
      { seed: 3464, numRuns: 300 },
    );
  });
});
