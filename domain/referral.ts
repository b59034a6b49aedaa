/**
 * Who a referral reply points at (SYS-003: "referral -> new lead" in the same campaign): the
 * referred person's address, phone, name and title, read from the reply itself. The caller
 * creates, scores and sequences the lead; this only reads.
 *
 * Choices: only the reply counts (the quoted original holds our addresses and signature), and the
 * replier's own signature (after a sign-off such as "Thanks,\nBob") is dropped so that its numbers
 * are never given to the person referred. Obfuscated addresses ("jane[at]acme[dot]com") are NOT
 * read: every address returned appears in the reply as written, and a guess at one would send to a
 * stranger. No-reply and bounce addresses are never a lead; role addresses (info@, sales@) only
 * when no personal one is given. Addresses in Cc headers are not in the text: pass them separately.
 */
import anyAscii from 'any-ascii';
import { findPhoneNumbersInText, isSupportedCountry } from 'libphonenumber-js/max';
import { z } from 'zod';
import { normalisePhone } from './phone.js';
import { replyBody } from './reply-text.js';
import {
  PARTICLES,
  HONORIFIC,
  STOP,
  FORWARD,
  BACKWARD,
  NAMES,
  TITLES,
  BEFORE_EMAIL,
  AFTER_EMAIL,
  SELF,
  LEFT_GAP,
  GREETING,
  PRONOUN,
  SIGN_OFF,
  ROLE,
  SYSTEM,
  EMAIL,
} from './referral-patterns.js';

export interface Referral {
  /** Lower-cased, valid; never the lead's own address nor one of ours. */
  email?: string;
  /** E.164; national numbers read in `defaultCountry`; never the lead's own. */
  phoneE164?: string;
  firstName?: string;
  lastName?: string;
  /** As written: "Head of Sales", "CMO", "VP Marketing". */
  title?: string;
  /** The sentence(s) it was read from. */
  evidence: string;
}

export interface ReferralContext {
  leadEmail?: string | null;
  leadPhone?: string | null;
  /** Breaks ties between addresses when nothing in the reply points at one (a colleague's). */
  leadCompanyDomain?: string | null;
  defaultCountry: string;
  /** Our sending domains (the mailbox the reply came to): an address at them is never the referral. */
  ourDomains?: readonly string[];
}

type Name = { firstName: string; lastName?: string };
type Found = { at: number; end: number };
type Email = Found & { address: string; local: string; domain: string; role: boolean; usable: boolean; name?: Name };
type Phone = Found & { e164: string; usable: boolean; owner?: Email };
type Anchor = Found & { strength: number; name?: Name; nameAt?: number };
type Span = Found & { para: number };
/** Which sentence a position is in; whether the text just before it is the replier's own ("call me on"). */
type Where = { sentenceOf: (pos: number) => number; selfRef: (at: number) => boolean };

const validEmail = z.email();

const fold = (s: string) =>
  anyAscii(s)
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
const untagged = (local: string) => local.split('+')[0] ?? local;

