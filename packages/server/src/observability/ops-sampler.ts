import type { OpsSample } from '@slotcast/protocol';
import type { Namespace } from 'socket.io';
import type { ReadinessCheck } from '../http/health-routes.js';
import { answers, type PoolStats, type Queryable } from '../store/db.js';
import { latestEventId, outboxStats } from '../store/event-log.js';
import { bookingsTodayByStatus, waitingRequests } from '../store/ops-repo.js';
import { withTimeout } from '../with-timeout.js';
import { type AlertThresholds, indicator } from './alert-rules.js';
import type { Metrics } from './metrics.js';

export interface OpsSamplerOptions {
  nodeId: string;
  intervalMs: number;
  nsp: Pick<Namespace, 'sockets'>;
  metrics: Metrics;
  db: Queryable;
  pool: () => PoolStats;
  /** What /readyz checks besides the database (Redis, RabbitMQ). */
  readinessChecks: readonly ReadinessCheck[];
  thresholds: AlertThresholds;
  now: () => number;
  /** Longest list of waiting requests in a sample. */
  waitingLimit?: number;
  /** This node's part in the outbox relay; undefined without a broker. */
  isRelay?: () => boolean | undefined;
}

const READ_TIMEOUT_MS = 2000;

async function orNull<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await withTimeout(p, READ_TIMEOUT_MS);
  } catch {
    return null;
  }
}

/** A dependency check as the view shows it: up or down (with why), and how long the check took. */
async function timedCheck(c: ReadinessCheck): Promise<OpsSample['dependencies'][number]> {
  const started = performance.now();
  const latencyMs = () => Math.round((performance.now() - started) * 10) / 10;
  try {
    await withTimeout(c.check(), READ_TIMEOUT_MS);
    return { name: c.name, up: true, latencyMs: latencyMs() };
  } catch (err) {
    return {
      name: c.name,
      up: false,
      detail: err instanceof Error ? err.message : String(err),
      latencyMs: latencyMs(),
    };
  }
}

async function metricValues(metrics: Metrics, name: string) {
  const m = metrics.registry.getSingleMetric(name);
  return m ? (await m.get()).values : [];
}

/**
 * Builds this node's live operations sample. Its own figures (sockets, rates, lag, memory, what it sees of its
 * dependencies) cost no shared read and are taken every interval; the cluster-wide reads (outbox, log head, bookings,
 * waiting requests) are added only when `clusterReads` is asked for (ops-reader.ts: one node, while an admin watches).
 * Rates are the counters' growth since the previous sample; a read that fails or hangs leaves its part empty, so one
 * dead dependency does not silence the rest of the view.
 */
export class OpsSampler {
  private last: { at: number; connects: number; disconnects: Map<string, number> };

  constructor(private readonly opts: OpsSamplerOptions) {
    this.last = { at: opts.now(), connects: 0, disconnects: new Map() };
  }

  async sample({ clusterReads }: { clusterReads: boolean }): Promise<OpsSample> {
    const { opts } = this;
    const at = opts.now();
    const nowDate = new Date(at);

    const byRole: Record<string, number> = { customer: 0, staff: 0, admin: 0 };
    const byTransport: Record<string, number> = { websocket: 0, polling: 0 };
    let total = 0;
    for (const s of opts.nsp.sockets.values()) {
      const role = (s.data as { claims?: { role?: string } }).claims?.role ?? 'customer';
      byRole[role] = (byRole[role] ?? 0) + 1;
      const t = s.conn.transport.name;
      byTransport[t] = (byTransport[t] ?? 0) + 1;
      total++;
    }

    const [connectValues, disconnectValues, lagValues, consumerValues] = await Promise.all([
      metricValues(opts.metrics, 'slotcast_socket_connects_total'),
      metricValues(opts.metrics, 'slotcast_socket_disconnects_total'),
      metricValues(opts.metrics, 'nodejs_eventloop_lag_p99_seconds'),
      metricValues(opts.metrics, 'slotcast_bus_consumer_lag_events'),
    ]);
    const perMinute = (delta: number) => (at > this.last.at ? (delta * 60_000) / (at - this.last.at) : 0);
    const connects = connectValues.reduce((n, v) => n + v.value, 0);
    const disconnects = new Map<string, number>();
    for (const v of disconnectValues) {
      const reason = String(v.labels.reason ?? 'unknown');
      disconnects.set(reason, (disconnects.get(reason) ?? 0) + v.value);
    }
    const disconnectsByReason: Record<string, number> = {};
    for (const [reason, n] of disconnects) {
      const d = n - (this.last.disconnects.get(reason) ?? 0);
      if (d > 0) disconnectsByReason[reason] = perMinute(d);
    }
    const connectsPerMinute = perMinute(Math.max(0, connects - this.last.connects));
    this.last = { at, connects, disconnects };

    const lagSeconds = lagValues[0]?.value ?? null;
    const pool = opts.pool();
    const [cluster, ...checks] = await Promise.all([
      clusterReads ? this.clusterReads(nowDate) : null,
      ...[{ name: 'database', check: () => answers(opts.db) }, ...opts.readinessChecks].map(timedCheck),
    ]);
    opts.metrics.opsSamples.inc({ kind: 'local' });
    const t = opts.thresholds;
    const mem = process.memoryUsage();
    const relay = opts.isRelay?.();
    return {
      node: opts.nodeId,
      sampledAt: nowDate.toISOString(),
      intervalMs: opts.intervalMs,
      downAfterMs: Math.max(t.instanceDown.forMs, 2 * opts.intervalMs),
      sockets: { total, byRole, byTransport },
      perMinute: { connects: connectsPerMinute, disconnectsByReason },
      eventLoopLagP99Ms: lagSeconds === null ? null : lagSeconds * 1000,
      memory: { rssBytes: mem.rss, heapUsedBytes: mem.heapUsed },
      dependencies: checks,
      relay: relay === undefined ? 'none' : relay ? 'leader' : 'standby',
      consumers: consumerValues
        .map((v) => ({ name: String(v.labels.consumer), lagEvents: Math.max(0, v.value) }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      ...(cluster ?? {}),
      health: [
        indicator('Event-loop lag p99 (s)', lagSeconds, t.eventLoopLag),
        ...(cluster ? [indicator('Outbox relay lag (s)', cluster.outbox?.oldestAgeSeconds ?? null, t.outboxLag)] : []),
        indicator('Requests waiting for a database connection', pool.waiting, t.dbPoolWaiting),
      ],
    };
  }

  /** The reads that see the whole cluster's data: made by one node, and only while an admin watches. */
  private async clusterReads(nowDate: Date) {
    const { opts } = this;
    const [outbox, head, today, waiting] = await Promise.all([
      orNull(outboxStats(opts.db)),
      orNull(latestEventId(opts.db)),
      orNull(bookingsTodayByStatus(opts.db, nowDate)),
      orNull(waitingRequests(opts.db, nowDate, opts.waitingLimit ?? 20)),
    ]);
    opts.metrics.opsSamples.inc({ kind: 'cluster' });
    return { outbox, eventLog: { headId: head ?? 0 }, bookingsToday: today ?? {}, waiting: waiting ?? [] };
  }
}
