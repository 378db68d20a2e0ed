import type { EngagementResponse } from '@slotcast/protocol';
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/**
 * Daily active users by role, drawn by uPlot. Decorative for assistive technology: the summary and the table view
 * beside it carry the same figures.
 */
export function ActiveUsersChart({ engagement }: { engagement: EngagementResponse }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const x = engagement.days.map((_, i) => i + 1);
    const chart = new uPlot(
      {
        width: Math.max(280, el.clientWidth),
        height: 220,
        scales: { x: { time: false } },
        axes: [{ label: `Day (${engagement.from} to ${engagement.to}, UTC)` }, { label: 'Active users' }],
        series: [
          { label: 'Day' },
          { label: 'Customers', stroke: '#1d4ed8', width: 2 },
          { label: 'Staff', stroke: '#b42318', width: 2, dash: [6, 4] },
          { label: 'Admins', stroke: '#3f3f46', width: 1 },
        ],
      },
      [
        x,
        engagement.days.map((d) => d.active.customer),
        engagement.days.map((d) => d.active.staff),
        engagement.days.map((d) => d.active.admin),
      ],
      el,
    );
    return () => chart.destroy();
  }, [engagement]);
  return <div ref={box} className="trends-chart" aria-hidden="true" />;
}
