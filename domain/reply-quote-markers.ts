/**
 * The lines that mark where a reply ends and the quoted original begins, as mail clients write
 * them in the languages leads use (SYS-003, ED-005, SM-003): attribution lines ("On ... wrote:",
 * "Le ... a écrit :", "Am ... schrieb ...:", "... 写道："), Outlook header blocks ("From:" then
 * "Sent:" and "To:", localised), separators ("-----Original Message-----", "____", "Begin forwarded
 * message:"), quoted lines ("> ", "| ") and mobile signatures ("Sent from my iPhone"). Used by
 * reply-text.ts, which decides where to cut.
 *
 * Every test here reads one line, or a few wrapped lines joined, with whitespace squashed (no-break
 * and ideographic spaces included): French clients put a no-break space before the colon.
 */

/** Lines longer than this are prose (or garbage), never a marker: also bounds the regex work. */
export const MAX_MARKER_LINE_CHARS = 400;

/** Runs of whitespace (no-break, narrow no-break, ideographic, zero-width) as one space, trimmed. */
export function squash(s: string): string {
  return s.replace(/[\s\u200b\u200c\u200d\ufeff]+/gu, ' ').trim();
}

/**
 * A quoted line: "> ", ">>", "> >", ">" alone, or "| " (some clients quote with a bar). A ">" that
 * starts a comparison the lead wrote (">50 seats", ">= 10", ">$5k") is not a quote mark: clients
 * always follow theirs with a space, another ">" or the end of the line.
 */
export function isQuotedLine(line: string): boolean {
  return /^\s*(?:>(?![\d=$€£])|\|(?=[\s|>]|$))/u.test(line);
}

const ADDRESS = /[^\s<>()[\]"',;:]+@[^\s<>()[\]"',;:]+\.[^\s<>()[\]"',;:]+/u;
const DIGIT = /\p{Nd}/u;

/**
 * Attribution lines that open with the client's own word for "on <date>" and end with its verb:
 * specific enough to need only a date (a digit) as proof, and the English one not even that on a
 * single line (what replyBody always cut).
 */
const OPENER_ATTRIBUTIONS: readonly RegExp[] = [
  /^on .{3,300} wrote ?[:：]$/iu, // Gmail, Apple Mail, Outlook for Mac, Thunderbird, Yahoo
  /^le .{3,300} a [ée]crit ?[:：]$/iu, // French
  /^am .{3,300} schrieb(?: .{1,200})? ?[:：]$/iu, // German: "Am ... schrieb Ada <ada@x.com>:"
  /^el .{3,300} escribi[óo] ?[:：]$/iu, // Spanish
  /^em .{3,300} escreveu ?[:：]$/iu, // Portuguese
  /^il .{3,300} ha scritto ?[:：]$/iu, // Italian
  /^op .{3,300} (?:schreef(?: .{1,200})?|het volgende geschreven) ?[:：]$/iu, // Dutch (Gmail, Apple Mail)
  /^den .{3,300} skrev(?: .{1,200})? ?[:：]$/iu, // Swedish, Danish
  /^w dniu .{3,300} napisał(?:\(a\)|a)? ?[:：]$/iu, // Polish
];

/**
 * Attribution lines without an opener (the name or the date first): they need a date or an address
 * on one line, and both when wrapped, so that a sentence of the lead's ending in a colon is not one.
 */
const BARE_ATTRIBUTIONS: readonly RegExp[] = [
  // "Ada Lovelace <ada@x.com> wrote:", Thunderbird ja "... wrote:", Norwegian/Apple Mail "3. nov. 2025 kl. 10:02 skrev Ada:"
  /^.{1,300} (?:wrote|a [ée]crit|schrieb|escribi[óo]|escreveu|ha scritto|schreef|skrev|пишет|написала?|написал\(а\)) ?[:：]$/iu,
  /^.{1,300} skrev .{1,200}[:：]$/iu,
  /^.{1,300}(?:のメッセージ|のメール|さんは書きました|は書きました) ?[:：]$/u, // Japanese
  /^.{1,300}[写寫]道 ?[:：]$/u, // Chinese: "Ada <ada@x.com> 于2025年11月3日周一 10:02写道："
  /^.{1,300}님이 ?작성 ?[:：]$/u, // Korean
  // Gmail in languages with no verb (Japanese, Russian...): "<date> <time> Ada Lovelace <ada@x.com>:"
  /^.{0,300}\d{1,2}[:.]\d{2}.{0,200}<[^<>\s]+@[^<>\s]+> ?[:：]$/u,
];

