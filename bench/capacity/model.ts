/**
 * Capacity maths: from per-connection memory, per-event CPU and replay cost measured on one machine, how many Slotcast
 * nodes a target needs, what reaches RabbitMQ, Redis and PostgreSQL, and what to autoscale on. Pure: the numbers in,
 * a plan out, every assumption named.
 */

/** Costs measured on this machine (or given by flags). CPU figures are milliseconds of one core. */
export interface MeasuredCosts {
  /** Resident memory per open socket (bytes). */
  rssPerSocket: number;
  /** Resident memory of a node with no sockets (MiB). */
  baseRssMiB: number;
  /** Keeping one idle socket open for a second (pings, timers). */
  idleCpuMsPerSocketSecond: number;
  /** Delivering one event to one socket (fan-out). */
  cpuMsPerDelivery: number;
  /** One booking transition over HTTP: request, transaction, event append (on the node that serves it). */
  cpuMsPerTransition: number;
  /** One event arriving from the bus at a node, whether or not it has sockets for it. */
  cpuMsPerBusEvent: number;
  /** One reconnect: handshake, authentication and replay of the missed events. */
  cpuMsPerReconnect: number;
  /** HTTP requests per booking transition (reads included). */
  httpPerTransition: number;
  /** Booking transactions per second one PostgreSQL sustained here (bench:bookings); 0 when unknown. */
  commitsPerSecondMeasured: number;
}

export interface Target {
  connections: number;
  /** Booking events committed per second, cluster-wide. */
  eventsPerSecond: number;
}

export interface Assumptions {
  /** Sockets that receive each event: its customer, the vendor's staff online, admins, plus notification events. */
  deliveriesPerEvent: number;
  /** Sockets one node may hold: the descriptor limit and the rate-limit governor (RATE_LIMIT_TIGHTEN_CONNECTIONS). */
  socketsPerNodeCap: number;
  /** Memory limit of a node's pod, and the share of it sockets may fill. */
  podMemoryGiB: number;
  memoryHeadroom: number;
  /** Share of its one core a node's event loop may be busy at steady state. */
  cpuTarget: number;
  /** Reconnects per second at which a node is still responsive (for failover). */
  reconnectsPerSecondPerNode: number;
  /** Event payload on the wire (bytes), for broker bandwidth. */
  eventBytes: number;
  /** Durable consumers of the log besides the nodes' realtime queues (notifications). */
  durableConsumers: number;
  /** Socket messages (follow, unfollow, auth:refresh) per socket per minute. */
  socketMessagesPerSocketMinute: number;
  /** Logins per socket per hour (each a handshake and a rate-limit check). */
  reconnectsPerSocketHour: number;
}

export interface HpaTrigger {
  metric: string;
  kind: 'Resource' | 'Pods' | 'External';
  target: string;
  why: string;
}

export interface CapacityPlan {
  target: Target;
  deliveriesPerSecond: number;
  nodes: {
    byConnections: number;
    byMemory: number;
    byCpu: number;
    required: number;
    /** required + 1, so losing a node (or a rolling deploy) keeps every other node under its caps. */
    recommended: number;
    limitedBy: 'connections' | 'memory' | 'cpu';
    socketsPerNode: number;
    memoryPerNodeMiB: number;
    /** Busy share of a node's core at the recommended count. */
    cpuPerNode: number;
    /** Of that, the share spent on events every node receives whatever its sockets. */
    busCpuPerNode: number;
    /** The bus load alone leaves no room: each node would need to see only 1/shards of the events. */
    busShardsNeeded: number;
  };
  /** Where the cluster's CPU goes, in ms of one core per second (bus: per node). */
  cpu: { idleSockets: number; fanOut: number; transitions: number; busPerNode: number };
  rabbitmq: {
    publishPerSecond: number;
    deliverPerSecond: number;
    queues: number;
    perNodeQueueInPerSecond: number;
    bandwidthMiBps: number;
  };
  redis: { commandsPerSecond: number; pubSubPerSecond: number };
  /** Reads at failover: a session check, the retention bound and a replay page per reconnecting client. */
  postgres: { transactionsPerSecond: number; replayReadsAtFailover: number };
  failover: { socketsToMove: number; seconds: number; cpuSecondsOnSurvivors: number };
  hpa: HpaTrigger[];
  assumptions: string[];
  warnings: string[];
}

export const DEFAULT_ASSUMPTIONS: Assumptions = {
  deliveriesPerEvent: 4,
  socketsPerNodeCap: 19_000,
  podMemoryGiB: 2,
  memoryHeadroom: 0.7,
  cpuTarget: 0.6,
  reconnectsPerSecondPerNode: 500,
  eventBytes: 1500,
  durableConsumers: 1,
  socketMessagesPerSocketMinute: 0.5,
  reconnectsPerSocketHour: 2,
};

