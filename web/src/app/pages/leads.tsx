/** Leads (SYS-007): search and filter the client's leads across campaigns, a page at a time. */
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { query } from '../../shared/query';
import { Badge, ErrorBox, Field, LoadMore, Loading, Page, Select, Table } from '../../shared/ui';
import { fullName } from '../../shared/format';
import { useGet, usePaged } from '../../shared/use-api';
import { CHANNELS, TIERS, type Campaign, type LeadRow } from '../types';

const STATUSES = [
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

export function Leads() {
  const { query: initial } = useLocation();
  const [filters, setFilters] = useState({
    campaignId: initial.campaignId ?? '',
    tier: initial.tier ?? '',
    status: initial.status ?? '',
    timezone: initial.timezone ?? '',
    channel: initial.channel ?? '',
    q: initial.q ?? '',
  });
  const [q, setQ] = useState(filters.q);
  const campaigns = useGet<{ campaigns: Campaign[] }>('/v1/campaigns?limit=200');
  const leads = usePaged<LeadRow>(`/v1/leads${query({ ...filters, limit: 50 })}`, 'leads');
  const set = (k: keyof typeof filters) => (v: string) => setFilters((f) => ({ ...f, [k]: v }));
  return (
    <Page title="Leads">
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          set('q')(q);
        }}
      >
        <Field label="Search">
          <input name="q" type="search" value={q} placeholder="Name, email or company" onInput={(e) => setQ(e.currentTarget.value)} />
        </Field>
        <Select
          label="Campaign"
          name="campaignId"
          value={filters.campaignId}
          onChange={set('campaignId')}
          options={[['', 'All'], ...(campaigns.data?.campaigns ?? []).map((c): [string, string] => [c.id, c.name])]}
        />
        <Select label="Tier" name="tier" value={filters.tier} onChange={set('tier')} options={['', ...TIERS]} />
        <Select label="Stage" name="status" value={filters.status} onChange={set('status')} options={['', ...STATUSES]} />
        <Select label="Reached by" name="channel" value={filters.channel} onChange={set('channel')} options={['', ...CHANNELS]} />
        <Field label="Time zone">
          <input
            name="timezone"
            value={filters.timezone}
            placeholder="Australia/Sydney"
            onChange={(e) => set('timezone')(e.currentTarget.value)}
          />
        </Field>
        <button type="submit">Search</button>
      </form>
      <ErrorBox error={leads.error} />
      {!leads.loaded && !leads.error && <Loading />}
      {leads.loaded && (
        <Table
          id="leads"
          rows={leads.rows}
          rowKey={(l) => l.id}
          empty="No lead matches."
          columns={[
            { label: 'Lead', cell: (l) => <a href={`/app/leads/${l.id}`}>{fullName(l)}</a> },
            { label: 'Email', cell: (l) => l.email ?? '—' },
            { label: 'Company', cell: (l) => l.company ?? '—' },
            { label: 'Campaign', cell: (l) => l.campaignName ?? '' },
            { label: 'Tier', cell: (l) => l.tier ?? '—' },
            { label: 'Score', cell: (l) => l.score ?? '—', class: 'num' },
            { label: 'Stage', cell: (l) => <Badge value={l.status} /> },
            { label: 'Zone', cell: (l) => l.timezone ?? '—' },
          ]}
        />
      )}
      <LoadMore onClick={leads.loadMore} />
    </Page>
  );
}
