import { clusterView, type HealthLevel, STATUS_ORDER } from '@slotcast/protocol';
import { PageHeading } from '../../ui/PageHeading.js';
import { useOpsSamples } from './use-ops-samples.js';
import './operations.css';

const LEVEL_TEXT: Record<HealthLevel, string> = { green: 'OK', amber: 'Warning', red: 'Critical' };
const RELAY_TEXT = { leader: 'Publishing', standby: 'Standby', none: 'No broker' } as const;
const ms = (latency: number | undefined) => (latency === undefined ? '' : `, ${num(latency, 1)} ms`);
const mb = (bytes: number) => `${Math.round(bytes / 1_048_576)} MB`;
const num = (n: number, digits = 0) => n.toLocaleString(undefined, { maximumFractionDigits: digits });
const duration = (seconds: number) =>
  seconds < 120
    ? `${seconds} s`
    : seconds < 7200
      ? `${Math.floor(seconds / 60)} min`
      : `${Math.floor(seconds / 3600)} h`;

function Level({ level }: { level: HealthLevel }) {
  return <span className={`ops-level ops-level-${level}`}>{LEVEL_TEXT[level]}</span>;
}

/** The cluster as the nodes report it, live: each node pushes its sample to the admin room every few seconds. */
export function OperationsPage() {
  const { samples, now } = useOpsSamples();
  const view = clusterView(samples, now);
  const latest = view.latest;

  return (
    <div className="ops">
      <PageHeading>Operations, live</PageHeading>
      {view.nodes.length === 0 ? (
        <p className="muted" role="status">
          Waiting for the first sample from the servers…
        </p>
      ) : (
        <p className="lead" role="status" aria-live="polite" data-testid="ops-summary">
          Overall <Level level={view.worst} />: {view.nodes.filter((n) => !n.down).length} of {view.nodes.length}{' '}
          {view.nodes.length === 1 ? 'node' : 'nodes'} reporting, {view.sockets.total} open sockets.
        </p>
      )}

      <section aria-labelledby="ops-health">
        <h2 id="ops-health">Health</h2>
        <div className="table-scroll">
          <table className="ops-table">
            <thead>
              <tr>
                <th scope="col">Node</th>
                <th scope="col">Indicator</th>
                <th scope="col">Level</th>
                <th scope="col">Value</th>
                <th scope="col">Rule</th>
              </tr>
            </thead>
            <tbody>
              {view.health.map((h) => (
                <tr key={`${h.node}:${h.name}`} className={`ops-row-${h.level}`}>
                  <td>{h.node}</td>
                  <td>{h.name}</td>
                  <td>
                    <Level level={h.level} />
                  </td>
                  <td>{h.value === null ? '—' : num(h.value, 3)}</td>
                  <td>
                    <code>{h.rule}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="ops-nodes">
        <h2 id="ops-nodes">Sockets and nodes</h2>
        <p>
          <span data-testid="ops-sockets-total">{view.sockets.total}</span> sockets:{' '}
          {Object.entries(view.sockets.byRole)
            .map(([role, n]) => `${n} ${role}`)
            .join(', ')}
          ; {view.sockets.byTransport.websocket ?? 0} WebSocket, {view.sockets.byTransport.polling ?? 0} long-polling.{' '}
          {num(view.perMinute.connects, 1)} connects a minute; disconnects a minute:{' '}
          {Object.entries(view.perMinute.disconnectsByReason)
            .map(([reason, n]) => `${num(n, 1)} ${reason}`)
            .join(', ') || 'none'}
          .
        </p>
        <div className="table-scroll">
          <table className="ops-table">
            <thead>
              <tr>
                <th scope="col">Node</th>
                <th scope="col">State</th>
                <th scope="col">Sockets</th>
                <th scope="col">Customers / staff / admins</th>
                <th scope="col">WebSocket / polling</th>
                <th scope="col">Event-loop lag p99</th>
                <th scope="col">Memory (RSS / heap)</th>
                <th scope="col">Dependencies</th>
                <th scope="col">Outbox relay</th>
              </tr>
            </thead>
            <tbody>
              {view.nodes.map(({ sample: s, down, ageMs }) => (
                <tr key={s.node} className={down ? 'ops-row-red' : undefined} data-testid={`ops-node-${s.node}`}>
                  <td>{s.node}</td>
                  <td>{down ? `Down (no sample for ${Math.round(ageMs / 1000)} s)` : 'Up'}</td>
                  <td>{s.sockets.total}</td>
                  <td>
                    {s.sockets.byRole.customer ?? 0} / {s.sockets.byRole.staff ?? 0} / {s.sockets.byRole.admin ?? 0}
                  </td>
                  <td>
                    {s.sockets.byTransport.websocket ?? 0} / {s.sockets.byTransport.polling ?? 0}
                  </td>
                  <td>{s.eventLoopLagP99Ms === null ? '—' : `${num(s.eventLoopLagP99Ms, 1)} ms`}</td>
                  <td>
                    {mb(s.memory.rssBytes)} / {mb(s.memory.heapUsedBytes)}
                  </td>
                  <td>
                    {s.dependencies
                      .map(
                        (d) => `${d.name} ${d.up ? 'up' : `down${d.detail ? ` (${d.detail})` : ''}`}${ms(d.latencyMs)}`,
                      )
                      .join(', ')}
                  </td>
                  <td>{RELAY_TEXT[s.relay ?? 'none']}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      {latest && (
        <>
          <section aria-labelledby="ops-bus">
            <h2 id="ops-bus">Event log and consumers</h2>
            <p>
              Log head: event {latest.eventLog?.headId ?? '—'}.{' '}
              {latest.outbox
                ? `Outbox: ${latest.outbox.unpublished} unpublished, oldest ${num(latest.outbox.oldestAgeSeconds, 1)} s.`
                : 'Outbox: unknown.'}
            </p>
            <div className="table-scroll">
              <table className="ops-table">
                <thead>
                  <tr>
                    <th scope="col">Consumer</th>
                    <th scope="col">Lag (events)</th>
                  </tr>
                </thead>
                <tbody>
                  {view.consumers.map((c) => (
                    <tr key={c.name}>
                      <td>{c.name}</td>
                      <td>{c.lagEvents}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>

          <section aria-labelledby="ops-bookings">
            <h2 id="ops-bookings">Bookings starting today (UTC)</h2>
            <div className="table-scroll">
              <table className="ops-table" data-testid="ops-bookings-today">
                <thead>
                  <tr>
                    {STATUS_ORDER.map((s) => (
                      <th scope="col" key={s}>
                        {s.replace('_', ' ')}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  <tr>
                    {STATUS_ORDER.map((s) => (
                      <td key={s}>{latest.bookingsToday?.[s] ?? 0}</td>
                    ))}
                  </tr>
                </tbody>
              </table>
            </div>
          </section>

          <section aria-labelledby="ops-waiting">
            <h2 id="ops-waiting">Requests waiting for confirmation, longest first</h2>
            {(latest.waiting ?? []).length === 0 ? (
              <p className="empty">None waiting.</p>
            ) : (
              <div className="table-scroll">
                <table className="ops-table" data-testid="ops-waiting">
                  <thead>
                    <tr>
                      <th scope="col">Booking</th>
                      <th scope="col">Vendor</th>
                      <th scope="col">Requested</th>
                      <th scope="col">Waiting</th>
                    </tr>
                  </thead>
                  <tbody>
                    {(latest.waiting ?? []).map((r) => (
                      <tr key={r.bookingId}>
                        <td>
                          <code>{r.bookingId.slice(0, 8)}</code>
                        </td>
                        <td>
                          <code>{r.vendorId.slice(0, 8)}</code>
                        </td>
                        <td>{new Date(r.requestedAt).toLocaleString()}</td>
                        <td>{duration(r.waitingSeconds)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </>
      )}
    </div>
  );
}
