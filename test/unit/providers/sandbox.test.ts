/**
 * Sandbox adapters: every port implemented by recording instead of sending. They must record
 * exactly what would have been sent, answer like the real provider, and never open a socket.
 */
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { listUnsubscribeHeaders, makeMessageId, replySubject, replyThreading } from '../../../providers/email/headers.js';
import type { OutboundCall, OutboundEmail, SandboxRecorder } from '../../../providers/ports.js';
import {
  createMemoryRecorder,
  createSandboxDncrRegister,
  createSandboxEmailSender,
  createSandboxLinkedInClient,
  createSandboxRecordingStore,
  createSandboxSmsSender,
  createSandboxVoiceCaller,
} from '../../../providers/sandbox/index.js';
import { rejection } from '../../helpers/assertions.js';

const smtp = { host: 'smtp.agency-mail.test', port: 587, secure: false, user: 'anna@agency-mail.test', pass: 'super-secret-pass' };

function email(overrides: Partial<OutboundEmail> = {}): OutboundEmail {
  return {
    smtp,
    from: { address: 'anna@agency-mail.test', name: 'Anna' },
    to: { address: 'lead@prospect.test' },
    subject: 'Quick question',
    text: 'Hi Lee',
    messageId: makeMessageId({ idempotencyKey: 'wf-1:step-0', domain: 'agency-mail.test' }),
    headers: listUnsubscribeHeaders({ unsubscribeUrl: 'https://app.agencyos.test/u/tok' }),
    ...overrides,
  };
}

function call(overrides: Partial<OutboundCall> = {}): OutboundCall {
  return {
    assistantId: 'asst_1',
    firstMessage: 'This call is recorded. Hi Lee, this is an AI assistant calling on behalf of Agency. Do you have a minute?',
    phoneNumberId: 'pn_1',
    customer: { number: '+61412345678', name: 'Lee' },
    voicemail: { action: 'leave_message', message: 'Hi Lee, Anna from Agency here, I will email you.' },
    metadata: { leadId: 'lead_1', workflowId: 'wf-1', step: '1' },
    maxDurationSeconds: 300,
    ...overrides,
  };
}

