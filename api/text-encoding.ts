/**
 * The text of an uploaded file from its bytes (SYS-001 intake): which encoding it is in, decoded
 * with the WHATWG decoders Node ships (TextDecoder) and iconv-lite for Windows-1252 (Node 20's
 * TextDecoder reads that label as ISO-8859-1, losing € – " " and the other 0x80-0x9F signs), or a
 * clear refusal naming the problem.
 *
 *   1. A charset the sender declared wins (any WHATWG label: 'windows-1251', 'shift_jis', ...);
 *      bytes that are not valid in it are refused.
 *   2. A byte-order mark: UTF-8, UTF-16 LE or UTF-16 BE (UTF-32 is refused by name).
 *   3. No mark: UTF-16 without one is recognised by its zero bytes (text that is mostly ASCII has
 *      one zero byte in every pair, on one side); other zero bytes mean it is not a text file.
 *   4. Valid UTF-8 is UTF-8 (plain ASCII included).
 *   5. Otherwise Windows-1252 (the superset of ISO-8859-1/Latin-1 that spreadsheets write), but only
 *      when the result reads like Western text: a byte Windows-1252 leaves undefined, a control
 *      character, or a run of three or more non-ASCII characters in a row (how Cyrillic, Greek or
 *      CJK bytes look when read as Windows-1252) is refused with the advice to save as UTF-8 or
 *      declare the charset.
 * A decoded text never contains NUL or other C0 control characters besides tab, CR and LF.
 */

import iconv from 'iconv-lite';

export type DecodedText = { ok: true; text: string; encoding: string } | { ok: false; code: 'unsupported_encoding'; message: string };

const ADVICE = 'save the file as UTF-8 (CSV UTF-8 in Excel), or name its encoding in a "charset" field (e.g. windows-1251)';

/** C0 controls other than tab, LF and CR, and DEL. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
/** Three non-ASCII characters in a row: rare in Western European text, the norm for other scripts read as Windows-1252. */
const FOREIGN_RUN = /[^\u0000-\u007F\s]{3,}/;
/** Bytes Windows-1252 does not define (WHATWG maps them to C1 controls). */
const CP1252_UNDEFINED = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

/** The bytes in `label`'s encoding, or null when they are not valid in it. */
function decode(bytes: Uint8Array, label: string): string | null {
  try {
    const decoder = new TextDecoder(label, { fatal: true, ignoreBOM: false });
    if (decoder.encoding === 'windows-1252') return decodeWindows1252(bytes);
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}

/** Windows-1252 (also what WHATWG means by latin1 / iso-8859-1); null when a byte it leaves undefined occurs. */
function decodeWindows1252(bytes: Uint8Array): string | null {
  if (bytes.some((b) => CP1252_UNDEFINED.has(b))) return null;
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'windows-1252');
}

function refuse(message: string): DecodedText {
  return { ok: false, code: 'unsupported_encoding', message: `${message}; ${ADVICE}` };
}

function finish(text: string, encoding: string): DecodedText {
  const bad = CONTROL.exec(text);
  if (bad) {
    const code = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    return refuse(`the file read as ${encoding} contains the control character U+${code}, so it is not a text (CSV) file in that encoding`);
  }
  return { ok: true, text, encoding };
}

/** UTF-16 without a byte-order mark: 'utf-16le' / 'utf-16be' when the zero bytes say so. */
function utf16WithoutBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (bytes.length < 2 || bytes.length % 2 !== 0) return null;
  let evenZero = 0;
  let oddZero = 0;
  const pairs = bytes.length / 2;
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  if (oddZero >= pairs * 0.3 && evenZero === 0) return 'utf-16le';
  if (evenZero >= pairs * 0.3 && oddZero === 0) return 'utf-16be';
  return null;
}

/** The text of `bytes` (see the header for the order of decisions). */
export function decodeText(bytes: Uint8Array, declaredCharset?: string): DecodedText {
  if (declaredCharset !== undefined && declaredCharset.trim() !== '') {
    const label = declaredCharset.trim().toLowerCase();
    let encoding: string;
    try {
      encoding = new TextDecoder(label).encoding;
    } catch {
      return refuse(`"${declaredCharset}" is not a character encoding this service knows`);
    }
    const text = decode(bytes, label);
    if (text === null) return refuse(`the file is not valid ${encoding}, the encoding it was declared in`);
    return finish(text, encoding);
  }

  const [b0, b1, b2, b3] = bytes;
  if ((b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) || (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff)) {
    return refuse('the file is UTF-32, which is not supported');
  }
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) {
    const text = decode(bytes, 'utf-8');
    return text === null ? refuse('the file starts with a UTF-8 byte-order mark but is not valid UTF-8') : finish(text, 'utf-8');
  }
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
    const encoding = b0 === 0xff ? 'utf-16le' : 'utf-16be';
    const text = decode(bytes, encoding);
    return text === null
      ? refuse(`the file starts with a ${encoding.toUpperCase()} byte-order mark but is not valid ${encoding.toUpperCase()}`)
      : finish(text, encoding);
  }
  if (bytes.includes(0)) {
    const encoding = utf16WithoutBom(bytes);
    const text = encoding ? decode(bytes, encoding) : null;
    if (encoding && text !== null) return finish(text, encoding);
    return refuse('the file contains zero (NUL) bytes: it is not a text (CSV) file, or it is UTF-16/UTF-32 that cannot be recognised');
  }

  const utf8 = decode(bytes, 'utf-8');
  if (utf8 !== null) return finish(utf8, 'utf-8');

  const undefinedByte = bytes.find((b) => CP1252_UNDEFINED.has(b));
  if (undefinedByte !== undefined) {
    return refuse(`the file is not UTF-8 and not Windows-1252/Latin-1 (it has the byte 0x${undefinedByte.toString(16).toUpperCase()})`);
  }
  const latin = decodeWindows1252(bytes)!;
  const run = FOREIGN_RUN.exec(latin);
  if (run) {
    return refuse(
      `the file is not UTF-8, and read as Windows-1252/Latin-1 it gives "${run[0].slice(0, 12)}": it is probably in another encoding (Cyrillic, Greek, Asian)`,
    );
  }
  return finish(latin, 'windows-1252');
}
