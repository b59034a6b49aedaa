/**
 * Domain benchmark: scores 1,000,000 leads (SYS-002) and computes 1,000,000 next send times
 * (ED-003, VO-005), printing throughput next to a baseline loop measured in the same run over the
 * same inputs (so the ratio is comparable across machines).
 *
 * Run: npx tsx bench/domain.bench.ts [--n 1000000]
 * Targets (one core): scoring >= 1,000,000 leads/s; nextSendTime >= 200,000/s.
 */
import { mulberry32 } from '../domain/instant.js';
import { scoreLead, type ScoreInput } from '../domain/scoring.js';
import { nextSendTimeMs, type SendTimeParams } from '../domain/windows.js';

const argN = process.argv.indexOf('--n');
const N = argN > 0 ? Number(process.argv[argN + 1]) : 1_000_000;
const DISTINCT = 65_536;

let state = 0x9e3779b9;
function rnd(): number {
  state = mulberry32(state);
  return state / 0x1_0000_0000;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

const TITLES = [
  'CEO',
  'Co-Founder',
  'Owner',
  'Managing Director',
  'CFO',
  'Chief Revenue Officer',
  'President',
  'VP Sales',
  'Vice President, Marketing',
  'Director of Operations',
  'Head of Growth',
  'Senior Manager',
  'Marketing Manager',
  'Team Lead',
  'Software Engineer',
  'Account Executive',
  'Marketing Intern',
  'Executive Assistant',
  'General Manager',
  'Sales Director',
  null,
];

const leads: ScoreInput[] = [];
for (let i = 0; i < DISTINCT; i++) {
  leads.push({
    emailVerified: rnd() < 0.7,
    hasPhone: rnd() < 0.5,
    hasLinkedinUrl: rnd() < 0.6,
    hasPersonalEmail: rnd() < 0.2,
    title: pick(TITLES),
    industryMatch: rnd() < 0.5,
    employeeCountInRange: rnd() < 0.5,
    icpCountryMatch: rnd() < 0.8,
    monthsInRole: Math.floor(rnd() * 48),
    companyHiring: rnd() < 0.3,
    monthsSinceFunding: rnd() < 0.3 ? Math.floor(rnd() * 36) : null,
    bounced: rnd() < 0.05,
    unsubscribed: rnd() < 0.02,
    competitor: rnd() < 0.01,
  });
}

const PLACES = [
  { zone: 'Australia/Sydney', location: { country: 'AU', state: 'NSW' } },
  { zone: 'Australia/Melbourne', location: { country: 'AU', state: 'VIC' } },
  { zone: 'Australia/Brisbane', location: { country: 'AU', state: 'QLD' } },
  { zone: 'Australia/Adelaide', location: { country: 'AU', state: 'SA' } },
  { zone: 'Australia/Perth', location: { country: 'AU', state: 'WA' } },
  { zone: 'America/New_York', location: { country: 'US', state: 'NY' } },
  { zone: 'Europe/London', location: { country: 'GB', state: 'ENG' } },
  { zone: 'Pacific/Auckland', location: { country: 'NZ' } },
] as const;
const WINDOWS = ['email', 'voice', 'sms', 'linkedin'] as const;
const START = Date.UTC(2025, 0, 1);
const SPAN = 2 * 365 * 86_400_000;

const sends: SendTimeParams[] = [];
for (let i = 0; i < DISTINCT; i++) {
  const p = pick(PLACES);
  sends.push({
    channel: pick(WINDOWS),
    zone: p.zone,
    location: p.location,
    now: START + Math.floor(rnd() * SPAN),
    seed: `lead-${i}:step-1`,
  });
}

// ---------------------------------------------------------------------------------------------
// Loops
// ---------------------------------------------------------------------------------------------

let sink = 0;

function runScoring(n: number): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const r = scoreLead(leads[i & (DISTINCT - 1)]!);
    sink += r.score + r.reasons.length;
  }
  return performance.now() - t0;
}

/** Baseline: read the same inputs, allocate a comparable result object and sum. */
function baselineScoring(n: number): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const l = leads[i & (DISTINCT - 1)]!;
    const parts = {
      a: (l.emailVerified ? 8 : 0) + (l.hasPhone ? 6 : 0) + (l.hasLinkedinUrl ? 4 : 0),
      b: l.title ? l.title.length : 0,
      c: (l.industryMatch ? 10 : 0) + (l.employeeCountInRange ? 8 : 0),
      d: (l.companyHiring ? 5 : 0) - (l.bounced ? 10 : 0),
    };
    const reasons: number[] = [parts.a, parts.c];
    sink += parts.a + parts.b + parts.c + parts.d + reasons.length;
  }
  return performance.now() - t0;
}

function runSendTimes(n: number): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) sink += nextSendTimeMs(sends[i & (DISTINCT - 1)]!) % 1000;
  return performance.now() - t0;
}

/** Baseline: read the same inputs and do comparable arithmetic plus a Date allocation. */
function baselineSendTimes(n: number): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const s = sends[i & (DISTINCT - 1)]!;
    const now = s.now as number;
    const d = new Date(now + ((now + s.zone.length + s.channel.length) % 7_200_000));
    sink += d.getTime() % 1000;
  }
  return performance.now() - t0;
}

// ---------------------------------------------------------------------------------------------
// Run
// ---------------------------------------------------------------------------------------------

// Cold start: the first pass over the inputs fills the zone-day and holiday caches.
const coldT0 = performance.now();
runSendTimes(DISTINCT);
const coldMs = performance.now() - coldT0;
// JIT warm-up.
runScoring(50_000);
baselineScoring(50_000);
runSendTimes(50_000);
baselineSendTimes(50_000);

const rows = [
  { name: 'scoreLead', ms: runScoring(N), baseMs: baselineScoring(N), target: 1_000_000 },
  { name: 'nextSendTime', ms: runSendTimes(N), baseMs: baselineSendTimes(N), target: 200_000 },
];

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const header = ['benchmark', 'ops', 'time (ms)', 'ops/s', 'baseline ops/s', 'ratio vs baseline', 'target ops/s', 'meets target'];
const table = rows.map((r) => {
  const ops = (N / r.ms) * 1000;
  const base = (N / r.baseMs) * 1000;
  return [
    r.name,
    fmt(N),
    r.ms.toFixed(0),
    fmt(ops),
    fmt(base),
    `${(ops / base).toFixed(3)}x`,
    fmt(r.target),
    ops >= r.target ? 'yes' : 'NO',
  ];
});
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log(`Domain benchmark (node ${process.version}, ${N.toLocaleString('en-US')} ops each, ${DISTINCT} distinct inputs, one core)`);
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of table) console.log(line(row));
console.log(`nextSendTime cold first pass over ${DISTINCT} inputs (fills zone-day and holiday caches): ${coldMs.toFixed(0)} ms`);
if (sink === 42) console.log(''); // keep the work observable
process.exitCode = table.every((row) => row[7] === 'yes') ? 0 : 1;
