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
 *
 * Files: numbers.ts (+61 to national digits), envelope.ts (the requests), response.ts (the
 * parser), errors.ts (DncrError, system codes); this file is the register and re-exports them.
 */
import { ProviderError, type DncrRegister, type DncrResult } from '../ports.js';
import { buildGetWashResultEnvelope, buildWashNumbersEnvelope, type DncrCredentials } from './envelope.js';
import { DNCR, DncrError, systemCodeError, type DncrOperation } from './errors.js';
import { mask, toDncrNational } from './numbers.js';
import { parseDncrResponse, type ParsedDncrResponse } from './response.js';

export { DNCR, DncrError, type DncrOperation } from './errors.js';
export { normalizeRegisterNumber, toDncrNational } from './numbers.js';
export { buildGetWashResultEnvelope, buildWashNumbersEnvelope, DNCR_NAMESPACE, xmlEscape, type DncrCredentials } from './envelope.js';
export { parseDncrResponse, type ParsedDncrResponse } from './response.js';

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
