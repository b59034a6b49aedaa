/**
 * The pool's resources as the system works them (system path): mailboxes and numbers to send
 * from, domains and their mailboxes bought, warmed, classified and retired, numbers bought,
 * LinkedIn seats joining the pool and changing health. The admin views are in catalog.ts.
 */
import type { Db } from '../../db/client.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { SmtpAccount } from '../../providers/ports.js';
import type { Allocations } from '../allocations.js';

/**
 * A mailbox's stored mail account (SMTP or IMAP settings) read field by field, or null when it is
 * missing or incomplete; `secure` defaults to whether the port is the protocol's TLS port.
 */
export function storedMailAccount(stored: unknown, tlsPort: number): SmtpAccount | null {
  if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return null;
  const s = stored as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
  const host = text(s.host);
  const user = text(s.user);
  const pass = typeof s.pass === 'string' && s.pass !== '' ? s.pass : undefined;
  const port = typeof s.port === 'number' && Number.isInteger(s.port) && s.port > 0 && s.port < 65_536 ? s.port : undefined;
  if (!host || !user || !pass || !port) return null;
  return { host, port, secure: typeof s.secure === 'boolean' ? s.secure : port === tlsPort, user, pass };
}

/** A mailbox's stored SMTP settings as an account (465: TLS from the first byte), or null. */
export const smtpAccountOf = (stored: unknown): SmtpAccount | null => storedMailAccount(stored, 465);

type DomainUpdate = Prisma.DomainUpdateInput;
type SeatUpdate = Pick<Prisma.LinkedInSeatUpdateInput, 'health' | 'status' | 'acceptRate'>;

export function createPoolInventory(db: Db, deps: { allocations: Allocations }) {
  const { domain, mailbox, phoneNumber, linkedInSeat } = db.system;
  return {
    system: {
      // ---- sending ---------------------------------------------------------------------------
      /**
       * These mailboxes with their domains and SMTP accounts (null: none), for the rotation: each
       * row's dailyLimit is the ramp's limit, resolved per send with its domain's health and heat
       * (domain/warmup.ts mailboxSendLimit, ED-001 ED-006).
       */
      mailboxesWithDomains: async (ids: string[]) =>
        (await mailbox.findMany({ where: { id: { in: ids } }, include: { domain: true } })).map((m) => ({
          ...m,
          smtp: smtpAccountOf(m.smtp),
        })),
      /** The ready numbers among these, in a stable order. */
      readyNumbers: (ids: string[]) => phoneNumber.findMany({ where: { id: { in: ids }, status: 'ready' }, orderBy: { id: 'asc' } }),

      // ---- domains and mailboxes ---------------------------------------------------------------
      async takenDomainNames(names: string[]): Promise<Set<string>> {
        return new Set((await domain.findMany({ where: { name: { in: names } }, select: { name: true } })).map((d) => d.name));
      },
      /** The domain row of a purchase (created as purchasing unless it exists). */
      domainForPurchase: (name: string) => domain.upsert({ where: { name }, update: {}, create: { name, status: 'purchasing' } }),
      updateDomain: (id: string, data: DomainUpdate) => domain.update({ where: { id }, data }),
      countMailboxes: (domainId: string) => mailbox.count({ where: { domainId } }),
      /**
       * A bought mailbox with its SMTP and IMAP credentials (created warming unless it exists).
       * Credentials saved again clear the last read's failure, so the next read tries them at once.
       */
      saveBoughtMailbox: (m: { domainId: string; email: string; providerRef: string; senderName: string; smtp: object; imap: object }) =>
        mailbox.upsert({
          where: { email: m.email },
          update: { providerRef: m.providerRef, smtp: m.smtp, imap: m.imap, imapError: null },
          create: {
            domainId: m.domainId,
            email: m.email,
            status: 'warming',
            providerRef: m.providerRef,
            senderName: m.senderName,
            smtp: m.smtp,
            imap: m.imap,
          },
        }),
      domainWithMailboxes: (id: string) => domain.findUnique({ where: { id }, include: { mailboxes: true } }),

      /**
       * One warmup day, all or nothing: the ramp's limit on the domain's live mailboxes (the
       * daily_limit every send takes its limit from, ED-001), its warming mailboxes made ready when
       * the domain is (a paused one stays paused), and the domain's heat score and readiness.
       */
      async applyWarmupDay(domainId: string, w: { limit: number; heatScore: number | null; ready: boolean; domainUpdate: DomainUpdate }) {
        await db.system.$transaction([
          mailbox.updateMany({ where: { domainId, status: { not: 'retired' } }, data: { dailyLimit: w.limit } }),
          ...(w.ready ? [mailbox.updateMany({ where: { domainId, status: 'warming' }, data: { status: 'ready' } })] : []),
          domain.update({ where: { id: domainId }, data: { heatScore: w.heatScore, ...w.domainUpdate } }),
        ]);
      },

      /** Domains the health monitor classifies (warming, ready, paused). */
      liveDomains: () => domain.findMany({ where: { status: { in: ['warming', 'ready', 'paused'] } } }),

      /** A domain about to be retired, and the ids of it and its mailboxes (whose holders get a replacement). */
      async domainForRetirement(id: string) {
        const d = await domain.findUniqueOrThrow({ where: { id }, include: { mailboxes: { select: { id: true, email: true } } } });
        return { domain: d, resourceIds: [d.id, ...d.mailboxes.map((m) => m.id)] };
      },
      /** Takes a domain and its mailboxes out of the pool for good and ends their allocations, in one transaction (RP-009). */
      async retireDomain(domainId: string, resourceIds: string[], retiredAt: Date, now: Date): Promise<void> {
        await db.system.$transaction([
          domain.update({ where: { id: domainId }, data: { status: 'retired', retiredAt } }),
          mailbox.updateMany({ where: { domainId }, data: { status: 'retired' } }),
          deps.allocations.system.releaseResources(resourceIds, now),
        ]);
      },

      // ---- numbers -----------------------------------------------------------------------------
      number: (id: string) => phoneNumber.findUniqueOrThrow({ where: { id } }),
      /** A bought number (created ready unless it exists). */
      saveBoughtNumber: (n: { e164: string; country: string; providerRef: string }) =>
        phoneNumber.upsert({ where: { e164: n.e164 }, update: { providerRef: n.providerRef }, create: { ...n, status: 'ready' } }),
      setVoiceRef: (id: string, voiceRef: string) => phoneNumber.update({ where: { id }, data: { voiceRef } }),

      // ---- seats -------------------------------------------------------------------------------
      async knownAccounts(): Promise<Set<string>> {
        return new Set((await linkedInSeat.findMany({ select: { accountRef: true } })).map((s) => s.accountRef));
      },
      addSeat: (s: {
        accountRef: string;
        displayName: string | null;
        status: 'ready' | 'paused';
        health: 'ok' | 'checkpoint' | 'restricted';
      }) => linkedInSeat.create({ data: s }),
      seatByAccount: (accountRef: string) => linkedInSeat.findUnique({ where: { accountRef } }),
      /** Seats the health monitor checks (ready, paused, warming). */
      liveSeats: () => linkedInSeat.findMany({ where: { status: { in: ['ready', 'paused', 'warming'] } } }),
      updateSeat: (id: string, data: SeatUpdate) => linkedInSeat.update({ where: { id }, data }),
    },
  };
}
export type PoolInventory = ReturnType<typeof createPoolInventory>;
