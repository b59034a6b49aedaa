/**
 * A lead's score with its reasons, its 5-step plan (each step's time in the lead's own zone, and
 * its outcome or skip reason) and its touches with their evidence. Shared by both consoles.
 */
import { useRef } from 'preact/hooks';
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

/** How often, and how many times, a lead page asks again for a sequence Temporal did not answer for. */
const SEQUENCE_RETRY_MS = 2000;
const SEQUENCE_RETRIES = 15;

/**
 * The lead page's polling: while the answer says its sequence did not answer in time
 * (`sequenceUnavailable`: a busy worker, Temporal away), the lead is asked for again, every 2 s
 * for at most 15 times in a row.
 */
export function useSequenceRetry(): { pollMs: number; poll: (lead: { sequenceUnavailable?: boolean }) => boolean } {
  const tries = useRef(0);
  return {
    pollMs: SEQUENCE_RETRY_MS,
    poll: (lead) => {
      if (!lead.sequenceUnavailable) {
        tries.current = 0;
        return false;
      }
      return ++tries.current <= SEQUENCE_RETRIES;
    },
  };
}

export function PlanCard({
  steps,
  zone,
  state,
  stopReason,
  next,
  startedAt,
  unavailable,
}: {
  steps: PlanStep[];
  zone: string | null;
  startedAt?: string;
  /** The lead has a sequence that did not answer in time (the page asks again). */
  unavailable?: boolean;
  state?: string;
  stopReason?: string;
  next?: { step: number; plannedAt: string };
}) {
  return (
    <Card title="Sequence plan" id="plan">
      <p>
        {state ? (
          <Badge value={state} />
        ) : unavailable ? (
          <span class="muted" id="plan-unavailable">
            The sequence did not answer in time; the page asks again for half a minute (or reload it).
          </span>
        ) : (
          <span class="muted">No sequence running.</span>
        )}
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
