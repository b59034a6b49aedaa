/**
 * VO-003: the Twilio recording store's deleteRecording against the Twilio fake
 * (DELETE /2010-04-01/Accounts/{AC}/Recordings/{RE}.json, 204): the recording is gone and no
 * longer listed for its call; a second delete finds it gone (404) and is done. And the sandbox's.
 */
import { describe, expect, it } from 'vitest';
import { createTwilioRecordingStore } from '../../../providers/twilio/recordings.js';
import { createSandboxRecordingStore } from '../../../providers/sandbox/index.js';
import { TwilioFake } from '../../fakes/twilio-fake.js';
import { useFake } from '../../helpers/assertions.js';

const fake = new TwilioFake();
const fakeAt = useFake(fake);
const store = () => createTwilioRecordingStore({ accountSid: fake.accountSid, authToken: fake.authToken, baseUrl: fakeAt.baseUrl });

describe('deleting a recording at Twilio (VO-003)', () => {
  it('VO-003: DELETE .../Recordings/{RE}.json removes it; a second delete answers 404 and is done', async () => {
    const rec = fake.addRecording('CA0123456789abcdef0123456789abcdef', { durationSeconds: 12 });
    expect(await store().recordingsForCall('CA0123456789abcdef0123456789abcdef')).toHaveLength(1);
    expect(await store().deleteRecording(rec.sid)).toBe('deleted');
    const req = fake.requests.find((r) => r.method === 'DELETE')!;
    expect(req.path).toBe(`/2010-04-01/Accounts/${fake.accountSid}/Recordings/${rec.sid}.json`);
    expect(fake.deletedRecordingSids).toEqual([rec.sid]);
    expect(await store().recordingsForCall('CA0123456789abcdef0123456789abcdef')).toEqual([]);
    expect(await store().deleteRecording(rec.sid)).toBe('not_found');
  });

  it('VO-003: the sandbox store deletes its made-up recordings and knows no other', async () => {
    const sandbox = createSandboxRecordingStore();
    const [ref] = await sandbox.recordingsForCall('sandbox_CA1');
    expect(await sandbox.deleteRecording(ref!.recordingSid)).toBe('deleted');
    expect(await sandbox.deleteRecording('RE0123')).toBe('not_found');
  });
});