/**
 * How sure `text` (one line, or `wrapped` lines joined by a space, squashed) is to be an attribution
 * line: 'opener' (opens with its word, and has a date), 'full' (bare, with a date and an address),
 * 'partial' (bare, one line, a date or an address), or null.
 */
export function attributionKind(text: string, wrapped: boolean): 'opener' | 'full' | 'partial' | null {
  const digit = DIGIT.test(text);
  if (OPENER_ATTRIBUTIONS.some((re) => re.test(text)) && (digit || (!wrapped && /^on /iu.test(text)))) return 'opener';
  if (!BARE_ATTRIBUTIONS.some((re) => re.test(text))) return null;
  const address = ADDRESS.test(text);
  if (digit && address) return 'full';
  return !wrapped && (digit || address) ? 'partial' : null;
}

const ORIGINAL_NAMES = [
  'original message',
  'ursprüngliche nachricht',
  'original-nachricht',
  "message d['’]origine",
  'mensaje original',
  'mensagem original',
  'messaggio originale',
  'oorspronkelijk bericht',
  'originalmeddelande',
  'opprinnelig melding',
  'oprindelig meddelelse',
  'wiadomość oryginalna',
  'исходное сообщение',
  '元のメッセージ',
  '原始邮件',
  '原始郵件',
  'forwarded message',
  'message transféré',
  'weitergeleitete nachricht',
  'mensaje reenviado',
  'mensagem encaminhada',
  'messaggio inoltrato',
  'doorgestuurd bericht',
  'vidarebefordrat meddelande',
  'videresendt melding',
  'videresendt meddelelse',
  '転送メッセージ',
  '转发邮件',
];
const FORWARD_INTROS = [
  'begin forwarded message',
  'début du message réexpédié',
  'anfang der weitergeleiteten nachricht',
  'inicio del mensaje reenviado',
  'início da mensagem reencaminhada',
  'inizio messaggio inoltrato',
  'begin doorgestuurd bericht',
  'vidarebefordrat brev',
  '転送されたメッセージ',
];
const SEPARATORS: readonly RegExp[] = [
  // "-----Original Message-----", "----- Original Message -----", "---------- Forwarded message ---------"
  new RegExp(`^-{2,} ?(?:${ORIGINAL_NAMES.join('|')})(?: ?-+)? ?:?$`, 'iu'),
  new RegExp(`^(?:${FORWARD_INTROS.join('|')}) ?[:：]$`, 'iu'),
  /^_{20,}$/u, // Outlook: 32 underscores above the header block
];

/** A separator line between the reply and the original or forwarded message. */
export function isSeparator(line: string): boolean {
  return line.length <= MAX_MARKER_LINE_CHARS && SEPARATORS.some((re) => re.test(squash(line)));
}

/** A header label as the first thing on the line, "**" from a rich-text conversion allowed. */
const label = (names: string) => new RegExp(`^\\*{0,2}(?:${names})\\*{0,2} ?[:：]\\*{0,2}`, 'iu');
const FROM_LABEL = label('from|de|von|van|da|fra|från|od|от|差出人|发件人|發件人|寄件者|寄件人|보낸 ?사람');
const HEADER_LABELS: readonly RegExp[] = [
  label(
    'sent|date|envoyé|envoye|gesendet|datum|verzonden|inviato|data|enviado|enviada|fecha|skickat|sendt|wysłano|отправлено|дата|送信日時|日付|发送时间|發送時間|寄件日期|日期|时间|時間|보낸 ?날짜',
  ),
  label('to|cc|à|a|an|aan|para|till|til|do|кому|宛先|收件人|收件者|받는 ?사람'),
  label('subject|objet|betreff|onderwerp|oggetto|asunto|assunto|ämne|emne|temat|тема|件名|主题|主題|主旨|제목'),
];
/** How far below "From:" the other headers may be (wrapped recipient lists, blank lines). */
const HEADER_WINDOW = 8;

