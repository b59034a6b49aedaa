/**
 * The buffer check of a pool-monitor run (RP-003): levels and what to buy (domain/pool.ts), one
 * snapshot row per type, a warning alert under 40% and a critical one under 20% that are not
 * repeated while the condition lasts and are resolved when it clears.
 */
import { DB_RESOURCE_TYPE } from '../../db/resource-types.js';
import { purchasePlan, RESOURCE_TYPES, type BufferInput, type ResourceType } from '../../domain/index.js';
import type { PoolDeps } from './types.js';

export function createBufferActivities({ services }: PoolDeps) {
  const { alerts, domainConfig: config } = services;
  const { buffers, snapshots } = services.pool;
  return {
    /** Ready-and-unallocated, allocated and pending (bought, not ready) per resource type. */
    poolStatus: (input: { version: 1; nowMs: number }) => buffers.system.measure(input.nowMs),

    async recordPoolCheck(input: { version: 1; nowMs: number; pool: Record<ResourceType, BufferInput> }) {
      const plan = purchasePlan(input.pool, config);
      const takenAt = new Date(input.nowMs);
      await snapshots.system.recordBuffers(
        takenAt,
        RESOURCE_TYPES.map((t) => {
          const b = input.pool[t];
          const buffer = b.allocated > 0 ? b.readyUnallocated / b.allocated : null;
          return {
            resourceType: DB_RESOURCE_TYPE[t],
            readyUnallocated: b.readyUnallocated,
            allocated: b.allocated,
            pending: b.pending ?? 0,
            buffer,
            level: plan.levels[t],
          };
        }),
      );
      for (const t of RESOURCE_TYPES) {
        const level = plan.levels[t];
        const b = input.pool[t];
        const pct = b.allocated > 0 ? Math.round((100 * b.readyUnallocated) / b.allocated) : null;
        const data = {
          resourceType: t,
          readyUnallocated: b.readyUnallocated,
          allocated: b.allocated,
          pending: b.pending ?? 0,
          bufferPercent: pct,
        };
        const key = (l: string) => `pool:${t}:${l}`;
        const figures = `${b.readyUnallocated} ready for ${b.allocated} allocated`;
        if (level === 'ok') {
          await alerts.system.resolve([key('warning'), key('critical')], takenAt);
          continue;
        }
        const warning = `Pool buffer for ${t} is ${pct}% (under ${config.pool.bufferWarningPercent}%): ${figures}`;
        await alerts.system.raise(
          { kind: 'pool_buffer_low', severity: 'warning', dedupeKey: key('warning'), message: warning, data },
          takenAt,
        );
        if (level === 'critical') {
          const critical = `Pool buffer for ${t} is ${pct}% (under ${config.pool.bufferCriticalPercent}%): ${figures}`;
          await alerts.system.raise(
            { kind: 'pool_buffer_critical', severity: 'critical', dedupeKey: key('critical'), message: critical, data },
            takenAt,
          );
        } else {
          await alerts.system.resolve([key('critical')], takenAt);
        }
      }
      return plan;
    },
  };
}
