import type { TrendsResponse, TrendTotals } from '@slotcast/protocol';
import { useState } from 'react';
import { navigate, usePath, useSearch } from '../app/router.js';
import { useSdk } from '../sdk/slotcast-context.js';
import { LoadState } from '../ui/LoadState.js';
import { PageHeading } from '../ui/PageHeading.js';
import { useAsync } from '../ui/use-async.js';
import { downloadCsv, toCsv } from './csv.js';
import { DataTable } from './DataTable.js';
import { EngagementSection } from './EngagementSection.js';
import { HeatmapTable, heatmapSummary, WEEKDAYS } from './HeatmapTable.js';
import { filtersToSearch, type InsightsFilters, rangeOf, readFilters } from './insights-filters.js';
import { TrendsChart } from './TrendsChart.js';
import { VendorInsightsSection } from './VendorInsightsSection.js';
import './insights.css';

const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
const minutes = (s: number | null) => (s === null ? '—' : s < 120 ? `${Math.round(s)} s` : `${Math.round(s / 60)} min`);
const change = (now: number, before: number) =>
  before === 0
    ? now === 0
      ? 'no change'
      : 'new'
    : `${now >= before ? '+' : ''}${Math.round(((now - before) / before) * 100)}%`;

function trendsSummary(t: TrendsResponse): string {
  const c = t.current;
  const p = t.previous;
  return (
    `${c.made} bookings made from ${t.from} to ${t.to} (${change(c.made, p.made)} against the previous period's ${p.made}); ` +
    `${c.held} appointments held; cancellation rate ${pct(c.cancellationRate)} (before: ${pct(p.cancellationRate)}); ` +
    `no-show rate ${pct(c.noShowRate)} (before: ${pct(p.noShowRate)}); median time to confirm ${minutes(c.medianConfirmSeconds)}.`
  );
}

const TOTAL_ROWS: [string, (t: TrendTotals) => string][] = [
  ['Bookings made', (t) => String(t.made)],
  ['Appointments held', (t) => String(t.held)],
  ['Confirmed', (t) => String(t.confirmed)],
  ['Cancelled', (t) => String(t.cancelled)],
  ['No-shows', (t) => String(t.noShow)],
  ['Cancellation rate', (t) => pct(t.cancellationRate)],
  ['No-show rate', (t) => pct(t.noShowRate)],
  ['Median time to confirm', (t) => minutes(t.medianConfirmSeconds)],
];

/**
 * Heatmap and trends of one vendor (its owners) or of all vendors or one (admins). Filters live in the URL; every
 * chart has a text summary and a table, and every table downloads as CSV.
 */
