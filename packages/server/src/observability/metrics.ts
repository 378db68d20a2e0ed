import {
  AggregatorRegistry,
  Counter,
  collectDefaultMetrics,
  Gauge,
  Histogram,
  type MetricObjectWithValues,
  type MetricValue,
  Registry,
} from 'prom-client';
import type { BusCounter, BusMetrics } from '../bus/bus-metrics.js';
import type { PoolStats } from '../store/db.js';
import { withTimeout } from '../with-timeout.js';
import { registerPoolGauges } from './pool-gauges.js';

/** What the metrics read when Prometheus scrapes, rather than counting as things happen. */
export interface MetricSources {
  /** Open sockets of this node by transport, and its rooms (socket-id rooms aside). */
  sockets?: () => { byTransport: Record<string, number>; rooms: number };
  /** Database pool use. */
  pool?: () => PoolStats;
  /** Events committed but not yet published (the outbox). */
  outbox?: () => Promise<{ oldestAgeSeconds: number; unpublished: number }>;
  /** Whether each dependency /readyz checks (database, redis, rabbitmq) answers now; bounded by its own timeout. */
  dependencies?: () => Promise<Record<string, boolean>>;
}

const BUS_COUNTERS: BusCounter[] = [
  'relay_published',
  'relay_publish_failures',
  'relay_leadership_acquired',
  'consumer_delivered',
  'consumer_duplicates',
  'consumer_gap_filled',
  'consumer_backfilled',
  'consumer_retried',
  'consumer_dead_lettered',
  'amqp_reconnects',
];
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const DB_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
/** A scrape never waits longer than this for the database. */
const COLLECT_TIMEOUT_MS = 1000;

/**
 * The Prometheus metrics of one Slotcast node, in a registry of its own (never the global default one: tests run
 * several nodes in one process). Hot paths touch only counters and histograms, once per batch or per event, never per
 * recipient; gauges that need a look around are computed when scraped. docs/operations.md lists every series.
 */
export class Metrics {
  readonly registry = new Registry();
  private sources: MetricSources = {};
  private readonly foreign: (() => Promise<MetricObjectWithValues<MetricValue<string>>[] | null>)[] = [];

  readonly httpRequests: Counter<'route' | 'method' | 'status'>;
  readonly httpDuration: Histogram<'route' | 'method'>;
  readonly httpProblems: Counter<'code'>;

  readonly socketConnects: Counter<'transport'>;
  readonly socketDisconnects: Counter<'reason'>;
  readonly socketAuthFailures: Counter<'code'>;
  readonly socketHandshakesWaiting: Gauge;
  readonly socketHandshakesSkipped: Counter;

  readonly eventsAppended: Counter<'type'>;
  readonly eventsDelivered: Counter;
  readonly deliveryLatency: Histogram;

  readonly replayRequests: Counter;
  readonly replayedEvents: Counter;
  readonly replayResyncs: Counter;
  readonly replayFailures: Counter;

  readonly rateLimitRejections: Counter<'limiter'>;
  readonly pushSends: Counter<'provider' | 'outcome'>;
  /** Times this node's workers thread died and was started again (workers/workers-thread.ts). */
  readonly workersThreadRestarts: Counter;
  readonly rateLimitDisconnects: Counter;
  readonly rateLimitDivisor: Gauge;
  /** Live operations samples this node took, by kind: `local` (every interval) or `cluster` (an admin watched). */
  readonly opsSamples: Counter<'kind'>;

  readonly dbQueryDuration: Histogram<'op'>;
  readonly dbErrors: Counter<'op'>;
  readonly collectErrors: Counter<'source'>;
  /** What the bus counts (bus/bus-metrics.ts), as slotcast_bus_<name>_total. */
  readonly bus: BusMetrics;

