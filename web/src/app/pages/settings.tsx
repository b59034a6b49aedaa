/**
 * Settings (SYS-006, SYS-007): the client's own settings, changed through the same validated API
 * (a JSON merge patch); a refused value is shown with its field and nothing changes.
 */
import { useState } from 'preact/hooks';
import { ErrorBox, Field, Loading, Page } from '../../shared/ui';
import { useApiClient, useGet } from '../../shared/use-api';
import { KnowledgeBaseCard } from './knowledge-base';

interface SettingsView {
  senderName: string | null;
  pitch: string | null;
  bookingLink: string | null;
  smsConsentBasis: string | null;
  voice: {
    assistantId: string | null;
    knowledgeBaseId: string | null;
    voicemail: string | null;
    voicemailMessage: string | null;
    recordingNotice: string | null;
  };
  defaultTimezone: string;
  defaultCountry: string;
}

/** The stored value pre-selected once; the form is the client's until saved (no reset on re-render). */
const Options = ({ current, options }: { current: string | null; options: [string, string][] }) => (
  <>
    {options.map(([v, text]) => (
      <option key={v} value={v} selected={v === (current ?? '')}>
        {text}
      </option>
    ))}
  </>
);

const orNull = (v: FormDataEntryValue | null) => (v === null || String(v).trim() === '' ? null : String(v).trim());

/**
 * Only the fields the form changed (a JSON merge patch): a field changed elsewhere since the page
 * loaded (the knowledge base the sync sets, another session's edit) is not written back stale.
 */
function changedOnly<T extends Record<string, unknown>>(next: T, before: Record<string, unknown>): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(next)) {
    const was = before[k];
    if (v !== null && typeof v === 'object') {
      const inner = changedOnly(v as Record<string, unknown>, (was ?? {}) as Record<string, unknown>);
      if (Object.keys(inner).length) out[k] = inner;
    } else if (v !== was) out[k] = v;
  }
  return out as Partial<T>;
}

export function Settings() {
  const api = useApiClient();
  const { data, error, reload } = useGet<SettingsView>('/v1/settings');
  const [saveError, setSaveError] = useState<Error | null>(null);
  const [saved, setSaved] = useState(false);
  if (error) return <ErrorBox error={error} />;
  if (!data) return <Loading />;

  const save = async (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    setSaveError(null);
    setSaved(false);
    try {
      const form = {
        senderName: orNull(f.get('senderName')),
        pitch: orNull(f.get('pitch')),
        bookingLink: orNull(f.get('bookingLink')),
        smsConsentBasis: orNull(f.get('smsConsentBasis')),
        defaultTimezone: String(f.get('defaultTimezone')),
        defaultCountry: String(f.get('defaultCountry')).toUpperCase(),
        voice: {
          voicemail: orNull(f.get('voicemail')),
          voicemailMessage: orNull(f.get('voicemailMessage')),
          recordingNotice: orNull(f.get('recordingNotice')),
          knowledgeBaseId: orNull(f.get('knowledgeBaseId')),
          assistantId: orNull(f.get('assistantId')),
        },
      };
      await api.send('PATCH', '/v1/settings', changedOnly(form, data as unknown as Record<string, unknown>));
      setSaved(true);
      reload();
    } catch (err) {
      setSaveError(err as Error);
    }
  };

  return (
    <Page title="Settings">
      <ErrorBox error={saveError} />
      {saved && (
        <p class="notice" role="status">
          Saved.
        </p>
      )}
      <form id="settings" class="card" key={JSON.stringify(data)} onSubmit={save}>
        <Field label="Sender name" hint="Who the messages are signed by">
          <input name="senderName" maxLength={100} defaultValue={data.senderName ?? ''} />
        </Field>
        <Field label="What you offer" hint="One or two sentences the messages draw on">
          <textarea name="pitch" maxLength={500} defaultValue={data.pitch ?? ''} />
        </Field>
        <Field label="Booking link" hint="An https link to your calendar">
          <input name="bookingLink" type="url" defaultValue={data.bookingLink ?? ''} />
        </Field>
        <Field label="SMS consent basis" hint="Without one, SMS steps are skipped">
          <select name="smsConsentBasis">
            <Options
              current={data.smsConsentBasis}
              options={[
                ['', 'none'],
                ['express', 'express consent'],
                ['inferred_business', 'inferred: business relationship'],
                ['inferred_publication', 'inferred: published number'],
              ]}
            />
          </select>
        </Field>
        <Field label="Default time zone" hint="IANA zone, e.g. Australia/Sydney">
          <input name="defaultTimezone" required defaultValue={data.defaultTimezone} />
        </Field>
        <Field label="Default country" hint="ISO code, e.g. AU">
          <input name="defaultCountry" required maxLength={2} defaultValue={data.defaultCountry} />
        </Field>
        <fieldset>
          <legend>Calls</legend>
          <Field label="Voicemail">
            <select name="voicemail">
              <Options
                current={data.voice.voicemail}
                options={[
                  ['', 'default (leave a message)'],
                  ['leave_message', 'leave a message'],
                  ['hang_up', 'hang up'],
                ]}
              />
            </select>
          </Field>
          <Field label="Voicemail message">
            <textarea name="voicemailMessage" maxLength={500} defaultValue={data.voice.voicemailMessage ?? ''} />
          </Field>
          <Field label="Recording notice" hint="Said first on every call">
            <input name="recordingNotice" maxLength={300} defaultValue={data.voice.recordingNotice ?? ''} />
          </Field>
          <Field label="Voice assistant id">
            <input name="assistantId" defaultValue={data.voice.assistantId ?? ''} />
          </Field>
          <Field label="Knowledge base id" hint="The query tool searched on calls (set for you when you upload documents below)">
            <input name="knowledgeBaseId" defaultValue={data.voice.knowledgeBaseId ?? ''} />
          </Field>
        </fieldset>
        <button class="primary" type="submit">
          Save settings
        </button>
      </form>
      <KnowledgeBaseCard />
    </Page>
  );
}
