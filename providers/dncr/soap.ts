/**
 * ACMA Do Not Call Register, SOAP "Real Time Access" washing service (PROVIDERS.md section 6;
 * SM-001, SM-002). Implements the `DncrRegister` port.
 *
 * Protocol (WSDL washing.cfc?wsdl, ColdFusion 9 / Axis): SOAP 1.1, RPC/encoded, namespace
 * `http://rtw.dncrtelem`, `SOAPAction: ""`, POST to the endpoint
 * (https://www.donotcall.gov.au/dncrtelem/rtw/washing.cfc).
 *   WashNumbers(TelemarketerId, WashOnlyUserId, TelemarketerPassword, ClientReferenceId,
 *               NumbersToWash: soapenc:Array of xsd:anyType)          -> WashNumbersReturn
 *   GetWashResult(TelemarketerId, WashOnlyUserId, TelemarketerPassword, ClientReferenceId)
 *                                                                      -> GetWashResultReturn
 * Both returns are typed `apachesoap:Document`: an XML document inside the *Return element.
 *
 * Response shape we expect (ACMA's "DNCR SOAP Fact Sheet": a system code plus one result per
 * number; element names as seen in client code written against the live service):
 *
 *   <soapenv:Body><ns1:WashNumbersResponse>
 *     <WashNumbersReturn xsi:type="ns2:Document">
 *       <NumbersSubmitted ErrorCode="0" ...>            (system code; 0 = success)
 *         <Number Result="Y">0299998888</Number>        (Y registered / N not / I invalid)
 *         ...
 *
 * We do not depend on those exact names. The parser ignores namespace prefixes and:
 *  - takes the first `*Response` child of Body and its `*Return` child; when that holds the
 *    document as escaped text (`&lt;NumbersSubmitted…`) it parses that text as XML;
 *  - takes the system code from the shallowest attribute or element named SystemCode, ErrorCode,
 *    ResultCode, ReturnCode, StatusCode or Code that is not inside a number entry (absent with
 *    results present means 0);
 *  - takes as a number entry any element with a `Result`/`WashResult` attribute or child, whose
 *    number is its text or a `Number`/`PhoneNumber`/`Phone` attribute or child.
 *  A SOAP Fault is an error (Client fault: permanent; Server fault: transient).
 *
 * System codes: 0 success. WashNumbers: 1 bad request, 3 account missing/inactive/suspended,
 * 4 no current subscription, 5 insufficient balance (all permanent). GetWashResult: 2 unknown
 * ClientReferenceId (permanent), 3 account, 4 wash not finished (poll again).
 *
 * Numbers: the register takes national digits (`+61412345678` -> `0412345678`); invalid numbers
 * are still charged, so every number is validated with libphonenumber (max metadata) first:
 * numbers outside +61 are refused (ProviderError 'non_au_number', no request sent); +61 numbers
 * that are not valid are answered 'invalid' locally and never sent. Duplicates are sent once.
 *
 * Failure = rejection, so callers fail closed: timeouts, network errors, 5xx and a wash still
 * unfinished after `maxPolls` throw retryable errors (Temporal retries); bad credentials,
 * subscription, balance, unknown reference and unparseable answers throw permanent ones.
 *
 * Retries do not pay twice: with `resumeExisting` (default) a wash first asks GetWashResult for
 * its ClientReferenceId and only calls WashNumbers when the register does not know it (code 2),
 * so an activity retried after a timeout picks up the earlier wash. Use one ClientReferenceId per
 * batch (e.g. `{workflowId}:dncr-{n}`); give the activity a retry interval of at least 30 s
 * (ACMA: wait 30 s before GetWashResult after a timeout).
 */
import { XMLParser } from 'fast-xml-parser';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { ProviderError, type DncrRegister, type DncrResult } from '../ports.js';

export const DNCR = 'dncr';
export const DNCR_NAMESPACE = 'http://rtw.dncrtelem';
const SOAPENV = 'http://schemas.xmlsoap.org/soap/envelope/';
const SOAPENC = 'http://schemas.xmlsoap.org/soap/encoding/';

export type DncrOperation = 'WashNumbers' | 'GetWashResult';

