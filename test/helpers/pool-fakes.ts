/**
 * The resource-pool providers for workflow and end-to-end tests: the real InfraForge, Warmforge,
 * Twilio and Unipile adapters pointed at local wire-format fakes that record every purchase,
 * plus sandbox messaging (the pool tests send nothing; app/providers.ts sandboxProviders). And a pool seeder.
 */
import { randomUUID } from 'node:crypto';
import { InfraForgeFake } from '../fakes/infraforge-fake.js';
import { WarmforgeFake } from '../fakes/warmforge-fake.js';
import { TwilioFake } from '../fakes/twilio-fake.js';
import { createUnipileFake } from '../fakes/unipile-fake.js';
import { VapiFake } from '../fakes/vapi-fake.js';
import { bindVoiceNumbers, createVapiNumberRegistry } from '../../providers/vapi/phone-numbers.js';
import { createInfraForgeRegistrar } from '../../providers/forge/infraforge.js';
import { createWarmforgeService } from '../../providers/forge/warmforge.js';
import { createTwilioNumberProvider } from '../../providers/twilio/numbers.js';
import { createUnipileSeatProvider } from '../../providers/unipile/seats.js';
import { createMemoryRecorder } from '../../providers/sandbox/index.js';
import { sandboxProviders } from '../../app/providers.js';
import type { PoolProviders, ProviderSet } from '../../providers/ports.js';
import type { Db } from '../../db/client.js';
import { randomMobile } from './webhook-fixtures.js';

export const POOL_TWILIO_SID = `AC${'1'.repeat(32)}`;
export const POOL_TWILIO_TOKEN = 'pool-twilio-token';
export const POOL_UNIPILE_KEY = 'pool-unipile-key';
export const POOL_VAPI_KEY = 'pool-vapi-key';

/** The registrant contact the pool tests buy domains with. */
export const POOL_CONTACT = {
  firstName: 'Ops',
  lastName: 'Team',
  email: 'ops@agency.test',
  phone: '+61.290000000',
  organization: 'Agency',
  address1: '1 Test St',
  city: 'Sydney',
  province: 'NSW',
  postalCode: '2000',
  country: 'AU',
};

export async function startPoolFakes() {
  const infraforge = new InfraForgeFake();
  const warmforge = new WarmforgeFake();
  const twilio = new TwilioFake({ accountSid: POOL_TWILIO_SID, authToken: POOL_TWILIO_TOKEN });
  const unipile = createUnipileFake({ apiKey: POOL_UNIPILE_KEY });
  const vapi = new VapiFake({ apiKey: POOL_VAPI_KEY });
  const [ifAddr, wfAddr, twAddr, upAddr, vaAddr] = await Promise.all([
    infraforge.start(),
    warmforge.start(),
    twilio.start(),
    unipile.start(),
    vapi.start(),
  ]);
  const pool: PoolProviders = {
    // The HTTP clients' timeouts as in production (30 s): a fake answering late on a busy machine is
    // no failure of the provider client.
    registrar: createInfraForgeRegistrar({
      baseUrl: ifAddr.baseUrl,
      apiKey: infraforge.apiKey,
      workspaceId: infraforge.workspaceId,
      contact: POOL_CONTACT,
      timeoutMs: 30_000,
    }),
    warmup: createWarmforgeService({
      baseUrl: wfAddr.baseUrl,
      apiKey: warmforge.apiKey,
      workspaceId: warmforge.workspaceId,
      timeoutMs: 30_000,
    }),
    numbers: createTwilioNumberProvider({ accountSid: POOL_TWILIO_SID, authToken: POOL_TWILIO_TOKEN, baseUrl: twAddr.baseUrl }),
    seats: createUnipileSeatProvider({ dsn: upAddr.baseUrl, apiKey: POOL_UNIPILE_KEY }),
    voiceNumbers: bindVoiceNumbers(createVapiNumberRegistry({ apiKey: POOL_VAPI_KEY, baseUrl: vaAddr.baseUrl }), {
      accountSid: POOL_TWILIO_SID,
      authToken: POOL_TWILIO_TOKEN,
    }),
  };
  const providers: ProviderSet = sandboxProviders(createMemoryRecorder(), { pool });
  return {
    infraforge,
    warmforge,
    twilio,
    unipile,
    vapi,
    pool,
    providers,
    reset() {
      infraforge.reset();
      warmforge.reset();
      twilio.reset();
      unipile.reset();
      vapi.reset();
    },
    async stop() {
      await Promise.all([infraforge.stop(), warmforge.stop(), twilio.stop(), unipile.stop(), vapi.stop()]);
    },
  };
}
export type PoolFakes = Awaited<ReturnType<typeof startPoolFakes>>;

