/** A lead (SYS-007): who it is, its score and reasons, its plan in its local time, its touches; pause or resume it. */
import { useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { Badge, Card, ErrorBox, Loading, Page } from '../../shared/ui';
import { fullName, inZone } from '../../shared/format';
import { PlanCard, ScoreCard, TouchesCard, useSequenceRetry } from '../../shared/lead-plan';
import { useApiClient, useGet } from '../../shared/use-api';
import type { Lead } from '../types';

export function LeadPage() {
  const { params } = useRoute();
  const api = useApiClient();
  const { data: lead, error, reload } = useGet<Lead>(`/v1/leads/${encodeURIComponent(params.id ?? '')}`, useSequenceRetry());
  const [actionError, setActionError] = useState<Error | null>(null);
  if (error) return <ErrorBox error={error} />;
  if (!lead) return <Loading />;
  const seq = lead.sequence;
  const act = async (action: 'pause' | 'resume') => {
    setActionError(null);
    try {
      await api.send('POST', `/v1/leads/${lead.id}/${action}`, {});
      setTimeout(reload, 500);
    } catch (err) {
      setActionError(err as Error);
    }
  };
  return (
    <Page
      title={fullName(lead)}
      actions={
        seq && (seq.state === 'running' || seq.state === 'paused') ? (
          <button type="button" onClick={() => act(seq.state === 'paused' ? 'resume' : 'pause')}>
            {seq.state === 'paused' ? 'Resume sequence' : 'Pause sequence'}
          </button>
        ) : undefined
      }
    >
      <ErrorBox error={actionError} />
      <div class="grid">
        <Card title="Contact" id="contact">
          <dl class="facts">
            <dt>Email</dt>
            <dd>{lead.email ?? '—'}</dd>
            <dt>Phone</dt>
            <dd>
              {lead.phone.e164 ?? lead.phone.given ?? '—'}
              {lead.phone.issue && <span class="muted"> ({lead.phone.issue.message})</span>}
            </dd>
            <dt>Title</dt>
            <dd>{lead.title ?? '—'}</dd>
            <dt>Company</dt>
            <dd>{lead.company ?? '—'}</dd>
            <dt>Time zone</dt>
            <dd id="lead-zone">
              {lead.timezone ?? 'unknown'}
              {lead.timezoneSource && <span class="muted"> (from {lead.timezoneSource})</span>}
            </dd>
            <dt>Stage</dt>
            <dd>
              <Badge value={lead.status} />
            </dd>
            <dt>Do-not-call wash</dt>
            <dd>
              {lead.dncr.result ?? 'not washed'}
              {lead.dncr.washedAt && ` · ${inZone(lead.dncr.washedAt, lead.timezone)}`}
            </dd>
            {lead.repliedAt && (
              <>
                <dt>Replied</dt>
                <dd>{inZone(lead.repliedAt, lead.timezone)}</dd>
              </>
            )}
            {lead.optedOutAt && (
              <>
                <dt>Opted out</dt>
                <dd>{inZone(lead.optedOutAt, lead.timezone)}</dd>
              </>
            )}
          </dl>
        </Card>
        <ScoreCard score={lead.score} tier={lead.tier} reasons={lead.scoreReasons} />
      </div>
      <PlanCard
        steps={seq?.steps ?? []}
        zone={lead.timezone}
        state={seq?.state}
        stopReason={seq?.stopReason}
        next={seq?.next}
        startedAt={seq?.startedAt}
        unavailable={lead.sequenceUnavailable}
      />
      <TouchesCard touches={lead.touches} zone={lead.timezone} />
    </Page>
  );
}
