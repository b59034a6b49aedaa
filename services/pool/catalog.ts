/**
 * The pool as operators see and extend it (admin, system path): domains with their mailboxes,
 * allocation and latest health; numbers and seats with their allocation; and adding resources
 * the agency already owns. SMTP and IMAP passwords are stored for sending and reading replies,
 * and never returned.
 */
import type { Db } from '../../db/client.js';
import { isUniqueViolation } from '../../db/client.js';
import type { DomainConfig } from '../../domain/config.js';
import { domainAgeDays, warmupDailyLimit, warmupRampFinalDay } from '../../domain/warmup.js';
import type { Allocations } from '../allocations.js';
import type { createPoolSnapshots } from './snapshots.js';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
export const asRecord = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** SMTP settings without the password; null = sandbox sending. */
function smtpView(v: unknown): { host: string; port: number; secure: boolean; user: string } | null {
  const s = asRecord(v);
  if (typeof s.host !== 'string') return null;
  return { host: s.host, port: num(s.port), secure: s.secure === true, user: typeof s.user === 'string' ? s.user : '' };
}

/**
 * IMAP settings without the password, with the last read (when, and its failure); absent when the
 * mailbox is not read (left out rather than null, so views of mailboxes without one are unchanged).
 */
function imapView(m: { imap: unknown; imapReadAt: Date | null; imapError: string | null }) {
  const account = smtpView(m.imap);
  return account ? { ...account, readAt: iso(m.imapReadAt), error: m.imapError } : undefined;
}

type Account = { host: string; port: number; secure: boolean; user: string; pass: string };

export interface NewDomain {
  name: string;
  status: 'warming' | 'ready';
  heatScore?: number;
  purchasedAt?: string;
  /** `imap`: the account its replies and bounces are read from (none: not read). */
  mailboxes: { email: string; senderName?: string; smtp?: Account; imap?: Account }[];
}

/** Which domains to list (all when empty). */
export interface DomainFilter {
  id?: string;
  status?: 'purchasing' | 'warming' | 'ready' | 'paused' | 'retired';
  health?: 'good' | 'warning' | 'critical';
}

/** Added, or refused because something with that name exists. */
export type Added = { id: string } | { conflict: string };

