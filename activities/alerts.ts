/** Alert activities (SYS-009): raise and resolve over the alert service; nowMs comes from the workflow clock. */
import type { AlertInput, AlertService } from '../services/alerts.js';

export function createAlertActivities({ alerts }: { alerts: AlertService }) {
  const at = (nowMs?: number) => (nowMs === undefined ? undefined : new Date(nowMs));
  return {
    async raiseAlert(input: AlertInput & { version: 1; nowMs?: number }): Promise<{ id: string; created: boolean }> {
      const { nowMs, version: _version, ...alert } = input;
      return alerts.system.raise(alert, at(nowMs));
    },
    async resolveAlerts(input: { version: 1; dedupeKeys: string[]; nowMs?: number }): Promise<{ resolved: number }> {
      return { resolved: await alerts.system.resolve(input.dedupeKeys, at(input.nowMs)) };
    },
  };
}
