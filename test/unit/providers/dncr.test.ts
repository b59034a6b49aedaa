/**
 * DNCR SOAP adapter against the DNCR fake (SM-001: check before contact, fail closed; SM-002:
 * batch washing).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { ProviderError } from '../../../providers/ports.js';
import {
  buildWashNumbersEnvelope,
  createDncrRegister,
  DncrError,
  parseDncrResponse,
  toDncrNational,
  type DncrRegisterOptions,
} from '../../../providers/dncr/soap.js';
import { createDncrFake, type DncrFake } from '../../fakes/dncr-fake.js';
import { rejection } from '../../helpers/assertions.js';

const CREDS = { telemarketerId: '123456', washOnlyUserId: 'washer', password: 'p&ss<word>' };
const REGISTERED = '+61412345678';
const REGISTERED_LANDLINE = '+61299998888';
const CLEAR = '+61498765432';
const CLEAR_LANDLINE = '+61387654321';
const FAKE_SAYS_INVALID = '+61400000009'; // valid for libphonenumber, answered I by the register

let fake: DncrFake;
let endpoint: string;
let refSeq = 0;
const ref = () => `wf-test:dncr-${++refSeq}`;

function register(extra: Partial<DncrRegisterOptions> = {}) {
  return createDncrRegister({ endpoint, ...CREDS, pollIntervalMs: 5, maxPolls: 5, requestTimeoutMs: 2_000, ...extra });
}

beforeAll(async () => {
  fake = createDncrFake({ registered: [REGISTERED, '0299998888'], invalid: [FAKE_SAYS_INVALID], credentials: CREDS });
  ({ baseUrl: endpoint } = await fake.start());
});
afterAll(async () => {
  await fake.stop();
});
beforeEach(() => {
  fake.reset();
  fake.setResponseStyle('attributes');
  fake.setWashNumbersReturnsResults(true);
});

describe('number handling', () => {
  it('E.164 +61 to the national digits the register takes', () => {
    expect(toDncrNational('+61412345678')).toBe('0412345678');
    expect(toDncrNational('+61 2 9999 8888')).toBe('0299998888');
    expect(toDncrNational('+61131450')).toBe('131450');
    expect(toDncrNational('+611800123456')).toBe('1800123456');
    expect(toDncrNational('+6141234')).toBeUndefined();
  });

  it('SM-002: non-AU numbers are refused before any request', async () => {
    const err = await rejection(register().wash([CLEAR, '+12025550123'], ref()));
    expect(err).toMatchObject({ provider: 'dncr', code: 'non_au_number', retryable: false });
    await expect(register().wash(['0412345678'], ref())).rejects.toMatchObject({ code: 'non_au_number' });
    expect(() => toDncrNational('+447700900123')).toThrow(ProviderError);
    expect(fake.requests).toHaveLength(0);
    expect(fake.charged).toBe(0);
  });

  it('SM-002: invalid +61 numbers are answered invalid locally and never sent (they would be charged)', async () => {
    const r = await register().wash(['+6141234', '+614123456789', CLEAR], ref());
    expect(r.get('+6141234')).toBe('invalid');
    expect(r.get('+614123456789')).toBe('invalid');
    expect(r.get(CLEAR)).toBe('not_registered');
    const wash = fake.requests.find((q) => q.operation === 'WashNumbers')!;
    expect(wash.numbers).toEqual(['0498765432']);
    expect(fake.charged).toBe(1);
  });

  it('all-invalid batch: no request at all', async () => {
    const r = await register().wash(['+6141234'], ref());
    expect(r.get('+6141234')).toBe('invalid');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('wash (SM-001, SM-002)', () => {
  it('SM-002: washes a mixed batch: registered, not registered, invalid; results mapped back to E.164', async () => {
    const batch = [REGISTERED, CLEAR, REGISTERED_LANDLINE, CLEAR_LANDLINE, FAKE_SAYS_INVALID];
    const r = await register().wash(batch, 'wf-1:dncr-batch');
    expect(Object.fromEntries(r)).toEqual({
      [REGISTERED]: 'registered',
      [CLEAR]: 'not_registered',
      [REGISTERED_LANDLINE]: 'registered',
      [CLEAR_LANDLINE]: 'not_registered',
      [FAKE_SAYS_INVALID]: 'invalid',
    });
    // resume check first (unknown reference: code 2), then one WashNumbers with national numbers
    expect(fake.requests.map((q) => [q.operation, q.systemCode])).toEqual([
      ['GetWashResult', 2],
      ['WashNumbers', 0],
    ]);
    const wash = fake.requests[1]!;
    expect(wash).toMatchObject({
      telemarketerId: CREDS.telemarketerId,
      washOnlyUserId: CREDS.washOnlyUserId,
      password: CREDS.password, // escaped in XML, intact after parsing
      clientReferenceId: 'wf-1:dncr-batch',
      numbers: ['0412345678', '0498765432', '0299998888', '0387654321', '0400000009'],
    });
    expect(wash.headers['soapaction']).toBe('""');
    expect(String(wash.headers['content-type'])).toMatch(/^text\/xml/);
    expect(fake.charged).toBe(5);
  });

  it('the envelope is RPC/encoded in namespace http://rtw.dncrtelem with a soapenc array', () => {
    const xml = buildWashNumbersEnvelope(CREDS, 'ref<1>', ['0412345678', '0298765432']);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_' }).parse(xml);
    const op = doc['soapenv:Envelope']['soapenv:Body']['rtw:WashNumbers'];
    expect(doc['soapenv:Envelope']['@_xmlns:rtw']).toBe('http://rtw.dncrtelem');
    expect(op['@_soapenv:encodingStyle']).toBe('http://schemas.xmlsoap.org/soap/encoding/');
    expect(op.ClientReferenceId['#text']).toBe('ref<1>');
    expect(op.TelemarketerPassword['#text']).toBe('p&ss<word>');
    expect(op.NumbersToWash['@_soapenc:arrayType']).toBe('xsd:anyType[2]');
    expect(xml).toContain('<ClientReferenceId xsi:type="xsd:string">ref&lt;1&gt;</ClientReferenceId>');
  });

  it('duplicates are sent (and charged) once; every input gets its answer', async () => {
    const r = await register().wash([REGISTERED, '+61 412 345 678', CLEAR], ref());
    expect(r.get(REGISTERED)).toBe('registered');
    expect(r.get('+61 412 345 678')).toBe('registered');
    expect(fake.requests.find((q) => q.operation === 'WashNumbers')!.numbers).toEqual(['0412345678', '0498765432']);
  });

  it.each(['attributes', 'elements', 'escaped'] as const)('tolerates the %s response style', async (style) => {
    fake.setResponseStyle(style);
    const r = await register().wash([REGISTERED, CLEAR, FAKE_SAYS_INVALID], ref());
    expect([...r.values()]).toEqual(['registered', 'not_registered', 'invalid']);
  });

  it('SM-002: polls GetWashResult until the wash is finished (code 4, then 0)', async () => {
    fake.setWashNumbersReturnsResults(false);
    fake.setPendingPolls(3);
    const r = await register().wash([REGISTERED, CLEAR], ref());
    expect(Object.fromEntries(r)).toEqual({ [REGISTERED]: 'registered', [CLEAR]: 'not_registered' });
    expect(fake.requests.map((q) => `${q.operation}:${q.systemCode}`)).toEqual([
      'GetWashResult:2',
      'WashNumbers:0',
      'GetWashResult:4',
      'GetWashResult:4',
      'GetWashResult:4',
      'GetWashResult:0',
    ]);
  });

  it('SM-001: a wash still unfinished after maxPolls rejects (retryable); the retry resumes without paying again', async () => {
    fake.setWashNumbersReturnsResults(false);
    fake.setPendingPolls(4);
    const reference = ref();
    const err = await rejection(register({ maxPolls: 2 }).wash([REGISTERED, CLEAR], reference));
    expect(err).toBeInstanceOf(DncrError);
    expect(err).toMatchObject({ code: 'wash_not_finished', retryable: true, systemCode: 4 });
    expect(fake.charged).toBe(2);
    // Temporal retries the activity: same reference -> GetWashResult picks the running wash up.
    const r = await register({ maxPolls: 5 }).wash([REGISTERED, CLEAR], reference);
    expect(r.get(REGISTERED)).toBe('registered');
    expect(fake.charged).toBe(2);
    expect(fake.requests.filter((q) => q.operation === 'WashNumbers')).toHaveLength(1);
  });

  it('a finished earlier wash under the same reference is reused; other numbers under it are refused', async () => {
    const reference = ref();
    await register().wash([REGISTERED, CLEAR], reference);
    const again = await register().wash([CLEAR, REGISTERED], reference);
    expect(again.get(REGISTERED)).toBe('registered');
    expect(fake.charged).toBe(2);
    const err = await rejection(register().wash([CLEAR_LANDLINE], reference));
    expect(err).toMatchObject({ code: 'reference_mismatch', retryable: false });
  });

  it('resumeExisting: false goes straight to WashNumbers', async () => {
    await register({ resumeExisting: false }).wash([CLEAR], ref());
    expect(fake.requests.map((q) => q.operation)).toEqual(['WashNumbers']);
  });
});

describe('system codes -> permanent errors (SM-001 fail closed)', () => {
  it.each([
    [1, 'bad_request'],
    [3, 'account_inactive'],
    [4, 'no_subscription'],
    [5, 'insufficient_balance'],
    [9, 'register_error'],
  ] as const)('SM-001: WashNumbers system code %s -> %s (permanent, rejects)', async (code, expected) => {
    fake.setSystemCode('WashNumbers', code);
    const err = await rejection(register().wash([CLEAR], ref()));
    expect(err).toBeInstanceOf(DncrError);
    expect(err).toMatchObject({ code: expected, retryable: false, systemCode: code, operation: 'WashNumbers' });
  });

  it('SM-001: GetWashResult code 2 while polling (unknown reference) is permanent', async () => {
    fake.setWashNumbersReturnsResults(false);
    // Every GetWashResult answers 2. For the first (resume) call that only means "not washed yet";
    // after WashNumbers it means the register lost the wash.
    fake.setSystemCode('GetWashResult', 2);
    const err = await rejection(register().wash([CLEAR], ref()));
    expect(err).toMatchObject({ code: 'unknown_reference', retryable: false, systemCode: 2, operation: 'GetWashResult' });
    expect(fake.requests.map((q) => `${q.operation}:${q.systemCode}`)).toEqual(['GetWashResult:2', 'WashNumbers:0', 'GetWashResult:2']);
  });

  it('SM-001: wrong credentials -> account_inactive (code 3) before anything is washed', async () => {
    const err = await rejection(register({ password: 'wrong' }).wash([CLEAR], ref()));
    expect(err).toMatchObject({ code: 'account_inactive', retryable: false, systemCode: 3, operation: 'GetWashResult' });
    expect(fake.charged).toBe(0);
  });

  it('a SOAP Client fault is permanent', async () => {
    const res = await fetch(endpoint, { method: 'POST', body: '<not-soap/>' });
    expect(res.status).toBe(500);
    expect(() => parseDncrResponse('<x/>', 'WashNumbers')).toThrow(DncrError);
    const parsed = parseDncrResponse(await res.text(), 'WashNumbers');
    expect(parsed.fault?.code).toMatch(/Client/);
  });
});

describe('register down (SM-001: no answer means no call and no SMS)', () => {
  it('SM-001: HTTP 503 rejects (retryable)', async () => {
    fake.setDown('http503');
    const err = await rejection(register().wash([CLEAR], ref()));
    expect(err).toMatchObject({ code: 'register_unavailable', retryable: true, status: 503 });
  });

  it('SM-001: a destroyed connection rejects (retryable)', async () => {
    fake.setDown('destroy');
    const err = await rejection(register().wash([CLEAR], ref()));
    expect(err).toMatchObject({ code: 'register_unavailable', retryable: true });
  });

  it('SM-001: a register that never answers times out and rejects (retryable)', async () => {
    fake.setDown('hang');
    const err = await rejection(register({ requestTimeoutMs: 150 }).wash([CLEAR], ref()));
    expect(err).toMatchObject({ code: 'timeout', retryable: true });
  });

  it('SM-001: nothing listening rejects (retryable)', async () => {
    const err = await rejection(createDncrRegister({ endpoint: 'http://127.0.0.1:1/washing.cfc', ...CREDS }).wash([CLEAR], ref()));
    expect(err).toMatchObject({ code: 'register_unavailable', retryable: true });
  });

  it('an answer without a system code or results is a permanent unexpected_response', () => {
    const xml =
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>' +
      '<ns1:WashNumbersResponse xmlns:ns1="http://rtw.dncrtelem"><WashNumbersReturn><Something/></WashNumbersReturn></ns1:WashNumbersResponse>' +
      '</soapenv:Body></soapenv:Envelope>';
    expect(parseDncrResponse(xml, 'WashNumbers')).toEqual({ systemCode: undefined, results: [] });
  });

  it('parses numbers answered in international form back to national', () => {
    const xml =
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>' +
      '<ns1:GetWashResultResponse xmlns:ns1="http://rtw.dncrtelem"><GetWashResultReturn>' +
      '<NumbersSubmitted SystemCode="0"><Number Result="y">61412345678</Number><Number Result="N">(03) 8765-4321</Number></NumbersSubmitted>' +
      '</GetWashResultReturn></ns1:GetWashResultResponse></soapenv:Body></soapenv:Envelope>';
    expect(parseDncrResponse(xml, 'GetWashResult')).toEqual({
      systemCode: 0,
      results: [
        { number: '0412345678', result: 'Y' },
        { number: '0387654321', result: 'N' },
      ],
    });
  });
});
