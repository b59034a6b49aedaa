/**
 * One campaign (SYS-007): its onboarding followed live (stage by stage, polled until it runs),
 * its counts, and the campaign-wide pause / resume / stop.
 */
import { useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { Badge, Card, ErrorBox, Loading, Page } from '../../shared/ui';
import { count, inZone } from '../../shared/format';
import { useApiClient, useGet } from '../../shared/use-api';
import type { Campaign } from '../types';

const STAGES = ['queued', 'sourcing', 'importing', 'imported', 'enriching', 'washing', 'scoring', 'starting_sequences', 'running'];
const SETTLED = ['running', 'paused', 'stopped', 'completed', 'failed'];

const COUNTS: [string, string][] = [
  ['total', 'Leads in the list'],
  ['sourced', 'Found by the lead source'],
  ['imported', 'Imported'],
  ['invalidPhones', 'Numbers that could not be read'],
  ['enriched', 'Time zone found'],
  ['washed', 'Washed against the do-not-call register'],
  ['washFailed', 'Wash failed'],
  ['sequencesStarted', 'Sequences started'],
];

export function CampaignPage() {
  const { params } = useRoute();
  const api = useApiClient();
  const { data, error, reload } = useGet<Campaign>(`/v1/campaigns/${encodeURIComponent(params.id ?? '')}`, {
    pollMs: 1500,
    poll: (c) => !SETTLED.includes(c.status) || !SETTLED.includes(c.progress?.stage ?? ''),
  });
  const [actionError, setActionError] = useState<Error | null>(null);
  const [done, setDone] = useState('');

  if (error) return <ErrorBox error={error} />;
  if (!data) return <Loading />;
  const stage = data.progress?.stage ?? data.status;
  const at = STAGES.indexOf(stage);
  const act = async (action: 'pause' | 'resume' | 'stop') => {
    if (action === 'stop' && !window.confirm('Stop this campaign for good? No lead of it will be contacted again.')) return;
    setActionError(null);
    try {
      await api.send('POST', `/v1/campaigns/${data.id}/${action}`, {});
      setDone(`${action} requested`);
      reload();
    } catch (err) {
      setActionError(err as Error);
    }
  };
  const tiers = data.progress?.scoredByTier as Record<string, number> | undefined;

  return (
    <Page
      title={data.name}
      actions={
        <>
          {data.status !== 'paused' && data.status !== 'stopped' && (
            <button type="button" onClick={() => act('pause')}>
              Pause campaign
            </button>
          )}
          {data.status === 'paused' && (
            <button type="button" onClick={() => act('resume')}>
              Resume campaign
            </button>
          )}
          {data.status !== 'stopped' && (
            <button type="button" class="danger" onClick={() => act('stop')}>
              Stop campaign
            </button>
          )}
        </>
      }
    >
      <ErrorBox error={actionError} />
      {done && (
        <p class="notice" role="status">
          {done}
        </p>
      )}
      <p>
        Status <Badge value={data.status} /> · created {inZone(data.createdAt)} ·{' '}
        <a href={`/app/leads?campaignId=${data.id}`}>See its leads</a>
      </p>
      <Card title="Onboarding" id="onboarding">
        <ol class="stages" aria-label="Onboarding stages">
          {STAGES.map((s, i) => (
            <li
              key={s}
              class={i < at || stage === 'running' ? 'done' : i === at ? 'current' : ''}
              aria-current={i === at ? 'step' : undefined}
            >
              {s.replaceAll('_', ' ')}
            </li>
          ))}
        </ol>
        {stage === 'failed' && <p class="error">Onboarding failed: {String(data.progress?.error ?? 'see the alerts')}</p>}
        <dl class="facts" id="progress">
          {COUNTS.filter(([k]) => data.progress?.[k] !== undefined).map(([k, label]) => (
            <>
              <dt key={`${k}-t`}>{label}</dt>
              <dd key={`${k}-d`} data-count={k}>
                {count(Number(data.progress?.[k]))}
              </dd>
            </>
          ))}
          {tiers && (
            <>
              <dt>Scored by tier</dt>
              <dd>
                {Object.entries(tiers)
                  .map(([t, n]) => `${t}: ${n}`)
                  .join(' · ')}
              </dd>
            </>
          )}
        </dl>
        <p class="muted" role="status" aria-live="polite">
          Stage: {stage.replaceAll('_', ' ')}
        </p>
      </Card>
    </Page>
  );
}
