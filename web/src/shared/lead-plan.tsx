/**
 * A lead's score with its reasons, its 5-step plan (each step's time in the lead's own zone, and
 * its outcome or skip reason) and its touches with their evidence. Shared by both consoles.
 */
import { Badge, Card, Table } from './ui';
import { inDay, inZone } from './format';

export interface PlanStep {
  step: number;
  day: number;
  kind: string;
  channel: string;
  status: string;
  plannedAt?: string;
  doneAt?: string;
  skipReason?: string;
  outcome?: string;
}

export interface PlanTouch {
  step: number;
  channel: string;
  status: string;
  plannedAt: string | null;
  sentAt: string | null;
  provider?: string | null;
  providerRef?: string | null;
  evidence: unknown;
}

export function ScoreCard({ score, tier, reasons }: { score: number | null; tier: string | null; reasons: unknown }) {
  const list = Array.isArray(reasons) ? (reasons as { part: string; code: string; points: number }[]) : [];
  return (
    <Card title="Score" id="score">
      <p>
        <strong>{score ?? '—'}</strong> / 100 · tier <strong>{tier ?? 'unscored'}</strong>
      </p>
      <Table
        id="score-reasons"
        rows={list}
        rowKey={(r) => `${r.part}:${r.code}`}
        empty="No reasons recorded."
        columns={[
          { label: 'Part', cell: (r) => r.part },
          { label: 'Reason', cell: (r) => r.code.replaceAll('_', ' ') },
          { label: 'Points', cell: (r) => (r.points > 0 ? `+${r.points}` : String(r.points)), class: 'num' },
        ]}
      />
    </Card>
  );
}

/**
 * When a step will run: its planned instant once the sequence has reached it; before that, the
 * rule's earliest day (the start + the step's day, then its next sending window).
 */
function plannedText(s: PlanStep, zone: string | null, startedAt?: string): string {
  if (s.plannedAt) return inZone(s.plannedAt, zone);
  if (!startedAt || s.status !== 'planned') return '—';
  const earliest = new Date(Date.parse(startedAt) + s.day * 86_400_000).toISOString();
  return `not before ${inDay(earliest, zone)}`;
}

export function PlanCard({
  steps,
  zone,
  state,
  stopReason,
  next,
  startedAt,
}: {
  steps: PlanStep[];
  zone: string | null;
  startedAt?: string;
  state?: string;
  stopReason?: string;
  next?: { step: number; plannedAt: string };
}) {
  return (
    <Card title="Sequence plan" id="plan">
      <p>
        {state ? <Badge value={state} /> : <span class="muted">No sequence running.</span>}
        {stopReason && <> · stopped: {stopReason.replaceAll('_', ' ')}</>}
        {next && (
          <>
            {' '}
            · next: step {next.step} at {inZone(next.plannedAt, zone)}
          </>
        )}
      </p>
      <p class="muted">Times in the lead's time zone: {zone ?? 'unknown'}</p>
      <Table
        id="plan-steps"
        rows={steps}
        rowKey={(s) => String(s.step)}
        empty="The plan is not available (the sequence has not started, or has ended)."
        columns={[
          { label: 'Step', cell: (s) => s.step, class: 'num' },
          { label: 'Day', cell: (s) => s.day, class: 'num' },
          { label: 'Channel', cell: (s) => `${s.channel} · ${s.kind.replaceAll('_', ' ')}` },
          { label: 'Planned (lead time)', cell: (s) => plannedText(s, zone, startedAt) },
          { label: 'Status', cell: (s) => <Badge value={s.status} /> },
          { label: 'Outcome', cell: (s) => s.skipReason?.replaceAll('_', ' ') ?? s.outcome ?? (s.doneAt ? inZone(s.doneAt, zone) : '') },
        ]}
      />
    </Card>
  );
}

export function TouchesCard({ touches, zone }: { touches: PlanTouch[]; zone: string | null }) {
  return (
    <Card title="Touches" id="touches">
      <Table
        id="touch-list"
        rows={touches}
        rowKey={(t) => `${t.step}:${t.channel}:${t.plannedAt ?? ''}`}
        empty="Nothing sent yet."
        columns={[
          { label: 'Step', cell: (t) => t.step, class: 'num' },
          { label: 'Channel', cell: (t) => t.channel },
          { label: 'Status', cell: (t) => <Badge value={t.status} /> },
          { label: 'Sent (lead time)', cell: (t) => inZone(t.sentAt ?? t.plannedAt, zone) },
          { label: 'Provider', cell: (t) => [t.provider, t.providerRef].filter(Boolean).join(' · ') || '—' },
          {
            label: 'Evidence',
            cell: (t) =>
              t.evidence ? (
                <details>
                  <summary>Show</summary>
                  <pre>{JSON.stringify(t.evidence, null, 2)}</pre>
                </details>
              ) : (
                '—'
              ),
          },
        ]}
      />
    </Card>
  );
}