export default function InsightsPage({ vendors }: { vendors?: { id: string; name: string }[] }) {
  const sdk = useSdk();
  const path = usePath();
  const filters = readFilters(useSearch());
  const [showTable, setShowTable] = useState(false);
  // Today where the reader is (en-CA writes YYYY-MM-DD): the figures are by each vendor's local day, and an owner
  // reads them in the vendor's zone; UTC's date would leave out this evening's or this morning's bookings.
  const today = new Intl.DateTimeFormat('en-CA').format(new Date());
  const range = rangeOf(filters.days, today);
  const set = (f: Partial<InsightsFilters>) =>
    navigate(`${path}${filtersToSearch({ ...filters, ...f })}`, { replace: true });
  const vendorId = filters.vendorId ?? undefined;

  const data = useAsync(async () => {
    const [heatmap, trends, vendorInsights] = await Promise.all([
      sdk.api.analytics.heatmap({ metric: filters.metric, ...range, vendorId }),
      sdk.api.analytics.trends({ days: filters.days, to: today, vendorId }),
      sdk.api.analytics.vendorInsights({ days: filters.days, to: today, vendorId }),
    ]);
    return { heatmap, trends, vendorInsights };
  }, [filters.metric, filters.days, vendorId, today]);
  const what = filters.metric === 'made' ? 'bookings made' : 'appointments held';

  return (
    <div className="insights">
      <PageHeading>Insights</PageHeading>
      <div className="filter-bar">
        <fieldset className="segmented">
          <legend className="visually-hidden">Period</legend>
          {(['7', '30', '90'] as const).map((d) => (
            <button
              key={d}
              type="button"
              className="button"
              aria-pressed={filters.days === d}
              onClick={() => set({ days: d })}
            >
              {d} days
            </button>
          ))}
        </fieldset>
        <div className="form-row">
          <label htmlFor="insights-metric">Heatmap of</label>
          <select
            id="insights-metric"
            value={filters.metric}
            onChange={(e) => set({ metric: e.target.value as InsightsFilters['metric'] })}
          >
            <option value="made">Bookings made (when)</option>
            <option value="held">Appointments held (booked for)</option>
          </select>
        </div>
        {vendors && (
          <div className="form-row">
            <label htmlFor="insights-vendor">Vendor</label>
            <select
              id="insights-vendor"
              value={filters.vendorId ?? ''}
              onChange={(e) => set({ vendorId: e.target.value || null })}
            >
              <option value="">All vendors</option>
              {vendors.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.name}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>

      {!data.data ? (
        <LoadState
          status={data.status === 'error' ? 'error' : 'loading'}
          error={data.error}
          onRetry={data.reload}
          what="insights"
        />
      ) : (
        <>
          <section aria-labelledby="insights-heatmap">
            <h2 id="insights-heatmap">When: {what} by weekday and hour</h2>
            <p data-testid="heatmap-summary">{heatmapSummary(data.data.heatmap, what)}</p>
            <HeatmapTable heatmap={data.data.heatmap} caption={`${what}, ${range.from} to ${range.to}, local time`} />
            <button
              type="button"
              className="button button-small"
              onClick={() =>
                downloadCsv(
                  `heatmap-${filters.metric}-${range.from}-${range.to}.csv`,
                  toCsv(
                    ['weekday', 'hour', 'count'],
                    data.data!.heatmap.cells.map((c) => [WEEKDAYS[c.weekday - 1]!, c.hour, c.count]),
                  ),
                )
              }
            >
              Download heatmap as CSV
            </button>
          </section>

          <section aria-labelledby="insights-trends">
            <h2 id="insights-trends">
              Trends: last {filters.days} days against the {filters.days} before
            </h2>
            <p data-testid="trends-summary">{trendsSummary(data.data.trends)}</p>
            <DataTable
              caption="Totals of this period and the previous one"
              what="totals"
              testId="trends-totals"
              filename={`totals-${data.data.trends.from}-${data.data.trends.to}.csv`}
              columns={[
                'Figure',
                `${data.data.trends.from} to ${data.data.trends.to}`,
                `${data.data.trends.previousFrom} to ${data.data.trends.previousTo}`,
              ]}
              rows={TOTAL_ROWS.map(([label, f]) => [
                label,
                f(data.data!.trends.current),
                f(data.data!.trends.previous),
              ])}
            />
            <TrendsChart trends={data.data.trends} />
            <div className="button-row">
              <button
                type="button"
                className="button button-small"
                aria-expanded={showTable}
                aria-controls="trends-table"
                onClick={() => setShowTable((s) => !s)}
              >
                {showTable ? 'Hide' : 'Show'} the chart as a table
              </button>
              <button
                type="button"
                className="button button-small"
                onClick={() =>
                  downloadCsv(
                    `trends-${data.data!.trends.from}-${data.data!.trends.to}.csv`,
                    toCsv(
                      ['day', 'made', 'held', 'confirmed', 'cancelled', 'no_show'],
                      data.data!.trends.days.map((d) => [d.day, d.made, d.held, d.confirmed, d.cancelled, d.noShow]),
                    ),
                  )
                }
              >
                Download trends as CSV
              </button>
            </div>
            {showTable && (
              <table id="trends-table" className="insights-totals" data-testid="trends-table">
                <caption className="visually-hidden">Bookings per day</caption>
                <thead>
                  <tr>
                    {['Day', 'Made', 'Held', 'Confirmed', 'Cancelled', 'No-shows'].map((h) => (
                      <th scope="col" key={h}>
                        {h}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {data.data.trends.days.map((d) => (
                    <tr key={d.day}>
                      <th scope="row">{d.day}</th>
                      <td>{d.made}</td>
                      <td>{d.held}</td>
                      <td>{d.confirmed}</td>
                      <td>{d.cancelled}</td>
                      <td>{d.noShow}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          <VendorInsightsSection insights={data.data.vendorInsights} />
        </>
      )}
      {vendors && <EngagementSection days={filters.days} range={range} />}
    </div>
  );
}
