import type { VendorInsightsResponse } from '@slotcast/protocol';
import { DataTable } from './DataTable.js';

const pct = (part: number, whole: number) => (whole ? `${((part / whole) * 100).toFixed(1)}%` : '—');

export function vendorInsightsSummary(v: VendorInsightsResponse): string {
  const top = v.resources[0];
  const busiest = top
    ? `Busiest resource: ${top.name}, ${top.held} appointments held and ${top.made} bookings made.`
    : 'No resource was booked.';
  const lead =
    v.leadTime.count === 0
      ? 'No bookings were made.'
      : `${v.leadTime.count} bookings made, on average ${v.leadTime.meanHours!.toFixed(1)} hours ahead; the median booking was made ${v.leadTime.medianBucket} ahead.`;
  return `${v.from} to ${v.to}. ${busiest} ${lead}`;
}

/** Busiest resources and lead times of a vendor (its owners) or of all vendors (admins), as tables. */
export function VendorInsightsSection({ insights: v }: { insights: VendorInsightsResponse }) {
  return (
    <section aria-labelledby="insights-vendor">
      <h2 id="insights-vendor">Resources and lead time</h2>
      <p data-testid="vendor-insights-summary">{vendorInsightsSummary(v)}</p>
      <DataTable
        caption={`Busiest resources, ${v.from} to ${v.to}`}
        what="resources"
        testId="resources-table"
        filename={`resources-${v.from}-${v.to}.csv`}
        columns={['Resource', 'Held', 'Made', 'Cancelled', 'No-shows', 'Cancellation rate', 'No-show rate']}
        rows={v.resources.map((r) => [
          r.name,
          r.held,
          r.made,
          r.cancelled,
          r.noShow,
          pct(r.cancelled, r.made),
          pct(r.noShow, r.held + r.noShow),
        ])}
        csvColumns={['resource', 'resource_id', 'held', 'made', 'cancelled', 'no_show']}
        csvRows={v.resources.map((r) => [r.name, r.resourceId, r.held, r.made, r.cancelled, r.noShow])}
      />
      <DataTable
        caption={`Lead time: how long before the appointment bookings were made, ${v.from} to ${v.to}`}
        what="lead times"
        testId="lead-time-table"
        filename={`lead-times-${v.from}-${v.to}.csv`}
        columns={['Made ahead', 'Bookings', 'Share']}
        rows={v.leadTime.buckets.map((b) => [b.label, b.count, pct(b.count, v.leadTime.count)])}
        csvColumns={['made_ahead', 'bookings']}
        csvRows={v.leadTime.buckets.map((b) => [b.label, b.count])}
      />
    </section>
  );
}
