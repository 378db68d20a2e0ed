import type { BookingStatus } from './entities.js';
import type { HealthIndicator, HealthLevel, OpsSample } from './ops.js';

// The live operations view folded from the nodes' `ops:sample`s: the admin app renders it, and the cluster suite
// checks the same fold, so "a node is down" means one thing wherever it is read.

/** A node as the view shows it: its newest sample, and whether that sample is too old (the node is down). */
export interface NodeView {
  sample: OpsSample;
  down: boolean;
  ageMs: number;
}

export interface ClusterView {
  nodes: NodeView[];
  sockets: { total: number; byRole: Record<string, number>; byTransport: Record<string, number> };
  perMinute: { connects: number; disconnectsByReason: Record<string, number> };
  /** Every node's indicators, plus one per node that stopped sending (SlotcastInstanceDown). */
  health: (HealthIndicator & { node: string })[];
  /** Each durable consumer's lag: the largest any live node reports (the node running it knows best). */
  consumers: { name: string; lagEvents: number }[];
  /** The newest live sample that carries the cluster-wide reads (log head, outbox, bookings, waiting requests). */
  latest: OpsSample | null;
  worst: HealthLevel;
}

const RANK: Record<HealthLevel, number> = { green: 0, amber: 1, red: 2 };

const add = (into: Record<string, number>, from: Record<string, number>) => {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
};

/** A sample and when the viewer received it (ages are measured on one clock, so skew between hosts is moot). */
export interface Received {
  sample: OpsSample;
  receivedAt: number;
}

/** The rule that turns a silent node red, as the view names it. */
export const NODE_DOWN_RULE = 'SlotcastInstanceDown';

/** Folds the newest sample of each node into the cluster's figures at `now`. Pure, so it is tested on its own. */
export function clusterView(samples: ReadonlyMap<string, Received>, now: number): ClusterView {
  const nodes: NodeView[] = [...samples.values()]
    .map(({ sample, receivedAt }) => {
      const ageMs = Math.max(0, now - receivedAt);
      return { sample, ageMs, down: ageMs > sample.downAfterMs };
    })
    .sort((a, b) => a.sample.node.localeCompare(b.sample.node));
  const sockets = { total: 0, byRole: {} as Record<string, number>, byTransport: {} as Record<string, number> };
  const perMinute = { connects: 0, disconnectsByReason: {} as Record<string, number> };
  const health: ClusterView['health'] = [];
  const consumers = new Map<string, number>();
  let latest: OpsSample | null = null;
  for (const n of nodes) {
    const s = n.sample;
    if (n.down) {
      health.push({
        node: s.node,
        name: 'Node sends its samples',
        level: 'red',
        value: Math.round(n.ageMs / 1000),
        rule: `${NODE_DOWN_RULE}: no sample for over ${s.downAfterMs / 1000}s (critical)`,
      });
      continue;
    }
    sockets.total += s.sockets.total;
    add(sockets.byRole, s.sockets.byRole);
    add(sockets.byTransport, s.sockets.byTransport);
    perMinute.connects += s.perMinute.connects;
    add(perMinute.disconnectsByReason, s.perMinute.disconnectsByReason);
    for (const h of s.health) health.push({ ...h, node: s.node });
    for (const c of s.consumers) consumers.set(c.name, Math.max(consumers.get(c.name) ?? 0, c.lagEvents));
    if (s.eventLog && (!latest || s.sampledAt > latest.sampledAt)) latest = s;
  }
  const worst = health.reduce<HealthLevel>((w, h) => (RANK[h.level] > RANK[w] ? h.level : w), 'green');
  return {
    nodes,
    sockets,
    perMinute,
    health,
    consumers: [...consumers]
      .map(([name, lagEvents]) => ({ name, lagEvents }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    latest,
    worst,
  };
}

export const STATUS_ORDER: BookingStatus[] = [
  'requested',
  'confirmed',
  'checked_in',
  'completed',
  'no_show',
  'declined',
  'cancelled',
  'expired',
];
