/**
 * Twilio adapters against test/fakes/twilio-fake.ts (a real HTTP server), with the real
 * `twilio` SDK: SMS sending and error classification, recordings (VO-003), webhook
 * signatures (SYS-008) and the inbound SMS / status callback schemas (SM-003).
 */
import { describe, expect, it } from 'vitest';
import { classifyTwilioError } from '../../../providers/twilio/client.js';
import { createTwilioRecordingStore, twilioRecordingMediaUrl } from '../../../providers/twilio/recordings.js';
import { createTwilioSmsSender } from '../../../providers/twilio/sms.js';
import {
  parseTwilioForm,
  signTwilioRequest,
  smsDeliveryState,
  TwilioInboundSmsSchema,
  TwilioStatusCallbackSchema,
  verifyTwilioSignature,
  verifyTwilioWebhookRequest,
} from '../../../providers/twilio/webhooks.js';
import { computeTwilioSignature, TWILIO_ERRORS, TwilioFake, twilioErrorBody, twilioSid } from '../../fakes/twilio-fake.js';
import { rejection, useFake } from '../../helpers/assertions.js';

const fake = new TwilioFake();
const fakeAt = useFake(fake);

const sender = () => createTwilioSmsSender({ accountSid: fake.accountSid, authToken: fake.authToken, baseUrl: fakeAt.baseUrl });
const sms = {
  from: '+61480000001',
  to: '+61412345678',
  body: 'Hi Sam, quick one about your fit-out quotes?',
  statusCallback: 'https://app.example.com/webhooks/twilio/status',
};

