/** Clients (SYS-006): every client with its tier and state; create one (its first key is shown once). */
import { useState } from 'preact/hooks';
import { inZone } from '../../shared/format';
import { Badge, Card, ErrorBox, Field, Loading, Page, Table } from '../../shared/ui';
import { useApiClient, useGet } from '../../shared/use-api';

interface ClientRow {
  id: string;
  name: string;
  slug: string;
  status: string;
  tier: string | null;
  defaultTimezone: string;
  createdAt: string;
}

export function ClientsPage() {
  const api = useApiClient();
  const { data, error, reload } = useGet<{ clients: ClientRow[] }>('/v1/admin/clients');
  const [filter, setFilter] = useState('');
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [createError, setCreateError] = useState<Error | null>(null);
  const create = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    setCreateError(null);
    try {
      const res = await api.send<{ client: ClientRow; apiKey: { apiKey: string } }>('POST', '/v1/admin/clients', {
        name: String(f.get('name')).trim(),
        slug: String(f.get('slug')).trim(),
      });
      setCreated({ name: res.client.name, key: res.apiKey.apiKey });
      form.reset();
      reload();
    } catch (err) {
      setCreateError(err as Error);
    }
  };
  const rows = (data?.clients ?? []).filter((c) => `${c.name} ${c.slug}`.toLowerCase().includes(filter.toLowerCase()));
  return (
    <Page title="Clients">
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <Field label="Find a client">
          <input name="filter" type="search" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
        </Field>
      </form>
      <ErrorBox error={error} />
      {!data && !error && <Loading />}
      {data && (
        <Table
          id="client-list"
          rows={rows}
          rowKey={(c) => c.id}
          empty="No client."
          columns={[
            { label: 'Client', cell: (c) => <a href={`/admin/clients/${c.id}`}>{c.name}</a> },
            { label: 'Slug', cell: (c) => c.slug },
            { label: 'Tier', cell: (c) => c.tier ?? '—' },
            { label: 'State', cell: (c) => <Badge value={c.status} /> },
            { label: 'Zone', cell: (c) => c.defaultTimezone },
            { label: 'Since', cell: (c) => inZone(c.createdAt) },
          ]}
        />
      )}
      <Card title="New client">
        <ErrorBox error={createError} />
        {created && (
          <p class="notice" role="status">
            {created.name} created. Its API key, shown this once: <code id="new-key">{created.key}</code>
          </p>
        )}
        <form class="inline" id="new-client" onSubmit={create}>
          <Field label="Name">
            <input name="name" required maxLength={200} />
          </Field>
          <Field label="Slug" hint="lowercase letters, digits and dashes">
            <input name="slug" required pattern="[a-z0-9][a-z0-9-]{1,62}" />
          </Field>
          <button class="primary" type="submit">
            Create client
          </button>
        </form>
      </Card>
    </Page>
  );
}
