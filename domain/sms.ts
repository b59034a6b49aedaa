/**
 * SMS content rules (SM-004, SM-003): GSM-7 vs UCS-2, extension characters counted twice, segment
 * count, a clear error when a message is over one segment, no links; opt-out in a reply is in
 * opt-out.ts (re-exported here).
 */
import { defaultDomainConfig, type DomainConfig } from './config.js';

/** GSM 03.38 basic character set (without the ESC code). */
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** GSM 03.38 extension table: each costs two units (escape + character). */
const GSM7_EXTENSION = '\f^{}\\[~]|€';

/** 1 = basic GSM-7, 2 = GSM-7 extension, 0 = not GSM-7. */
const GSM_COST = new Uint8Array(0x10000);
for (const ch of GSM7_BASIC) GSM_COST[ch.charCodeAt(0)] = 1;
for (const ch of GSM7_EXTENSION) GSM_COST[ch.charCodeAt(0)] = 2;

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsAnalysis {
  encoding: SmsEncoding;
  /** Septets for GSM-7 (extension characters count 2), UTF-16 code units for UCS-2. */
  units: number;
  /** Segments the message needs (0 for an empty message). */
  segments: number;
  /** Units that fit in one segment with this encoding (160 or 70). */
  limit: number;
  fitsOneSegment: boolean;
  /** Characters (as written) that are not GSM-7 and force UCS-2, de-duplicated, in order. */
  nonGsmCharacters: string[];
  /** GSM-7 extension characters, counted twice. */
  extensionCharacters: number;
}

/** Whether every character of the text is in the GSM-7 basic or extension set (SM-004). */
export function isGsm7(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (GSM_COST[text.charCodeAt(i)] === 0) return false;
  return true;
}

/**
 * Encoding, units and segments of an SMS: GSM-7 when every character is in the GSM-7 set
 * (extension characters ^{}\[~]|€ and form feed count 2), else UCS-2 counted in UTF-16 units;
 * one segment holds 160 / 70 units, a concatenated message 153 / 67 per segment, and an escape
 * pair or a surrogate pair is never split between segments (SM-004).
 */
export function analyseSms(text: string, config: DomainConfig = defaultDomainConfig): SmsAnalysis {
  const c = config.sms;
  let gsm = true;
  let units = 0;
  let ext = 0;
  const nonGsm: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const cost = GSM_COST[code]!;
    if (cost === 0) {
      gsm = false;
      const isHigh = code >= 0xd800 && code <= 0xdbff && i + 1 < text.length;
      const ch = isHigh ? text.slice(i, i + 2) : text[i]!;
      if (nonGsm.length < 20 && !nonGsm.includes(ch)) nonGsm.push(ch);
      if (isHigh) i++;
    } else {
      units += cost;
      if (cost === 2) ext++;
    }
  }
  if (!gsm) units = text.length;
  const limit = gsm ? c.gsm7SingleSegment : c.ucs2SingleSegment;
  return {
    encoding: gsm ? 'GSM-7' : 'UCS-2',
    units,
    segments: segmentCount(text, gsm, units, limit, gsm ? c.gsm7MultipartSegment : c.ucs2MultipartSegment),
    limit,
    fitsOneSegment: units <= limit,
    nonGsmCharacters: gsm ? [] : nonGsm,
    extensionCharacters: gsm ? ext : 0,
  };
}

function segmentCount(text: string, gsm: boolean, units: number, single: number, per: number): number {
  if (units === 0) return 0;
  if (units <= single) return 1;
  // Greedy fill, never splitting an escape pair (GSM-7) or a surrogate pair (UCS-2).
  let segments = 1;
  let used = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let cost: number;
    if (gsm) cost = GSM_COST[code]!;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      cost = 2;
      i++;
    } else cost = 1;
    if (used + cost > per) {
      segments++;
      used = 0;
    }
    used += cost;
  }
  return segments;
}