  constructor(opts: { nodeId: string; defaultMetrics?: boolean }) {
    const registers = [this.registry];
    const sources = () => this.sources;
    const collectErrors = new Counter({
      name: 'slotcast_metrics_collect_errors_total',
      help: 'Scrapes that could not read a source (the gauge keeps its last value)',
      labelNames: ['source'],
      registers,
    });
    this.collectErrors = collectErrors;

    this.httpRequests = new Counter({
      name: 'slotcast_http_requests_total',
      help: 'HTTP requests by route pattern, method and status',
      labelNames: ['route', 'method', 'status'],
      registers,
    });
    this.httpDuration = new Histogram({
      name: 'slotcast_http_request_duration_seconds',
      help: 'HTTP request duration by route pattern and method',
      labelNames: ['route', 'method'],
      buckets: HTTP_BUCKETS,
      registers,
    });
    this.httpProblems = new Counter({
      name: 'slotcast_http_problems_total',
      help: 'Errors raised while handling a request, by problem+json code (BOOKING_SLOT_TAKEN, RATE_LIMITED, ...)',
      labelNames: ['code'],
      registers,
    });

    new Gauge({
      name: 'slotcast_socket_connections',
      help: 'Open sockets on this node by transport',
      labelNames: ['node', 'transport'],
      registers,
      collect() {
        const s = sources().sockets?.();
        this.reset();
        // Both transports are always present, so a dashboard shows 0 rather than nothing.
        for (const transport of ['websocket', 'polling']) this.set({ node: opts.nodeId, transport }, 0);
        for (const [transport, n] of Object.entries(s?.byTransport ?? {}))
          this.set({ node: opts.nodeId, transport }, n);
      },
    });
    new Gauge({
      name: 'slotcast_socket_rooms',
      help: 'Rooms with at least one socket on this node',
      registers,
      collect() {
        this.set(sources().sockets?.().rooms ?? 0);
      },
    });
    this.socketConnects = new Counter({
      name: 'slotcast_socket_connects_total',
      help: 'Sockets that connected (passed authentication)',
      labelNames: ['transport'],
      registers,
    });
    this.socketDisconnects = new Counter({
      name: 'slotcast_socket_disconnects_total',
      help: 'Sockets that disconnected, by Socket.IO reason',
      labelNames: ['reason'],
      registers,
    });
    this.socketAuthFailures = new Counter({
      name: 'slotcast_socket_auth_failures_total',
      help: 'Handshakes refused by authentication, by error code',
      labelNames: ['code'],
      registers,
    });
    this.socketHandshakesWaiting = new Gauge({
      name: 'slotcast_socket_handshakes_waiting',
      help: 'Handshakes waiting for their turn at authentication',
      registers,
    });
    this.socketHandshakesSkipped = new Counter({
      name: 'slotcast_socket_handshakes_skipped_total',
      help: 'Queued handshakes whose client had left by their turn (not authenticated)',
      registers,
    });

    this.eventsAppended = new Counter({
      name: 'slotcast_events_appended_total',
      help: 'Events this node committed to the event log, by type',
      labelNames: ['type'],
      registers,
    });
    this.eventsDelivered = new Counter({
      name: 'slotcast_events_delivered_total',
      help: "Events this node emitted to its sockets' rooms (once per event, not per recipient)",
      registers,
    });
    this.deliveryLatency = new Histogram({
      name: 'slotcast_event_delivery_latency_seconds',
      help: 'From an event’s commit (occurredAt) to its emission to sockets on this node',
      buckets: LATENCY_BUCKETS,
      registers,
    });

    this.replayRequests = new Counter({
      name: 'slotcast_replay_requests_total',
      help: 'Sockets that connected with a lastEventId and asked for a replay',
      registers,
    });
    this.replayedEvents = new Counter({
      name: 'slotcast_replayed_events_total',
      help: 'Events sent by replay',
      registers,
    });
    this.replayResyncs = new Counter({
      name: 'slotcast_replay_resyncs_total',
      help: 'Replays answered with RESYNC_REQUIRED (cursor past retention or ahead of the log)',
      registers,
    });
    this.replayFailures = new Counter({
      name: 'slotcast_replay_failures_total',
      help: 'Replays that failed (database error); the socket was closed so the client retries',
      registers,
    });

    this.pushSends = new Counter({
      name: 'slotcast_push_sends_total',
      help: 'Pushes handed to a push service, by provider and outcome (sent, gone, retry, rejected)',
      labelNames: ['provider', 'outcome'],
      registers,
    });
    this.workersThreadRestarts = new Counter({
      name: 'slotcast_workers_thread_restarts_total',
      help: 'Times the workers thread of this node stopped unexpectedly and was started again',
      registers,
    });
    this.rateLimitRejections = new Counter({
      name: 'slotcast_rate_limit_rejections_total',
      help: 'Requests, handshakes and socket messages refused by a rate limit, by limiter',
      labelNames: ['limiter'],
      registers,
    });
    this.rateLimitDisconnects = new Counter({
      name: 'slotcast_rate_limit_disconnects_total',
      help: 'Sockets closed for flooding after repeated rate-limit rejections',
      registers,
    });
    this.opsSamples = new Counter({
      name: 'slotcast_ops_samples_total',
      help: 'Live operations samples taken: local every interval; cluster only on the node reading for watching admins',
      labelNames: ['kind'],
      registers,
    });
    this.rateLimitDivisor = new Gauge({
      name: 'slotcast_rate_limit_divisor',
      help: 'Current rate-limit tightening: 1 = normal, N = every limit divided by N under load',
      registers,
    });
    this.rateLimitDivisor.set(1);

    new Gauge({
      name: 'slotcast_outbox_lag_seconds',
      help: 'Age of the oldest committed event not yet published (0 when none)',
      registers,
      async collect() {
        const outbox = await readWithTimeout(sources().outbox, collectErrors, 'outbox');
        if (outbox) this.set(outbox.oldestAgeSeconds);
      },
    });
    new Gauge({
      name: 'slotcast_outbox_unpublished_events',
      help: 'Committed events not yet published',
      registers,
      async collect() {
        const outbox = await readWithTimeout(sources().outbox, collectErrors, 'outbox');
        if (outbox) this.set(outbox.unpublished);
      },
    });

    new Gauge({
      name: 'slotcast_dependency_up',
      help: 'Whether this node reaches a dependency now (1) or not (0): database, redis, rabbitmq as configured',
      labelNames: ['dependency'],
      registers,
      async collect() {
        const deps = await sources().dependencies?.();
        for (const [dependency, up] of Object.entries(deps ?? {})) this.set({ dependency }, up ? 1 : 0);
      },
    });

    registerPoolGauges(registers, () => sources().pool?.());
    this.dbQueryDuration = new Histogram({
      name: 'slotcast_db_query_duration_seconds',
      help: 'Database time by operation: a statement outside a transaction, or a whole transaction',
      labelNames: ['op'],
      buckets: DB_BUCKETS,
      registers,
    });
    this.dbErrors = new Counter({
      name: 'slotcast_db_errors_total',
      help: 'Database statements and transactions that failed, by operation',
      labelNames: ['op'],
      registers,
    });

    new Gauge({
      name: 'slotcast_node_info',
      help: 'Always 1; labels name the node',
      labelNames: ['node'],
      registers,
    }).set({ node: opts.nodeId }, 1);

    const busCounters = new Map<string, Counter<'consumer'>>();
    const busCounter = (name: BusCounter) => {
      let c = busCounters.get(name);
      if (!c) {
        c = new Counter({
          name: `slotcast_bus_${name}_total`,
          help: `Bus: ${name.replaceAll('_', ' ')} (bus/bus-metrics.ts)`,
          labelNames: ['consumer'],
          registers,
        });
        busCounters.set(name, c);
      }
      return c;
    };
    // Declared up front, so every series exists (at 0) before the first event.
    for (const name of BUS_COUNTERS) busCounter(name);
    const consumerLag = new Gauge({
      name: 'slotcast_bus_consumer_lag_events',
      help: 'How far each durable consumer is behind: event ids to the log end (no broker), or messages in its queue',
      labelNames: ['consumer'],
      registers,
    });
    this.bus = {
      count: (name, n = 1, labels) => busCounter(name).inc(labels ?? {}, n),
      lag: (consumer, events) => consumerLag.set({ consumer }, events),
    };

    // Process memory, CPU, GC and event-loop lag (nodejs_eventloop_lag_p99_seconds), into this registry only.
    if (opts.defaultMetrics !== false) {
      collectDefaultMetrics({ register: this.registry });
      // Gauges named like counters (promtool rejects them); nodejs_active_handles etc. carry the same numbers.
      for (const name of [
        'nodejs_active_handles_total',
        'nodejs_active_requests_total',
        'nodejs_active_resources_total',
      ])
        this.registry.removeSingleMetric(name);
    }
  }

