import type { TrendsResponse } from '@slotcast/protocol';
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/**
 * Bookings made per day, this period against the previous one, drawn by uPlot. The canvas is decorative for
 * assistive technology: the summary and the table view next to it carry the same figures.
 */
export function TrendsChart({ trends }: { trends: TrendsResponse }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const n = trends.days.length;
    const x = Array.from({ length: n }, (_, i) => i + 1);
    const made = trends.days.map((d) => d.made);
    const cancelled = trends.days.map((d) => d.cancelled);
    const chart = new uPlot(
      {
        width: Math.max(280, el.clientWidth),
        height: 240,
        scales: { x: { time: false } },
        axes: [{ label: `Day of the period (${trends.from} to ${trends.to})` }, { label: 'Bookings' }],
        series: [
          { label: 'Day' },
          { label: 'Made', stroke: '#1d4ed8', width: 2 },
          { label: 'Cancelled', stroke: '#b42318', width: 2, dash: [6, 4] },
        ],
      },
      [x, made, cancelled],
      el,
    );
    return () => chart.destroy();
  }, [trends]);
  return <div ref={box} className="trends-chart" aria-hidden="true" />;
}