/** Plans the cluster for `target`. Throws on inputs that make no sense (zero or negative costs where one is needed). */
export function planCapacity(m: MeasuredCosts, t: Target, a: Assumptions = DEFAULT_ASSUMPTIONS): CapacityPlan {
  if (!(m.rssPerSocket > 0)) throw new RangeError('rssPerSocket must be positive');
  if (!(a.cpuTarget > 0 && a.cpuTarget <= 1)) throw new RangeError('cpuTarget must be within (0, 1]');
  if (!(t.connections >= 0 && t.eventsPerSecond >= 0)) throw new RangeError('the target must not be negative');
  const warnings: string[] = [];
  const deliveries = t.eventsPerSecond * a.deliveriesPerEvent;
  const budgetMs = a.cpuTarget * 1000;

  // Every node takes in every event from the bus (its own realtime queue, or the log), however few of its sockets
  // want it: that part does not shrink with more nodes.
  const busMsPerNode = t.eventsPerSecond * m.cpuMsPerBusEvent;
  const busShardsNeeded = Math.max(1, Math.ceil(busMsPerNode / (0.25 * budgetMs)));
  const busPerNode = busMsPerNode / busShardsNeeded;
  if (busShardsNeeded > 1) {
    warnings.push(
      `Every node receives all ${fmt(t.eventsPerSecond)} events/s: at ${fmt(m.cpuMsPerBusEvent)} ms each that is ` +
        `${fmt(busMsPerNode)} ms of CPU per second per node before any socket is served. Partition the bus (e.g. by ` +
        `vendor: ${busShardsNeeded} shards, each node subscribed to the shards of the vendors its sockets follow) — ` +
        'the node counts below assume it.',
    );
  }
  const cpu = {
    idleSockets: t.connections * m.idleCpuMsPerSocketSecond,
    fanOut: deliveries * m.cpuMsPerDelivery,
    transitions: t.eventsPerSecond * m.cpuMsPerTransition,
    busPerNode: busMsPerNode,
  };
  const workMs = cpu.idleSockets + cpu.fanOut + cpu.transitions;
  const byCpu = Math.max(1, Math.ceil(workMs / (budgetMs - busPerNode)));

  const memoryPerNodeForSockets = a.podMemoryGiB * 1024 * a.memoryHeadroom - m.baseRssMiB;
  const socketsByMemory = Math.floor((memoryPerNodeForSockets * 2 ** 20) / m.rssPerSocket);
  if (socketsByMemory < 1) throw new RangeError('the pod memory does not fit even the node without sockets');
  const byMemory = Math.max(1, Math.ceil(t.connections / socketsByMemory));
  const byConnections = Math.max(1, Math.ceil(t.connections / a.socketsPerNodeCap));
  const required = Math.max(byConnections, byMemory, byCpu);
  const limitedBy = required === byCpu ? 'cpu' : required === byMemory ? 'memory' : 'connections';
  const recommended = required + 1;
  const socketsPerNode = t.connections / recommended;
  const cpuPerNode = (workMs / recommended + busPerNode) / 1000;

  const queues = recommended + a.durableConsumers;
  const perNodeIn = t.eventsPerSecond / busShardsNeeded;
  const deliverPerSecond = recommended * perNodeIn + a.durableConsumers * t.eventsPerSecond;

  const handshakesPerSecond = (t.connections * a.reconnectsPerSocketHour) / 3600;
  const httpPerSecond = t.eventsPerSecond * m.httpPerTransition;
  const socketMessagesPerSecond = (t.connections * a.socketMessagesPerSocketMinute) / 60;

  const failoverSockets = socketsPerNode;
  const survivors = Math.max(1, recommended - 1);
  const failoverSeconds = failoverSockets / (survivors * a.reconnectsPerSecondPerNode);

  if (byCpu > byConnections && byCpu > byMemory) {
    warnings.push('CPU, not connections or memory, sets the node count: fan-out and HTTP dominate at this event rate.');
  }
  if (m.commitsPerSecondMeasured > 0 && t.eventsPerSecond > m.commitsPerSecondMeasured) {
    warnings.push(
      `PostgreSQL: ${fmt(t.eventsPerSecond)} booking transactions/s is ${fmt(t.eventsPerSecond / m.commitsPerSecondMeasured)}× ` +
        `the ${fmt(m.commitsPerSecondMeasured)}/s one database did on this machine, and every event append takes the ` +
        'same advisory lock (ids in commit order), so the log serialises all writers: more nodes do not help. ' +
        'Partition the database (and its event log) by vendor, or measure on database hardware first.',
    );
  }
  if (cpu.transitions > cpu.fanOut + cpu.idleSockets) {
    warnings.push(
      'Booking transitions over HTTP (request, transaction, notifications) cost more CPU than keeping and feeding the ' +
        'sockets: an API tier scaled on its own would keep the socket nodes small.',
    );
  }
  if (perNodeIn > 20_000) {
    warnings.push(
      `Each node's realtime queue takes ${fmt(perNodeIn)} messages/s; one RabbitMQ queue is typically good for ` +
        'tens of thousands of small messages per second on one core: measure the broker, or shard the exchange.',
    );
  }

  return {
    target: t,
    deliveriesPerSecond: deliveries,
    nodes: {
      byConnections,
      byMemory,
      byCpu,
      required,
      recommended,
      limitedBy,
      socketsPerNode,
      memoryPerNodeMiB: m.baseRssMiB + (socketsPerNode * m.rssPerSocket) / 2 ** 20,
      cpuPerNode,
      busCpuPerNode: busPerNode / 1000,
      busShardsNeeded,
    },
    cpu,
    rabbitmq: {
      publishPerSecond: t.eventsPerSecond,
      deliverPerSecond,
      queues,
      perNodeQueueInPerSecond: perNodeIn,
      bandwidthMiBps: ((t.eventsPerSecond + deliverPerSecond) * a.eventBytes) / 2 ** 20,
    },
    redis: {
      // rate-limiter-flexible: one command per check when the limits are shared through Redis.
      commandsPerSecond: httpPerSecond + handshakesPerSecond + socketMessagesPerSecond,
      // The adapter carries only cross-node operations (revocations, fetchSockets, heartbeats), not events.
      pubSubPerSecond: recommended / 5 + handshakesPerSecond * 0.01,
    },
    postgres: {
      transactionsPerSecond: t.eventsPerSecond,
      replayReadsAtFailover: failoverSockets * 3,
    },
    failover: {
      socketsToMove: failoverSockets,
      seconds: failoverSeconds,
      cpuSecondsOnSurvivors: (failoverSockets * m.cpuMsPerReconnect) / 1000 / survivors,
    },
    hpa: hpaTriggers(a, Math.min(a.socketsPerNodeCap, socketsByMemory)),
    assumptions: describeAssumptions(a),
    warnings,
  };
}