const DAY = 86_400_000;

/** Ready pool resources: warmed domains with two mailboxes each, numbers, seats (optionally allocated to a client). */
export async function seedPool(
  db: Db,
  counts: { domains?: number; numbers?: number; seats?: number },
  opts: { allocateTo?: string; nowMs?: number; heatScore?: number } = {},
) {
  const now = opts.nowMs ?? Date.now();
  const tag = randomUUID().slice(0, 8);
  const out = { domains: [] as string[], mailboxes: [] as string[], numbers: [] as string[], seats: [] as string[] };
  const alloc = async (resourceType: 'domain' | 'mailbox' | 'phone_number' | 'linkedin_seat', resourceId: string) => {
    if (opts.allocateTo)
      await db.system.resourceAllocation.create({
        data: { clientId: opts.allocateTo, resourceType, resourceId, allocatedAt: new Date(now) },
      });
  };
  for (let i = 0; i < (counts.domains ?? 0); i++) {
    const name = `pool-${tag}-${i}.test`;
    const d = await db.system.domain.create({
      data: {
        name,
        status: 'ready',
        heatScore: opts.heatScore ?? 90,
        purchasedAt: new Date(now - 40 * DAY),
        readyAt: new Date(now - 15 * DAY),
        createdAt: new Date(now - 40 * DAY + i * 1000),
      },
    });
    out.domains.push(d.id);
    await alloc('domain', d.id);
    for (const local of ['alex', 'sam']) {
      const m = await db.system.mailbox.create({
        data: { domainId: d.id, email: `${local}@${name}`, status: 'ready', senderName: `${local} sender`, dailyLimit: 50 },
      });
      out.mailboxes.push(m.id);
      await alloc('mailbox', m.id);
    }
  }
  for (let i = 0; i < (counts.numbers ?? 0); i++) {
    const n = await db.system.phoneNumber.create({
      data: {
        e164: randomMobile(),
        country: 'AU',
        status: 'ready',
        voiceRef: `vapi-${tag}-${i}`,
      },
    });
    out.numbers.push(n.id);
    await alloc('phone_number', n.id);
  }
  for (let i = 0; i < (counts.seats ?? 0); i++) {
    const s = await db.system.linkedInSeat.create({
      data: { accountRef: `seat-${tag}-${i}`, status: 'ready', createdAt: new Date(now - 60 * DAY) },
    });
    out.seats.push(s.id);
    await alloc('linkedin_seat', s.id);
  }
  return out;
}

/** Empty every pool, billing and tenant table of a test database (the pool tests own theirs). */
export async function resetPoolDatabase(db: Db): Promise<void> {
  await db.system.$executeRawUnsafe(
    'TRUNCATE clients, domains, mailboxes, phone_numbers, linkedin_seats, resource_allocations, pool_purchases, pool_snapshots, health_snapshots, alerts, subscriptions, webhook_events, sandbox_outbox CASCADE',
  );
}

/** What a client holds now, counted per type. */
export async function heldCounts(db: Db, clientId: string) {
  const rows = await db.system.resourceAllocation.groupBy({ by: ['resourceType'], where: { clientId, releasedAt: null }, _count: true });
  const n = (t: string) => rows.find((r) => r.resourceType === t)?._count ?? 0;
  return { domains: n('domain'), mailboxes: n('mailbox'), phoneNumbers: n('phone_number'), linkedinSeats: n('linkedin_seat') };
}
