/** Campaigns across clients (SYS-006), newest first, filtered by client and state. */
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { query } from '../../shared/query';
import { count, inZone } from '../../shared/format';
import { Badge, ErrorBox, Loading, Page, Select, Table } from '../../shared/ui';
import { useApiClient, useGet } from '../../shared/use-api';

interface CampaignRow {
  id: string;
  clientId: string;
  clientName: string;
  name: string;
  status: string;
  leadTotal: number;
  createdAt: string;
}
type PageOf = { campaigns: CampaignRow[]; nextCursor: string | null };

const STATES = ['', 'draft', 'importing', 'imported', 'enriching', 'scoring', 'running', 'paused', 'stopped', 'completed', 'failed'];

export function CampaignsPage() {
  const { query: q } = useLocation();
  const api = useApiClient();
  const [status, setStatus] = useState('');
  const clients = useGet<{ clients: { id: string; name: string }[] }>('/v1/admin/clients');
  const [clientId, setClientId] = useState(q.clientId ?? '');
  const path = (cursor?: string | null) => `/v1/admin/campaigns${query({ clientId, status, limit: 100, cursor })}`;
  const { data, error } = useGet<PageOf>(path());
  const [more, setMore] = useState<PageOf | null>(null);
  const rows = [...(data?.campaigns ?? []), ...(more?.campaigns ?? [])];
  const cursor = more ? more.nextCursor : data?.nextCursor;
  return (
    <Page title="Campaigns">
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <Select
          label="Client"
          name="clientId"
          value={clientId}
          onChange={(v) => (setMore(null), setClientId(v))}
          options={[['', 'All clients'], ...(clients.data?.clients ?? []).map((c): [string, string] => [c.id, c.name])]}
        />
        <Select label="State" name="status" value={status} onChange={(v) => (setMore(null), setStatus(v))} options={STATES} />
      </form>
      <ErrorBox error={error} />
      {!data && !error && <Loading />}
      {data && (
        <Table
          id="campaign-list"
          rows={rows}
          rowKey={(c) => c.id}
          empty="No campaign."
          columns={[
            { label: 'Campaign', cell: (c) => <a href={`/admin/leads?campaignId=${c.id}&clientId=${c.clientId}`}>{c.name}</a> },
            { label: 'Client', cell: (c) => <a href={`/admin/clients/${c.clientId}`}>{c.clientName}</a> },
            { label: 'State', cell: (c) => <Badge value={c.status} /> },
            { label: 'Leads', cell: (c) => count(c.leadTotal), class: 'num' },
            { label: 'Created', cell: (c) => inZone(c.createdAt) },
          ]}
        />
      )}
      {cursor && (
        <button
          type="button"
          onClick={async () => {
            const next = await api.get<PageOf>(path(cursor));
            setMore((m) => ({ campaigns: [...(m?.campaigns ?? []), ...next.campaigns], nextCursor: next.nextCursor }));
          }}
        >
          Load more
        </button>
      )}
    </Page>
  );
}
