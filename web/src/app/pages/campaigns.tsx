/** Campaigns (SYS-007): the client's campaigns, newest first, and the way to create one. */
import { Badge, ErrorBox, Loading, Page, Table } from '../../shared/ui';
import { count, inZone } from '../../shared/format';
import { useGet } from '../../shared/use-api';
import type { Campaign } from '../types';

export function Campaigns() {
  const { data, error } = useGet<{ campaigns: Campaign[] }>('/v1/campaigns?limit=200');
  return (
    <Page title="Campaigns" actions={<a href="/app/campaigns/new">New campaign</a>}>
      <ErrorBox error={error} />
      {!data && !error && <Loading />}
      {data && (
        <Table
          id="campaigns"
          rows={data.campaigns}
          rowKey={(c) => c.id}
          empty="No campaigns yet: create one from a CSV of leads."
          columns={[
            { label: 'Name', cell: (c) => <a href={`/app/campaigns/${c.id}`}>{c.name}</a> },
            { label: 'Status', cell: (c) => <Badge value={c.status} /> },
            { label: 'Leads', cell: (c) => count(c.leadTotal), class: 'num' },
            { label: 'Created', cell: (c) => inZone(c.createdAt) },
          ]}
        />
      )}
    </Page>
  );
}