  /** Connects the scrape-time gauges to what they read; called once the parts exist. */
  setSources(sources: MetricSources): void {
    this.sources = { ...this.sources, ...sources };
  }

  /**
   * Another registry of this node whose figures join its exposition: the workers thread's (workers-thread.ts), read
   * as JSON at scrape time (null when it did not answer). Counters and histograms are added up; a gauge keeps this
   * registry's value where it has one (the node's info, its pool) and takes the other's where only it has one (the
   * durable consumers' lag).
   */
  addRegistry(read: () => Promise<MetricObjectWithValues<MetricValue<string>>[] | null>): void {
    this.foreign.push(read);
  }

  /** The text exposition format. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    if (!this.foreign.length) return { contentType: this.registry.contentType, body: await this.registry.metrics() };
    const others = (await Promise.all(this.foreign.map((read) => read()))).filter((m) => m !== null);
    const gaugesFirst = (metrics: MetricObjectWithValues<MetricValue<string>>[]) =>
      metrics.map((m) => (String(m.type) === 'gauge' ? { ...m, aggregator: 'first' as const } : m));
    const merged = AggregatorRegistry.aggregate([
      gaugesFirst(await this.registry.getMetricsAsJSON()),
      ...others.map(gaugesFirst),
    ]);
    return { contentType: this.registry.contentType, body: await merged.metrics() };
  }

  close(): void {
    this.registry.clear();
  }
}

/** One outbox query serves both outbox gauges of a scrape. */
const inflight = new WeakMap<() => Promise<unknown>, Promise<unknown>>();

async function readWithTimeout<T>(
  source: (() => Promise<T>) | undefined,
  errors: Counter<'source'>,
  name: string,
): Promise<T | null> {
  if (!source) return null;
  let p = inflight.get(source) as Promise<T> | undefined;
  if (!p) {
    p = withTimeout(source(), COLLECT_TIMEOUT_MS);
    inflight.set(source, p);
    void p.then(
      () => inflight.delete(source),
      () => inflight.delete(source),
    );
  }
  try {
    return await p;
  } catch {
    errors.inc({ source: name });
    return null;
  }
}
