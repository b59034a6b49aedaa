/**
 * Webhook ingest benchmark (SYS-008, SM-003): the most common signalling webhook, a Twilio inbound
 * SMS reply from a lead's number, through the project's API (server.ts: the real buildApp with its
 * real dependencies, its own process, its configured logging) next to a baseline measured in the
 * same run against the same Temporal dev server: a bare Fastify route that only verifies the same
 * signature and signals the same workflow (bench/webhooks/bare-server.ts).
 *
 * Every request is a distinct signed event (its own MessageSid) from one of N leads, whose
 * `lead:{id}` workflow sleeps on a timer in a worker of its own process and is woken by the signal
 * (bench/webhooks/sleeper-workflow.ts). Load from autocannon: C connections as fast as they go,
 * then a fixed overall rate (coordinated omission corrected); req/s counts 2xx answers only. Each
 * load runs in rounds, the two servers alternating which goes first; the table shows each
 * figure's median over the rounds and the median of the rounds' ratios.
 *
 * Run: npm run bench -- webhooks
 *      npx tsx bench/webhooks.bench.ts [--leads 300] [--seconds 10] [--rounds 3] [--connections 10] [--rate 100]
 *        [--rate-connections 100] [--warmup 3] [--log-level info]
 */
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { signTwilioRequest } from '../providers/twilio/webhooks.js';
import { TWILIO_SMS_PATH } from '../api/webhooks/providers/twilio.js';
import { createDb } from '../db/client.js';
import { portOpen } from '../lib/temporal-dev-server.js';
import { freePort, seed, startChild, startSleepers, startStack, type Child, type Seeded } from './webhooks/stack.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const argText = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : dflt;
};
const LEADS = arg('leads', 300);
const SECONDS = arg('seconds', 10);
// Rounds of each load, the two servers alternating first: the machine's speed drifts between
// runs, so each round's ratio is taken while both see the same machine, and the median is shown.
const ROUNDS = arg('rounds', 3);
const CONNECTIONS = arg('connections', 10);
const RATE = arg('rate', 100);
// Enough connections that the client never caps the rate: each waits for its answer before the next.
const RATE_CONNECTIONS = arg('rate-connections', 100);
const WARMUP = arg('warmup', 3);
const LOG_LEVEL = argText('log-level', 'info');

const AUTH_TOKEN = randomBytes(24).toString('hex');
const ACCOUNT_SID = `AC${randomBytes(16).toString('hex')}`;
const RUN = randomBytes(4).toString('hex');
let sequence = 0;

/** A distinct signed inbound SMS from the next lead, as Twilio posts it to `publicBaseUrl`. */
function signedReply(publicBaseUrl: string, seeded: Seeded) {
  const n = sequence++;
  const lead = seeded.leads[n % seeded.leads.length]!;
  const fields = {
    MessageSid: `SM${RUN}${n.toString(16).padStart(24, '0')}`,
    AccountSid: ACCOUNT_SID,
    From: lead.phone,
    To: seeded.number,
    Body: `Sounds good, call me tomorrow (${n})`,
    NumSegments: '1',
    NumMedia: '0',
    ApiVersion: '2010-04-01',
  };
  const body = new URLSearchParams(fields).toString();
  const signature = signTwilioRequest(AUTH_TOKEN, `${publicBaseUrl}${TWILIO_SMS_PATH}`, fields);
  return { body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature } };
}

/** CPU time (ms) a process has used, from /proc (Linux); undefined elsewhere. */
function cpuMs(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in USER_HZ (100)
  } catch {
    return undefined;
  }
}

interface Figures {
  rps: number;
  /** The server process's CPU per answered request (ms). */
  cpu?: number;
  p50: number;
  p99: number;
  ok: number;
  bad: number;
}

async function load(
  url: string,
  seeded: Seeded,
  o: { seconds: number; connections: number; rate?: number; pid?: number | undefined },
): Promise<Figures> {
  const cpu0 = cpuMs(o.pid);
  const result = await autocannon({
    url,
    duration: o.seconds,
    connections: o.connections,
    ...(o.rate ? { overallRate: o.rate } : {}),
    requests: [
      {
        method: 'POST',
        path: TWILIO_SMS_PATH,
        setupRequest: (req) => ({ ...req, ...signedReply(url, seeded) }),
      },
    ],
  });
  const ok = result['2xx'];
  const cpu1 = cpuMs(o.pid);
  return {
    ...(cpu0 !== undefined && cpu1 !== undefined && ok ? { cpu: (cpu1 - cpu0) / ok } : {}),
    rps: ok / o.seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    bad: result.non2xx + result.errors + result.timeouts,
  };
}

