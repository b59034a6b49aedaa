/**
 * One client (SYS-006): tier and subscription, the resources it holds, the churn hold with its
 * release date, its open alerts, and its API keys (issue a new one, shown once; revoke one).
 */
import { useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { count, inZone } from '../../shared/format';
import { Badge, Card, ErrorBox, Field, Loading, Page, Table } from '../../shared/ui';
import { useApiClient, useGet } from '../../shared/use-api';
import { AlertTable } from './alerts';

interface ClientDetail {
  id: string;
  name: string;
  slug: string;
  status: string;
  tier: string | null;
  defaultTimezone: string;
  defaultCountry: string;
  createdAt: string;
  subscription: {
    status: string;
    tier: string | null;
    currentPeriodEnd: string | null;
    cancelAtPeriodEnd: boolean;
    paidAt: string | null;
    cancelledAt: string | null;
  } | null;
  resources: {
    domains: { id: string; name: string; status: string; healthClass: string; mailboxes: number }[];
    phoneNumbers: { id: string; e164: string; status: string }[];
    linkedinSeats: { id: string; accountRef: string; displayName: string | null; status: string; health?: string }[];
  };
  churnHold: { cancelledAt: string; releaseAt: string; state: 'holding' | 'released' } | null;
  apiKeys: { id: string; name: string; prefix: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null }[];
  counts: { campaigns: number; leads: number; openAlerts: number };
}

export function ClientPage() {
  const { params } = useRoute();
  const api = useApiClient();
  const id = params.id ?? '';
  const { data: c, error, reload } = useGet<ClientDetail>(`/v1/admin/clients/${encodeURIComponent(id)}`);
  const [newKey, setNewKey] = useState('');
  const [keyError, setKeyError] = useState<Error | null>(null);
  if (error) return <ErrorBox error={error} />;
  if (!c) return <Loading />;

  const issue = async (e: Event) => {
    e.preventDefault();
    const name = String(new FormData(e.currentTarget as HTMLFormElement).get('keyName') || 'key');
    setKeyError(null);
    try {
      const k = await api.send<{ apiKey: string }>('POST', `/v1/admin/clients/${c.id}/api-keys`, { name });
      setNewKey(k.apiKey);
      reload();
    } catch (err) {
      setKeyError(err as Error);
    }
  };
  const revoke = (keyId: string, prefix: string) => async () => {
    if (!window.confirm(`Revoke the key ${prefix}…? Anything using it stops working.`)) return;
    await api.send('DELETE', `/v1/admin/api-keys/${keyId}`).catch(setKeyError);
    reload();
  };
  const r = c.resources;
  return (
    <Page title={c.name}>
      <div class="stats">
        <div class="stat">
          <div class="stat-value">{c.tier ?? '—'}</div>
          <div class="stat-label">Tier</div>
        </div>
        <div class="stat">
          <div class="stat-value">
            <Badge value={c.status} />
          </div>
          <div class="stat-label">State</div>
        </div>
        <div class="stat">
          <div class="stat-value">{count(c.counts.campaigns)}</div>
          <div class="stat-label">
            <a href={`/admin/campaigns?clientId=${c.id}`}>Campaigns</a>
          </div>
        </div>
        <div class="stat">
          <div class="stat-value">{count(c.counts.leads)}</div>
          <div class="stat-label">
            <a href={`/admin/leads?clientId=${c.id}`}>Leads</a>
          </div>
        </div>
        <div class="stat">
          <div class="stat-value">{count(c.counts.openAlerts)}</div>
          <div class="stat-label">Open alerts</div>
        </div>
      </div>
      <div class="grid">
        <Card title="Subscription" id="subscription">
          {c.subscription ? (
            <dl class="facts">
              <dt>State</dt>
              <dd>
                <Badge value={c.subscription.status} />
              </dd>
              <dt>Tier paid for</dt>
              <dd>{c.subscription.tier ?? '—'}</dd>
              <dt>Paid</dt>
              <dd>{inZone(c.subscription.paidAt)}</dd>
              <dt>Period ends</dt>
              <dd>
                {inZone(c.subscription.currentPeriodEnd)}
                {c.subscription.cancelAtPeriodEnd && ' (cancels then)'}
              </dd>
              {c.subscription.cancelledAt && (
                <>
                  <dt>Cancelled</dt>
                  <dd>{inZone(c.subscription.cancelledAt)}</dd>
                </>
              )}
            </dl>
          ) : (
            <p class="muted">No subscription.</p>
          )}
          <h3>Churn hold</h3>
          <p id="churn-hold">
            {c.churnHold ? `Cancelled ${inZone(c.churnHold.cancelledAt)}; resources released ${inZone(c.churnHold.releaseAt)}` : 'None'}
          </p>
        </Card>
        <Card title="Resources held" id="resources">
          <Table
            id="held-domains"
            caption={`Domains (${r.domains.length})`}
            rows={r.domains}
            rowKey={(d) => d.id}
            empty="None."
            columns={[
              { label: 'Domain', cell: (d) => d.name },
              { label: 'Status', cell: (d) => <Badge value={d.status} /> },
              { label: 'Health', cell: (d) => <Badge value={d.healthClass} /> },
              { label: 'Mailboxes', cell: (d) => d.mailboxes, class: 'num' },
            ]}
          />
          <Table
            id="held-numbers"
            caption={`Phone numbers (${r.phoneNumbers.length})`}
            rows={r.phoneNumbers}
            rowKey={(n) => n.id}
            empty="None."
            columns={[
              { label: 'Number', cell: (n) => n.e164 },
              { label: 'Status', cell: (n) => <Badge value={n.status} /> },
            ]}
          />
          <Table
            id="held-seats"
            caption={`LinkedIn seats (${r.linkedinSeats.length})`}
            rows={r.linkedinSeats}
            rowKey={(s) => s.id}
            empty="None."
            columns={[
              { label: 'Seat', cell: (s) => s.displayName ?? s.accountRef },
              { label: 'Status', cell: (s) => <Badge value={s.status} /> },
            ]}
          />
        </Card>
      </div>
      <Card title="API keys" id="api-keys">
        <ErrorBox error={keyError} />
        {newKey && (
          <p class="notice" role="status">
            New key, shown this once: <code id="issued-key">{newKey}</code>
          </p>
        )}
        <Table
          id="key-list"
          rows={c.apiKeys}
          rowKey={(k) => k.id}
          columns={[
            { label: 'Name', cell: (k) => k.name },
            { label: 'Starts with', cell: (k) => <code>{k.prefix}</code> },
            { label: 'Created', cell: (k) => inZone(k.createdAt) },
            { label: 'Last used', cell: (k) => inZone(k.lastUsedAt) },
            { label: 'State', cell: (k) => (k.revokedAt ? <Badge value="revoked" /> : <Badge value="active" />) },
            {
              label: 'Actions',
              cell: (k) =>
                !k.revokedAt && (
                  <button type="button" class="danger" onClick={revoke(k.id, k.prefix)}>
                    Revoke
                  </button>
                ),
            },
          ]}
        />
        <form class="inline" id="issue-key" onSubmit={issue}>
          <Field label="New key's name">
            <input name="keyName" maxLength={100} placeholder="crm-sync" />
          </Field>
          <button type="submit">Issue a key</button>
        </form>
      </Card>
      <Card title="Open alerts" id="client-alerts">
        <AlertTable path={`/v1/admin/alerts?state=open&clientId=${c.id}&limit=100`} />
      </Card>
    </Page>
  );
}
