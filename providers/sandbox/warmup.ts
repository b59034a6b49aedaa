/**
 * Sandbox warmup (Warmforge, RP-006, RP-009): a WarmupService in memory whose heat score grows
 * with the days since warmup was enabled (behaviour: pool.ts).
 */
import { clampWarmupSettings } from '../forge/warmforge.js';
import { ProviderError, type SandboxRecorder, type WarmupMailbox, type WarmupService, type WarmupSettings } from '../ports.js';
import { SANDBOX_POOL_PROVIDERS } from './pool-providers.js';

const DAY_MS = 86_400_000;

/** The sandbox heat score after `days` whole days of warmup: min(100, 4 * days). */
export function sandboxHeatScore(days: number): number {
  return Math.min(100, 4 * Math.max(0, Math.floor(days)));
}

export interface SandboxWarmupOptions {
  /** The clock (ms since the epoch) the heat score grows with (default Date.now). */
  now?: () => number;
}

export function createSandboxWarmupService(recorder: SandboxRecorder, opts: SandboxWarmupOptions = {}): WarmupService {
  const provider = SANDBOX_POOL_PROVIDERS.warmup;
  const now = opts.now ?? Date.now;
  /** enabledAt: when the current warmup run started; disabledAt: when it was turned off (if it was). */
  type Box = { address: string; enabledAt?: number; disabledAt?: number; settings?: WarmupSettings };
  const boxes = new Map<string, Box>();

  function view(entry: Box): WarmupMailbox {
    if (entry.enabledAt === undefined) return { address: entry.address, status: 'active', warmupEnabled: false, heatScore: null };
    const until = entry.disabledAt ?? now();
    const days = Math.max(0, Math.floor((until - entry.enabledAt) / DAY_MS));
    return {
      address: entry.address,
      status: 'active',
      warmupEnabled: entry.disabledAt === undefined,
      heatScore: sandboxHeatScore(days),
      warmupDaysCompleted: days,
    };
  }

  return {
    async findMailbox(address) {
      const entry = boxes.get(address.trim().toLowerCase());
      return entry ? view(entry) : null;
    },

    async connectMailbox(input) {
      const key = input.address.trim().toLowerCase();
      let entry = boxes.get(key);
      if (!entry) {
        entry = { address: input.address.trim() };
        boxes.set(key, entry);
        await recorder.record({
          provider,
          kind: 'mailbox_connect',
          to: entry.address,
          payload: {
            address: entry.address,
            firstName: input.firstName,
            lastName: input.lastName,
            externalReference: input.externalReference,
            smtpHost: input.credentials.smtp.host,
            imapHost: input.credentials.imap.host,
          },
        });
      }
      return view(entry);
    },

    async enableWarmup(address, settings) {
      const entry = boxes.get(address.trim().toLowerCase());
      if (!entry) throw new ProviderError(provider, 'not_found', `mailbox ${address} is not connected`, false, 404);
      const clamped = clampWarmupSettings(settings, provider);
      const firstEnabled = entry.enabledAt === undefined;
      if (firstEnabled || entry.disabledAt !== undefined) {
        // First start, or a restart after disableWarmup: the clock starts again.
        entry.enabledAt = now();
        delete entry.disabledAt;
      }
      entry.settings = clamped;
      await recorder.record({ provider, kind: 'warmup_enable', to: entry.address, payload: { settings: clamped, firstEnabled } });
    },

    async disableWarmup(address) {
      const entry = boxes.get(address.trim().toLowerCase());
      const wasEnabled = entry !== undefined && entry.enabledAt !== undefined && entry.disabledAt === undefined;
      if (entry && wasEnabled) entry.disabledAt = now();
      await recorder.record({
        provider,
        kind: 'warmup_disabled',
        to: entry?.address ?? address.trim(),
        payload: { known: entry !== undefined, wasEnabled },
      });
    },
  };
}
