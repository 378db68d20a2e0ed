import { describe, expect, it } from 'vitest';
import { type Assumptions, DEFAULT_ASSUMPTIONS, type MeasuredCosts, planCapacity } from './model.js';

const costs: MeasuredCosts = {
  rssPerSocket: 16 * 1024,
  baseRssMiB: 200,
  idleCpuMsPerSocketSecond: 0.001,
  cpuMsPerDelivery: 0.02,
  cpuMsPerTransition: 2,
  cpuMsPerBusEvent: 0.01,
  cpuMsPerReconnect: 2,
  httpPerTransition: 1.5,
  commitsPerSecondMeasured: 0,
};
const a: Assumptions = {
  ...DEFAULT_ASSUMPTIONS,
  socketsPerNodeCap: 20_000,
  podMemoryGiB: 2,
  memoryHeadroom: 0.5,
  cpuTarget: 0.5,
};

describe('planCapacity', () => {
  it('sizes by connections when events are few', () => {
    const p = planCapacity(costs, { connections: 100_000, eventsPerSecond: 10 }, a);
    // memory: (2048 × 0.5 − 200) MiB / 16 KiB = 52,736 sockets per node → 2 nodes; the cap of 20,000 needs 5.
    expect(p.nodes.byMemory).toBe(2);
    expect(p.nodes.byConnections).toBe(5);
    expect(p.nodes).toMatchObject({ required: 5, recommended: 6, limitedBy: 'connections', busShardsNeeded: 1 });
    expect(p.nodes.socketsPerNode).toBeCloseTo(100_000 / 6, 5);
  });

  it('sizes by CPU: idle sockets, fan-out and transitions against what the bus leaves of each node', () => {
    const p = planCapacity(costs, { connections: 100_000, eventsPerSecond: 1000 }, a);
    // work = 100k × 0.001 + 4000 × 0.02 + 1000 × 2 = 2180 ms/s; each node has 500 − 1000 × 0.01 = 490 ms/s.
    expect(p.nodes.byCpu).toBe(Math.ceil(2180 / 490));
    expect(p.nodes.limitedBy).toBe('cpu');
    expect(p.deliveriesPerSecond).toBe(4000);
    expect(p.nodes.cpuPerNode).toBeCloseTo((2180 / p.nodes.recommended + 10) / 1000, 6);
  });

  it('says when every node taking every event leaves no room, and plans with a sharded bus', () => {
    const p = planCapacity(
      { ...costs, cpuMsPerBusEvent: 0.05 },
      { connections: 1_000_000, eventsPerSecond: 50_000 },
      a,
    );
    // 50k × 0.05 = 2500 ms/s per node > a budget of 500: shards so the bus takes at most a quarter of it.
    expect(p.nodes.busShardsNeeded).toBe(Math.ceil(2500 / 125));
    expect(p.nodes.busCpuPerNode).toBeCloseTo(2500 / p.nodes.busShardsNeeded / 1000, 6);
    expect(p.warnings.join(' ')).toContain('Partition the bus');
  });

  it('projects the broker, Redis, PostgreSQL and failover from the node count', () => {
    const p = planCapacity(costs, { connections: 100_000, eventsPerSecond: 100 }, a);
    const nodes = p.nodes.recommended;
    expect(p.rabbitmq).toMatchObject({ publishPerSecond: 100, queues: nodes + 1, perNodeQueueInPerSecond: 100 });
    expect(p.rabbitmq.deliverPerSecond).toBe(nodes * 100 + 100);
    expect(p.postgres.transactionsPerSecond).toBe(100);
    expect(p.redis.commandsPerSecond).toBeCloseTo(100 * 1.5 + (100_000 * 2) / 3600 + (100_000 * 0.5) / 60, 6);
    expect(p.failover.socketsToMove).toBeCloseTo(100_000 / nodes, 6);
    expect(p.failover.seconds).toBeCloseTo(100_000 / nodes / ((nodes - 1) * a.reconnectsPerSecondPerNode), 6);
  });

  it('suggests HPA triggers on sockets (70% of what a node holds), CPU, event-loop lag and delivery latency', () => {
    const p = planCapacity(costs, { connections: 100_000, eventsPerSecond: 10 }, a);
    expect(p.hpa.map((h) => h.metric)).toEqual([
      'slotcast_socket_connections (sum per pod)',
      'cpu',
      'nodejs_eventloop_lag_p99_seconds',
      'histogram_quantile(0.99, slotcast_event_delivery_latency_seconds)',
    ]);
    expect(p.hpa[0]!.target).toBe('averageValue 14,000');
    expect(p.assumptions.length).toBeGreaterThan(3);
  });

  it('warns when the event rate is beyond what one PostgreSQL committed here, and when HTTP dominates the CPU', () => {
    const p = planCapacity(
      { ...costs, commitsPerSecondMeasured: 200 },
      { connections: 1000, eventsPerSecond: 1000 },
      a,
    );
    expect(p.warnings.join(' ')).toContain('5× the 200/s');
    expect(p.warnings.join(' ')).toContain('API tier');
    expect(p.cpu).toEqual({ idleSockets: 1, fanOut: 80, transitions: 2000, busPerNode: 10 });
    const calm = planCapacity(
      { ...costs, commitsPerSecondMeasured: 200 },
      { connections: 1000, eventsPerSecond: 100 },
      a,
    );
    expect(calm.warnings.join(' ')).not.toContain('PostgreSQL');
  });

  it('refuses costs and budgets that make no sense', () => {
    expect(() => planCapacity({ ...costs, rssPerSocket: 0 }, { connections: 1, eventsPerSecond: 1 }, a)).toThrow(
      RangeError,
    );
    expect(() => planCapacity(costs, { connections: 1, eventsPerSecond: 1 }, { ...a, cpuTarget: 0 })).toThrow(
      RangeError,
    );
    expect(() => planCapacity({ ...costs, baseRssMiB: 5000 }, { connections: 1, eventsPerSecond: 1 }, a)).toThrow(
      RangeError,
    );
  });
});
