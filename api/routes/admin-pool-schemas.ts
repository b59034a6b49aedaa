/**
 * Request and response schemas of the admin pool routes (RP-002, ED-004): the buffer per
 * resource type, domains with mailboxes and health, numbers, seats, history, and adding what the
 * agency already owns. Numbers are validated with libphonenumber-js and stored in E.164.
 */
import { z } from 'zod';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { IanaTimezone, IsoDateTime } from '../schemas.js';

export const Level = z.enum(['ok', 'warning', 'critical']);
export const ResourceStatus = z.enum(['purchasing', 'warming', 'ready', 'paused', 'retired']);
export const DbResourceType = z.enum(['domain', 'mailbox', 'phone_number', 'linkedin_seat']);

export const TypeBuffer = z.object({
  readyUnallocated: z.number(),
  allocated: z.number(),
  pending: z.number(),
  /** round(100 x readyUnallocated / allocated); null when nothing is allocated. */
  bufferPercent: z.number().nullable(),
  level: Level,
  /** How many to buy to bring the buffer back to the target, counting what is pending. */
  shortfall: z.number(),
});

export const PoolOut = z.object({
  takenAt: z.string(),
  types: z.object({ domains: TypeBuffer, mailboxes: TypeBuffer, phoneNumbers: TypeBuffer, linkedinSeats: TypeBuffer }),
  purchases: z.object({
    /** Purchases not completed nor failed (requested, bought, awaiting an operator). */
    open: z.number(),
    /** LinkedIn seat requests waiting for an operator to connect an account at the link. */
    awaitingOperator: z.array(z.object({ tag: z.string(), url: z.string(), expiresAt: z.string().nullable() })),
  }),
  /** Unresolved alerts (all kinds). */
  openAlerts: z.number(),
});

export const SmtpOut = z.object({ host: z.string(), port: z.number(), secure: z.boolean(), user: z.string() }).nullable();

/** The IMAP account without its password, and how its last read went. */
export const ImapOut = z.object({
  host: z.string(),
  port: z.number(),
  secure: z.boolean(),
  user: z.string(),
  /** When it was last read (successfully or not); null: not yet. */
  readAt: z.string().nullable(),
  /** Why that read failed (`auth_failed: ...`, `unreachable: ...`); null when it succeeded. */
  error: z.string().nullable(),
});

export const MailboxOut = z.object({
  id: z.string(),
  email: z.string(),
  status: z.string(),
  dailyLimit: z.number(),
  senderName: z.string().nullable(),
  /** The SMTP account without its password; null = sandbox sending. */
  smtp: SmtpOut,
  /** The IMAP account its replies and bounces are read from; absent when it is not read. */
  imap: ImapOut.optional(),
  allocatedTo: z.string().nullable(),
});

export const DomainHealthOut = z
  .object({
    day: z.string(),
    takenAt: z.string(),
    healthClass: z.string(),
    sent: z.number(),
    bounced: z.number(),
    complaints: z.number(),
    /** Fractions over the last 30 days (0.02 = 2%). */
    bounceRate: z.number(),
    complaintRate: z.number(),
  })
  .nullable();

export const DomainOut = z.object({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  heatScore: z.number().nullable(),
  healthClass: z.string(),
  criticalSince: z.string().nullable(),
  purchasedAt: z.string().nullable(),
  readyAt: z.string().nullable(),
  retiredAt: z.string().nullable(),
  createdAt: z.string(),
  allocatedTo: z.string().nullable(),
  mailboxes: z.array(MailboxOut),
  /** The latest daily health check (ED-004); null before the first one. */
  health: DomainHealthOut,
});

export const PhoneNumberOut = z.object({
  id: z.string(),
  e164: z.string(),
  country: z.string(),
  status: z.string(),
  providerRef: z.string().nullable(),
  voiceRef: z.string().nullable(),
  allocatedTo: z.string().nullable(),
  createdAt: z.string(),
});

export const SeatOut = z.object({
  id: z.string(),
  accountRef: z.string(),
  displayName: z.string().nullable(),
  timezone: z.string(),
  status: z.string(),
  health: z.string(),
  acceptRate: z.number().nullable(),
  allocatedTo: z.string().nullable(),
  createdAt: z.string(),
});

