/**
 * A client with its resources, a running campaign and one lead ready for its sequence: the
 * starting point of the lead-sequence workflow tests.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { randomInt, randomUUID } from 'node:crypto';
import { createTestTenant, type testDb } from './context.js';
import { provisionClientResources, type ProviderFakes } from './provider-fakes.js';

export interface SequenceLeadSpec {
  tier: 'Hot' | 'Warm' | 'Cool' | 'Cold';
  zone?: string;
  state?: string | null;
  country?: string;
  /** E.164; null: none. Default: a mobile number no other lead has. */
  phone?: string | null;
  dncr?: 'registered' | 'not_registered';
  /** When the number was washed; null: never (a call or SMS needs a wash first). */
  washedAt?: Date | null;
  mailboxes?: number;
  /** A LinkedIn profile (default true). */
  linkedin?: boolean;
  /** The client's settings (default: a voice assistant, so calls are placed). */
  settings?: Record<string, unknown>;
}

/** The voice assistant of the test clients (the Vapi fake needs none seeded without a knowledge base). */
export const TEST_ASSISTANT = 'asst-lead-sequence';

const SCORE = { Hot: 90, Warm: 70, Cool: 45, Cold: 25 } as const;

/**
 * A valid Australian mobile number no lead has yet: the person rules (one sequence, one touch a day per
 * person) span every test sharing the database, so two tests' leads must not be one person.
 */
export async function unusedMobile(db: ReturnType<typeof testDb>): Promise<string> {
  for (;;) {
    const n = `+614${randomInt(10_000_000, 100_000_000)}`;
    // About one in ten such numbers is in a range not allocated to mobiles (044x, 0479, ...): the
    // register answers those "invalid", so only a valid one will do.
    if (!parsePhoneNumberFromString(n)?.isValid()) continue;
    if (!(await db.system.lead.findFirst({ where: { phoneE164: n }, select: { id: true } }))) return n;
  }
}

export async function seedSequenceLead(db: ReturnType<typeof testDb>, fakes: ProviderFakes, spec: SequenceLeadSpec) {
  const { client, apiKey } = await createTestTenant(db);
  const settings = (spec.settings ?? { voice: { assistantId: TEST_ASSISTANT } }) as object;
  await db.system.client.update({ where: { id: client.id }, data: { settings } });
  const res = await provisionClientResources(db, client.id, fakes, spec.mailboxes ? { mailboxes: spec.mailboxes } : {});
  const campaign = await db.system.campaign.create({
    data: { clientId: client.id, name: 'seq', icp: { description: 'We help agencies book meetings.' }, status: 'running' },
  });
  const slug = `lead-${randomUUID().slice(0, 8)}`;
  const providerId = `ACo${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  fakes.unipile.setProfile({ providerId, publicIdentifier: slug, firstName: 'Lee' } as never);
  const phone = spec.phone === undefined ? await unusedMobile(db) : spec.phone;
  const washed = spec.washedAt === undefined ? new Date() : spec.washedAt;
  const lead = await db.system.lead.create({
    data: {
      clientId: client.id,
      campaignId: campaign.id,
      sourceRow: 1,
      email: `${slug}@lead.example`,
      firstName: 'Lee',
      lastName: 'Lead',
      company: 'Lead Co',
      title: 'Founder',
      country: spec.country ?? 'AU',
      state: spec.state === undefined ? 'NSW' : spec.state,
      timezone: spec.zone ?? 'Australia/Sydney',
      timezoneSource: 'hq',
      phoneE164: phone,
      phoneCountry: phone ? 'AU' : null,
      linkedinUrl: spec.linkedin === false ? null : `https://www.linkedin.com/in/${slug}`,
      score: SCORE[spec.tier],
      tier: spec.tier,
      dncrResult: phone && washed ? (spec.dncr ?? 'not_registered') : null,
      dncrWashedAt: phone ? washed : null,
      smsConsentBasis: 'inferred_business',
    },
  });
  return { client, apiKey, campaign, lead, res, slug, providerId };
}
