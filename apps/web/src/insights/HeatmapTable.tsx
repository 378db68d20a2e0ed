import type { HeatmapResponse } from '@slotcast/protocol';

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const hourLabel = (h: number) => `${String(h).padStart(2, '0')}:00`;

/** The busiest weekday and hour, as a sentence for everyone (screen readers first). */
export function heatmapSummary(h: Pick<HeatmapResponse, 'cells' | 'total' | 'from' | 'to'>, what: string): string {
  if (h.total === 0) return `No ${what} between ${h.from} and ${h.to}.`;
  const top = h.cells.reduce((a, b) => (b.count > a.count ? b : a));
  return `${h.total} ${what} between ${h.from} and ${h.to}; busiest: ${WEEKDAYS[top.weekday - 1]}s at ${hourLabel(top.hour)} (${top.count}).`;
}

/**
 * Weekday × hour as a table whose cells are shaded by their count: the chart and its table view are one element, so
 * every figure is readable as text and navigable with a screen reader's table commands.
 */
export function HeatmapTable({
  heatmap,
  caption,
  testId = 'heatmap',
}: {
  heatmap: Pick<HeatmapResponse, 'cells'>;
  caption: string;
  testId?: string;
}) {
  const max = Math.max(1, ...heatmap.cells.map((c) => c.count));
  const at = (weekday: number, hour: number) => heatmap.cells[(weekday - 1) * 24 + hour]?.count ?? 0;
  return (
    <div className="heatmap-scroll">
      <table className="heatmap" data-testid={testId}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            {Array.from({ length: 24 }, (_, h) => (
              <th scope="col" key={h} aria-label={hourLabel(h)}>
                {String(h).padStart(2, '0')}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {WEEKDAYS.map((day, i) => (
            <tr key={day}>
              <th scope="row">{day.slice(0, 3)}</th>
              {Array.from({ length: 24 }, (_, h) => {
                const n = at(i + 1, h);
                const level = n === 0 ? 0 : Math.ceil((n / max) * 4);
                return (
                  <td key={h} className={`heat-${level}`}>
                    {n}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
