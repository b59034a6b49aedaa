/**
 * VO-003: the Vapi adapter's deleteCall against the Vapi fake (DELETE /call/{id}, the wire format
 * of VapiAI/server-sdk-typescript `calls.delete`): the call and its recording are gone; a call
 * already gone (404) is done, not a failure; a refused key is a permanent error. And the sandbox's.
 */
import { describe, expect, it } from 'vitest';
import { createVapiVoiceCaller } from '../../../providers/vapi/calls.js';
import { createMemoryRecorder, createSandboxVoiceCaller } from '../../../providers/sandbox/index.js';
import { ProviderError } from '../../../providers/ports.js';
import { VapiFake } from '../../fakes/vapi-fake.js';
import { rejection, useFake } from '../../helpers/assertions.js';

const fake = new VapiFake();
const fakeAt = useFake(fake);
const caller = (apiKey = fake.apiKey) => createVapiVoiceCaller({ apiKey, baseUrl: fakeAt.baseUrl });

function seedCall(id: string) {
  const at = new Date().toISOString();
  fake.calls.push({
    id,
    orgId: fake.orgId,
    type: 'outboundPhoneCall',
    status: 'ended',
    createdAt: at,
    updatedAt: at,
    phoneCallProvider: 'twilio',
    phoneCallProviderId: 'CA123',
    phoneCallTransport: 'pstn',
    artifact: { recordingUrl: `https://storage.vapi.ai/${id}.wav` },
  });
}

describe('deleting a call at Vapi (VO-003)', () => {
  it('VO-003: DELETE /call/{id} with the private key removes the call; a second delete finds it gone (404) and is done', async () => {
    seedCall('call-1');
    expect(await caller().deleteCall('call-1')).toBe('deleted');
    expect(fake.calls.map((c) => c.id)).not.toContain('call-1');
    expect(fake.deletedCallIds).toEqual(['call-1']);
    const req = fake.requests.find((r) => r.method === 'DELETE')!;
    expect(req.path).toBe('/call/call-1');
    expect(req.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(await caller().deleteCall('call-1')).toBe('not_found');
    // One request each: no retries of a DELETE the adapter does not ask for.
    expect(fake.requests.filter((r) => r.method === 'DELETE')).toHaveLength(2);
  });

  it('VO-003: a refused key is a permanent provider error', async () => {
    seedCall('call-2');
    const err = await rejection(caller('wrong-key').deleteCall('call-2'));
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ code: 'auth_failed', retryable: false });
  });

  it('VO-003: the sandbox records the deletion and forgets the call', async () => {
    const recorder = createMemoryRecorder();
    const voice = createSandboxVoiceCaller(recorder);
    const placed = await voice.startCall({
      assistantId: 'a',
      firstMessage: 'This call is recorded.',
      phoneNumberId: 'p',
      customer: { number: '+61412345678' },
      voicemail: { action: 'hang_up' },
      metadata: {},
      maxDurationSeconds: 120,
    });
    expect(await voice.deleteCall(placed.callId)).toBe('deleted');
    expect(await voice.deleteCall(placed.callId)).toBe('not_found');
    expect(recorder.entries.filter((e) => e.kind === 'delete_call').map((e) => e.to)).toEqual([placed.callId, placed.callId]);
  });
});
