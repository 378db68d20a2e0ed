import type { EngagementResponse, FrequencyReport, SocketHeatmapResponse } from '@slotcast/protocol';
import { useState } from 'react';
import { useSdk } from '../sdk/slotcast-context.js';
import { LoadState } from '../ui/LoadState.js';
import { useAsync } from '../ui/use-async.js';
import { ActiveUsersChart } from './ActiveUsersChart.js';
import { DataTable } from './DataTable.js';
import { HeatmapTable, heatmapSummary, WEEKDAYS } from './HeatmapTable.js';

const roles = (r: { customer: number; staff: number; admin: number }) =>
  `${r.customer} customers, ${r.staff} staff, ${r.admin} admins`;
const duration = (s: number | null) =>
  s === null
    ? '—'
    : s < 120
      ? `${Math.round(s)} s`
      : s < 7200
        ? `${Math.round(s / 60)} min`
        : `${(s / 3600).toFixed(1)} h`;
const rate = (part: number, whole: number) => (whole ? `${((part / whole) * 100).toFixed(1)}%` : '—');

function engagementSummary(e: EngagementResponse): string {
  const last = e.days.at(-1)!;
  return (
    `${e.from} to ${e.to} (UTC days). Active on ${last.day}: ${roles(last.active)}. ` +
    `Last 7 days: ${roles(e.weekly)}. Last 30 days: ${roles(e.monthly)}. ` +
    `Sessions per active user a day: ${e.sessionsPerUser === null ? '—' : e.sessionsPerUser.toFixed(2)}. ` +
    `Median time to confirm a request: ${duration(e.medianConfirmSeconds)}.`
  );
}

/** Admins: engagement (active users, sessions), socket activity by weekday and hour, notification open rates. */
export function EngagementSection({ days, range }: { days: '7' | '30' | '90'; range: { from: string; to: string } }) {
  const sdk = useSdk();
  const [showTable, setShowTable] = useState(false);
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const data = useAsync(async () => {
    const [engagement, sockets, frequency] = await Promise.all([
      // Active users are kept by UTC day; socket activity is shown in the reader's zone, over the reader's days.
      sdk.api.analytics.engagement({ days, to: new Date().toISOString().slice(0, 10) }),
      sdk.api.analytics.socketHeatmap({ ...range, timeZone }),
      sdk.api.analytics.notificationFrequency({
        from: `${range.from}T00:00:00.000Z`,
        to: new Date(Date.parse(`${range.to}T00:00:00.000Z`) + 86_400_000).toISOString(),
      }),
    ]);
    return { engagement, sockets, frequency };
  }, [days, range.from, range.to, timeZone]);
  if (!data.data) {
    return (
      <LoadState
        status={data.status === 'error' ? 'error' : 'loading'}
        error={data.error}
        onRetry={data.reload}
        what="engagement"
      />
    );
  }
  const { engagement: e, sockets, frequency } = data.data;
  return (
    <>
      <section aria-labelledby="insights-engagement">
        <h2 id="insights-engagement">Engagement</h2>
        <p data-testid="engagement-summary">{engagementSummary(e)}</p>
        <ActiveUsersChart engagement={e} />
        <button
          type="button"
          className="button button-small"
          aria-expanded={showTable}
          aria-controls="engagement-table-box"
          onClick={() => setShowTable((s) => !s)}
        >
          {showTable ? 'Hide' : 'Show'} the active users chart as a table
        </button>
        <div id="engagement-table-box" hidden={!showTable}>
          <DataTable
            caption="Active users and sessions per day (UTC)"
            what="active users"
            testId="engagement-table"
            filename={`active-users-${e.from}-${e.to}.csv`}
            columns={['Day', 'Customers', 'Staff', 'Admins', 'Sessions', 'Connections']}
            rows={e.days.map((d) => [d.day, d.active.customer, d.active.staff, d.active.admin, d.sessions, d.connects])}
            csvColumns={['day', 'customers', 'staff', 'admins', 'sessions', 'connections']}
          />
        </div>
      </section>

      <section aria-labelledby="insights-sockets">
        <h2 id="insights-sockets">Socket connections by weekday and hour</h2>
        <SocketsHeatmap sockets={sockets} />
      </section>

      <section aria-labelledby="insights-notifications">
        <h2 id="insights-notifications">Notifications: opened and time to open</h2>
        <NotificationsTable report={frequency} />
      </section>
    </>
  );
}

