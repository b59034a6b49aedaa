/** Leads across clients (SYS-006): find a stuck lead by client, campaign, stage, tier or name. */
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { query } from '../../shared/query';
import { fullName } from '../../shared/format';
import { Badge, ErrorBox, Field, LoadMore, Loading, Page, Select, Table } from '../../shared/ui';
import { useGet, usePaged } from '../../shared/use-api';

interface LeadRow {
  id: string;
  clientId: string;
  clientName: string;
  campaignId: string;
  campaignName: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  tier: string | null;
  status: string;
  timezone: string | null;
}

const STATUSES = [
  '',
  'imported',
  'enriched',
  'scored',
  'in_sequence',
  'replied',
  'meeting_booked',
  'opted_out',
  'bounced',
  'completed',
  'dead',
  'duplicate',
  'cancelled',
];

export function LeadsPage() {
  const { query: initial } = useLocation();
  const [f, setF] = useState({ clientId: initial.clientId ?? '', campaignId: initial.campaignId ?? '', status: '', tier: '', q: '' });
  const [text, setText] = useState('');
  const clients = useGet<{ clients: { id: string; name: string }[] }>('/v1/admin/clients');
  const leads = usePaged<LeadRow>(`/v1/admin/leads${query({ ...f, limit: 100 })}`, 'leads');
  const set = (k: keyof typeof f) => (v: string) => {
    setF((x) => ({ ...x, [k]: v }));
  };
  return (
    <Page title="Leads">
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          set('q')(text);
        }}
      >
        <Field label="Search">
          <input name="q" type="search" value={text} placeholder="Name, email or company" onInput={(e) => setText(e.currentTarget.value)} />
        </Field>
        <Select
          label="Client"
          name="clientId"
          value={f.clientId}
          onChange={set('clientId')}
          options={[['', 'All clients'], ...(clients.data?.clients ?? []).map((c): [string, string] => [c.id, c.name])]}
        />
        <Select label="Stage" name="status" value={f.status} onChange={set('status')} options={STATUSES} />
        <Select
          label="Tier"
          name="tier"
          value={f.tier}
          onChange={set('tier')}
          options={['', 'Hot', 'Warm', 'Cool', 'Cold', 'Dead', 'unscored']}
        />
        <button type="submit">Search</button>
      </form>
      {f.campaignId && (
        <p>
          In one campaign only.{' '}
          <button type="button" class="link" onClick={() => set('campaignId')('')}>
            Show every campaign
          </button>
        </p>
      )}
      <ErrorBox error={leads.error} />
      {!leads.loaded && !leads.error && <Loading />}
      {leads.loaded && (
        <Table
          id="lead-list"
          rows={leads.rows}
          rowKey={(l) => l.id}
          empty="No lead matches."
          columns={[
            { label: 'Lead', cell: (l) => <a href={`/admin/leads/${l.id}`}>{fullName(l)}</a> },
            { label: 'Email', cell: (l) => l.email ?? '—' },
            { label: 'Client', cell: (l) => <a href={`/admin/clients/${l.clientId}`}>{l.clientName}</a> },
            { label: 'Campaign', cell: (l) => l.campaignName },
            { label: 'Tier', cell: (l) => l.tier ?? '—' },
            { label: 'Stage', cell: (l) => <Badge value={l.status} /> },
            { label: 'Zone', cell: (l) => l.timezone ?? '—' },
          ]}
        />
      )}
      <LoadMore onClick={leads.loadMore} />
    </Page>
  );
}
