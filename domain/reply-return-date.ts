/**
 * The return date of an out-of-office reply: month and weekday names, the date patterns and the
 * reader of the 60 characters after "back"/"return"/"until" (SYS-003). Re-exported by
 * reply-intent.ts.
 */
import { defaultDomainConfig, type DomainConfig } from './config.js';
import { civilToDayNumber, dayNumberToIsoDate, DAY_MS, toMillis, type InstantInput } from './instant.js';
import { normalise } from './reply-text.js';
import { localDate } from './windows.js';

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const WEEKDAYS: Record<string, number> = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 };
/** Month names of the other languages an out-of-office is read in (German, French, Spanish, Italian, Dutch, Portuguese), with and without accents. */
const OTHER_MONTHS: Record<string, number> = Object.fromEntries(
  (
    [
      [1, 'januar janvier enero gennaio januari janeiro'],
      [2, 'februar février fevrier febrero febbraio februari fevereiro'],
      [3, 'märz maerz marz mars marzo maart março marco'],
      [4, 'avril abril aprile'],
      [5, 'mai mayo maggio mei maio'],
      [6, 'juni juin junio giugno junho'],
      [7, 'juli juillet julio luglio julho'],
      [8, 'août aout agosto augustus'],
      [9, 'septembre septiembre setiembre settembre setembro'],
      [10, 'oktober octobre octubre ottobre outubro'],
      [11, 'noviembre novembro'],
      [12, 'dezember décembre decembre diciembre dicembre dezembro'],
    ] as const
  ).flatMap(([m, names]) => names.split(' ').map((n) => [n, m] as const)),
);
const OTHER_MONTH_NAMES = Object.keys(OTHER_MONTHS)
  .sort((a, b) => b.length - a.length)
  .join('|');
const MONTH_RE = `(${OTHER_MONTH_NAMES}|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)`;
/** The month of a name MONTH_RE matched. */
const monthOf = (name: string): number => OTHER_MONTHS[name] ?? MONTHS[name.slice(0, 3)]!;
const WEEKDAY_RE = '(mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)';

function validDate(y: number, m: number, d: number): number | null {
  if (m < 1 || m > 12 || d < 1 || d > 31) return null;
  const dn = civilToDayNumber(y, m, d);
  const back = new Date(dn * DAY_MS);
  return back.getUTCMonth() + 1 === m && back.getUTCDate() === d ? dn : null;
}

/** Resolve a month/day without a year to its next occurrence on or after `today`. */
function nextOccurrence(today: number | null, m: number, d: number, y?: number): number | null {
  if (y !== undefined) return validDate(y < 100 ? 2000 + y : y, m, d);
  if (today === null) return null;
  const year = new Date(today * DAY_MS).getUTCFullYear();
  for (const yy of [year, year + 1]) {
    const dn = validDate(yy, m, d);
    if (dn !== null && dn >= today) return dn;
  }
  return null;
}

type DateRule = { re: RegExp; read: (r: RegExpExecArray, today: number | null, dayFirst: boolean) => number | null };