export function createPoolCatalog(
  db: Db,
  deps: { allocations: Allocations; snapshots: ReturnType<typeof createPoolSnapshots>; config: DomainConfig },
) {
  const holders = deps.allocations.system.holders;

  const system = {
    /** Domains with their mailboxes, open allocations and latest health snapshot (ED-004). */
    async domains(f: DomainFilter = {}) {
      const where = {
        ...(f.id ? { id: f.id } : {}),
        ...(f.status ? { status: f.status } : {}),
        ...(f.health ? { healthClass: f.health } : {}),
      };
      const domains = await db.system.domain.findMany({
        where,
        orderBy: [{ name: 'asc' }],
        include: { mailboxes: { orderBy: { email: 'asc' } } },
      });
      const ids = domains.map((d) => d.id);
      const [domainAlloc, mailboxAlloc, latest] = await Promise.all([
        holders('domain', ids),
        holders(
          'mailbox',
          domains.flatMap((d) => d.mailboxes.map((m) => m.id)),
        ),
        deps.snapshots.system.latestHealth('domain', ids),
      ]);
      return domains.map((d) => {
        const snap = latest.get(d.id);
        const m = asRecord(snap?.metrics);
        return {
          id: d.id,
          name: d.name,
          status: d.status,
          heatScore: d.heatScore,
          healthClass: d.healthClass,
          criticalSince: iso(d.criticalSince),
          purchasedAt: iso(d.purchasedAt),
          readyAt: iso(d.readyAt),
          retiredAt: iso(d.retiredAt),
          createdAt: d.createdAt.toISOString(),
          allocatedTo: domainAlloc.get(d.id) ?? null,
          mailboxes: d.mailboxes.map((mb) => ({
            id: mb.id,
            email: mb.email,
            status: mb.status,
            dailyLimit: mb.dailyLimit,
            senderName: mb.senderName,
            smtp: smtpView(mb.smtp),
            imap: imapView(mb),
            allocatedTo: mailboxAlloc.get(mb.id) ?? null,
          })),
          health: snap
            ? {
                day: snap.day,
                takenAt: snap.takenAt.toISOString(),
                healthClass: snap.healthClass,
                sent: num(m.sent),
                bounced: num(m.bounced),
                complaints: num(m.complaints),
                bounceRate: num(m.bounceRate),
                complaintRate: num(m.complaintRate),
              }
            : null,
        };
      });
    },

    async numbers(f: { id?: string } = {}) {
      const rows = await db.system.phoneNumber.findMany({ where: f.id ? { id: f.id } : {}, orderBy: [{ e164: 'asc' }] });
      const alloc = await holders(
        'phone_number',
        rows.map((r) => r.id),
      );
      return rows.map((n) => ({
        id: n.id,
        e164: n.e164,
        country: n.country,
        status: n.status,
        providerRef: n.providerRef,
        voiceRef: n.voiceRef,
        allocatedTo: alloc.get(n.id) ?? null,
        createdAt: n.createdAt.toISOString(),
      }));
    },

    async seats(f: { id?: string } = {}) {
      const rows = await db.system.linkedInSeat.findMany({
        where: f.id ? { id: f.id } : {},
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      });
      const alloc = await holders(
        'linkedin_seat',
        rows.map((r) => r.id),
      );
      return rows.map((s) => ({
        id: s.id,
        accountRef: s.accountRef,
        displayName: s.displayName,
        timezone: s.timezone,
        status: s.status,
        health: s.health,
        acceptRate: s.acceptRate,
        allocatedTo: alloc.get(s.id) ?? null,
        createdAt: s.createdAt.toISOString(),
      }));
    },

    /**
     * A domain the agency owns, with its mailboxes. Their daily limit is the warmup ramp's for the
     * domain's age (ED-001): from its purchase date when given; without one a ready domain counts
     * as past its ramp and a warming one as bought today.
     */
    async addDomain(b: NewDomain, now = new Date()): Promise<Added> {
      const age = b.purchasedAt ? domainAgeDays(new Date(b.purchasedAt), now) : b.status === 'ready' ? warmupRampFinalDay(deps.config) : 1;
      const dailyLimit = warmupDailyLimit(age, deps.config);
      const [domainTaken, mailboxesTaken] = await Promise.all([
        db.system.domain.findUnique({ where: { name: b.name }, select: { id: true } }),
        b.mailboxes.length
          ? db.system.mailbox.findMany({ where: { email: { in: b.mailboxes.map((m) => m.email) } }, select: { email: true } })
          : Promise.resolve([]),
      ]);
      if (domainTaken) return { conflict: `the domain ${b.name} is already in the pool` };
      if (mailboxesTaken.length) return { conflict: `mailbox ${mailboxesTaken.map((m) => m.email).join(', ')} already exists` };
      return created(`the domain ${b.name} or one of its mailboxes already exists`, () =>
        db.system.domain.create({
          data: {
            name: b.name,
            status: b.status,
            heatScore: b.heatScore ?? null,
            purchasedAt: b.purchasedAt ? new Date(b.purchasedAt) : null,
            readyAt: b.status === 'ready' ? now : null,
            mailboxes: {
              create: b.mailboxes.map((m) => ({
                email: m.email,
                status: b.status,
                dailyLimit,
                senderName: m.senderName ?? null,
                ...(m.smtp ? { smtp: m.smtp } : {}),
                ...(m.imap ? { imap: m.imap } : {}),
              })),
            },
          },
          select: { id: true },
        }),
      );
    },

    /** A number the agency owns, ready to send from. */
    async addNumber(n: { e164: string; country: string; voiceRef: string | null }): Promise<Added> {
      const conflict = `the number ${n.e164} is already in the pool`;
      if (await db.system.phoneNumber.findUnique({ where: { e164: n.e164 }, select: { id: true } })) return { conflict };
      return created(conflict, () => db.system.phoneNumber.create({ data: { ...n, status: 'ready' }, select: { id: true } }));
    },

    /** A connected LinkedIn account (Unipile account id) as a ready seat. */
    async addSeat(s: { accountRef: string; displayName?: string; timezone: string }): Promise<Added> {
      const conflict = `the LinkedIn account ${s.accountRef} is already a seat in the pool`;
      if (await db.system.linkedInSeat.findUnique({ where: { accountRef: s.accountRef }, select: { id: true } })) return { conflict };
      return created(conflict, () =>
        db.system.linkedInSeat.create({
          data: { accountRef: s.accountRef, displayName: s.displayName ?? null, timezone: s.timezone, status: 'ready', health: 'ok' },
          select: { id: true },
        }),
      );
    },
  };
  return { system };
}

/** Creates, or answers the conflict when a concurrent request created the same name first. */
async function created(conflict: string, create: () => Promise<{ id: string }>): Promise<Added> {
  try {
    return { id: (await create()).id };
  } catch (err) {
    if (isUniqueViolation(err)) return { conflict };
    throw err;
  }
}
