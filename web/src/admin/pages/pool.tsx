/**
 * Pool (RP-002, ED-004): the buffer per resource type now and over time, the domains with their
 * health, numbers and seats, adding what the agency owns, and running the pool monitor now.
 */
import { useState } from 'preact/hooks';
import { TimeChart, color } from '../../shared/chart';
import { count } from '../../shared/format';
import { Badge, Card, ErrorBox, Loading, Page, Table } from '../../shared/ui';
import { useApiClient, useGet } from '../../shared/use-api';
import { Domains } from './domains';
import { AddResources } from './add-resources';

interface Buffer {
  readyUnallocated: number;
  allocated: number;
  pending: number;
  bufferPercent: number | null;
  level: string;
  shortfall: number;
}
interface Pool {
  takenAt: string;
  types: Record<'domains' | 'mailboxes' | 'phoneNumbers' | 'linkedinSeats', Buffer>;
  purchases: { open: number; awaitingOperator: { tag: string; url: string; expiresAt: string | null }[] };
  openAlerts: number;
}
interface Snapshot {
  takenAt: string;
  resourceType: string;
  readyUnallocated: number;
  allocated: number;
  buffer: number | null;
}

const TYPE_LABEL: Record<string, string> = {
  domains: 'Domains',
  mailboxes: 'Mailboxes',
  phoneNumbers: 'Phone numbers',
  linkedinSeats: 'LinkedIn seats',
};
const SNAPSHOT_TYPES = ['domain', 'mailbox', 'phone_number', 'linkedin_seat'];

export function PoolPage() {
  const api = useApiClient();
  const pool = useGet<Pool>('/v1/admin/pool');
  const [monitor, setMonitor] = useState<string>('');
  const [monitorError, setMonitorError] = useState<Error | null>(null);
  const run = async () => {
    setMonitorError(null);
    try {
      await api.send('POST', '/v1/admin/pool/monitor/run', {});
      setMonitor('The pool monitor is running; refresh in a moment.');
    } catch (err) {
      setMonitorError(err as Error);
    }
  };
  return (
    <Page
      title="Resource pool"
      actions={
        <button type="button" onClick={run}>
          Run the pool monitor now
        </button>
      }
    >
      <ErrorBox error={pool.error ?? monitorError} />
      {monitor && (
        <p class="notice" role="status">
          {monitor}
        </p>
      )}
      {!pool.data && !pool.error && <Loading />}
      {pool.data && (
        <Card title="Buffer" id="buffer">
          <Table
            id="pool-buffer"
            rows={Object.entries(pool.data.types)}
            rowKey={([k]) => k}
            columns={[
              { label: 'Type', cell: ([k]) => TYPE_LABEL[k] ?? k },
              { label: 'Ready, unallocated', cell: ([, b]) => count(b.readyUnallocated), class: 'num' },
              { label: 'Allocated', cell: ([, b]) => count(b.allocated), class: 'num' },
              { label: 'Pending', cell: ([, b]) => count(b.pending), class: 'num' },
              { label: 'Buffer', cell: ([, b]) => (b.bufferPercent === null ? '—' : `${b.bufferPercent}%`), class: 'num' },
              { label: 'Level', cell: ([, b]) => <Badge value={b.level} /> },
              { label: 'To buy', cell: ([, b]) => count(b.shortfall), class: 'num' },
            ]}
          />
          <p class="muted">
            {pool.data.purchases.open} purchases open · {pool.data.openAlerts} open alerts (<a href="/admin/alerts">see them</a>)
          </p>
          {pool.data.purchases.awaitingOperator.length > 0 && (
            <p>
              LinkedIn seats waiting for an account:{' '}
              {pool.data.purchases.awaitingOperator.map((a) => (
                <a key={a.tag} href={a.url} rel="noreferrer noopener" target="_blank">
                  {a.tag}{' '}
                </a>
              ))}
            </p>
          )}
        </Card>
      )}
      <BufferHistory />
      <Domains />
      <AddResources onAdded={pool.reload} />
    </Page>
  );
}

/** The buffer percentage per type over the pool monitor's runs (oldest first on the chart). */
function BufferHistory() {
  const { data, error } = useGet<{ snapshots: Snapshot[] }>('/v1/admin/pool/snapshots?limit=800');
  if (error) return <ErrorBox error={error} />;
  if (!data) return null;
  const runs = [...new Set(data.snapshots.map((s) => s.takenAt))].sort();
  const at = new Map(data.snapshots.map((s) => [`${s.resourceType}|${s.takenAt}`, s]));
  return (
    <Card title="Buffer over time">
      {runs.length === 0 ? (
        <p class="muted">No pool monitor run yet.</p>
      ) : (
        <TimeChart
          title="Ready unallocated as a share of allocated, per run"
          x={runs}
          series={SNAPSHOT_TYPES.map((t, i) => ({
            label: t.replace('_', ' '),
            color: color(i),
            values: runs.map((r) => at.get(`${t}|${r}`)?.buffer ?? null),
          }))}
        />
      )}
    </Card>
  );
}
