/** Domain health (ED-004): every domain with its heat and 30-day rates, and one domain's history as charts. */
import { useState } from 'preact/hooks';
import { TimeChart, color } from '../../shared/chart';
import { count, percent } from '../../shared/format';
import { Badge, Card, ErrorBox, Select, Table } from '../../shared/ui';
import { useGet } from '../../shared/use-api';

interface Domain {
  id: string;
  name: string;
  status: string;
  heatScore: number | null;
  healthClass: string;
  allocatedTo: string | null;
  mailboxes: { id: string; email: string; status: string; dailyLimit: number }[];
  health: { day: string; sent: number; bounced: number; complaints: number; bounceRate: number; complaintRate: number } | null;
}
interface HealthSnapshot {
  resourceId: string;
  day: string;
  healthClass: string;
  metrics: Record<string, unknown>;
}

export function Domains() {
  const [health, setHealth] = useState('');
  const { data, error } = useGet<{ domains: Domain[] }>(`/v1/admin/pool/domains${health ? `?health=${health}` : ''}`);
  const [chosen, setChosen] = useState<string | null>(null);
  return (
    <Card title="Domains" id="domains">
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <Select label="Health" name="health" value={health} onChange={setHealth} options={['', 'good', 'warning', 'critical']} />
      </form>
      <ErrorBox error={error} />
      {data && (
        <Table
          id="domain-list"
          rows={data.domains}
          rowKey={(d) => d.id}
          empty="No domain in the pool."
          columns={[
            {
              label: 'Domain',
              cell: (d) => (
                <button type="button" class="link" onClick={() => setChosen(d.id)} aria-label={`Show the history of ${d.name}`}>
                  {d.name}
                </button>
              ),
            },
            { label: 'Status', cell: (d) => <Badge value={d.status} /> },
            { label: 'Health', cell: (d) => <Badge value={d.healthClass} /> },
            { label: 'Heat', cell: (d) => d.heatScore ?? '—', class: 'num' },
            { label: 'Sent (30 d)', cell: (d) => count(d.health?.sent), class: 'num' },
            { label: 'Bounce rate', cell: (d) => percent(d.health?.bounceRate, 2), class: 'num' },
            { label: 'Complaint rate', cell: (d) => percent(d.health?.complaintRate, 2), class: 'num' },
            { label: 'Mailboxes', cell: (d) => d.mailboxes.length, class: 'num' },
            { label: 'Client', cell: (d) => (d.allocatedTo ? <a href={`/admin/clients/${d.allocatedTo}`}>client</a> : 'pool') },
          ]}
        />
      )}
      {chosen && data && <DomainHistory domain={data.domains.find((d) => d.id === chosen)!} />}
    </Card>
  );
}

function DomainHistory({ domain }: { domain: Domain }) {
  const { data, error } = useGet<{ snapshots: HealthSnapshot[] }>(
    `/v1/admin/pool/health?resourceType=domain&resourceId=${domain.id}&days=90`,
  );
  if (error) return <ErrorBox error={error} />;
  if (!data) return null;
  const days = [...data.snapshots].sort((a, b) => a.day.localeCompare(b.day));
  const num = (v: unknown) => (typeof v === 'number' ? v : null);
  return (
    <div class="grid" id="domain-history">
      <TimeChart
        title={`${domain.name}: heat score per day`}
        x={days.map((d) => d.day)}
        series={[{ label: 'heat', color: color(0), values: days.map((d) => num(d.metrics.heatScore)) }]}
      />
      <TimeChart
        title={`${domain.name}: bounce and complaint rates (30 days) per day`}
        x={days.map((d) => d.day)}
        series={[
          { label: 'bounce rate', color: color(4), rate: true, values: days.map((d) => num(d.metrics.bounceRate)) },
          { label: 'complaint rate', color: color(2), rate: true, values: days.map((d) => num(d.metrics.complaintRate)) },
        ]}
      />
    </div>
  );
}
