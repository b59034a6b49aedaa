/**
 * The text of a reply as the intent rules and the return-date reader see it: the reply itself
 * (quoted lines and the quoted original message dropped), with straight quotes, in lower case.
 */

/** Keep the reply itself: drop quoted lines and everything from the quoted original message on. */
export function replyBody(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  for (const line of lines) {
    if (/^\s*on .{3,200}wrote:\s*$/i.test(line) || /^\s*-{2,}\s*original message/i.test(line) || /^\s*from:\s.+/i.test(line)) break;
    if (/^\s*>/.test(line)) continue;
    out.push(line);
  }
  return out.join('\n');
}

export function normalise(text: string): string {
  return replyBody(text)
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .toLowerCase();
}
