/** A conversation (SYS-003): its messages, what each reply meant, and an answer box. */
import { useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { Badge, ErrorBox, Field, Loading, Page, Select } from '../../shared/ui';
import { fullName, inZone } from '../../shared/format';
import { useApiClient, useGet } from '../../shared/use-api';
import type { Conversation } from '../types';

export function ConversationPage() {
  const { params } = useRoute();
  const api = useApiClient();
  const { data, error, reload } = useGet<Conversation>(`/v1/conversations/${encodeURIComponent(params.id ?? '')}`);
  const [text, setText] = useState('');
  const [channel, setChannel] = useState('');
  const [sendError, setSendError] = useState<Error | null>(null);
  const [sent, setSent] = useState('');
  if (error) return <ErrorBox error={error} />;
  if (!data) return <Loading />;

  const answer = async (e: Event) => {
    e.preventDefault();
    setSendError(null);
    try {
      await api.send('POST', `/v1/conversations/${data.id}/reply`, { text, ...(channel ? { channel } : {}) });
      setText('');
      setSent('Answer sent.');
      setTimeout(reload, 800);
    } catch (err) {
      setSendError(err as Error);
    }
  };
  const markHandled = async () => {
    await api.send('POST', `/v1/conversations/${data.id}/handled`, { handled: !data.handledAt }).catch(setSendError);
    reload();
  };

  return (
    <Page
      title={data.lead ? fullName(data.lead) : 'Conversation'}
      actions={
        <button type="button" onClick={markHandled}>
          {data.handledAt ? 'Mark not handled' : 'Mark handled'}
        </button>
      }
    >
      <p>
        <Badge value={data.state} /> · <a href={`/app/leads/${data.leadId}`}>Open the lead</a>
      </p>
      <ol class="messages" id="messages">
        {(data.messages ?? []).map((m) => (
          <li key={m.id} class={m.direction}>
            <div class="muted">
              {m.direction === 'inbound' ? 'They wrote' : 'We wrote'} · {m.channel} · {inZone(m.at)}{' '}
              {m.intent && <Badge value={m.intent} />} {m.status !== 'received' && m.status !== 'sent' && <Badge value={m.status} />}
            </div>
            {m.subject && <strong>{m.subject}</strong>}
            <pre>{m.text}</pre>
            {m.reason && <div class="muted">{m.reason}</div>}
          </li>
        ))}
      </ol>
      <ErrorBox error={sendError} />
      {sent && (
        <p class="notice" role="status">
          {sent}
        </p>
      )}
      <form class="card" id="answer" onSubmit={answer}>
        <Field label="Your answer">
          <textarea name="text" required maxLength={5000} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        </Field>
        <Select
          label="Channel"
          name="channel"
          value={channel}
          onChange={setChannel}
          options={[['', 'the one they used last'], 'email', 'sms', 'linkedin']}
        />
        <button class="primary" type="submit">
          Send answer
        </button>
      </form>
    </Page>
  );
}
