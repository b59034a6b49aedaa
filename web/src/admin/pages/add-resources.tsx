/** Adding what the agency already owns to the pool (RP-002): a domain with its mailboxes, a number, a LinkedIn seat. */
import { useState } from 'preact/hooks';
import { Card, ErrorBox, Field } from '../../shared/ui';
import { useApiClient } from '../../shared/use-api';

type Build = (f: FormData) => { path: string; body: unknown };

const text = (f: FormData, k: string) => String(f.get(k) ?? '').trim();
const opt = (f: FormData, k: string) => text(f, k) || undefined;

const DOMAIN: Build = (f) => ({
  path: '/v1/admin/pool/domains',
  body: {
    name: text(f, 'name'),
    mailboxes: [opt(f, 'email1'), opt(f, 'email2'), opt(f, 'email3')].filter(Boolean).map((email) => ({ email })),
  },
});
const NUMBER: Build = (f) => ({
  path: '/v1/admin/pool/phone-numbers',
  body: { e164: text(f, 'e164'), country: opt(f, 'country'), voiceRef: opt(f, 'voiceRef') },
});
const SEAT: Build = (f) => ({
  path: '/v1/admin/pool/linkedin-seats',
  body: { accountRef: text(f, 'accountRef'), displayName: opt(f, 'displayName'), timezone: opt(f, 'timezone') },
});

export function AddResources({ onAdded }: { onAdded: () => void }) {
  const api = useApiClient();
  const [error, setError] = useState<Error | null>(null);
  const [done, setDone] = useState('');
  const submit = (build: Build, what: string) => async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const { path, body } = build(new FormData(form));
    setError(null);
    setDone('');
    try {
      await api.send('POST', path, body);
      setDone(`${what} added.`);
      form.reset();
      onAdded();
    } catch (err) {
      setError(err as Error);
    }
  };
  return (
    <Card title="Add resources" id="add-resources">
      <ErrorBox error={error} />
      {done && (
        <p class="notice" role="status">
          {done}
        </p>
      )}
      <form id="add-domain" class="inline" onSubmit={submit(DOMAIN, 'Domain')}>
        <Field label="Domain">
          <input name="name" required placeholder="example.com" />
        </Field>
        <Field label="Mailbox 1">
          <input name="email1" type="email" placeholder="alex@example.com" />
        </Field>
        <Field label="Mailbox 2">
          <input name="email2" type="email" />
        </Field>
        <Field label="Mailbox 3">
          <input name="email3" type="email" />
        </Field>
        <button class="primary" type="submit">
          Add domain
        </button>
      </form>
      <form id="add-number" class="inline" onSubmit={submit(NUMBER, 'Number')}>
        <Field label="Number">
          <input name="e164" required placeholder="+61412345678" />
        </Field>
        <Field label="Country">
          <input name="country" size={3} placeholder="AU" />
        </Field>
        <Field label="Vapi phone id">
          <input name="voiceRef" />
        </Field>
        <button class="primary" type="submit">
          Add number
        </button>
      </form>
      <form id="add-seat" class="inline" onSubmit={submit(SEAT, 'Seat')}>
        <Field label="Unipile account id">
          <input name="accountRef" required />
        </Field>
        <Field label="Name">
          <input name="displayName" />
        </Field>
        <Field label="Time zone">
          <input name="timezone" placeholder="Australia/Sydney" />
        </Field>
        <button class="primary" type="submit">
          Add seat
        </button>
      </form>
    </Card>
  );
}
