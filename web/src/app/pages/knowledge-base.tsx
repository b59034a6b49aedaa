/**
 * The voice knowledge base (VO-001), on the settings page: the documents the AI caller answers
 * from, uploaded one at a time, each with its state (pending until Vapi has it, refused with the
 * reason), and removed from here. The list refreshes itself while a file is on its way.
 */
import { useState } from 'preact/hooks';
import { Badge, Card, ErrorBox, Table } from '../../shared/ui';
import { useApiClient, useGet } from '../../shared/use-api';
import { inZone } from '../../shared/format';

interface KnowledgeFile {
  id: string;
  name: string;
  size: number;
  status: string;
  error: string | null;
  createdAt: string;
}
interface KnowledgeBase {
  toolId: string | null;
  syncedAt: string | null;
  error: string | null;
  files: KnowledgeFile[];
}

const ACCEPT = '.txt,.pdf,.docx,.doc,.csv,.tsv,.md,.yaml,.yml,.json,.xml,.log';
const size = (n: number) => (n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);

export function KnowledgeBaseCard() {
  const api = useApiClient();
  const { data, error, reload } = useGet<KnowledgeBase>('/v1/settings/voice/knowledge-base', {
    pollMs: 2000,
    poll: (kb) => kb.files.some((f) => f.status === 'pending'),
  });
  const [actionError, setActionError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);

  const upload = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    setActionError(null);
    setBusy(true);
    try {
      await api.send('POST', '/v1/settings/voice/knowledge-base/files', new FormData(form));
      form.reset();
      reload();
    } catch (err) {
      setActionError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  const remove = async (id: string) => {
    setActionError(null);
    try {
      await api.send('DELETE', `/v1/settings/voice/knowledge-base/files/${id}`);
      reload();
    } catch (err) {
      setActionError(err as Error);
    }
  };

  return (
    <Card title="Knowledge base" id="knowledge-base">
      <p class="muted">
        Documents your AI caller answers questions from (prices, services, policies): {ACCEPT.replaceAll(',', ' ')}, up to 5 MB each. They
        are sent to the voice provider, and every call can search them.
      </p>
      <ErrorBox error={error ?? actionError} />
      {data?.error && <p class="muted">The last sync stopped: {data.error}</p>}
      <Table
        id="knowledge-files"
        rows={data?.files ?? []}
        rowKey={(f) => f.id}
        empty={data ? 'No documents yet.' : 'Loading…'}
        columns={[
          { label: 'Document', cell: (f) => f.name },
          { label: 'Size', cell: (f) => size(f.size), class: 'num' },
          { label: 'Added', cell: (f) => inZone(f.createdAt) },
          { label: 'State', cell: (f) => (f.error ? `${f.status}: ${f.error}` : <Badge value={f.status} />) },
          {
            label: 'Remove',
            cell: (f) => (
              <button type="button" aria-label={`Remove ${f.name}`} onClick={() => remove(f.id)}>
                Remove
              </button>
            ),
          },
        ]}
      />
      <form id="knowledge-upload" onSubmit={upload}>
        <label>
          Add a document <input type="file" name="file" accept={ACCEPT} required />
        </label>{' '}
        <button type="submit" disabled={busy}>
          Upload
        </button>
      </form>
    </Card>
  );
}