/** First and last name from a written name: honorific dropped, cut at the first word that is no name. */
function splitName(raw: string | undefined): Name | undefined {
  const words = (raw ?? '').normalize('NFC').split(/[ \t]+/);
  words.push((words.pop() ?? '').replace(/'s$/, ''));
  if (words[0] && HONORIFIC.test(words[0])) words.shift();
  const kept: string[] = [];
  for (const w of words) {
    if (w === '' || STOP.has(w.toLowerCase())) break;
    kept.push(w);
  }
  while (kept.length > 0 && PARTICLES.has(kept[kept.length - 1]!)) kept.pop();
  const [firstName, ...rest] = kept;
  if (!firstName) return undefined;
  return rest.length > 0 ? { firstName, lastName: rest.join(' ') } : { firstName };
}

/** "jane.smith@" / "jane_o-neil@" -> a name; anything else (jsmith@, info@) says none. */
function nameFromLocal(local: string): Name | undefined {
  const parts = untagged(local).split(/[._]/);
  if (parts.length !== 2 || ROLE.test(untagged(local)) || !parts.every((p) => /^[a-z]+(?:-[a-z]+)*$/.test(p) && p.length >= 2))
    return undefined;
  const cap = (p: string) => p.replace(/(^|-)([a-z])/g, (_m, s: string, c: string) => s + c.toUpperCase());
  return { firstName: cap(parts[0]!), lastName: cap(parts[1]!) };
}

const sameName = (a: Name, b: Name) =>
  fold(a.firstName) === fold(b.firstName) && (!a.lastName || !b.lastName || fold(a.lastName) === fold(b.lastName));

function localMatches(local: string, n: Name): boolean {
  const l = fold(untagged(local));
  const [f, s] = [fold(n.firstName), fold(n.lastName ?? '')];
  return (f.length >= 2 && l.includes(f)) || (s.length >= 2 && l.includes(s)) || (f !== '' && s !== '' && l === f[0] + s);
}

/** A name belongs with an address unless the address spells out someone else's first.last. */
const fits = (e: Email, n: Name) => e.role || !nameFromLocal(e.local) || localMatches(e.local, n);

/** Drop the replier's signature: after "-- ", "Sent from my ...", or a sign-off followed by a name line. */
function dropSignature(body: string): string {
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const next = lines.slice(i + 1).find((l) => l.trim() !== '');
    const signer = next === undefined || /^\p{Lu}[\p{L}\p{M}'.-]*(?:\s+\p{Lu}[\p{L}\p{M}'.-]*){0,2},?$/u.test(next.trim());
    if (/^--\s*$/.test(line) || /^sent from my\b/i.test(line) || (SIGN_OFF.test(line) && signer)) return lines.slice(0, i).join('\n');
  }
  return body;
}

/** Sentences (and paragraphs), not split inside an address or after "Dr." or an initial. */
function sentences(text: string): Span[] {
  const spans: Span[] = [];
  const re = /\n[ \t]*\n\s*|(?<!\b(?:[A-Z]|Mr|Mrs|Ms|Mx|Dr|Prof|St|Jr|Sr|etc|Inc|Ltd|Co|e\.g|i\.e))[.!?]+(?=\s)\s*/g;
  let [start, para] = [0, 0];
  for (const m of text.matchAll(re)) {
    const end = m.index + m[0].length;
    spans.push({ at: start, end, para });
    if (m[0].startsWith('\n')) para++;
    start = end;
  }
  spans.push({ at: start, end: text.length, para });
  return spans;
}

/** Blank out found ranges (same length) so that later patterns do not read inside them. */
const blank = (text: string, found: readonly Found[]) =>
  found.reduce((t, f) => t.slice(0, f.at) + ' '.repeat(f.end - f.at) + t.slice(f.end), text);

/** Every address in the reply, with whether it may be the referral and the name written with it. */
function readEmails(body: string, ctx: ReferralContext, { selfRef }: Where): Email[] {
  const [leadLocal = '', leadDomain] = (ctx.leadEmail ?? '').trim().toLowerCase().split('@');
  const ours = (ctx.ourDomains ?? []).map((d) => d.toLowerCase().replace(/^@/, ''));
  return [...body.matchAll(EMAIL)].map((m) => {
    const [at, end, address] = [m.index, m.index + m[0].length, m[0].toLowerCase()];
    const [local = '', domain = ''] = address.split('@');
    const own = leadDomain === domain && untagged(local) === untagged(leadLocal);
    const ourDomain = ours.some((d) => domain === d || domain.endsWith(`.${d}`));
    const usable = validEmail.safeParse(address).success && !own && !ourDomain && !SYSTEM.test(untagged(local)) && !selfRef(at);
    const email: Email = { at, end, address, local, domain, role: ROLE.test(untagged(local)), usable };
    const written = BEFORE_EMAIL.exec(body.slice(Math.max(0, at - 80), at)) ?? AFTER_EMAIL.exec(body.slice(end, end + 80));
    const name = splitName(written?.groups?.name);
    if (name && fits(email, name)) email.name = name;
    return email;
  });
}

