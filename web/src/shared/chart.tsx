/**
 * A time chart (uPlot): one x value per day or instant, one line or bar series per measure. The
 * numbers are also given as a table under "Show the numbers", for screen readers and keyboards.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  values: (number | null)[];
  color: string;
  /** Show as a rate: the axis and table in percent. */
  rate?: boolean;
}

const PALETTE = ['#2563eb', '#16a34a', '#d97706', '#9333ea', '#dc2626', '#0891b2'];
export const color = (i: number) => PALETTE[i % PALETTE.length]!;

/** `x`: ISO days (YYYY-MM-DD) or instants, in order. */
export function TimeChart({
  title,
  x,
  series,
  height = 220,
  bars = false,
}: {
  title: string;
  x: string[];
  series: Series[];
  height?: number;
  bars?: boolean;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const rate = series.some((s) => s.rate);
    const xs = x.map((d) => Date.parse(d.length === 10 ? `${d}T00:00:00Z` : d) / 1000);
    const paths = bars ? uPlot.paths.bars?.({ size: [0.6, 40] }) : undefined;
    const plot = new uPlot(
      {
        width: Math.max(el.clientWidth, 240),
        height,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'UTC'),
        scales: { x: { time: true } },
        axes: [{}, { values: (_u, ticks) => ticks.map((t) => (rate ? `${(t * 100).toFixed(1)}%` : String(t))) }],
        series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, fill: bars ? s.color + '55' : undefined, width: 2, paths }))],
      },
      [xs, ...series.map((s) => s.values)],
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(el.clientWidth, 240), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [x, series, height, bars]);

  return (
    <figure class="chart" aria-label={title}>
      <figcaption>{title}</figcaption>
      <div ref={box} class="chart-box" aria-hidden="true" />
      <details>
        <summary>Show the numbers</summary>
        <table class="chart-data">
          <thead>
            <tr>
              <th scope="col">{x[0]?.length === 10 ? 'Day' : 'Time'}</th>
              {series.map((s) => (
                <th scope="col" key={s.label}>
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {x.map((d, i) => (
              <tr key={d}>
                <th scope="row">{d}</th>
                {series.map((s) => {
                  const v = s.values[i];
                  return <td key={s.label}>{v === null || v === undefined ? '—' : s.rate ? `${(v * 100).toFixed(2)}%` : v}</td>;
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
