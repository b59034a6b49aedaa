/**
 * Overview (SYS-007): leads by tier and stage, touches sent per channel per day, replies and the
 * reply rate, positive replies, meetings, bounce and complaint rates, over a chosen range.
 */
import { useState } from 'preact/hooks';
import { query } from '../../shared/query';
import { TimeChart, color } from '../../shared/chart';
import { count, dayOffset, percent } from '../../shared/format';
import { Card, ErrorBox, Field, Loading, Page, Select, Stat, Table } from '../../shared/ui';
import { useGet } from '../../shared/use-api';
import { CHANNELS, type Campaign } from '../types';

interface Overview {
  from: string;
  to: string;
  leads: { total: number; byTier: Record<string, number>; byStatus: Record<string, number> };
  touchesByDay: ({ day: string } & Record<string, number | string>)[];
  totals: {
    sent: number;
    sentByChannel: Record<string, number>;
    replies: number;
    replyRate: number;
    positiveReplies: number;
    meetings: number;
    bounces: number;
    bounceRate: number;
    complaints: number;
    complaintRate: number;
  };
  repliesByDay: { day: string; replies: number; positive: number }[];
}

/** A lead count as a bar of the whole (a native meter: no drawing, read out by screen readers). */
const Bar = ({ value, total, label }: { value: number; total: number; label: string }) => (
  <meter min={0} max={Math.max(total, 1)} value={value} aria-label={label} title={percent(total ? value / total : 0)} />
);

const entries = (o: Record<string, number>) => Object.entries(o).map(([k, v]) => ({ k, v }));

export function Overview() {
  const [from, setFrom] = useState(dayOffset(29));
  const [to, setTo] = useState(dayOffset(0));
  const [campaignId, setCampaignId] = useState('');
  const campaigns = useGet<{ campaigns: Campaign[] }>('/v1/campaigns?limit=200');
  const { data, error, loading } = useGet<Overview>(`/v1/reports/overview${query({ from, to, campaignId })}`);

  return (
    <Page title="Overview">
      <form class="filters" aria-label="Range" onSubmit={(e) => e.preventDefault()}>
        <Field label="From">
          <input type="date" name="from" value={from} max={to} onChange={(e) => setFrom(e.currentTarget.value)} />
        </Field>
        <Field label="To">
          <input type="date" name="to" value={to} min={from} onChange={(e) => setTo(e.currentTarget.value)} />
        </Field>
        <Select
          label="Campaign"
          name="campaign"
          value={campaignId}
          onChange={setCampaignId}
          options={[['', 'All campaigns'], ...(campaigns.data?.campaigns ?? []).map((c): [string, string] => [c.id, c.name])]}
        />
      </form>
      <ErrorBox error={error} />
      {!data && loading && <Loading />}
      {data && <Figures data={data} />}
    </Page>
  );
}

function Figures({ data }: { data: Overview }) {
  const t = data.totals;
  const days = data.touchesByDay.map((d) => d.day);
  return (
    <>
      <div class="stats" id="totals">
        <Stat label="Leads" value={count(data.leads.total)} />
        <Stat label="Touches sent" value={count(t.sent)} />
        <Stat label="Replies" value={count(t.replies)} hint={`${percent(t.replyRate)} reply rate`} />
        <Stat label="Positive replies" value={count(t.positiveReplies)} />
        <Stat label="Meetings booked" value={count(t.meetings)} />
        <Stat label="Bounce rate" value={percent(t.bounceRate, 2)} hint={`${count(t.bounces)} bounced`} />
        <Stat label="Complaint rate" value={percent(t.complaintRate, 2)} hint={`${count(t.complaints)} complaints`} />
      </div>
      <div class="grid">
        <Card>
          <TimeChart
            bars
            title="Touches sent per channel per day"
            x={days}
            series={CHANNELS.map((ch, i) => ({ label: ch, color: color(i), values: data.touchesByDay.map((d) => Number(d[ch] ?? 0)) }))}
          />
        </Card>
        <Card>
          <TimeChart
            title="Replies per day"
            x={data.repliesByDay.map((d) => d.day)}
            series={[
              { label: 'replies', color: color(0), values: data.repliesByDay.map((d) => d.replies) },
              { label: 'positive', color: color(1), values: data.repliesByDay.map((d) => d.positive) },
            ]}
          />
        </Card>
        <Card title="Leads by tier">
          <Table
            id="by-tier"
            rows={entries(data.leads.byTier)}
            rowKey={(r) => r.k}
            columns={[
              { label: 'Tier', cell: (r) => r.k },
              { label: 'Leads', cell: (r) => count(r.v), class: 'num' },
              { label: 'Share', cell: (r) => <Bar value={r.v} total={data.leads.total} label={`${r.k} leads`} />, class: 'bar' },
            ]}
          />
        </Card>
        <Card title="Leads by stage">
          <Table
            id="by-stage"
            rows={entries(data.leads.byStatus)}
            rowKey={(r) => r.k}
            columns={[
              { label: 'Stage', cell: (r) => r.k.replaceAll('_', ' ') },
              { label: 'Leads', cell: (r) => count(r.v), class: 'num' },
              { label: 'Share', cell: (r) => <Bar value={r.v} total={data.leads.total} label={`${r.k} leads`} />, class: 'bar' },
            ]}
          />
        </Card>
      </div>
    </>
  );
}