/** A DNCR failure; `systemCode` is the register's code when it sent one. */
export class DncrError extends ProviderError {
  constructor(
    code: string,
    message: string,
    retryable: boolean,
    readonly systemCode?: number,
    readonly operation?: DncrOperation,
    status?: number,
  ) {
    super(DNCR, code, message, retryable, status);
    this.name = 'DncrError';
  }
}

export interface DncrRegisterOptions {
  /** The washing.cfc endpoint URL (a fake in tests). */
  endpoint: string;
  telemarketerId: string;
  /** The wash-only user, when washing with one; empty otherwise. */
  washOnlyUserId?: string;
  password: string;
  /** Wait between GetWashResult polls. Default 30 000 ms (ACMA's guidance). */
  pollIntervalMs?: number;
  /** GetWashResult polls before giving up (retryable 'wash_not_finished'). Default 10. */
  maxPolls?: number;
  /** Per-request timeout (a timeout is transient). Default 60 000 ms. */
  requestTimeoutMs?: number;
  /** Ask GetWashResult first so a retried wash is not charged twice. Default true. */
  resumeExisting?: boolean;
  fetchImpl?: typeof fetch;
}

// ---- Numbers ---------------------------------------------------------------------------------

/** `+61412345678` -> `0412345678`; undefined when not a valid +61 number. Throws for non-+61. */
export function toDncrNational(e164: string): string | undefined {
  const s = e164.trim();
  if (!/^\+\s*6\s*1/.test(s)) {
    throw new ProviderError(
      DNCR,
      'non_au_number',
      `Only Australian numbers (E.164 +61...) can be washed against the DNCR; got "${mask(s)}"`,
      false,
    );
  }
  const parsed = parsePhoneNumberFromString(s);
  if (!parsed || parsed.countryCallingCode !== '61' || !parsed.isValid()) return undefined;
  const national = parsed.formatNational().replace(/\D/g, '');
  return national === '' ? undefined : national;
}

/** Digits only; `61xxxxxxxxx` (international without +) back to national `0xxxxxxxxx`. */
export function normalizeRegisterNumber(raw: string): string {
  const digits = raw.replace(/\D/g, '');
  if (digits.startsWith('61') && digits.length === 11) return `0${digits.slice(2)}`;
  return digits;
}

function mask(n: string): string {
  return n.length <= 6 ? n : `${n.slice(0, 6)}…`;
}

// ---- Envelopes -------------------------------------------------------------------------------

export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export interface DncrCredentials {
  telemarketerId: string;
  washOnlyUserId: string;
  password: string;
}