export const SnapshotOut = z.object({
  id: z.string(),
  takenAt: z.string(),
  resourceType: z.string(),
  readyUnallocated: z.number(),
  allocated: z.number(),
  pending: z.number(),
  buffer: z.number().nullable(),
  level: z.string(),
});

export const HealthSnapshotOut = z.object({
  resourceType: z.string(),
  resourceId: z.string(),
  day: z.string(),
  healthClass: z.string(),
  metrics: z.record(z.string(), z.unknown()),
  takenAt: z.string(),
});

const DOMAIN_NAME = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export const SmtpIn = z.strictObject({
  host: z.string().trim().min(1).max(253),
  port: z.int().min(1).max(65_535),
  secure: z.boolean(),
  user: z.string().min(1).max(320),
  pass: z.string().min(1).max(1000),
});

export const MailboxIn = z.strictObject({
  email: z.email({ message: 'not an email address' }).transform((e) => e.toLowerCase()),
  senderName: z.string().trim().min(1).max(200).optional(),
  smtp: SmtpIn.optional(),
  /** The IMAP account (same fields) its replies and late bounces are read from; without one the mailbox is not read. */
  imap: SmtpIn.optional(),
});

export const AddDomainBody = z
  .strictObject({
    name: z.string().trim().toLowerCase().regex(DOMAIN_NAME, { message: 'not a domain name such as example.com' }),
    status: z.enum(['warming', 'ready']).default('warming'),
    heatScore: z.int().min(0).max(100).optional(),
    purchasedAt: IsoDateTime.optional(),
    mailboxes: z.array(MailboxIn).max(10, { message: 'at most 10 mailboxes per domain' }).default([]),
  })
  .superRefine((b, ctx) => {
    const seen = new Set<string>();
    b.mailboxes.forEach((m, i) => {
      if (!m.email.endsWith(`@${b.name}`)) {
        ctx.addIssue({ code: 'custom', path: ['mailboxes', i, 'email'], message: `${m.email} is not on the domain ${b.name}` });
      }
      if (seen.has(m.email)) ctx.addIssue({ code: 'custom', path: ['mailboxes', i, 'email'], message: `${m.email} is listed twice` });
      seen.add(m.email);
    });
  });

/** The number is validated (libphonenumber-js) and stored in E.164; a national number is read in `country`. */
export const AddPhoneNumberBody = z
  .strictObject({
    e164: z.string().trim().min(3).max(40),
    country: z
      .string()
      .regex(/^[A-Za-z]{2}$/, { message: 'use an ISO 3166 alpha-2 code such as AU' })
      .transform((c) => c.toUpperCase())
      .optional(),
    voiceRef: z.string().trim().min(1).max(200).optional(),
  })
  .transform((b, ctx) => {
    const parsed = parsePhoneNumberFromString(b.e164, b.country ? { defaultCountry: b.country as CountryCode } : undefined);
    if (!parsed || !parsed.isValid()) {
      ctx.addIssue({
        code: 'custom',
        path: ['e164'],
        message: `${b.e164} is not a valid phone number${b.country ? ` in ${b.country}` : ' (give it in E.164 form, such as +61412345678)'}`,
      });
      return z.NEVER;
    }
    const country = b.country ?? parsed.country;
    if (!country) {
      ctx.addIssue({ code: 'custom', path: ['country'], message: 'the number belongs to no single country: give the country' });
      return z.NEVER;
    }
    return { e164: String(parsed.number), country, voiceRef: b.voiceRef ?? null };
  });

export const AddSeatBody = z.strictObject({
  accountRef: z.string().trim().min(1).max(200),
  displayName: z.string().trim().min(1).max(200).optional(),
  timezone: IanaTimezone.default('Australia/Sydney'),
});

export const DomainsQuery = z.object({
  status: ResourceStatus.optional(),
  health: z.enum(['good', 'warning', 'critical']).optional(),
});

export const SnapshotsQuery = z.object({
  resourceType: DbResourceType.optional(),
  since: IsoDateTime.optional(),
  limit: z.coerce.number().int().min(1).max(2000).default(200),
});

export const HealthQuery = z.object({
  resourceType: z.enum(['domain', 'linkedin_seat']).default('domain'),
  resourceId: z.uuid({ message: 'must be a UUID' }).optional(),
  days: z.coerce.number().int().min(1).max(400).default(30),
});