const WD = `(?:${WEEKDAY_RE},?\\s+)?`;
const DATE_RULES: readonly DateRule[] = [
  { re: /\b(\d{4})-(\d{1,2})-(\d{1,2})\b/, read: (r) => validDate(Number(r[1]), Number(r[2]), Number(r[3])) },
  {
    // "14 July", "14th of July", "15. Januar", "12 janvier", "10 de enero", "10 di gennaio".
    re: new RegExp(`\\b${WD}(\\d{1,2})(?:st|nd|rd|th|\\.|º|°)?(?:\\s+(?:of|de|di))?\\s+${MONTH_RE}(?![a-z]),?(?:\\s+(?:de\\s+)?(\\d{4}))?`),
    read: (r, today) => nextOccurrence(today, monthOf(r[3]!), Number(r[2]), r[4] ? Number(r[4]) : undefined),
  },
  {
    re: new RegExp(`\\b${WD}${MONTH_RE}\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b,?(?:\\s+(\\d{4}))?`),
    read: (r, today) => nextOccurrence(today, monthOf(r[2]!), Number(r[3]), r[4] ? Number(r[4]) : undefined),
  },
  {
    re: new RegExp(`\\b${WD}(\\d{1,2})[/.](\\d{1,2})(?:[/.](\\d{2,4}))?\\b`),
    read: (r, today, dayFirst) => {
      const a = Number(r[2]);
      const b = Number(r[3]);
      return dayFirst
        ? nextOccurrence(today, b, a, r[4] ? Number(r[4]) : undefined)
        : nextOccurrence(today, a, b, r[4] ? Number(r[4]) : undefined);
    },
  },
  { re: /\btomorrow\b/, read: (_r, today) => (today === null ? null : today + 1) },
  {
    re: new RegExp(`\\b(?:next\\s+)?${WEEKDAY_RE}\\b`),
    read: (r, today) => {
      const wd = WEEKDAYS[r[1]!.slice(0, 3)];
      if (today === null || !wd) return null;
      const todayWd = ((((today + 3) % 7) + 7) % 7) + 1;
      return today + ((wd - todayWd + 7) % 7 || 7);
    },
  },
];

/** The earliest date in a fragment (ties go to the more specific rule). */
function parseDateFragment(frag: string, today: number | null, dayFirst: boolean): number | null {
  let best: { index: number; dn: number } | null = null;
  for (const rule of DATE_RULES) {
    const r = rule.re.exec(frag);
    if (!r || (best && r.index >= best.index)) continue;
    const dn = rule.read(r, today, dayFirst);
    if (dn !== null) best = { index: r.index, dn };
  }
  return best ? best.dn : null;
}

/** Words after which an out-of-office reply gives its return date, strongest first. */
const RETURN_TRIGGERS: readonly RegExp[] = [
  /\b(?:back|return(?:ing|s)?|in the office|available again)\b/g,
  // German, French, Spanish, Italian, Dutch, Portuguese: "ab dem", "wieder", "de retour", "regreso", "rientro", "terug", "retorno".
  /\b(?:ab(?: dem)?|wieder|zur(?:ü|ue|u)ck|de retour|retour|(?:à|a) partir du|regres(?:o|ar[ée]?)|volver[ée]|a partir del|rientr(?:o|er[òo])|dal|terug|vanaf|retorno|regresso|a partir de)(?=\s)/g,
  /\b(?:until|till|til|through|thru)\b/g,
  /\b(?:bis(?: zum)?|jusqu'?(?:au| au)|hasta(?: el)?|fino al|tot(?: en met)?|at[ée])(?=\s)/g,
];

/**
 * The return date in an out-of-office reply ('YYYY-MM-DD'), read in the 60 characters after
 * "back"/"return" (else "until"): ISO dates, "14 July (2025)", "July 14th", "14/7(/2025)" (day
 * first unless `reply.dayFirstDates` is false), weekday names and "tomorrow" (relative to `now`
 * in `zone`). Dates without a year take their next occurrence on or after today; null when none
 * is found (SYS-003).
 */
export function extractReturnDate(
  text: string,
  now?: InstantInput,
  zone?: string,
  config: DomainConfig = defaultDomainConfig,
): string | null {
  const body = normalise(text);
  let today: number | null = null;
  if (now !== undefined) {
    const iso = zone ? localDate(zone, now) : new Date(toMillis(now)).toISOString().slice(0, 10);
    today = civilToDayNumber(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10)));
  }
  for (const trigger of RETURN_TRIGGERS) {
    trigger.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = trigger.exec(body))) {
      const frag = body.slice(m.index + m[0].length, m.index + m[0].length + 60);
      const dn = parseDateFragment(frag, today, config.reply.dayFirstDates);
      if (dn !== null) return dayNumberToIsoDate(dn);
    }
  }
  return null;
}
