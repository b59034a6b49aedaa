/** Schedules (SYS-006): the Temporal Schedules with what they run, their last and next runs. */
import { inZone } from '../../shared/format';
import { Badge, ErrorBox, Loading, Page, Table } from '../../shared/ui';
import { useGet } from '../../shared/use-api';

interface Schedule {
  id: string;
  exists: boolean;
  description: string | null;
  spec: string | null;
  paused: boolean | null;
  note: string | null;
  lastRunAt: string | null;
  lastResult: { workflowId: string; status: string | null } | null;
  nextRunAt: string | null;
}

export function SchedulesPage() {
  const { data, error } = useGet<{ namespace: string; schedules: Schedule[] }>('/v1/admin/schedules');
  return (
    <Page title="Schedules">
      <ErrorBox error={error} />
      {!data && !error && <Loading />}
      {data && (
        <Table
          id="schedule-list"
          rows={data.schedules}
          rowKey={(s) => s.id}
          empty="No schedule."
          columns={[
            { label: 'Schedule', cell: (s) => s.id },
            { label: 'What it does', cell: (s) => s.description ?? '—' },
            { label: 'Runs', cell: (s) => s.spec ?? 'not created yet (the worker creates it when it starts)' },
            { label: 'State', cell: (s) => <Badge value={!s.exists ? 'missing' : s.paused ? 'paused' : 'active'} /> },
            {
              label: 'Last run',
              cell: (s) => `${inZone(s.lastRunAt)}${s.lastResult?.status ? ` · ${s.lastResult.status.toLowerCase()}` : ''}`,
            },
            { label: 'Next run', cell: (s) => inZone(s.nextRunAt) },
          ]}
        />
      )}
    </Page>
  );
}