/** Every valid phone, owned by the nearest address in its sentence (that person's number). */
function readPhones(body: string, masked: string, emails: Email[], ctx: ReferralContext, where: Where): Phone[] {
  const { sentenceOf, selfRef } = where;
  const upper = ctx.defaultCountry.toUpperCase();
  const country = isSupportedCountry(upper) ? upper : undefined;
  const lead = normalisePhone(ctx.leadPhone, country);
  const leadDigits = (ctx.leadPhone ?? '').replace(/\D/g, '');
  return findPhoneNumbersInText(masked, country ? { defaultCountry: country } : undefined).flatMap((f) => {
    const raw = body.slice(f.startsAt, f.endsAt);
    const read = normalisePhone(raw, country);
    if (!read.ok) return [];
    const own = (lead.ok && lead.e164 === read.e164) || (leadDigits.length >= 6 && raw.replace(/\D/g, '') === leadDigits);
    const gap = (e: Email) => (e.end <= f.startsAt ? f.startsAt - e.end : e.at - f.endsAt);
    const owner = emails.filter((e) => sentenceOf(e.at) === sentenceOf(f.startsAt)).sort((a, b) => gap(a) - gap(b))[0];
    const usable = !own && !selfRef(f.startsAt) && owner?.usable !== false;
    return [{ at: f.startsAt, end: f.endsAt, e164: read.e164, usable, owner }];
  });
}

/** What the referral phrase points at: "the right person is X" over "talk to X" over "talk to our ...". */
function findAnchor(masked: string): Anchor | undefined {
  const anchors: Anchor[] = [];
  for (const m of masked.matchAll(FORWARD)) {
    const name = splitName(m.groups?.name);
    if (!name && m.groups?.weak) continue;
    const nameAt = name ? m.index + m[0].length - (m.groups?.name ?? '').length : undefined;
    anchors.push({ at: m.index, end: m.index + m[0].length, strength: m.groups?.strong ? 3 : name ? 2 : 1, name, nameAt });
  }
  for (const m of masked.matchAll(BACKWARD)) {
    const name = splitName(m.groups?.name);
    if (name) anchors.push({ at: m.index, end: m.index + m[0].length, strength: m.groups?.strong ? 3 : 2, name, nameAt: m.index });
  }
  return anchors.sort((a, b) => b.strength - a.strength || a.at - b.at)[0];
}

/** Text between a name (or address) and a title that makes the title theirs: ", our ", " (", " is the ". */
const attached = (gap: string) => LEFT_GAP.test(gap.replace(TITLES, ' '));