describe('Twilio SMS sender (SM-004 area: sending)', () => {
  it('SM-004: sends one form-encoded POST to Messages.json with To, From, Body, StatusCallback and Basic auth', async () => {
    const sent = await sender().send(sms);

    expect(sent.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(sent).toEqual({ sid: sent.sid, status: 'queued', numSegments: 1 });
    expect(fake.requests).toHaveLength(1);
    const req = fake.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`/2010-04-01/Accounts/${fake.accountSid}/Messages.json`);
    expect(req.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(req.auth).toEqual({ username: fake.accountSid, password: fake.authToken });
    expect(req.body).toEqual({ To: sms.to, From: sms.from, Body: sms.body, StatusCallback: sms.statusCallback });
    expect(fake.messages[0]).toMatchObject({ sid: sent.sid, to: sms.to, from: sms.from, body: sms.body });
  });

  it('SM-004: reports the segment count Twilio returns (a 2-segment GSM-7 body)', async () => {
    const sent = await sender().send({ ...sms, body: 'x'.repeat(200), statusCallback: undefined });
    expect(sent.numSegments).toBe(2);
    expect(fake.requests[0]!.body).not.toHaveProperty('StatusCallback');
  });

  it('SM-004: HTTP 500 is exactly one request (no SDK retry) and a transient error', async () => {
    fake.failNext(500, TWILIO_ERRORS[20500]());
    const err = await rejection(sender().send(sms));
    expect(fake.requests).toHaveLength(1);
    expect(err).toMatchObject({ provider: 'twilio', retryable: true, status: 500, code: 'provider_unavailable' });
    expect(fake.messages).toHaveLength(0);
  });

  it('SM-004: HTTP 429 is one request and transient, with Retry-After kept', async () => {
    fake.failNext(429, TWILIO_ERRORS[20429](), { 'Retry-After': '7' });
    const err = await rejection(sender().send(sms));
    expect(fake.requests).toHaveLength(1);
    expect(err).toMatchObject({ retryable: true, status: 429, code: 'rate_limited', retryAfterSeconds: 7 });
  });

  it.each([
    [21211, 'invalid_number'],
    [21614, 'invalid_number'],
    [21610, 'recipient_unsubscribed'],
  ] as const)('SM-001/SM-004: Twilio error %i is permanent: %s', async (code, expected) => {
    fake.rejectRecipient(sms.to, code);
    const err = await rejection(sender().send(sms));
    expect(err).toMatchObject({ provider: 'twilio', code: expected, retryable: false, status: 400 });
    expect(err.message).toContain(String(code));
    expect(fake.requests).toHaveLength(1);
  });

  it('SM-004: a number the fake itself finds malformed is invalid_number (21211 from the server)', async () => {
    const err = await rejection(sender().send({ ...sms, to: '0412 345 678' }));
    expect(err).toMatchObject({ code: 'invalid_number', retryable: false });
  });

  it('SM-004: wrong credentials are a permanent auth_failed', async () => {
    const bad = createTwilioSmsSender({ accountSid: fake.accountSid, authToken: 'wrong-token', baseUrl: fakeAt.baseUrl });
    const err = await rejection(bad.send(sms));
    expect(err).toMatchObject({ code: 'auth_failed', retryable: false, status: 401 });
  });

  it('SM-004: a dropped connection is a transient network error, sent once', async () => {
    fake.script({ status: 0, drop: true });
    const err = await rejection(sender().send(sms));
    expect(err).toMatchObject({ code: 'network_error', retryable: true });
    expect(fake.requests).toHaveLength(1);
  });

  it('SM-004: nothing listening is a transient network error', async () => {
    const dead = new TwilioFake();
    const { baseUrl: deadUrl } = await dead.start();
    await dead.stop();
    const err = await rejection(
      createTwilioSmsSender({ accountSid: fake.accountSid, authToken: fake.authToken, baseUrl: deadUrl }).send(sms),
    );
    expect(err).toMatchObject({ code: 'network_error', retryable: true });
  });

  it('classifies RestException-shaped errors by status and code', () => {
    const c = (status: number, code?: number) => classifyTwilioError(Object.assign(new Error('x'), { status, code }));
    expect(c(400, 21211)).toMatchObject({ code: 'invalid_number', retryable: false });
    expect(c(403, 20003)).toMatchObject({ code: 'auth_failed', retryable: false });
    expect(c(400, 99999)).toMatchObject({ code: 'rejected', retryable: false });
    expect(c(503)).toMatchObject({ code: 'provider_unavailable', retryable: true });
    expect(c(429, 20429)).toMatchObject({ code: 'rate_limited', retryable: true });
    expect(classifyTwilioError(Object.assign(new Error('timeout of 30000ms exceeded'), { code: 'ECONNABORTED' }))).toMatchObject({
      code: 'timeout',
      retryable: true,
    });
  });
});

describe('Twilio recordings (VO-003)', () => {
  const store = () => createTwilioRecordingStore({ accountSid: fake.accountSid, authToken: fake.authToken, baseUrl: fakeAt.baseUrl });

  it('VO-003: lists the call’s completed recordings with media URL and duration', async () => {
    const callSid = twilioSid('CA');
    const rec = fake.addRecording(callSid, { durationSeconds: 42 });
    fake.addRecording(twilioSid('CA'), { durationSeconds: 5 }); // another call
    fake.addRecording(callSid, { status: 'deleted' });

    const refs = await store().recordingsForCall(callSid);

    expect(refs).toEqual([
      { recordingSid: rec.sid, url: `${fakeAt.baseUrl}/2010-04-01/Accounts/${fake.accountSid}/Recordings/${rec.sid}`, durationSeconds: 42 },
    ]);
    const req = fake.requests[0]!;
    expect(req.method).toBe('GET');
    expect(req.path).toBe(`/2010-04-01/Accounts/${fake.accountSid}/Recordings.json`);
    expect(req.query.CallSid).toBe(callSid);
    expect(req.auth).toEqual({ username: fake.accountSid, password: fake.authToken });
    const media = await fetch(`${refs[0]!.url}.mp3`, {
      headers: { authorization: `Basic ${Buffer.from(`${fake.accountSid}:${fake.authToken}`).toString('base64')}` },
    });
    expect(media.headers.get('content-type')).toBe('audio/mpeg');
  });

  it('VO-003: follows next_page_uri through the fake (paging stays on the base URL)', async () => {
    const paged = new TwilioFake({ defaultPageSize: 2 });
    const { baseUrl: pagedUrl } = await paged.start();
    try {
      const callSid = twilioSid('CA');
      for (let i = 0; i < 5; i++)
        paged.addRecording(callSid, { durationSeconds: i + 1, dateCreated: new Date(Date.UTC(2026, 0, 1, 0, i)) });
      const refs = await createTwilioRecordingStore({
        accountSid: paged.accountSid,
        authToken: paged.authToken,
        baseUrl: pagedUrl,
      }).recordingsForCall(callSid);
      expect(refs.map((r) => r.durationSeconds).sort()).toEqual([1, 2, 3, 4, 5]);
      expect(paged.requests).toHaveLength(3);
      expect(paged.requests.map((r) => r.query.Page ?? '0')).toEqual(['0', '1', '2']);
    } finally {
      await paged.stop();
    }
  });

  it('VO-003: no recordings is an empty list; a processing recording is transient', async () => {
    expect(await store().recordingsForCall(twilioSid('CA'))).toEqual([]);
    const callSid = twilioSid('CA');
    fake.addRecording(callSid, { status: 'processing' });
    const err = await rejection(store().recordingsForCall(callSid));
    expect(err).toMatchObject({ code: 'recording_processing', retryable: true });
  });

  it('VO-003: HTTP 500 on the list is transient', async () => {
    fake.failNext(500);
    const err = await rejection(store().recordingsForCall(twilioSid('CA')));
    expect(err).toMatchObject({ code: 'provider_unavailable', retryable: true });
    expect(fake.requests).toHaveLength(1);
  });

  it('VO-003: builds the media URL the Twilio way when the API gave no media_url', () => {
    const ac = `AC${'a'.repeat(32)}`;
    const re = `RE${'b'.repeat(32)}`;
    expect(twilioRecordingMediaUrl({ sid: re }, ac)).toBe(`https://api.twilio.com/2010-04-01/Accounts/${ac}/Recordings/${re}`);
    expect(twilioRecordingMediaUrl({ sid: re, uri: `/2010-04-01/Accounts/${ac}/Recordings/${re}.json` }, ac)).toBe(
      `https://api.twilio.com/2010-04-01/Accounts/${ac}/Recordings/${re}`,
    );
  });
});

describe('Twilio webhook signatures (SYS-008)', () => {
  const authToken = '12345';
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const params = { CallSid: 'CA1234567890ABCDE', Caller: '+14158675310', Digits: '1234', From: '+14158675310', To: '+18005551212' };

  it('SYS-008: signs exactly as Twilio documents (the published example signature)', () => {
    // twilio.com/docs/usage/security: this URL, these params and token 12345.
    expect(signTwilioRequest(authToken, url, params)).toBe('GvWf1cFY/Q7PnoempGyD5oXAezc=');
    expect(computeTwilioSignature(authToken, url, params)).toBe('GvWf1cFY/Q7PnoempGyD5oXAezc=');
  });

  it('SYS-008: accepts the exact signature and rejects a tampered body, URL, token or missing header', () => {
    const signature = signTwilioRequest(authToken, url, params);
    expect(verifyTwilioSignature({ authToken, url, params, signature })).toBe(true);
    expect(verifyTwilioSignature({ authToken, url, params, signature: [signature] })).toBe(true);
    expect(verifyTwilioSignature({ authToken, url, params: { ...params, Digits: '9999' }, signature })).toBe(false);
    expect(verifyTwilioSignature({ authToken, url, params: { ...params, Extra: 'x' }, signature })).toBe(false);
    expect(verifyTwilioSignature({ authToken, url: url.replace('foo=1', 'foo=2'), params, signature })).toBe(false);
    expect(verifyTwilioSignature({ authToken, url: 'https://evil.example.com/myapp.php?foo=1&bar=2', params, signature })).toBe(false);
    expect(verifyTwilioSignature({ authToken: 'other', url, params, signature })).toBe(false);
    expect(verifyTwilioSignature({ authToken, url, params, signature: undefined })).toBe(false);
  });

  it('SYS-008: verifies a raw form body as the webhook route receives it (the fake signs it)', async () => {
    const received: { rawBody: string; headers: Record<string, string | string[] | undefined> }[] = [];
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ rawBody: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
        res.writeHead(200, { 'content-type': 'text/xml' }).end('<Response/>');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as { port: number }).port;
      const hookUrl = `http://127.0.0.1:${port}/webhooks/twilio/sms?client=c1`;
      const res = await fake.sendInboundSms({
        url: hookUrl,
        from: '+61412345678',
        to: '+61480000001',
        body: 'Yes please, call me tomorrow',
      });
      expect(res.status).toBe(200);
      const { rawBody, headers } = received[0]!;
      expect(verifyTwilioWebhookRequest({ authToken: fake.authToken, url: hookUrl, rawBody, headers })).toBe(true);
      expect(
        verifyTwilioWebhookRequest({ authToken: fake.authToken, url: hookUrl, rawBody: rawBody.replace('tomorrow', 'today'), headers }),
      ).toBe(false);
      expect(verifyTwilioWebhookRequest({ authToken: fake.authToken, url: hookUrl.replace('c1', 'c2'), rawBody, headers })).toBe(false);

      const parsed = TwilioInboundSmsSchema.parse(parseTwilioForm(rawBody));
      expect(parsed).toMatchObject({
        From: '+61412345678',
        To: '+61480000001',
        Body: 'Yes please, call me tomorrow',
        NumSegments: '1',
        SmsStatus: 'received',
      });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('parses repeated form fields as arrays (Twilio signs each value)', () => {
    expect(parseTwilioForm('A=1&B=2&A=3')).toEqual({ A: ['1', '3'], B: '2' });
  });
});

describe('Twilio webhook schemas (SM-003)', () => {
  const base = { MessageSid: twilioSid('SM'), AccountSid: `AC${'c'.repeat(32)}`, From: '+61412345678', To: '+61480000001' };

  it('SM-003: inbound SMS: required fields, other fields passed through', () => {
    const parsed = TwilioInboundSmsSchema.parse({
      ...base,
      Body: 'STOP',
      NumSegments: '1',
      NumMedia: '1',
      MediaUrl0: 'https://api.twilio.com/media/ME1',
      FromCity: 'SYDNEY',
    });
    expect(parsed).toMatchObject({ Body: 'STOP', MediaUrl0: 'https://api.twilio.com/media/ME1', FromCity: 'SYDNEY' });
    expect(TwilioInboundSmsSchema.parse({ ...base, NumMedia: '1' }).Body).toBe('');
  });

  it.each([
    ['no MessageSid', { ...base, MessageSid: undefined, Body: 'hi' }],
    ['a malformed MessageSid', { ...base, MessageSid: 'SM123', Body: 'hi' }],
    ['no From', { ...base, From: undefined, Body: 'hi' }],
    ['a non-numeric NumSegments', { ...base, Body: 'hi', NumSegments: 'two' }],
  ])('SM-003: inbound SMS with %s is rejected', (_label, payload) => {
    expect(TwilioInboundSmsSchema.safeParse(payload).success).toBe(false);
  });

  it('SM-003: status callback: MessageStatus and ErrorCode', () => {
    const parsed = TwilioStatusCallbackSchema.parse({
      ...base,
      MessageStatus: 'undelivered',
      ErrorCode: '30003',
      SmsStatus: 'undelivered',
      ApiVersion: '2010-04-01',
    });
    expect(parsed).toMatchObject({ MessageStatus: 'undelivered', ErrorCode: '30003' });
    expect(smsDeliveryState(parsed.MessageStatus)).toBe('failed');
    expect(smsDeliveryState('delivered')).toBe('delivered');
    expect(smsDeliveryState('sent')).toBe('pending');
    expect(TwilioStatusCallbackSchema.safeParse({ ...base }).success).toBe(false);
  });

  it('SM-003: the fake’s status callback is signed and matches the schema', async () => {
    const sent = await sender().send({ ...sms, statusCallback: 'http://127.0.0.1:9/unused' });
    // Post to our own throwaway server to capture what the fake sends.
    const { createServer } = await import('node:http');
    let captured: { rawBody: string; headers: Record<string, string | string[] | undefined> } | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        captured = { rawBody: Buffer.concat(chunks).toString('utf8'), headers: req.headers };
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/webhooks/twilio/status`;
      expect(await fake.sendStatusCallback(sent.sid, 'delivered', { url })).toBe(204);
      expect(verifyTwilioWebhookRequest({ authToken: fake.authToken, url, ...captured! })).toBe(true);
      const parsed = TwilioStatusCallbackSchema.parse(parseTwilioForm(captured!.rawBody));
      expect(parsed).toMatchObject({ MessageSid: sent.sid, MessageStatus: 'delivered', To: sms.to });
      expect(parsed.RawDlrDoneDate).toMatch(/^\d{10}$/);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('fake error bodies have Twilio’s shape', () => {
    expect(twilioErrorBody(400, 21211, 'bad')).toEqual({
      code: 21211,
      message: 'bad',
      more_info: 'https://www.twilio.com/docs/errors/21211',
      status: 400,
    });
  });
});