/** `socketCap`: what one node may hold, by the cap and by memory. */
function hpaTriggers(a: Assumptions, socketCap: number): HpaTrigger[] {
  const socketTarget = Math.round((socketCap * 0.7) / 100) * 100;
  return [
    {
      metric: 'slotcast_socket_connections (sum per pod)',
      kind: 'Pods',
      target: `averageValue ${fmt(socketTarget)}`,
      why:
        'Sockets are long-lived and stay where they landed: scale out before a node is full, so new connections ' +
        `(HAProxy leastconn) go to the new pods; 70% of the ${fmt(socketCap)} a node holds leaves room for a failed node's sockets.`,
    },
    {
      metric: 'cpu',
      kind: 'Resource',
      target: `averageUtilization ${Math.round(a.cpuTarget * 100)} (request 1 CPU per pod)`,
      why: 'A node is one event loop: past ~60% of a core fan-out latency grows fast (see the latency charts).',
    },
    {
      metric: 'nodejs_eventloop_lag_p99_seconds',
      kind: 'Pods',
      target: 'averageValue 50m',
      why: 'The earliest sign of an overloaded node; the rate-limit governor tightens at 200 ms (RATE_LIMIT_TIGHTEN_LAG_MS), scale before it.',
    },
    {
      metric: 'histogram_quantile(0.99, slotcast_event_delivery_latency_seconds)',
      kind: 'External',
      target: 'value 25m',
      why: 'The user-facing goal (P2); as a scale-out signal only, with a 2-minute window, since a slow database raises it too.',
    },
  ];
}

function describeAssumptions(a: Assumptions): string[] {
  return [
    `${a.deliveriesPerEvent} sockets receive each event (its customer, the vendor's staff online, notifications).`,
    `A node holds at most ${fmt(a.socketsPerNodeCap)} sockets (descriptor limit ~20k per process; the governor tightens limits at 20k).`,
    `Pods have ${a.podMemoryGiB} GiB; sockets may fill ${Math.round(a.memoryHeadroom * 100)}% of it; one core each, busy at most ${Math.round(a.cpuTarget * 100)}%.`,
    `Every node receives every event (embedded log tailer or its own RabbitMQ queue bound to '#'), plus ${a.durableConsumers} durable consumer(s).`,
    `Events are ~${a.eventBytes} B on the broker; sockets send ${a.socketMessagesPerSocketMinute} messages/min and reconnect ${a.reconnectsPerSocketHour}×/hour.`,
    `A node absorbs ${fmt(a.reconnectsPerSecondPerNode)} reconnects (with replay) per second when another fails.`,
    'HTTP is served by the same nodes; PostgreSQL runs one transaction per booking transition; Redis holds shared rate limits and the Socket.IO adapter.',
  ];
}

export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 100) return Math.round(v).toLocaleString('en-US');
  return String(Number(v.toPrecision(3)));
}