export function readReferral(text: string, ctx: ReferralContext): Referral | null {
  const body = dropSignature(replyBody(text).replace(/[\u2018\u2019\u02bc]/g, "'"));
  const spans = sentences(body);
  const sentenceAt = new Int32Array(body.length + 1).fill(spans.length - 1);
  spans.forEach((s, i) => sentenceAt.fill(i, s.at, s.end));
  const sentenceOf = (pos: number) => sentenceAt[pos] ?? 0;
  const paraOf = (pos: number) => spans[sentenceOf(pos)]!.para;
  const where: Where = { sentenceOf, selfRef: (at) => SELF.test(body.slice(Math.max(0, at - 60), at)) };
  const emails = readEmails(body, ctx, where);
  const masked = blank(body, emails);
  const phones = readPhones(body, masked, emails, ctx, where);
  const titled = blank(masked, phones);
  const anchor = findAnchor(masked);
  const target = anchor?.name;

  // The address: the one written with the name pointed at, else the next one after the phrase; personal over role.
  const usable = emails.filter((e) => e.usable);
  const personal = usable.filter((e) => !e.role);
  const pool = personal.length > 0 ? personal : usable;
  let email = target
    ? (pool.find((e) => e.name && sameName(e.name, target)) ?? pool.find((e) => localMatches(e.local, target)))
    : undefined;
  if (!email && anchor) email = pool.find((e) => e.at >= anchor.at) ?? pool.filter((e) => e.at < anchor.at).pop();
  email ??= pool.find((e) => e.domain === ctx.leadCompanyDomain?.toLowerCase()) ?? pool[0];

  // The phone: that address's own, else one beside it or in the phrase's sentence; with no address, the next after the phrase.
  const free = phones.filter((p) => p.usable && !p.owner);
  let phone: Phone | undefined;
  if (email) {
    const chosen = email;
    const near = (p: Phone) =>
      Math.abs(sentenceOf(p.at) - sentenceOf(chosen.at)) <= 1 || (!!anchor && sentenceOf(p.at) === sentenceOf(anchor.at));
    const own = phones
      .filter((p) => p.usable && p.owner === chosen)
      .sort((a, b) => Math.abs(a.at - chosen.at) - Math.abs(b.at - chosen.at));
    phone = own[0] ?? free.find((p) => paraOf(p.at) === paraOf(chosen.at) && near(p));
  } else if (anchor) {
    const para = paraOf(anchor.at);
    phone =
      free.find((p) => p.at >= anchor.at && paraOf(p.at) <= para + 1) ??
      free.filter((p) => p.at < anchor.at && paraOf(p.at) === para).pop();
  } else phone = free[0];
  if (!email && !phone) return null;

  // The name: written with the address, else the one pointed at, else one just before the contact, else first.last@.
  const contact = (email ?? phone)!;
  const mentions = [...masked.matchAll(NAMES)].flatMap((m) => {
    const name = GREETING.test(masked.slice(Math.max(0, m.index - 12), m.index)) ? undefined : splitName(m[0]);
    return name ? [{ at: m.index, end: m.index + m[0].length, name }] : [];
  });
  const before = mentions.filter((m) => m.end <= contact.at && sentenceOf(m.at) === sentenceOf(contact.at)).pop();
  const beside = before && attached(titled.slice(before.end, contact.at)) && (!email || fits(email, before.name)) ? before : undefined;
  let [name, nameAt] = email?.name ? [email.name, contact.at] : [undefined, undefined];
  if (!name && target && (!email || fits(email, target))) [name, nameAt] = [target, anchor.nameAt];
  if (!name && beside) [name, nameAt] = [beside.name, beside.at];
  name ??= email && nameFromLocal(email.local);

  // Evidence: the contact's sentence(s), with the phrase and the name when they are close by.
  const used = [email, phone].flatMap((f) => (f ? [sentenceOf(f.at)] : []));
  for (const pos of [anchor?.at, nameAt])
    if (pos !== undefined && Math.abs(sentenceOf(pos) - Math.min(...used)) <= 2) used.push(sentenceOf(pos));
  const [first, last] = [Math.min(...used), Math.max(...used)];
  const evidence = body.slice(spans[first]!.at, spans[last]!.end).replace(/\s+/g, ' ').trim().slice(0, 500);

  // The title: attached to our person ("Jane Smith, our CMO", "our CMO, Jane", "jane@... (VP Marketing)",
  // "she's the CMO", "talk to our CMO"), never one attached to someone else named nearby.
  const named = mentions.map((m) => ({ ...m, ours: !!name && sameName(m.name, name) }));
  const people = [...named, ...emails.map((e) => ({ ...e, ours: e === email }))].sort((a, b) => a.at - b.at);
  let title: string | undefined;
  for (const t of titled.matchAll(TITLES)) {
    const [at, end] = [t.index, t.index + t[0].length];
    if (sentenceOf(at) < first || sentenceOf(at) > last) continue;
    const left = people.filter((p) => p.end <= at).pop();
    const right = people.find((p) => p.at >= end);
    const holder =
      left && attached(titled.slice(left.end, at)) ? left : right && /^[\s,:–—-]*$/.test(titled.slice(end, right.at)) ? right : undefined;
    const pointed = !!anchor && at >= anchor.at && end <= anchor.end && name === target;
    if (holder ? holder.ours : pointed || PRONOUN.test(titled.slice(spans[sentenceOf(at)]!.at, at))) {
      title = t[0].replace(/\s+/g, ' ');
      break;
    }
  }

  const out: Referral = { evidence };
  if (email) out.email = email.address;
  if (phone) out.phoneE164 = phone.e164;
  if (name) Object.assign(out, name);
  if (title) out.title = title;
  return out;
}