function envelope(operation: DncrOperation, creds: DncrCredentials, clientReferenceId: string, numbers?: string[]): string {
  const str = (name: string, value: string) => `<${name} xsi:type="xsd:string">${xmlEscape(value)}</${name}>`;
  const parts = [
    str('TelemarketerId', creds.telemarketerId),
    str('WashOnlyUserId', creds.washOnlyUserId),
    str('TelemarketerPassword', creds.password),
    str('ClientReferenceId', clientReferenceId),
  ];
  if (numbers) {
    parts.push(
      `<NumbersToWash xsi:type="rtw:ArrayOf_xsd_anyType" soapenc:arrayType="xsd:anyType[${numbers.length}]">` +
        numbers.map((n) => str('Number', n)).join('') +
        `</NumbersToWash>`,
    );
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<soapenv:Envelope xmlns:soapenv="${SOAPENV}" xmlns:soapenc="${SOAPENC}" ` +
    `xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ` +
    `xmlns:rtw="${DNCR_NAMESPACE}">` +
    `<soapenv:Body><rtw:${operation} soapenv:encodingStyle="${SOAPENC}">${parts.join('')}</rtw:${operation}></soapenv:Body>` +
    `</soapenv:Envelope>`
  );
}

export function buildWashNumbersEnvelope(creds: DncrCredentials, clientReferenceId: string, nationalNumbers: string[]): string {
  return envelope('WashNumbers', creds, clientReferenceId, nationalNumbers);
}

export function buildGetWashResultEnvelope(creds: DncrCredentials, clientReferenceId: string): string {
  return envelope('GetWashResult', creds, clientReferenceId);
}

// ---- Responses -------------------------------------------------------------------------------

export interface ParsedDncrResponse {
  /** Undefined when the document carried no code (and no results). */
  systemCode?: number;
  /** Register numbers (normalised national digits) with their Y/N/I letter. */
  results: Array<{ number: string; result: string }>;
  fault?: { code: string; message: string };
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false, // keep "0412..." as a string: leading zeros matter
  parseAttributeValue: false,
  trimValues: true,
});

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => !!v && typeof v === 'object' && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const CODE_NAMES = /^(systemcode|errorcode|resultcode|returncode|statuscode|code)$/i;
const RESULT_NAMES = /^(result|washresult|dncrresult)$/i;
const NUMBER_NAMES = /^(number|phonenumber|phone|telephonenumber)$/i;

function textOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return String(v);
  if (isNode(v) && (typeof v['#text'] === 'string' || typeof v['#text'] === 'number')) return String(v['#text']).trim();
  return undefined;
}

/** A field by attribute or child element name, case-insensitive. */
function field(node: Node, pattern: RegExp): string | undefined {
  for (const [k, v] of Object.entries(node)) {
    const name = k.startsWith('@_') ? k.slice(2) : k;
    if (k === '#text') continue;
    if (pattern.test(name)) {
      const t = textOf(Array.isArray(v) ? v[0] : v);
      if (t !== undefined) return t;
    }
  }
  return undefined;
}

function numberEntry(node: Node): { number: string; result: string } | undefined {
  const result = field(node, RESULT_NAMES);
  if (result === undefined) return undefined;
  const number = field(node, NUMBER_NAMES) ?? textOf(node);
  if (number === undefined || number === '') return undefined;
  return { number: normalizeRegisterNumber(number), result: result.toUpperCase() };
}

function collect(doc: unknown): Pick<ParsedDncrResponse, 'systemCode' | 'results'> {
  const results: ParsedDncrResponse['results'] = [];
  let systemCode: number | undefined;
  // Breadth first, so the shallowest code wins; number entries are not searched for a code.
  let level: unknown[] = [doc];
  while (level.length > 0) {
    const next: unknown[] = [];
    for (const item of level) {
      for (const node of asArray(item)) {
        if (!isNode(node)) continue;
        const entry = numberEntry(node);
        if (entry) {
          results.push(entry);
          continue;
        }
        if (systemCode === undefined) {
          const code = field(node, CODE_NAMES);
          if (code !== undefined && /^-?\d+$/.test(code)) systemCode = Number(code);
        }
        for (const [k, v] of Object.entries(node)) if (!k.startsWith('@_') && k !== '#text') next.push(v);
      }
    }
    level = next;
  }
  return { systemCode, results };
}

function firstChild(node: Node, pick: (key: string) => boolean): unknown {
  for (const [k, v] of Object.entries(node)) if (!k.startsWith('@_') && k !== '#text' && pick(k)) return v;
  return undefined;
}

/** Parses a WashNumbers / GetWashResult SOAP response (see the header comment for the shape). */
export function parseDncrResponse(xml: string, operation: DncrOperation): ParsedDncrResponse {
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch (err) {
    throw new DncrError(
      'unexpected_response',
      `DNCR ${operation}: response is not XML (${(err as Error).message})`,
      false,
      undefined,
      operation,
    );
  }
  const env = isNode(doc) ? doc.Envelope : undefined;
  const body = isNode(env) ? env.Body : undefined;
  if (!isNode(body))
    throw new DncrError('unexpected_response', `DNCR ${operation}: no SOAP Body in the response`, false, undefined, operation);
  if (isNode(body.Fault)) {
    return {
      results: [],
      fault: { code: textOf(body.Fault.faultcode) ?? '', message: textOf(body.Fault.faultstring) ?? '' },
    };
  }
  const response =
    firstChild(body, (k) => k === `${operation}Response`) ?? firstChild(body, (k) => /Response$/.test(k)) ?? firstChild(body, () => true);
  let ret: unknown = isNode(response)
    ? (firstChild(response, (k) => k === `${operation}Return`) ?? firstChild(response, (k) => /Return$/i.test(k)) ?? response)
    : response;
  // apachesoap:Document sometimes travels as escaped text: parse it as a document of its own.
  const text = textOf(ret);
  if (text !== undefined && text.startsWith('<') && (!isNode(ret) || Object.keys(ret).every((k) => k === '#text' || k.startsWith('@_')))) {
    try {
      ret = parser.parse(text);
    } catch {
      // leave as is: no results will be found and the caller fails closed
    }
  }
  const { systemCode, results } = collect(ret);
  return { systemCode: systemCode ?? (results.length > 0 ? 0 : undefined), results };
}

// ---- System codes ----------------------------------------------------------------------------

const WASH_CODES: Record<number, [string, string]> = {
  1: ['bad_request', 'missing Telemarketer ID, password or numbers, or Telemarketer ID not numeric'],
  3: ['account_inactive', 'account or wash-only user missing, inactive or suspended by ACMA'],
  4: ['no_subscription', 'no current subscription (missing or expired)'],
  5: ['insufficient_balance', 'insufficient account balance for this wash'],
};
const RESULT_CODES: Record<number, [string, string]> = {
  1: ['bad_request', 'missing Telemarketer ID, password or reference'],
  2: ['unknown_reference', 'ClientReferenceId does not exist'],
  3: ['account_inactive', 'account or wash-only user does not exist'],
};

function systemCodeError(operation: DncrOperation, code: number): DncrError {
  const [c, meaning] = (operation === 'WashNumbers' ? WASH_CODES : RESULT_CODES)[code] ?? ['register_error', 'unknown system code'];
  return new DncrError(c, `DNCR ${operation} returned system code ${code}: ${meaning}`, false, code, operation);
}

const LETTERS: Record<string, DncrResult> = { Y: 'registered', N: 'not_registered', I: 'invalid' };

// ---- The register ----------------------------------------------------------------------------

export interface DncrWashRegister extends DncrRegister {
  /** The national digits sent for a +61 number, or undefined when it is not valid. */
  toNational(e164: string): string | undefined;
}

export function createDncrRegister(options: DncrRegisterOptions): DncrWashRegister {
  const creds: DncrCredentials = {
    telemarketerId: options.telemarketerId,
    washOnlyUserId: options.washOnlyUserId ?? '',
    password: options.password,
  };
  const pollIntervalMs = options.pollIntervalMs ?? 30_000;
  const maxPolls = options.maxPolls ?? 10;
  const timeoutMs = options.requestTimeoutMs ?? 60_000;
  const resumeExisting = options.resumeExisting ?? true;
  const doFetch = options.fetchImpl ?? ((...a: Parameters<typeof fetch>) => fetch(...a));

  async function call(operation: DncrOperation, xml: string): Promise<ParsedDncrResponse> {
    let res: Response;
    let text: string;
    try {
      res = await doFetch(options.endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '""', Accept: 'text/xml' },
        body: xml,
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      const name = (err as { name?: string } | null)?.name;
      const timedOut = name === 'TimeoutError' || name === 'AbortError';
      throw new DncrError(
        timedOut ? 'timeout' : 'register_unavailable',
        `DNCR ${operation} ${timedOut ? `timed out after ${timeoutMs} ms` : `failed: ${(err as Error)?.message ?? String(err)}`}`,
        true,
        undefined,
        operation,
      );
    }
    // SOAP 1.1 faults come back as HTTP 500 with a Fault body: look at the body first.
    let parsed: ParsedDncrResponse | undefined;
    try {
      parsed = parseDncrResponse(text, operation);
    } catch (err) {
      if (res.status >= 500 || res.status === 429 || res.status === 408) {
        throw new DncrError('register_unavailable', `DNCR ${operation}: HTTP ${res.status}`, true, undefined, operation, res.status);
      }
      if (res.status >= 400) {
        throw new DncrError('http_error', `DNCR ${operation}: HTTP ${res.status}`, false, undefined, operation, res.status);
      }
      throw err;
    }
    if (parsed.fault) {
      const client = /client/i.test(parsed.fault.code);
      throw new DncrError(
        client ? 'bad_request' : 'register_unavailable',
        `DNCR ${operation} SOAP fault ${parsed.fault.code}: ${parsed.fault.message}`,
        !client,
        undefined,
        operation,
        res.status,
      );
    }
    if (res.status >= 500 || res.status === 429 || res.status === 408) {
      throw new DncrError('register_unavailable', `DNCR ${operation}: HTTP ${res.status}`, true, undefined, operation, res.status);
    }
    if (res.status >= 400)
      throw new DncrError('http_error', `DNCR ${operation}: HTTP ${res.status}`, false, undefined, operation, res.status);
    if (parsed.systemCode === undefined) {
      throw new DncrError(
        'unexpected_response',
        `DNCR ${operation}: no system code and no results in the response`,
        false,
        undefined,
        operation,
        res.status,
      );
    }
    return parsed;
  }

  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

  return {
    toNational: toDncrNational,

    async wash(numbersE164, clientReferenceId) {
      if (!clientReferenceId || clientReferenceId.trim() === '') {
        throw new ProviderError(DNCR, 'bad_request', 'A ClientReferenceId is required', false);
      }
      // Validate everything before any request: a non-AU number throws, an invalid one is local.
      const out = new Map<string, DncrResult>();
      const byNational = new Map<string, string[]>();
      const foreign = numbersE164.filter((n) => !/^\+\s*6\s*1/.test(n.trim()));
      if (foreign.length > 0) {
        throw new ProviderError(
          DNCR,
          'non_au_number',
          `Only Australian numbers (E.164 +61...) can be washed against the DNCR; ${foreign.length} other number(s), e.g. "${mask(foreign[0]!)}". Nothing was sent.`,
          false,
        );
      }
      for (const n of numbersE164) {
        const national = toDncrNational(n);
        if (national === undefined) {
          out.set(n, 'invalid');
          continue;
        }
        const list = byNational.get(national) ?? [];
        list.push(n);
        byNational.set(national, list);
      }
      const nationals = [...byNational.keys()];
      if (nationals.length === 0) return out;

      const letters = new Map<string, string>();
      const absorb = (r: ParsedDncrResponse) => {
        for (const { number, result } of r.results) if (byNational.has(number)) letters.set(number, result);
      };
      const complete = () => nationals.every((n) => letters.has(n));

      let submitted = false;
      if (resumeExisting) {
        const r = await call('GetWashResult', buildGetWashResultEnvelope(creds, clientReferenceId));
        if (r.systemCode === 0) {
          absorb(r);
          if (!complete()) {
            throw new DncrError(
              'reference_mismatch',
              `DNCR ClientReferenceId "${clientReferenceId}" already holds a wash of other numbers; use a new reference per batch`,
              false,
              0,
              'GetWashResult',
            );
          }
        } else if (r.systemCode === 4) {
          submitted = true; // an earlier attempt's wash is still running: poll it
        } else if (r.systemCode !== 2) {
          throw systemCodeError('GetWashResult', r.systemCode!);
        }
      }

      if (!complete() && !submitted) {
        const r = await call('WashNumbers', buildWashNumbersEnvelope(creds, clientReferenceId, nationals));
        if (r.systemCode !== 0) throw systemCodeError('WashNumbers', r.systemCode!);
        absorb(r);
      }

      for (let poll = 0; !complete(); poll++) {
        if (poll >= maxPolls) {
          throw new DncrError(
            'wash_not_finished',
            `DNCR wash "${clientReferenceId}" not finished after ${maxPolls} GetWashResult polls`,
            true,
            4,
            'GetWashResult',
          );
        }
        await sleep(pollIntervalMs);
        const r = await call('GetWashResult', buildGetWashResultEnvelope(creds, clientReferenceId));
        if (r.systemCode === 4) continue;
        if (r.systemCode !== 0) throw systemCodeError('GetWashResult', r.systemCode!);
        absorb(r);
        if (!complete()) {
          throw new DncrError(
            'incomplete_result',
            `DNCR wash "${clientReferenceId}" finished without a result for ${nationals.filter((n) => !letters.has(n)).length} number(s)`,
            false,
            0,
            'GetWashResult',
          );
        }
      }

      for (const [national, inputs] of byNational) {
        const letter = letters.get(national)!;
        const result = LETTERS[letter];
        if (!result) {
          throw new DncrError('unexpected_response', `DNCR answered "${letter}" for a number; expected Y, N or I`, false, 0);
        }
        for (const n of inputs) out.set(n, result);
      }
      return out;
    },
  };
}
