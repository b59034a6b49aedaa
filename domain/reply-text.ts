/**
 * The text of a reply as the intent rules, the opt-out reader and the return-date reader see it:
 * the reply itself (quoted lines, mobile signatures and the quoted original message dropped), with
 * straight quotes, in lower case (SYS-003, ED-005, SM-003). Reading our own pitch, unsubscribe
 * footer or an earlier out-of-office as the lead's words would take the wrong action, so the cut
 * knows the markers of the clients and languages leads use (reply-quote-markers.ts).
 */
import {
  attributionKind,
  isHeaderBlockStart,
  isMobileSignature,
  isQuotedLine,
  isSeparator,
  MAX_MARKER_LINE_CHARS,
  squash,
} from './reply-quote-markers.js';

/** Clients wrap a long attribution ("On ..., Ada <\nada@x.com> wrote:") over at most this many lines. */
const MAX_ATTRIBUTION_LINES = 3;

/**
 * Keep the reply itself: everything above the first marker of the quoted original (an attribution
 * line, wrapped or not, an Outlook header block, a separator), without quoted (">") lines and
 * mobile signatures. Line endings become "\n"; a text without markers comes back otherwise as is.
 */
export function replyBody(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  return lines
    .slice(0, quoteStart(lines))
    .filter((line) => !isQuotedLine(line) && !isMobileSignature(line))
    .join('\n');
}

export function normalise(text: string): string {
  return replyBody(text)
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .toLowerCase();
}

/** Index of the first line of the quoted original, or the number of lines when there is none. */
function quoteStart(lines: readonly string[]): number {
  let cut = lines.length;
  // An attribution ending on line i may start up to two lines above it: look that far past a cut.
  for (let i = 0; i < lines.length && i < cut + MAX_ATTRIBUTION_LINES - 1; i++) {
    if (i < cut && (isSeparator(lines[i]!) || isHeaderBlockStart(lines, i))) cut = i;
    const start = attributionStart(lines, i);
    if (start !== null && start < cut) cut = start;
  }
  return cut;
}

/**
 * The first line of an attribution that ends on `lines[end]`, or null. The surest reading wins
 * (one that opens with its word, "On", "Le", "Am"..., then a bare one with date and address, then
 * one line with either), and among equals the closest start, so that a line of the lead's just
 * above is not taken in, and a wrapped "On ... Ada <\nada@x.com> wrote:" or "Ada <ada@x.com> 于
 * 2025年11月3日\n10:02写道：" is cut at its first line, not its last.
 */
function attributionStart(lines: readonly string[], end: number): number | null {
  const last = lines[end]!;
  if (last.length > MAX_MARKER_LINE_CHARS || !/[:：]\s*$/u.test(last)) return null;
  const found = new Map<string, number>();
  for (let start = end; start > end - MAX_ATTRIBUTION_LINES && start >= 0; start--) {
    const line = lines[start]!;
    if (line.trim() === '' || line.length > MAX_MARKER_LINE_CHARS || isQuotedLine(line)) break;
    const kind = attributionKind(squash(lines.slice(start, end + 1).join(' ')), start < end);
    if (kind && !found.has(kind)) found.set(kind, start);
  }
  return found.get('opener') ?? found.get('full') ?? found.get('partial') ?? null;
}
