/**
 * Seeded provider faults for the HTTP fakes (test/fakes/http-fake.ts): a share of the requests a
 * fake receives is answered with a fault instead of its normal answer, chosen by a seeded random
 * sequence so a failing run can be repeated with the same seed.
 *
 *   const faults = fake.injectFaults({ seed: 42, rate: 0.2, when: (r) => r.method === 'POST' });
 *   ...
 *   faults.injected;        // what was injected, in order (kind, method, path)
 *   fake.injectFaults(undefined);   // back to normal
 *
 * Kinds (each equally likely unless `kinds` narrows them):
 *   server_error   500, 502 or 503 with a JSON error body; the provider did nothing
 *   rate_limited   429 with Retry-After (seconds, `retryAfterSeconds`); the provider did nothing
 *   timeout        the provider acted (the fake's router ran), then the answer is lost: the socket
 *                  closes after `timeoutMs` without a response, which is all a client that timed
 *                  out can know (it cannot tell whether the provider acted)
 *   reset          the connection is reset before the provider acts (ECONNRESET for the client)
 */
import type { FakeRequest } from './http-fake.js';

export const FAULT_KINDS = ['server_error', 'rate_limited', 'timeout', 'reset'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultPlan {
  seed: number;
  /** Share of the matching requests that get a fault, 0..1. */
  rate: number;
  kinds?: readonly FaultKind[];
  /** Only requests for which this holds may get a fault (default: every request). */
  when?: (req: FakeRequest) => boolean;
  /** Retry-After of a 429, in whole seconds: [min, max] (default [1, 2]). */
  retryAfterSeconds?: readonly [number, number];
  /** How long a timed-out request hangs before its socket closes (default 50 ms). */
  timeoutMs?: number;
}

export interface InjectedFault {
  kind: FaultKind;
  method: string;
  path: string;
  /** 429: the Retry-After given. */
  retryAfter?: number;
  /** 5xx: the status given. */
  status?: number;
}

/** mulberry32: a small, fast, seeded PRNG (uniform in [0, 1)). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Decides, request by request, whether a fault is injected and which. */
export class FaultInjector {
  readonly injected: InjectedFault[] = [];
  private readonly random: () => number;
  private readonly kinds: readonly FaultKind[];

  constructor(readonly plan: FaultPlan) {
    if (!(plan.rate >= 0 && plan.rate <= 1)) throw new Error(`fault rate must be within 0..1, got ${plan.rate}`);
    this.random = seededRandom(plan.seed);
    this.kinds = plan.kinds?.length ? plan.kinds : FAULT_KINDS;
  }

  /** The fault for this request, or undefined (always draws, so the sequence depends only on the requests' order). */
  decide(req: FakeRequest): InjectedFault | undefined {
    const roll = this.random();
    const pick = this.random();
    const detail = this.random();
    if (this.plan.when && !this.plan.when(req)) return undefined;
    if (roll >= this.plan.rate) return undefined;
    const kind = this.kinds[Math.floor(pick * this.kinds.length)]!;
    const fault: InjectedFault = { kind, method: req.method, path: req.path };
    if (kind === 'rate_limited') {
      const [min, max] = this.plan.retryAfterSeconds ?? [1, 2];
      fault.retryAfter = min + Math.floor(detail * (max - min + 1));
    }
    if (kind === 'server_error') fault.status = [500, 502, 503][Math.floor(detail * 3)]!;
    this.injected.push(fault);
    return fault;
  }

  /** How many of each kind were injected. */
  counts(): Record<FaultKind, number> {
    const out = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
    for (const f of this.injected) out[f.kind] += 1;
    return out;
  }
}
