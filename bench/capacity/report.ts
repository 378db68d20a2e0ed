import { type Column, formatTable } from '../lib/table.js';
import type { Sourced } from './inputs.js';
import { type Assumptions, type CapacityPlan, fmt, type MeasuredCosts } from './model.js';

const COST_LABELS: Record<keyof MeasuredCosts, string> = {
  rssPerSocket: 'RSS per socket (B)',
  baseRssMiB: 'RSS of a node without sockets (MiB)',
  idleCpuMsPerSocketSecond: 'CPU per idle socket-second (ms)',
  cpuMsPerDelivery: 'CPU per delivery (ms)',
  cpuMsPerTransition: 'CPU per booking transition incl. HTTP (ms)',
  cpuMsPerBusEvent: 'CPU per event a node takes from the bus (ms)',
  cpuMsPerReconnect: 'CPU per reconnect with replay (ms)',
  httpPerTransition: 'HTTP requests per transition',
  commitsPerSecondMeasured: 'Booking transactions/s of one PostgreSQL',
};

/** The plan as text: inputs and where they came from, the projection, the load on the services, HPA triggers. */
export function formatPlan(plan: CapacityPlan, costs: Sourced<MeasuredCosts>, a: Assumptions): string {
  const n = plan.nodes;
  const t = plan.target;
  const lines: string[] = [];
  lines.push(
    `Capacity plan for ${fmt(t.connections)} connections and ${fmt(t.eventsPerSecond)} booking events/s ` +
      `(${fmt(plan.deliveriesPerSecond)} deliveries/s at ${a.deliveriesPerEvent} per event)`,
    '',
    'Measured costs (one core of this machine):',
    formatTable(
      [{ header: 'cost' }, { header: 'value', align: 'right' }, { header: 'source' }],
      (Object.keys(COST_LABELS) as (keyof MeasuredCosts)[]).map((k) => [
        COST_LABELS[k],
        fmt(costs[k].value),
        costs[k].source,
      ]),
    ),
    '',
    'Slotcast nodes (one event loop each):',
    `  by connections (≤ ${fmt(a.socketsPerNodeCap)} per node): ${n.byConnections}`,
    `  by memory (${a.podMemoryGiB} GiB pods, ${Math.round(a.memoryHeadroom * 100)}% for sockets): ${n.byMemory}`,
    `  by CPU (≤ ${Math.round(a.cpuTarget * 100)}% of a core): ${n.byCpu}`,
    `  required ${n.required} (limited by ${n.limitedBy}); recommended ${n.recommended} (one spare for a failed node or a rolling deploy)`,
    `  per node at ${n.recommended}: ${fmt(n.socketsPerNode)} sockets, ~${fmt(n.memoryPerNodeMiB)} MiB RSS, ` +
      `${Math.round(n.cpuPerNode * 100)}% of a core (${Math.round(n.busCpuPerNode * 100)}% of it taking events from the bus` +
      `${n.busShardsNeeded > 1 ? `, with the bus in ${n.busShardsNeeded} shards` : ''})`,
    `  CPU, cores of this machine: sockets kept open ${fmt(plan.cpu.idleSockets / 1000)}, fan-out ${fmt(plan.cpu.fanOut / 1000)}, ` +
      `booking transitions over HTTP ${fmt(plan.cpu.transitions / 1000)}; taking every event from the bus ` +
      `${fmt(plan.cpu.busPerNode / 1000)} per node`,
    '',
    `RabbitMQ: ${fmt(plan.rabbitmq.publishPerSecond)} publishes/s, ${fmt(plan.rabbitmq.deliverPerSecond)} deliveries/s over ` +
      `${plan.rabbitmq.queues} queues (${fmt(plan.rabbitmq.perNodeQueueInPerSecond)} msg/s into each node's queue), ` +
      `~${fmt(plan.rabbitmq.bandwidthMiBps)} MiB/s`,
    `Redis: ~${fmt(plan.redis.commandsPerSecond)} commands/s (shared rate limits), ~${fmt(plan.redis.pubSubPerSecond)} adapter ` +
      'messages/s (events do not travel through Redis)',
    `PostgreSQL: ${fmt(plan.postgres.transactionsPerSecond)} write transactions/s; ~${fmt(plan.postgres.replayReadsAtFailover)} ` +
      'reads when a failed node’s clients reconnect and replay',
    `Failover: a lost node's ${fmt(plan.failover.socketsToMove)} sockets reconnect to the others in ~${fmt(plan.failover.seconds)} s, ` +
      `costing each survivor ~${fmt(plan.failover.cpuSecondsOnSurvivors)} s of CPU`,
    '',
    'Autoscaling (Kubernetes HPA, autoscaling/v2):',
  );
  const cols: Column[] = [{ header: 'metric' }, { header: 'type' }, { header: 'target' }, { header: 'why' }];
  lines.push(
    formatTable(
      cols,
      plan.hpa.map((h) => [h.metric, h.kind, h.target, h.why]),
    ),
  );
  lines.push(
    '  behavior: scale up at once (stabilizationWindowSeconds 0, up to +100% per minute); scale down slowly ' +
      '(stabilizationWindowSeconds 600, at most 1 pod per 5 minutes): a removed pod sends all its sockets into a ' +
      'reconnect storm on the others.',
    '',
    'Assumptions:',
    ...plan.assumptions.map((s) => `  - ${s}`),
  );
  if (plan.warnings.length) lines.push('', 'Warnings:', ...plan.warnings.map((s) => `  ! ${s}`));
  return lines.join('\n');
}