const stack = await startStack();
const children: Child[] = [];
try {
  // Each server signals leads of its own: a lead's history grows with every signal it takes, so
  // sharing them would leave the second server measured waking longer histories.
  const seeded = await seed(stack, 2 * LEADS);
  const leadsOf = { bare: { ...seeded, leads: seeded.leads.slice(0, LEADS) }, project: { ...seeded, leads: seeded.leads.slice(LEADS) } };
  const worker = await startChild(
    path.join(import.meta.dirname, 'webhooks/worker.ts'),
    { TEMPORAL_ADDRESS: stack.temporalAddress, TEMPORAL_TASK_QUEUE: stack.taskQueue },
    /^ready/,
    path.join(stack.tmp, 'worker.log'),
  );
  children.push(worker);
  await startSleepers(
    stack,
    seeded.leads.map((l) => l.id),
  );

  const leadsFile = path.join(stack.tmp, 'leads.json');
  writeFileSync(leadsFile, JSON.stringify(seeded.leads.map((l) => [l.phone, l.id])));
  const barePort = await freePort();
  const bareUrl = `http://127.0.0.1:${barePort}`;
  const bareServer = await startChild(
    path.join(import.meta.dirname, 'webhooks/bare-server.ts'),
    {
      PORT: String(barePort),
      PUBLIC_BASE_URL: bareUrl,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      BENCH_LEADS_FILE: leadsFile,
    },
    /^listening/,
    path.join(stack.tmp, 'bare.log'),
  );
  children.push(bareServer);
  const projectPort = await freePort();
  const projectUrl = `http://127.0.0.1:${projectPort}`;
  const projectServer = await startChild(
    path.join(import.meta.dirname, '../server.ts'),
    {
      DATABASE_URL: stack.databaseUrl,
      APP_DB_PASSWORD: stack.appDbPassword,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      TEMPORAL_TASK_QUEUE: stack.taskQueue,
      HOST: '127.0.0.1',
      PORT: String(projectPort),
      PUBLIC_BASE_URL: projectUrl,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      AU_CALLS_AND_SMS: 'off',
      EMAIL_DELIVERY: 'sandbox',
      LOG_LEVEL,
    },
    () => portOpen(projectPort),
    path.join(stack.tmp, 'api.log'),
    // e.g. BENCH_API_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the project's API
    (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean),
  );
  children.push(projectServer);

  const targets = { bare: bareUrl, project: projectUrl } as const;
  for (const name of ['bare', 'project'] as const) await load(targets[name], leadsOf[name], { seconds: WARMUP, connections: CONNECTIONS });
  const runs = [
    { name: `${CONNECTIONS} connections, ${ROUNDS} x ${SECONDS} s`, connections: CONNECTIONS },
    { name: `fixed ${RATE} req/s (${RATE_CONNECTIONS} connections), ${ROUNDS} x ${SECONDS} s`, connections: RATE_CONNECTIONS, rate: RATE },
  ];
  const rows: { name: string; bare: Figures; project: Figures; ratio: number; p99Ratio: number }[] = [];
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const medianFigures = (fs: Figures[]): Figures => ({
    rps: median(fs.map((f) => f.rps)),
    p50: median(fs.map((f) => f.p50)),
    p99: median(fs.map((f) => f.p99)),
    ...(fs.every((f) => f.cpu !== undefined) ? { cpu: median(fs.map((f) => f.cpu!)) } : {}),
    ok: fs.reduce((n, f) => n + f.ok, 0),
    bad: fs.reduce((n, f) => n + f.bad, 0),
  });
  for (const run of runs) {
    const o = { seconds: SECONDS, connections: run.connections, ...(run.rate ? { rate: run.rate } : {}) };
    const rounds: { bare: Figures; project: Figures }[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const order = i % 2 === 0 ? (['bare', 'project'] as const) : (['project', 'bare'] as const);
      const round: Partial<Record<'bare' | 'project', Figures>> = {};
      for (const name of order) {
        const pid = (name === 'bare' ? bareServer : projectServer).process.pid;
        round[name] = await load(targets[name], leadsOf[name], { ...o, pid });
      }
      rounds.push(round as { bare: Figures; project: Figures });
    }
    rows.push({
      name: run.name,
      bare: medianFigures(rounds.map((r) => r.bare)),
      project: medianFigures(rounds.map((r) => r.project)),
      ratio: median(rounds.map((r) => r.project.rps / r.bare.rps)),
      p99Ratio: median(rounds.map((r) => r.project.p99 / r.bare.p99)),
    });
  }

  // Every answered event of the project's was recorded once and acted on.
  // (Requests still in flight when a run ends are finished by the server after it: wait for them.)
  const db = createDb({ systemUrl: stack.databaseUrl, tenantUrl: stack.databaseUrl, poolSize: 1 });
  const counts = () =>
    Promise.all([
      db.system.webhookEvent.count({ where: { provider: 'twilio' } }),
      db.system.webhookEvent.count({ where: { provider: 'twilio', processedAt: { not: null } } }),
    ]);
  let [recorded, processed] = await counts();
  for (let i = 0; i < 20 && processed < recorded; i++) {
    await new Promise((r) => setTimeout(r, 500));
    [recorded, processed] = await counts();
  }
  await db.close();

  console.log(
    `Webhook benchmark (node ${process.version}; Twilio inbound SMS reply -> replyReceived on a sleeping lead:{id}; ${LEADS} leads for each server; LOG_LEVEL=${LOG_LEVEL}; one Temporal dev server, one Postgres)`,
  );
  console.log(
    '| load | bare req/s | project req/s | ratio | bare p50 / p99 (ms) | project p50 / p99 (ms) | p99 ratio | server CPU ms/req (bare / project) | errors (bare / project) |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const { bare: b, project: p } = r;
    console.log(
      `| ${r.name} | ${b.rps.toFixed(1)} | ${p.rps.toFixed(1)} | ${r.ratio.toFixed(2)}x | ${b.p50} / ${b.p99} | ${p.p50} / ${p.p99} | ${r.p99Ratio.toFixed(2)}x | ${b.cpu?.toFixed(2) ?? '-'} / ${p.cpu?.toFixed(2) ?? '-'} | ${b.bad} / ${p.bad} |`,
    );
  }
  const answered = rows.reduce((s, r) => s + r.project.ok, 0);
  console.log(
    `project: ${recorded} events recorded, ${processed} processed, ${answered} answered 2xx during the measured runs (plus warm-up)`,
  );
} finally {
  for (const child of children.reverse()) await child.stop();
  await stack.close();
}
