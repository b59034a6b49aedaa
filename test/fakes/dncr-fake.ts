/**
 * A fake ACMA DNCR "Real Time Access" SOAP service (washing.cfc) for tests, on
 * test/fakes/http-fake.ts (127.0.0.1, free port). Reusable by provider, workflow and end-to-end tests.
 *
 *   const dncr = createDncrFake({ registered: ['+61412345678', '0299998888'] });
 *   const { baseUrl } = await dncr.start();     // POST SOAP envelopes to baseUrl (any path)
 *   const register = createDncrRegister({ endpoint: baseUrl, telemarketerId: '1234',
 *     washOnlyUserId: '', password: 'pw', pollIntervalMs: 5 });
 *   dncr.register('+61400000001');               // add to the register
 *   dncr.setPendingPolls(2);                     // GetWashResult answers 4 twice per wash
 *   dncr.setSystemCode('WashNumbers', 5);        // insufficient balance until cleared (null)
 *   dncr.setDown('http503' | 'destroy' | 'hang' | false);
 *   dncr.requests;     // every call: operation, credentials, ClientReferenceId, numbers, headers
 *   dncr.charged;      // numbers washed (charged) so far, invalid ones included
 *   await dncr.stop();
 *
 * Protocol: SOAP 1.1 RPC/encoded like the WSDL (namespace http://rtw.dncrtelem). The request
 * body element names the operation (WashNumbers / GetWashResult); parameters are read by local
 * name; NumbersToWash items may have any element name (SOAP-encoded array).
 *
 * Answers (system code and one Y/N/I per number), in one of three `responseStyle`s so clients
 * are tested against the variations the real service may show:
 *   'attributes' (default) <WashNumbersReturn><NumbersSubmitted ErrorCode="0"><Number Result="Y">0412345678</Number>…
 *   'elements'             <WashNumbersReturn><WashResult><SystemCode>0</SystemCode><Numbers><Number>
 *                            <PhoneNumber>0412345678</PhoneNumber><Result>Y</Result></Number>…
 *   'escaped'              the 'attributes' document as escaped text inside WashNumbersReturn.
 *
 * Behaviour:
 *   - Credentials: missing TelemarketerId/password or a non-numeric TelemarketerId -> code 1; a
 *     wrong TelemarketerId/password (when `credentials` is given) -> code 3.
 *   - A number is registered when its national digits (0XXXXXXXXX) are in the register; it is
 *     'I' unless it looks like an Australian number (10 digits 02/03/04/07/08, 13xxxx, 1300/1800).
 *   - WashNumbers stores the wash under its ClientReferenceId (a reuse replaces it) and answers
 *     the results at once, unless `washNumbersReturnsResults: false` (then code 0 and no numbers:
 *     the client must poll GetWashResult).
 *   - GetWashResult: unknown reference -> code 2; the first `pendingPolls` calls per wash -> 4;
 *     then code 0 with the results.
 *   - Unparseable request -> HTTP 500 with a soapenv:Client Fault.
 *   - Down: 'http503' answers 503 text/html, 'destroy' destroys the socket, 'hang' never answers.
 */
import { XMLParser } from 'fast-xml-parser';
import { HttpFake, type FakeAnswer, type FakeRequest, type FakeResponse } from './http-fake.js';

export type DncrFakeOperation = 'WashNumbers' | 'GetWashResult' | 'GetAccountBalance';
export type DncrFakeStyle = 'attributes' | 'elements' | 'escaped';
export type DncrFakeDown = false | 'http503' | 'destroy' | 'hang';

export interface DncrFakeRequest {
  operation: DncrFakeOperation | string;
  telemarketerId?: string;
  washOnlyUserId?: string;
  password?: string;
  clientReferenceId?: string;
  /** NumbersToWash as sent (WashNumbers only). */
  numbers?: string[];
  /** Lower-cased header names. */
  headers: Record<string, string | string[] | undefined>;
  raw: string;
  /** System code answered (undefined when down or faulted). */
  systemCode?: number;
  at: Date;
}

export interface DncrFakeOptions {
  /** Registered numbers, E.164 (+61...) or national (0...). */
  registered?: Iterable<string>;
  /** Numbers to answer 'I' even if they look valid. */
  invalid?: Iterable<string>;
  /** When set, WashNumbers/GetWashResult check these (wrong ones -> system code 3). */
  credentials?: { telemarketerId: string; password: string; washOnlyUserId?: string };
  /** GetWashResult answers 4 (not finished) this many times per wash (default 0). */
  pendingPolls?: number;
  /** WashNumbers answers with the results (default true); false forces polling. */
  washNumbersReturnsResults?: boolean;
  responseStyle?: DncrFakeStyle;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
});

