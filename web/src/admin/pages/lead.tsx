/** One lead seen by the operator (SYS-006): its plan, touches and a link to its workflow in the Temporal Web UI. */
import { useRoute } from 'preact-iso';
import { fullName } from '../../shared/format';
import { PlanCard, ScoreCard, TouchesCard, useSequenceRetry, type PlanStep, type PlanTouch } from '../../shared/lead-plan';
import { Badge, Card, ErrorBox, Loading, Page } from '../../shared/ui';
import { useGet } from '../../shared/use-api';

interface AdminLead {
  id: string;
  clientId: string;
  clientName?: string;
  campaignId: string;
  campaignName?: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  timezone: string | null;
  tier: string | null;
  score: number | null;
  scoreReasons?: unknown;
  status: string;
  touches: PlanTouch[];
  sequence: {
    startedAt?: string;
    state: string;
    stopReason?: string;
    steps: PlanStep[];
    next?: { step: number; plannedAt: string };
  } | null;
  sequenceUnavailable: boolean;
  workflow: { workflowId: string; namespace: string; uiUrl: string | null } | null;
}

export function LeadPage() {
  const { params } = useRoute();
  const { data: lead, error } = useGet<AdminLead>(`/v1/admin/leads/${encodeURIComponent(params.id ?? '')}`, useSequenceRetry());
  if (error) return <ErrorBox error={error} />;
  if (!lead) return <Loading />;
  const seq = lead.sequence;
  return (
    <Page title={fullName(lead)}>
      <Card title="Lead" id="lead-facts">
        <dl class="facts">
          <dt>Client</dt>
          <dd>
            <a href={`/admin/clients/${lead.clientId}`}>{lead.clientName ?? lead.clientId}</a>
          </dd>
          <dt>Campaign</dt>
          <dd>{lead.campaignName ?? lead.campaignId}</dd>
          <dt>Email</dt>
          <dd>{lead.email ?? '—'}</dd>
          <dt>Company</dt>
          <dd>{lead.company ?? '—'}</dd>
          <dt>Stage</dt>
          <dd>
            <Badge value={lead.status} />
          </dd>
          <dt>Workflow</dt>
          <dd id="workflow">
            {lead.workflow ? (
              lead.workflow.uiUrl ? (
                <a href={lead.workflow.uiUrl} target="_blank" rel="noreferrer noopener">
                  {lead.workflow.workflowId} in the Temporal Web UI
                </a>
              ) : (
                <code>{lead.workflow.workflowId}</code>
              )
            ) : (
              'none'
            )}
          </dd>
        </dl>
      </Card>
      {lead.scoreReasons !== undefined && <ScoreCard score={lead.score} tier={lead.tier} reasons={lead.scoreReasons} />}
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