/** Thrown by assertSingleSegment when a message needs more than one segment (SM-004). */
export class SmsTooLongError extends Error {
  override readonly name = 'SmsTooLongError';
  readonly code = 'SMS_TOO_LONG';
  constructor(readonly analysis: SmsAnalysis) {
    super(describeTooLong(analysis));
  }
}

function codePoint(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

function describeTooLong(a: SmsAnalysis): string {
  const over = a.units - a.limit;
  if (a.encoding === 'GSM-7') {
    const ext = a.extensionCharacters > 0 ? ` (${a.extensionCharacters} extension character(s) such as ^{}[]~|€ count as two)` : '';
    return `SMS is too long: ${a.units} GSM-7 units${ext}, one segment allows ${a.limit}; remove ${over} unit(s). It would be sent as ${a.segments} segments.`;
  }
  const chars = a.nonGsmCharacters
    .slice(0, 5)
    .map((ch) => `'${ch}' (${codePoint(ch)})`)
    .join(', ');
  return (
    `SMS is too long: it uses UCS-2 because of ${chars}, so one segment allows ${a.limit} characters and this message has ${a.units}; ` +
    `remove ${over} character(s) or replace the non-GSM characters (then up to 160 fit). It would be sent as ${a.segments} segments.`
  );
}

/** Throws SmsTooLongError with a clear message when the text needs more than one segment; returns the analysis otherwise (SM-004). */
export function assertSingleSegment(text: string, config: DomainConfig = defaultDomainConfig): SmsAnalysis {
  const a = analyseSms(text, config);
  if (a.segments > config.sms.maxSegments) throw new SmsTooLongError(a);
  return a;
}

const LINK_RE = /\b(?:https?:\/\/|www\.)\S+|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.[a-z]{2,24}(?:\/\S*)?(?=$|[\s,;:!?)'"]|\.(?:\s|$))/gi;

/** Links in a text: URLs with a scheme or www., and bare domains such as example.com.au/x (SM-004: no links). */
export function findLinks(text: string): string[] {
  return text.match(LINK_RE) ?? [];
}

export type SmsIssueCode = 'empty' | 'too_long' | 'contains_link';

export interface SmsIssue {
  code: SmsIssueCode;
  message: string;
}

/** Every rule an SMS body breaks (empty, over one segment, contains a link) with the analysis (SM-004). */
export function validateSms(
  text: string,
  config: DomainConfig = defaultDomainConfig,
): { ok: boolean; issues: SmsIssue[]; analysis: SmsAnalysis } {
  const analysis = analyseSms(text, config);
  const issues: SmsIssue[] = [];
  if (text.trim() === '') issues.push({ code: 'empty', message: 'SMS is empty' });
  if (analysis.segments > config.sms.maxSegments) issues.push({ code: 'too_long', message: describeTooLong(analysis) });
  if (!config.sms.allowLinks) {
    const links = findLinks(text);
    if (links.length > 0) issues.push({ code: 'contains_link', message: `SMS must not contain links: ${links.join(', ')}` });
  }
  return { ok: issues.length === 0, issues, analysis };
}

/** Thrown by assertValidSms; `issues` lists every broken rule (SM-004). */
export class SmsValidationError extends Error {
  override readonly name = 'SmsValidationError';
  readonly code = 'SMS_INVALID';
  constructor(readonly issues: readonly SmsIssue[]) {
    super(issues.map((i) => i.message).join(' '));
  }
}

/** Throws SmsValidationError unless the text is a sendable SMS (at generation time) (SM-004). */
export function assertValidSms(text: string, config: DomainConfig = defaultDomainConfig): SmsAnalysis {
  const r = validateSms(text, config);
  if (!r.ok) throw new SmsValidationError(r.issues);
  return r.analysis;
}

// Opt-out (SM-003): the rule is in opt-out.ts.
export { detectOptOut, isOptOut, type OptOutResult } from './opt-out.js';
