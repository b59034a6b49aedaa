/**
 * New campaign (SYS-001, SYS-007): the ICP and a CSV of leads (or a lead source). The API checks
 * every row first: a refused list is shown row by row (line and field) and nothing is stored, so
 * the client fixes the file and sends it again.
 */
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { useApiClient } from '../../shared/use-api';
import { ErrorBox, Field, Page, Table } from '../../shared/ui';
import type { Campaign } from '../types';

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

export function NewCampaign() {
  const api = useApiClient();
  const { route } = useLocation();
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const [mode, setMode] = useState<'csv' | 'source'>('csv');
  const [created, setCreated] = useState<Campaign | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const num = (k: string) => (f.get(k) ? Number(f.get(k)) : undefined);
    const icp = {
      description: String(f.get('description') ?? '') || undefined,
      industries: list(String(f.get('industries') ?? '')),
      titles: list(String(f.get('titles') ?? '')),
      countries: list(String(f.get('countries') ?? '')),
      keywords: list(String(f.get('keywords') ?? '')),
      employeeMin: num('employeeMin'),
      employeeMax: num('employeeMax'),
    };
    const campaign = { name: String(f.get('name') ?? ''), icp };
    setBusy(true);
    setError(null);
    try {
      let created: Campaign;
      if (mode === 'csv') {
        const body = new FormData();
        body.set('campaign', JSON.stringify(campaign));
        const file = f.get('leads');
        if (file instanceof File && file.size > 0) body.set('leads', file, file.name);
        created = await api.send<Campaign>('POST', '/v1/campaigns', body);
      } else {
        created = await api.send<Campaign>('POST', '/v1/campaigns', {
          ...campaign,
          source: { type: 'apollo', limit: num('limit') ?? 100 },
        });
      }
      // Rows kept with a number that could not be read are listed before moving on.
      if (created.warnings?.length) setCreated(created);
      else route(`/app/campaigns/${created.id}`);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };

  if (created) return <Created campaign={created} />;
  return (
    <Page title="New campaign">
      <ErrorBox error={error} />
      <form id="new-campaign" class="card" onSubmit={submit}>
        <Field label="Campaign name">
          <input name="name" required maxLength={200} />
        </Field>
        <fieldset>
          <legend>Ideal customer profile</legend>
          <Field label="Description">
            <textarea name="description" maxLength={2000} />
          </Field>
          <Field label="Industries" hint="Comma separated">
            <input name="industries" />
          </Field>
          <Field label="Titles" hint="Comma separated, e.g. CEO, Head of Sales">
            <input name="titles" />
          </Field>
          <Field label="Countries" hint="ISO codes, comma separated, e.g. AU, NZ">
            <input name="countries" />
          </Field>
          <Field label="Keywords" hint="Comma separated">
            <input name="keywords" />
          </Field>
          <Field label="Employees from">
            <input name="employeeMin" type="number" min={0} />
          </Field>
          <Field label="Employees up to">
            <input name="employeeMax" type="number" min={1} />
          </Field>
        </fieldset>
        <fieldset>
          <legend>Leads</legend>
          <label>
            <input type="radio" name="mode" checked={mode === 'csv'} onChange={() => setMode('csv')} /> Upload a CSV
          </label>{' '}
          <label>
            <input type="radio" name="mode" checked={mode === 'source'} onChange={() => setMode('source')} /> Find them from the profile
            (lead source)
          </label>
          {mode === 'csv' ? (
            <Field
              label="Lead list (CSV)"
              hint="Header row: email, first_name, last_name, title, company, company_domain, industry, employee_count, city, state, country, phone, linkedin_url"
            >
              <input name="leads" type="file" accept=".csv,text/csv" required />
            </Field>
          ) : (
            <Field label="How many leads">
              <input name="limit" type="number" min={1} max={10000} defaultValue="100" />
            </Field>
          )}
        </fieldset>
        <button class="primary" type="submit" disabled={busy}>
          {busy ? 'Checking…' : 'Create campaign'}
        </button>
      </form>
    </Page>
  );
}

/** The campaign was created; some rows' phone numbers could not be read (those leads get no call or SMS). */
function Created({ campaign }: { campaign: Campaign }) {
  const warnings = campaign.warnings ?? [];
  return (
    <Page title={campaign.name}>
      <p class="notice" role="status">
        Campaign created: its onboarding has started. {warnings.length} lead(s) were kept without a usable phone number (no call or SMS for
        them):
      </p>
      <Table
        id="warnings"
        rows={warnings}
        rowKey={(w) => String(w.row)}
        columns={[
          { label: 'Line', cell: (w) => w.line ?? w.row },
          { label: 'Field', cell: (w) => w.field },
          { label: 'Problem', cell: (w) => w.message },
        ]}
      />
      <p>
        <a href={`/app/campaigns/${campaign.id}`}>Follow its onboarding</a>
      </p>
    </Page>
  );
}