/** National digits for comparison: '+61 412…' / '61412…' / '(04) 12…' -> '0412…'. */
export function fakeNational(n: string): string {
  const d = n.replace(/\D/g, '');
  if (n.trim().startsWith('+') && d.startsWith('61')) return `0${d.slice(2)}`;
  if (d.startsWith('61') && d.length === 11) return `0${d.slice(2)}`;
  return d;
}

function looksAustralian(d: string): boolean {
  return /^0[23478]\d{8}$/.test(d) || /^13\d{4}$/.test(d) || /^1[38]00\d{6}$/.test(d);
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function createDncrFake(options: DncrFakeOptions = {}) {
  const registered = new Set([...(options.registered ?? [])].map(fakeNational));
  const invalid = new Set([...(options.invalid ?? [])].map(fakeNational));
  const washes = new Map<string, { numbers: string[]; polls: number }>();
  const systemCodes: Partial<Record<DncrFakeOperation, number>> = {};
  let pendingPolls = options.pendingPolls ?? 0;
  let style: DncrFakeStyle = options.responseStyle ?? 'attributes';
  let washReturnsResults = options.washNumbersReturnsResults ?? true;
  let down: DncrFakeDown = false;
  let charged = 0;

  const letter = (n: string) => {
    const d = fakeNational(n);
    if (invalid.has(d) || !looksAustralian(d)) return 'I';
    return registered.has(d) ? 'Y' : 'N';
  };

  function returnDoc(code: number, ref: string | undefined, numbers: string[] | undefined): string {
    if (style === 'elements') {
      const items = (numbers ?? [])
        .map((n) => `<Number><PhoneNumber>${esc(n)}</PhoneNumber><Result>${letter(n)}</Result></Number>`)
        .join('');
      return `<WashResult><SystemCode>${code}</SystemCode>${ref ? `<ClientReferenceId>${esc(ref)}</ClientReferenceId>` : ''}${numbers ? `<Numbers>${items}</Numbers>` : ''}</WashResult>`;
    }
    const items = (numbers ?? []).map((n) => `<Number Result="${letter(n)}">${esc(n)}</Number>`).join('');
    return `<NumbersSubmitted ErrorCode="${code}"${ref ? ` ClientReferenceId="${esc(ref)}"` : ''}${numbers ? ` Count="${numbers.length}"` : ''}>${items}</NumbersSubmitted>`;
  }

  function envelope(operation: string, doc: string): string {
    const inner = style === 'escaped' ? esc(doc) : doc;
    const type = style === 'escaped' ? 'xsd:string' : 'ns2:Document';
    return (
      `<?xml version="1.0" encoding="UTF-8"?>` +
      `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
      `<soapenv:Body><ns1:${operation}Response soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" xmlns:ns1="http://rtw.dncrtelem">` +
      `<${operation}Return xsi:type="${type}" xmlns:ns2="http://xml.apache.org/xml-soap">${inner}</${operation}Return>` +
      `</ns1:${operation}Response></soapenv:Body></soapenv:Envelope>`
    );
  }

  function fault(code: string, message: string): FakeResponse {
    return {
      status: 500,
      body:
        `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>` +
        `<soapenv:Fault><faultcode>${code}</faultcode><faultstring>${esc(message)}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`,
    };
  }

  function text(v: unknown): string | undefined {
    if (typeof v === 'string') return v;
    if (v && typeof v === 'object' && '#text' in v) return String((v as Record<string, unknown>)['#text']);
    if (v && typeof v === 'object') return '';
    return undefined;
  }

  function handle(req: FakeRequest, record: DncrFakeRequest): FakeAnswer {
    let opName: string | undefined;
    let params: Record<string, unknown> = {};
    try {
      const doc = parser.parse(req.rawBody) as Record<string, any>;
      const body = doc?.Envelope?.Body as Record<string, unknown> | undefined;
      opName = body ? Object.keys(body).find((k) => !k.startsWith('@_')) : undefined;
      params = (opName && body && typeof body[opName] === 'object' ? body[opName] : {}) as Record<string, unknown>;
    } catch {
      opName = undefined;
    }
    if (opName) record.operation = opName;

    if (down === 'destroy') return 'drop';
    if (down === 'hang') return 'hang';
    if (down === 'http503') {
      return { status: 503, body: '<html><body>Service Unavailable</body></html>', headers: { 'content-type': 'text/html' } };
    }
    if (!opName || !['WashNumbers', 'GetWashResult', 'GetAccountBalance'].includes(opName)) {
      return fault('soapenv:Client', `Unknown or missing operation ${opName ?? ''}`);
    }

    record.telemarketerId = text(params.TelemarketerId);
    record.washOnlyUserId = text(params.WashOnlyUserId);
    record.password = text(params.TelemarketerPassword);
    record.clientReferenceId = text(params.ClientReferenceId);
    if (opName === 'WashNumbers') {
      const arr = params.NumbersToWash;
      const numbers: string[] = [];
      if (arr && typeof arr === 'object') {
        for (const [k, v] of Object.entries(arr as Record<string, unknown>)) {
          if (k.startsWith('@_')) continue;
          for (const item of Array.isArray(v) ? v : [v]) {
            const t = text(item);
            if (t !== undefined && t !== '') numbers.push(t);
          }
        }
      }
      record.numbers = numbers;
    }

    const answer = (code: number, numbers?: string[]): FakeResponse => {
      record.systemCode = code;
      return { status: 200, body: envelope(opName!, returnDoc(code, record.clientReferenceId, numbers)) };
    };

    const forced = systemCodes[opName as DncrFakeOperation];
    if (forced !== undefined) return answer(forced);
    if (!record.telemarketerId || !record.password || !/^\d+$/.test(record.telemarketerId)) return answer(1);
    const c = options.credentials;
    if (
      c &&
      (c.telemarketerId !== record.telemarketerId ||
        c.password !== record.password ||
        (c.washOnlyUserId !== undefined && c.washOnlyUserId !== (record.washOnlyUserId ?? '')))
    ) {
      return answer(3);
    }

    if (opName === 'GetAccountBalance') return answer(0);
    const ref = record.clientReferenceId ?? '';
    if (opName === 'WashNumbers') {
      if (!ref || !record.numbers || record.numbers.length === 0) return answer(1);
      charged += record.numbers.length;
      washes.set(ref, { numbers: record.numbers, polls: 0 });
      return washReturnsResults ? answer(0, record.numbers) : answer(0);
    }
    const wash = washes.get(ref);
    if (!wash) return answer(2);
    if (wash.polls < pendingPolls) {
      wash.polls++;
      return answer(4);
    }
    return answer(0, wash.numbers);
  }

  const http = new HttpFake<DncrFakeRequest>(handle, {
    record: (req) => ({ operation: 'unknown', headers: { ...req.headers }, raw: req.rawBody, at: new Date() }),
    headers: () => ({ 'content-type': 'text/xml; charset=utf-8' }),
  });

  return {
    requests: http.requests,
    get charged() {
      return charged;
    },

    /** The service's address: POST SOAP envelopes here. */
    async start(): Promise<{ baseUrl: string }> {
      const { baseUrl } = await http.start();
      return { baseUrl: `${baseUrl}/dncrtelem/rtw/washing.cfc` };
    },
    stop: () => http.stop(),

    /** Adds numbers (E.164 or national) to the register. */
    register(...numbers: string[]): void {
      for (const n of numbers) registered.add(fakeNational(n));
    },
    /** Numbers answered 'I' regardless of their shape. */
    markInvalid(...numbers: string[]): void {
      for (const n of numbers) invalid.add(fakeNational(n));
    },
    /** GetWashResult answers 4 this many times for each wash (counted from its WashNumbers). */
    setPendingPolls(n: number): void {
      pendingPolls = n;
    },
    /** Forces a system code for an operation until cleared with null. */
    setSystemCode(operation: DncrFakeOperation, code: number | null): void {
      if (code === null) delete systemCodes[operation];
      else systemCodes[operation] = code;
    },
    setDown(mode: DncrFakeDown): void {
      down = mode;
    },
    setResponseStyle(s: DncrFakeStyle): void {
      style = s;
    },
    setWashNumbersReturnsResults(v: boolean): void {
      washReturnsResults = v;
    },
    /** The washes stored by ClientReferenceId (numbers as sent). */
    washes(): ReadonlyMap<string, { numbers: string[]; polls: number }> {
      return washes;
    },
    /** Forgets requests, washes, charges and forced codes; keeps the register. */
    reset(): void {
      http.reset();
      washes.clear();
      charged = 0;
      for (const k of Object.keys(systemCodes)) delete systemCodes[k as DncrFakeOperation];
      pendingPolls = options.pendingPolls ?? 0;
      down = false;
    },
  };
}

export type DncrFake = ReturnType<typeof createDncrFake>;
