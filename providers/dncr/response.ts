/**
 * DNCR SOAP responses: the tolerant parser of WashNumbers / GetWashResult answers (system code,
 * one Y/N/I result per number, or a SOAP Fault). The shapes it accepts are in the header of soap.ts.
 */
import { XMLParser } from 'fast-xml-parser';
import { DncrError, type DncrOperation } from './errors.js';
import { normalizeRegisterNumber } from './numbers.js';

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
