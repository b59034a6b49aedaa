/** Alerts (SYS-009, RP-003): open, acknowledged or resolved; acknowledge or resolve one. */
import { useState } from 'preact/hooks';
import { query } from '../../shared/query';
import { inZone } from '../../shared/format';
import { Badge, ErrorBox, Loading, Page, Select, Table } from '../../shared/ui';
import { useApiClient, useGet } from '../../shared/use-api';

export interface Alert {
  id: string;
  kind: string;
  severity: string;
  message: string;
  clientId: string | null;
  createdAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
}

export function AlertsPage() {
  const [state, setState] = useState('open');
  const [severity, setSeverity] = useState('');
  return (
    <Page title="Alerts">
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <Select label="State" name="state" value={state} onChange={setState} options={['open', 'acknowledged', 'resolved', 'all']} />
        <Select label="Severity" name="severity" value={severity} onChange={setSeverity} options={['', 'info', 'warning', 'critical']} />
      </form>
      <AlertTable path={`/v1/admin/alerts${query({ state, severity, limit: 200 })}`} />
    </Page>
  );
}

export function AlertTable({ path }: { path: string }) {
  const api = useApiClient();
  const { data, error, reload } = useGet<{ alerts: Alert[] }>(path);
  const [actionError, setActionError] = useState<Error | null>(null);
  const act = (a: Alert, action: 'acknowledge' | 'resolve') => async () => {
    setActionError(null);
    try {
      await api.send('POST', `/v1/admin/alerts/${a.id}/${action}`, action === 'acknowledge' ? { by: 'admin console' } : undefined);
      reload();
    } catch (err) {
      setActionError(err as Error);
    }
  };
  if (error) return <ErrorBox error={error} />;
  if (!data) return <Loading />;
  return (
    <>
      <ErrorBox error={actionError} />
      <Table
        id="alert-list"
        rows={data.alerts}
        rowKey={(a) => a.id}
        empty="No alert."
        columns={[
          { label: 'When', cell: (a) => inZone(a.createdAt) },
          { label: 'Severity', cell: (a) => <Badge value={a.severity} /> },
          { label: 'Kind', cell: (a) => a.kind },
          { label: 'Message', cell: (a) => a.message },
          { label: 'Client', cell: (a) => (a.clientId ? <a href={`/admin/clients/${a.clientId}`}>open</a> : '—') },
          {
            label: 'State',
            cell: (a) => (a.resolvedAt ? 'resolved' : a.acknowledgedAt ? `acknowledged by ${a.acknowledgedBy ?? '?'}` : 'open'),
          },
          {
            label: 'Actions',
            cell: (a) => (
              <span class="actions">
                {!a.acknowledgedAt && !a.resolvedAt && (
                  <button type="button" onClick={act(a, 'acknowledge')}>
                    Acknowledge
                  </button>
                )}
                {!a.resolvedAt && (
                  <button type="button" onClick={act(a, 'resolve')}>
                    Resolve
                  </button>
                )}
              </span>
            ),
          },
        ]}
      />
    </>
  );
}