/**
 * Whether an Outlook-style header block starts at `lines[i]`: a "From:" line (any language) with,
 * within the next few lines, at least two of: a date ("Sent:"/"Date:"), recipients ("To:"), a
 * subject. A lone "From: the sound of it, yes" is the lead's sentence.
 */
export function isHeaderBlockStart(lines: readonly string[], i: number): boolean {
  const first = lines[i]!;
  if (first.length > MAX_MARKER_LINE_CHARS) return false;
  const from = squash(first);
  if (!FROM_LABEL.test(from) || from.replace(FROM_LABEL, '').trim() === '') return false;
  const seen = new Set<number>();
  for (let j = i + 1; j <= i + HEADER_WINDOW && j < lines.length; j++) {
    const line = lines[j]!;
    if (line.length > MAX_MARKER_LINE_CHARS) continue;
    const s = squash(line);
    HEADER_LABELS.forEach((re, k) => {
      if (re.test(s)) seen.add(k);
    });
    if (seen.size >= 2) return true;
  }
  return false;
}

/** A device or app name, which the "sent from" phrases below must contain. */
const DEVICE_WORD =
  /iphone|ipad|ipod|android|mobil|móvil|movil|celular|cellulare|phone|téléphone|telefon|telefoon|smartphone|galaxy|samsung|pixel|huawei|xiaomi|oneplus|blackberry|outlook|mail|yahoo|aol|proton|windows|ios|handy|tablet|watch|portable|app/iu;
/** A short device phrase: "iPhone", "Samsung Galaxy smartphone", "Outlook for iOS". */
const D = "([\\p{L}\\p{N}][\\p{L}\\p{N} .'’()+-]{0,40})";
const MOBILE_SIGNATURES: readonly RegExp[] = [
  new RegExp(`^sent (?:from|with|via|using) (?:my )?${D}$`, 'iu'),
  new RegExp(`^envoy[ée] (?:de|depuis|à partir de|avec) (?:mon |ma )?${D}$`, 'iu'),
  new RegExp(`^von (?:meinem|meiner) ${D} gesendet$`, 'iu'),
  new RegExp(`^gesendet (?:von|mit|vom) (?:meinem |meiner )?${D}$`, 'iu'),
  new RegExp(`^enviad[oa] (?:desde|do|de|pelo|a partir do) (?:mi |meu |o |a )?${D}$`, 'iu'),
  new RegExp(`^inviato (?:da|dal|con) (?:mio |il mio )?${D}$`, 'iu'),
  new RegExp(`^(?:verzonden|verstuurd) (?:vanaf|van|met) (?:mijn )?${D}$`, 'iu'),
  new RegExp(`^(?:skickat|sendt) (?:från|fra) (?:min )?${D}$`, 'iu'),
  new RegExp(`^${D}から送信$`, 'u'),
  new RegExp(`^(?:发自|發自)(?:我的)? ?${D}$`, 'u'),
  new RegExp(`^從我的 ?${D} ?傳送$`, 'u'),
];
const GET_OUTLOOK = [
  /^get outlook for (?:ios|android)$/iu,
  /^(?:t[ée]l[ée]charger|obtenir) outlook pour (?:ios|android)$/iu,
  /^outlook für (?:ios|android) (?:beziehen|herunterladen)$/iu,
  /^(?:obtener|descargar|obter o|obter) outlook para (?:ios|android)$/iu,
  /^scarica outlook per (?:ios|android)$/iu,
  /^outlook voor (?:ios|android) downloaden$/iu,
];

/** A mobile client's signature line ("Sent from my iPhone", "Get Outlook for iOS", localised). */
export function isMobileSignature(line: string): boolean {
  if (line.length > 100) return false;
  const s = squash(line).replace(/[.!]$/u, '');
  if (GET_OUTLOOK.some((re) => re.test(s))) return true;
  return MOBILE_SIGNATURES.some((re) => {
    const device = re.exec(s)?.[1];
    return device !== undefined && DEVICE_WORD.test(device);
  });
}
