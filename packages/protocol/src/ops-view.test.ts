import { describe, expect, it } from 'vitest';
import type { OpsSample } from './ops.js';
import { clusterView, type Received } from './ops-view.js';

const sample = (node: string, over: Partial<OpsSample> = {}): OpsSample => ({
  node,
  sampledAt: '2026-03-01T10:00:00.000Z',
  intervalMs: 5000,
  downAfterMs: 60_000,
  sockets: { total: 3, byRole: { customer: 2, staff: 1, admin: 0 }, byTransport: { websocket: 2, polling: 1 } },
  perMinute: { connects: 6, disconnectsByReason: { 'transport close': 2 } },
  eventLoopLagP99Ms: 12,
  memory: { rssBytes: 1, heapUsedBytes: 1 },
  dependencies: [{ name: 'database', up: true }],
  outbox: { unpublished: 0, oldestAgeSeconds: 0 },
  eventLog: { headId: 10 },
  consumers: [],
  bookingsToday: {},
  waiting: [],
  health: [{ name: 'Outbox relay lag (s)', level: 'green', value: 0, rule: 'SlotcastOutboxLag: > 30 (critical)' }],
  ...over,
});

const at = (receivedAt: number, s: OpsSample): [string, Received] => [s.node, { sample: s, receivedAt }];

describe('cluster view of the nodes’ samples', () => {
  it('adds up sockets and rates of every live node', () => {
    const v = clusterView(new Map([at(1000, sample('n1')), at(2000, sample('n2'))]), 3000);
    expect(v.sockets).toEqual({
      total: 6,
      byRole: { customer: 4, staff: 2, admin: 0 },
      byTransport: { websocket: 4, polling: 2 },
    });
    expect(v.perMinute).toEqual({ connects: 12, disconnectsByReason: { 'transport close': 4 } });
    expect(v.worst).toBe('green');
  });

  it('turns a node red by SlotcastInstanceDown once its last sample is older than downAfterMs, and leaves its sockets out', () => {
    const v = clusterView(new Map([at(0, sample('n1')), at(60_000, sample('n2'))]), 60_001);
    expect(v.nodes.map((n) => [n.sample.node, n.down])).toEqual([
      ['n1', true],
      ['n2', false],
    ]);
    expect(v.sockets.total).toBe(3);
    expect(v.health).toContainEqual(
      expect.objectContaining({ node: 'n1', level: 'red', rule: expect.stringContaining('SlotcastInstanceDown') }),
    );
    expect(v.worst).toBe('red');
  });

  it('takes the cluster-wide reads from the newest live sample that has them, and each consumer’s largest lag', () => {
    const reader = sample('n1', { sampledAt: '2026-03-01T10:00:00.000Z', consumers: [{ name: 'mail', lagEvents: 4 }] });
    const local = sample('n2', {
      sampledAt: '2026-03-01T10:00:01.000Z',
      consumers: [{ name: 'mail', lagEvents: 0 }],
      outbox: undefined,
      eventLog: undefined,
      bookingsToday: undefined,
      waiting: undefined,
    });
    const v = clusterView(new Map([at(0, reader), at(0, local)]), 1);
    expect(v.latest?.node).toBe('n1');
    expect(v.consumers).toEqual([{ name: 'mail', lagEvents: 4 }]);
  });

  it('takes the worst level of any indicator', () => {
    const amber = sample('n1', {
      health: [{ name: 'lag', level: 'amber', value: 0.3, rule: 'SlotcastEventLoopLagHigh: > 0.2 (warning)' }],
    });
    expect(clusterView(new Map([at(0, amber), at(0, sample('n2'))]), 1).worst).toBe('amber');
  });
});
