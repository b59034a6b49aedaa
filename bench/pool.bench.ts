/**
 * Pool and billing benchmark (RP-001, SYS-005): how fast a tier is picked from a large pool in
 * allocation order, and how fast Stripe events fold into a subscription's state; each next to a
 * baseline measured in the same run over the same inputs (a plain numeric sort of the same pool;
 * a plain object merge of the same events), so the ratio is comparable across machines.
 *
 * Run: npx tsx bench/pool.bench.ts [--pool 2000] [--n 200]
 */
import { mulberry32 } from '../domain/instant.js';
import { allocateCounts, RESOURCE_TYPES, tierResources, type PoolResource, type ResourceType } from '../domain/pool.js';
import { applyBillingEvent, type BillingEvent, type SubscriptionMergeState } from '../domain/billing.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const POOL = arg('pool', 2000);
const N = arg('n', 200);

let state = 0x2545f491;
const rnd = () => (state = mulberry32(state)) / 0x1_0000_0000;

const pool = {} as Record<ResourceType, PoolResource[]>;
const size: Record<ResourceType, number> = { domains: POOL, mailboxes: POOL * 2, phoneNumbers: POOL / 4, linkedinSeats: POOL / 2 };
for (const t of RESOURCE_TYPES) {
  pool[t] = Array.from({ length: size[t] }, (_, i) => ({
    id: `${t}-${i}`,
    warmed: rnd() < 0.9,
    reputation: Math.floor(rnd() * 100),
    load: Math.floor(rnd() * 5),
    createdAt: 1_700_000_000_000 + Math.floor(rnd() * 1e10),
    ...(t === 'mailboxes' ? { domainId: `domains-${i >> 1}` } : {}),
  }));
}

let sink = 0;
function runAllocate(n: number): number {
  const want = tierResources('Dominance');
  const t0 = performance.now();
  for (let i = 0; i < n; i++) sink += allocateCounts(want, pool).picked.domains.length;
  return performance.now() - t0;
}
function baselineSort(n: number): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) for (const t of RESOURCE_TYPES) sink += [...pool[t]].sort((a, b) => b.reputation - a.reputation).length;
  return performance.now() - t0;
}

const TYPES: BillingEvent['type'][] = [
  'checkout_completed',
  'subscription_created',
  'invoice_paid',
  'subscription_updated',
  'invoice_payment_failed',
  'invoice_paid',
];
const events: BillingEvent[] = Array.from({ length: 10_000 }, (_, i) => ({
  eventId: `evt_${i}`,
  type: TYPES[i % TYPES.length]!,
  created: 1_800_000_000_000 + Math.floor(rnd() * 1e9),
  tier: (['Ignition', 'Velocity', 'Dominance'] as const)[i % 3],
  priceId: `price_${i % 3}`,
  status: 'active',
  paid: true,
  currentPeriodEnd: 1_800_000_000_000 + 30 * 86_400_000,
}));
function runFold(n: number): number {
  const t0 = performance.now();
  for (let r = 0; r < n; r++) {
    let s: SubscriptionMergeState = {};
    for (const e of events) s = applyBillingEvent(s, e);
    sink += s.paidAt ?? 0;
  }
  return performance.now() - t0;
}
function baselineMerge(n: number): number {
  const t0 = performance.now();
  for (let r = 0; r < n; r++) {
    let s: Record<string, unknown> = {};
    for (const e of events) s = { ...s, status: e.status, tier: e.tier, priceId: e.priceId, at: e.created };
    sink += Object.keys(s).length;
  }
  return performance.now() - t0;
}

// Warm up the JIT on both sides.
runAllocate(5);
baselineSort(5);
runFold(2);
baselineMerge(2);

const foldN = Math.max(1, Math.round(N / 10));
const rows = [
  { name: `allocateCounts (Dominance from ${POOL} domains)`, ops: N, ms: runAllocate(N), baseMs: baselineSort(N) },
  {
    name: `applyBillingEvent (${events.length} events folded)`,
    ops: foldN * events.length,
    ms: runFold(foldN),
    baseMs: baselineMerge(foldN),
  },
];
console.log(
  `Pool benchmark (node ${process.version}, pool of ${POOL} domains / ${POOL * 2} mailboxes / ${POOL / 4} numbers / ${POOL / 2} seats, one core)`,
);
console.log('| benchmark | ops | time (ms) | ops/s | baseline ops/s | ratio vs baseline |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) {
  const ops = (r.ops / r.ms) * 1000;
  const base = (r.ops / r.baseMs) * 1000;
  console.log(
    `| ${r.name} | ${r.ops.toLocaleString('en-US')} | ${r.ms.toFixed(0)} | ${Math.round(ops).toLocaleString('en-US')} | ${Math.round(base).toLocaleString('en-US')} | ${(ops / base).toFixed(3)}x |`,
  );
}
if (sink === 42) console.log('');
