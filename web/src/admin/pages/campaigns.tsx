/** Campaigns across clients (SYS-006), newest first, filtered by client and state. */
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { query } from '../../shared/query';
import { count, inZone } from '../../shared/format';
import { Badge, ErrorBox, LoadMore, Loading, Page, Select, Table } from '../../shared/ui';
import { useGet, usePaged } from '../../shared/use-api';

interface CampaignRow {
  id: string;
  clientId: string;
  clientName: string;
  name: string;
  status: string;
  leadTotal: number;
  createdAt: string;
}

const STATES = ['', 'draft', 'importing', 'imported', 'enriching', 'scoring', 'running', 'paused', 'stopped', 'completed', 'failed'];

export function CampaignsPage() {
  const { query: q } = useLocation();
  const [status, setStatus] = useState('');
  const clients = useGet<{ clients: { id: string; name: string }[] }>('/v1/admin/clients');
  const [clientId, setClientId] = useState(q.clientId ?? '');
  const campaigns = usePaged<CampaignRow>(`/v1/admin/campaigns${query({ clientId, status, limit: 100 })}`, 'campaigns');
  return (
    <Page title="Campaigns">
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <Select
          label="Client"
          name="clientId"
          value={clientId}
          onChange={setClientId}
          options={[['', 'All clients'], ...(clients.data?.clients ?? []).map((c): [string, string] => [c.id, c.name])]}
        />
        <Select label="State" name="status" value={status} onChange={setStatus} options={STATES} />
      </form>
      <ErrorBox error={campaigns.error} />
      {!campaigns.loaded && !campaigns.error && <Loading />}
      {campaigns.loaded && (
        <Table
          id="campaign-list"
          rows={campaigns.rows}
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
      <LoadMore onClick={campaigns.loadMore} />
    </Page>
  );
}
