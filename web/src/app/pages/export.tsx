/** Export (SYS-007): the client's leads and touches as CSV files (the API streams them). */
import { useState } from 'preact/hooks';
import { query } from '../../shared/query';
import { dayOffset } from '../../shared/format';
import { Card, ErrorBox, Field, Page, Select } from '../../shared/ui';
import { useApiClient, useGet } from '../../shared/use-api';
import type { Campaign } from '../types';

export function Export() {
  const api = useApiClient();
  const campaigns = useGet<{ campaigns: Campaign[] }>('/v1/campaigns?limit=200');
  const [campaignId, setCampaignId] = useState('');
  const [from, setFrom] = useState(dayOffset(89));
  const [to, setTo] = useState(dayOffset(0));
  const [error, setError] = useState<Error | null>(null);
  const get = (path: string, name: string) => api.download(path, name).catch(setError);
  return (
    <Page title="Export">
      <ErrorBox error={error} />
      <Card title="What to export">
        <form class="filters" onSubmit={(e) => e.preventDefault()}>
          <Select
            label="Campaign"
            name="campaignId"
            value={campaignId}
            onChange={setCampaignId}
            options={[['', 'All campaigns'], ...(campaigns.data?.campaigns ?? []).map((c): [string, string] => [c.id, c.name])]}
          />
          <Field label="Touches from">
            <input type="date" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
          </Field>
          <Field label="Touches to">
            <input type="date" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
          </Field>
        </form>
        <div class="actions">
          <button type="button" id="export-leads" onClick={() => get(`/v1/exports/leads.csv${query({ campaignId })}`, 'leads.csv')}>
            Download leads (CSV)
          </button>
          <button
            type="button"
            id="export-touches"
            onClick={() => get(`/v1/exports/touches.csv${query({ campaignId, from, to })}`, 'touches.csv')}
          >
            Download touches (CSV)
          </button>
        </div>
      </Card>
    </Page>
  );
}