function SocketsHeatmap({ sockets }: { sockets: SocketHeatmapResponse }) {
  const cells = sockets.cells.map((c) => ({ weekday: c.weekday, hour: c.hour, count: c.connects }));
  return (
    <>
      <p data-testid="sockets-summary">
        {heatmapSummary({ cells, total: sockets.totalConnects, from: sockets.from, to: sockets.to }, 'connections')}
      </p>
      <HeatmapTable
        heatmap={{ cells }}
        caption={`Connections, ${sockets.from} to ${sockets.to}, ${sockets.timeZone} time`}
        testId="sockets-heatmap"
      />
      <DataTable
        caption="Connections and open sockets on average, by weekday and hour"
        what="socket activity"
        testId="sockets-table"
        filename={`sockets-${sockets.from}-${sockets.to}.csv`}
        columns={['Weekday', 'Hour', 'Connections', 'Open sockets (mean)']}
        rows={sockets.cells
          .filter((c) => c.connects > 0 || c.meanOpenSockets > 0)
          .map((c) => [WEEKDAYS[c.weekday - 1]!, c.hour, c.connects, c.meanOpenSockets])}
        csvColumns={['weekday', 'hour', 'connections', 'mean_open_sockets']}
        csvRows={sockets.cells.map((c) => [WEEKDAYS[c.weekday - 1]!, c.hour, c.connects, c.meanOpenSockets])}
      />
    </>
  );
}

/**
 * From the frequency report: in-app notifications are opened when read, a push when its notification (or a button)
 * is clicked, a mail when its booking link is followed; only in-app reads have a time to open.
 */
function NotificationsTable({ report }: { report: FrequencyReport }) {
  const rows = report.categories.flatMap((c) => [
    [c.category, 'in app', c.sent, c.opened, rate(c.opened, c.sent), duration(c.medianSecondsToOpen)],
    [c.category, 'push', c.pushSent, c.pushOpened, rate(c.pushOpened, c.pushSent), null],
    [c.category, 'email', c.emailSent, c.emailOpened, rate(c.emailOpened, c.emailSent), null],
  ]);
  const inApp = report.categories.reduce((s, c) => s + c.sent, 0);
  const opened = report.categories.reduce((s, c) => s + c.opened, 0);
  return (
    <>
      <p data-testid="notifications-summary">
        {inApp === 0
          ? 'No notifications in this period.'
          : `${opened} of ${inApp} in-app notifications opened (${rate(opened, inApp)}).`}
      </p>
      <DataTable
        caption="Notifications by category and channel"
        what="notifications"
        testId="notifications-table"
        filename="notifications.csv"
        columns={['Category', 'Channel', 'Sent', 'Opened', 'Open rate', 'Median time to open']}
        rows={rows}
        csvColumns={['category', 'channel', 'sent', 'opened', 'open_rate', 'median_seconds_to_open']}
        csvRows={report.categories.flatMap((c) => [
          [c.category, 'in_app', c.sent, c.opened, c.sent ? c.opened / c.sent : null, c.medianSecondsToOpen],
          [c.category, 'push', c.pushSent, c.pushOpened, c.pushSent ? c.pushOpened / c.pushSent : null, null],
          [c.category, 'email', c.emailSent, c.emailOpened, c.emailSent ? c.emailOpened / c.emailSent : null, null],
        ])}
      />
    </>
  );
}
