/** Inbox (SYS-003, SYS-007): conversations with their intent and state, newest message first. */
import { useState } from 'preact/hooks';
import { query } from '../../shared/query';
import { Badge, ErrorBox, Loading, Page, Select, Table } from '../../shared/ui';
import { fullName, inZone } from '../../shared/format';
import { useGet } from '../../shared/use-api';
import type { Conversation } from '../types';

const STATES = ['open', 'answering', 'answered', 'needs_human', 'booked', 'closed'];

export function Inbox() {
  const [state, setState] = useState('');
  const [handled, setHandled] = useState('');
  const { data, error } = useGet<{ conversations: Conversation[] }>(`/v1/conversations${query({ state, handled, limit: 100 })}`);
  return (
    <Page title="Inbox">
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <Select label="State" name="state" value={state} onChange={setState} options={['', ...STATES]} />
        <Select
          label="Handled"
          name="handled"
          value={handled}
          onChange={setHandled}
          options={[
            ['', 'any'],
            ['false', 'not yet'],
            ['true', 'handled'],
          ]}
        />
      </form>
      <ErrorBox error={error} />
      {!data && !error && <Loading />}
      {data && (
        <Table
          id="conversations"
          rows={data.conversations}
          rowKey={(c) => c.id}
          empty="No replies yet."
          columns={[
            { label: 'Lead', cell: (c) => <a href={`/app/inbox/${c.id}`}>{c.lead ? fullName(c.lead) : c.leadId}</a> },
            { label: 'Company', cell: (c) => c.lead?.company ?? '—' },
            { label: 'Last message', cell: (c) => (c.lastMessage ? c.lastMessage.text.slice(0, 140) : '—') },
            { label: 'Intent', cell: (c) => <Badge value={c.lastIntent} /> },
            { label: 'State', cell: (c) => <Badge value={c.state} /> },
            { label: 'When', cell: (c) => inZone(c.lastMessageAt) },
          ]}
        />
      )}
    </Page>
  );
}