describe('sandbox adapters', () => {
  let connectSpy: ReturnType<typeof vi.spyOn>;
  let fetchSpy: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    connectSpy = vi.spyOn(net.Socket.prototype, 'connect');
    fetchSpy = vi.spyOn(globalThis, 'fetch');
  });
  afterEach(() => {
    // sandbox adapters never open a socket, whatever they do
    expect(connectSpy).not.toHaveBeenCalled();
    expect(fetchSpy).not.toHaveBeenCalled();
    vi.restoreAllMocks();
  });

  it('sandbox email records exactly the message that would have been sent, never the password', async () => {
    const recorder = createMemoryRecorder();
    const sender = createSandboxEmailSender(recorder);
    const first = email({ html: '<p>Hi Lee</p>' });
    const sent = await sender.send(first);
    expect(sent).toEqual({
      messageId: first.messageId,
      accepted: ['lead@prospect.test'],
      rejected: [],
      response: '250 2.0.0 sandbox: recorded, not sent',
    });
    const followUp = email({ subject: replySubject(first.subject), messageId: '<f@agency-mail.test>', ...replyThreading(first) });
    await sender.send(followUp);

    expect(recorder.entries).toEqual([
      {
        provider: 'smtp',
        kind: 'email',
        to: 'lead@prospect.test',
        payload: {
          mailbox: { host: 'smtp.agency-mail.test', port: 587, secure: false, user: 'anna@agency-mail.test' },
          from: { address: 'anna@agency-mail.test', name: 'Anna' },
          to: { address: 'lead@prospect.test' },
          subject: 'Quick question',
          text: 'Hi Lee',
          html: '<p>Hi Lee</p>',
          messageId: first.messageId,
          headers: {
            'List-Unsubscribe': '<https://app.agencyos.test/u/tok>',
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          },
        },
      },
      {
        provider: 'smtp',
        kind: 'email',
        to: 'lead@prospect.test',
        payload: expect.objectContaining({
          subject: 'Re: Quick question',
          messageId: '<f@agency-mail.test>',
          inReplyTo: first.messageId,
          references: [first.messageId],
        }),
      },
    ]);
    expect(JSON.stringify(recorder.entries)).not.toContain('super-secret-pass');
  });

  it('sandbox email refuses what the real sender refuses', async () => {
    const recorder = createMemoryRecorder();
    const sender = createSandboxEmailSender(recorder);
    expect(await rejection(sender.send(email({ messageId: 'x' })))).toMatchObject({ code: 'invalid_request', retryable: false });
    expect(await rejection(sender.send(email({ headers: { Subject: 'x' } })))).toMatchObject({ code: 'invalid_request' });
    expect(recorder.entries).toHaveLength(0);
  });

  it('sandbox SMS records the message and counts segments (GSM-7 160 / UCS-2 70)', async () => {
    const recorder = createMemoryRecorder();
    const sms = createSandboxSmsSender(recorder);
    const one = await sms.send({ from: '+61400000000', to: '+61412345678', body: 'a'.repeat(160), statusCallback: 'https://api.test/cb' });
    expect(one).toMatchObject({ status: 'queued', numSegments: 1 });
    expect(one.sid).toMatch(/^sandbox_sms_[0-9a-f]{24}$/);
    expect((await sms.send({ from: '+61400000000', to: '+61412345678', body: 'a'.repeat(161) })).numSegments).toBe(2);
    expect((await sms.send({ from: '+61400000000', to: '+61412345678', body: 'é'.repeat(70) })).numSegments).toBe(1); // é is GSM-7
    expect((await sms.send({ from: '+61400000000', to: '+61412345678', body: 'ł'.repeat(70) })).numSegments).toBe(1);
    expect((await sms.send({ from: '+61400000000', to: '+61412345678', body: 'ł'.repeat(71) })).numSegments).toBe(2);
    expect((await sms.send({ from: '+61400000000', to: '+61412345678', body: 'Hi 😀' })).numSegments).toBe(1);

    expect(recorder.entries[0]).toEqual({
      provider: 'twilio',
      kind: 'sms',
      to: '+61412345678',
      payload: {
        sid: one.sid,
        from: '+61400000000',
        to: '+61412345678',
        body: 'a'.repeat(160),
        statusCallback: 'https://api.test/cb',
        numSegments: 1,
        encoding: 'GSM-7',
      },
    });
    expect(recorder.entries[4]!.payload).toMatchObject({ encoding: 'UCS-2', numSegments: 2 });
    const sids = new Set(recorder.entries.map((e) => (e.payload as { sid: string }).sid));
    expect(sids.size).toBe(recorder.entries.length);

    expect(await rejection(sms.send({ from: '+61400000000', to: '0412 345 678', body: 'x' }))).toMatchObject({
      code: 'invalid_number',
      retryable: false,
    });
    expect(await rejection(sms.send({ from: '+61400000000', to: '+61412345678', body: '' }))).toMatchObject({ code: 'invalid_request' });
    expect(recorder.entries).toHaveLength(6);
  });

  it("sandbox voice: a placed call is recorded and ends 'answered' by default, with a recording", async () => {
    const recorder = createMemoryRecorder();
    const voice = createSandboxVoiceCaller(recorder);
    const placed = await voice.startCall(call());
    expect(placed.callId).toMatch(/^sandbox_call_/);
    expect(placed.status).toBe('queued');
    expect(recorder.entries).toEqual([
      { provider: 'vapi', kind: 'call', to: '+61412345678', payload: { callId: placed.callId, ...call() } },
    ]);

    const report = await voice.getCall(placed.callId);
    expect(report).toMatchObject({ callId: placed.callId, outcome: 'answered', endedReason: 'customer-ended-call', durationSeconds: 42 });
    if (report.outcome === 'in_progress') throw new Error('unreachable');
    expect(report.providerCallSid).toMatch(/^sandbox_CA/);
    expect(await voice.getCall(placed.callId)).toEqual(report); // stable

    const recordings = await createSandboxRecordingStore().recordingsForCall(report.providerCallSid!);
    expect(recordings).toHaveLength(1);
    expect(recordings[0]!.recordingSid).toMatch(/^sandbox_RE/);
    expect(await createSandboxRecordingStore().recordingsForCall(report.providerCallSid!)).toEqual(recordings);
    expect(await createSandboxRecordingStore().recordingsForCall('CA0123')).toEqual([]);
  });

  it('sandbox voice: outcome and polling are configurable; unknown call ids are not found', async () => {
    const recorder = createMemoryRecorder();
    const busy = createSandboxVoiceCaller(recorder, { outcome: 'busy', pollsBeforeEnd: 2 });
    const { callId } = await busy.startCall(call());
    expect(await busy.getCall(callId)).toEqual({ callId, outcome: 'in_progress' });
    expect(await busy.getCall(callId)).toEqual({ callId, outcome: 'in_progress' });
    expect(await busy.getCall(callId)).toEqual({ callId, outcome: 'busy', endedReason: 'customer-busy' });

    const byNumber = createSandboxVoiceCaller(recorder, { outcome: (c) => (c.customer.number.endsWith('9') ? 'voicemail' : 'no_answer') });
    const vm = await byNumber.startCall(call({ customer: { number: '+61412345679' } }));
    expect(await byNumber.getCall(vm.callId)).toMatchObject({
      outcome: 'voicemail',
      endedReason: 'voicemail',
      transcript: 'AI: Hi Lee, Anna from Agency here, I will email you.',
    });
    const na = await byNumber.startCall(call());
    expect(await byNumber.getCall(na.callId)).toEqual({ callId: na.callId, outcome: 'no_answer', endedReason: 'customer-did-not-answer' });

    expect(await rejection(byNumber.getCall('nope'))).toMatchObject({ code: 'not_found', retryable: false, status: 404 });
    expect(await rejection(byNumber.startCall(call({ customer: { number: '0412345678' } })))).toMatchObject({ code: 'invalid_number' });
    expect(recorder.entries).toHaveLength(3);
  });

  it('LI-002: sandbox LinkedIn: second-degree profiles without a pending invitation; invitations, messages and withdrawals recorded', async () => {
    const recorder = createMemoryRecorder();
    const li = createSandboxLinkedInClient(recorder);
    const profile = await li.getProfile('acc_1', 'https://www.linkedin.com/in/Lee-Ead-123/?trk=x');
    expect(profile).toEqual({
      providerId: expect.stringMatching(/^sandbox_li_[0-9a-f]{24}$/),
      publicIdentifier: 'lee-ead-123',
      networkDistance: 'SECOND_DEGREE',
      invitationPending: false,
    });
    expect((await li.getProfile('acc_2', 'lee-ead-123')).providerId).toBe(profile.providerId);
    expect(recorder.entries).toHaveLength(0); // reads are not recorded

    const inv = await li.sendInvitation({ accountId: 'acc_1', providerId: profile.providerId, message: 'Hi Lee, saw your post.' });
    expect(inv.invitationId).toMatch(/^sandbox_invitation_/);
    const msg = await li.sendMessage({ accountId: 'acc_1', attendeeProviderId: profile.providerId, text: 'Thanks for connecting' });
    const again = await li.sendMessage({ accountId: 'acc_1', attendeeProviderId: profile.providerId, text: 'One more thing' });
    expect(again.chatId).toBe(msg.chatId);
    expect(again.messageId).not.toBe(msg.messageId);

    expect(recorder.entries.slice(0, 2)).toEqual([
      {
        provider: 'unipile',
        kind: 'invitation',
        to: profile.providerId,
        payload: { invitationId: inv.invitationId, accountId: 'acc_1', providerId: profile.providerId, message: 'Hi Lee, saw your post.' },
      },
      {
        provider: 'unipile',
        kind: 'message',
        to: profile.providerId,
        payload: {
          chatId: msg.chatId,
          messageId: msg.messageId,
          accountId: 'acc_1',
          attendeeProviderId: profile.providerId,
          text: 'Thanks for connecting',
        },
      },
    ]);
    expect(
      await rejection(li.sendInvitation({ accountId: 'acc_1', providerId: profile.providerId, message: 'x'.repeat(301) })),
    ).toMatchObject({
      code: 'invalid_request',
      retryable: false,
    });
    expect(recorder.entries).toHaveLength(3);

    // LI-002: a withdrawal is recorded, never sent.
    expect(await li.withdrawInvitation({ accountId: 'acc_1', providerId: profile.providerId, invitationId: inv.invitationId })).toEqual({
      result: 'withdrawn',
      invitationId: inv.invitationId,
    });
    expect(recorder.entries.at(-1)).toEqual({
      provider: 'unipile',
      kind: 'invitation_withdrawal',
      to: profile.providerId,
      payload: { accountId: 'acc_1', providerId: profile.providerId, invitationId: inv.invitationId },
    });
  });

  it('sandbox DNCR is deterministic: nothing registered unless listed, non-AU numbers invalid', async () => {
    const open = createSandboxDncrRegister();
    expect(await open.wash(['+61412345678', '+61298765432'], 'ref-1')).toEqual(
      new Map([
        ['+61412345678', 'not_registered'],
        ['+61298765432', 'not_registered'],
      ]),
    );
    const listed = createSandboxDncrRegister({ registered: new Set(['+61412345678']) });
    const result = await listed.wash(['+61412345678', '+61298765432', '+14155550100', '0412345678'], 'ref-2');
    expect(Object.fromEntries(result)).toEqual({
      '+61412345678': 'registered',
      '+61298765432': 'not_registered',
      '+14155550100': 'invalid',
      '0412345678': 'invalid',
    });
    await expect(createSandboxDncrRegister({ unavailable: true }).wash(['+61412345678'], 'ref-3')).rejects.toThrow(/unavailable/);
  });

  it('the memory recorder keeps copies, filters and clears; any SandboxRecorder can be injected', async () => {
    const logged: string[] = [];
    const recorder = createMemoryRecorder({ onRecord: (e) => logged.push(`${e.provider}:${e.kind}:${e.to}`) });
    const payload = { text: 'before' };
    await recorder.record({ provider: 'p', kind: 'k', to: 't', payload });
    payload.text = 'after';
    expect(recorder.entries[0]!.payload).toEqual({ text: 'before' });
    expect(recorder.filter('p', 'k')).toHaveLength(1);
    expect(recorder.filter('p', 'other')).toHaveLength(0);
    expect(logged).toEqual(['p:k:t']);
    recorder.clear();
    expect(recorder.entries).toHaveLength(0);

    const seen: unknown[] = [];
    const custom: SandboxRecorder = { record: async (e) => void seen.push(e) };
    await createSandboxSmsSender(custom).send({ from: '+61400000000', to: '+61412345678', body: 'hi' });
    expect(seen).toHaveLength(1);
  });

  it('a failing recorder fails the send (nothing is reported as sent that was not recorded)', async () => {
    const broken: SandboxRecorder = { record: async () => Promise.reject(new Error('db down')) };
    await expect(createSandboxEmailSender(broken).send(email())).rejects.toThrow('db down');
    await expect(createSandboxSmsSender(broken).send({ from: '+61400000000', to: '+61412345678', body: 'hi' })).rejects.toThrow('db down');
  });
});
