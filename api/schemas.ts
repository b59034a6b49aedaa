/** Request and response schemas shared by the routes (zod; also the OpenAPI document). */
import { z } from 'zod';

export const IdParams = z.object({ id: z.uuid({ message: 'must be a UUID' }) });

/** An ISO 8601 date-time with its offset, within what the database holds (years 1 to 9999 in UTC). */
export const IsoDateTime = z.iso.datetime({ offset: true, message: 'not an ISO 8601 date-time' }).refine((v) => {
  const year = new Date(v).getUTCFullYear();
  return year >= 1 && year <= 9999;
}, 'a date-time between the years 1 and 9999');

/** A 32-bit row position or count, as the database stores them. */
export const MAX_INT32 = 2_147_483_647;

export const ErrorBody = z.object({
  error: z.string(),
  message: z.string(),
  issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  details: z.unknown().optional(),
  requestId: z.string().optional(),
});

const label = z.string().trim().min(1).max(100);

/** An IANA time zone name the runtime knows (Australia/Sydney, America/New_York, ...). */
export const IanaTimezone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not an IANA time zone such as Australia/Sydney' },
);

/** A client (tenant) as the API shows it. */
export const ClientOut = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  status: z.string(),
  tier: z.string().nullable(),
  defaultTimezone: z.string(),
  defaultCountry: z.string(),
  createdAt: z.string(),
});

/** The ideal customer profile. A campaign carries no sequence: sequences are generated (AD-001, AD-002). */
export const IcpSchema = z
  .strictObject({
    description: z.string().max(2000).optional(),
    industries: z.array(label).max(50).default([]),
    titles: z.array(label).max(50).default([]),
    countries: z
      .array(
        z
          .string()
          .regex(/^[A-Za-z]{2}$/, { message: 'use ISO 3166 alpha-2 codes such as AU' })
          .transform((c) => c.toUpperCase()),
      )
      .max(50)
      .default([]),
    employeeMin: z.int().min(0).optional(),
    employeeMax: z.int().min(1).optional(),
    keywords: z.array(label).max(100).default([]),
  })
  .refine((icp) => icp.employeeMin === undefined || icp.employeeMax === undefined || icp.employeeMin <= icp.employeeMax, {
    message: 'employeeMin must not exceed employeeMax',
    path: ['employeeMin'],
  });

export const CampaignFields = z.strictObject({
  name: z.string().trim().min(1).max(200),
  icp: IcpSchema,
});

export const LeadSourceSpec = z.strictObject({
  /** SYS-001 sourcing: find the leads with a sourcing API from the ICP instead of a list. */
  type: z.literal('apollo'),
  limit: z.int().min(1).max(10_000),
});

export const CreateCampaignJsonBody = CampaignFields.extend({
  leads: z.array(z.record(z.string(), z.unknown())).min(1, { message: 'the lead list is empty' }).optional(),
  source: LeadSourceSpec.optional(),
}).refine((b) => Boolean(b.leads) !== Boolean(b.source), {
  message: 'give either a lead list (leads) or a lead source (source), not both',
  path: ['leads'],
});

export const ProgressSchema = z.object({
  stage: z.string(),
  total: z.number(),
  imported: z.number(),
  invalidPhones: z.number().optional(),
  batchesDone: z.number().optional(),
  enriched: z.number().optional(),
  washed: z.number().optional(),
  washFailed: z.number().optional(),
  scoredByTier: z.record(z.string(), z.number()).optional(),
  signals: z.object({ person: z.record(z.string(), z.number()), email: z.record(z.string(), z.number()) }).optional(),
  sequencesStarted: z.number().optional(),
  updatedAt: z.string().optional(),
  source: z.enum(['workflow', 'database']),
});

export const CampaignSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  icp: z.unknown(),
  leadTotal: z.number(),
  workflowId: z.string().nullable(),
  createdAt: z.string(),
  progress: ProgressSchema.optional(),
  /** On upload: rows accepted with a problem (a phone number that cannot be read), by row, line and field. */
  warnings: z.array(z.object({ row: z.number(), line: z.number().optional(), field: z.string(), message: z.string() })).optional(),
});
