import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { clusterView, NODE_DOWN_RULE, type OpsSample, type Received } from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_ALERT_RULES_FILE } from '../../src/observability/alert-rules.js';
import { type Listener, listen } from '../support/sockets.js';
import { buildWorld, type World } from '../support/world.js';
import type { NodeProcess } from './support/cluster.js';
import { scratchDir } from './support/services.js';
import { startStack } from './support/stack.js';

const skip = inject('clusterMissing').length > 0;

const INTERVAL_MS = 1000;
/** SlotcastInstanceDown's `for`, shortened in this suite's copy of the rules so the test need not wait a minute. */
const DOWN_AFTER_MS = 3000;

/** The alert rules with a short `for` on SlotcastInstanceDown: the view's staleness bound comes from that rule. */
function shortRulesFile(): string {
  const rules = readFileSync(DEFAULT_ALERT_RULES_FILE, 'utf8');
  const changed = rules.replace(
    /(alert: SlotcastInstanceDown\n\s+expr: [^\n]+\n\s+for: )\S+/,
    `$1${DOWN_AFTER_MS / 1000}s`,
  );
  if (changed === rules) throw new Error('SlotcastInstanceDown has no `for` to shorten');
  const file = path.join(scratchDir('rules'), 'slotcast-alerts.yml');
  writeFileSync(file, changed);
  return file;
}

describe.skipIf(skip)('the live operations view of a 3-node cluster', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let w: World;
  const open: Listener[] = [];
  let firstAdmin: Listener | undefined;

  beforeAll(async () => {
    stack = await startStack(3, {
      OPS_SAMPLE_INTERVAL_SECONDS: String(INTERVAL_MS / 1000),
      ALERT_RULES_FILE: shortRulesFile(),
    });
    w = await buildWorld(stack.as(stack.cluster.lb.url));
  });
  afterAll(async () => {
    for (const l of open) l.close();
    await stack?.stop();
  });

  it('counts the sockets of every node, reads the cluster once, and turns a killed node red by SlotcastInstanceDown', async () => {
    const [n1, n2, n3] = stack.cluster.nodes as [NodeProcess, NodeProcess, NodeProcess];
    const admin = await listen(stack.as(n1.url), { token: w.admin.token });
    open.push(admin);
    firstAdmin = admin;
    // As the admin app keeps them: the newest sample of each node and when it arrived.
    const samples = new Map<string, Received>();
    const fromNode = new Map<string, OpsSample[]>();
    admin.socket.on('ops:sample', (s) => {
      samples.set(s.node, { sample: s, receivedAt: Date.now() });
      fromNode.set(s.node, [...(fromNode.get(s.node) ?? []), s]);
    });
    // Clients on each node directly: customers on nodes 1 and 2, staff on node 3.
    open.push(await listen(stack.as(n1.url), { token: w.alice.token }));
    open.push(await listen(stack.as(n2.url), { token: w.bob.token }));
    const staffOnNode3 = await listen(stack.as(n3.url), { token: w.a.staff.token });
    open.push(staffOnNode3);

    const perNode = () =>
      Object.fromEntries(clusterView(samples, Date.now()).nodes.map((n) => [n.sample.node, n.sample.sockets.total]));
    await expect.poll(perNode, { timeout: 20_000 }).toEqual({ node1: 2, node2: 1, node3: 1 });
    const live = clusterView(samples, Date.now());
    expect(live.sockets.total).toBe(4);
    expect(live.sockets.byRole).toMatchObject({ admin: 1, customer: 2, staff: 1 });
    expect(live.worst).not.toBe('red');

    // The cluster-wide reads come from the admin's node alone; the others send only their own figures.
    await expect
      .poll(() => Math.min(...['node2', 'node3'].map((n) => fromNode.get(n)?.length ?? 0)))
      .toBeGreaterThan(1);
    expect(fromNode.get('node1')!.at(-1)!.eventLog).toEqual({ headId: expect.any(Number) });
    expect(['node2', 'node3'].flatMap((n) => fromNode.get(n)!).filter((s) => s.eventLog !== undefined)).toEqual([]);
    expect(live.latest?.node).toBe('node1');

    await n3.kill();
    const killedAt = Date.now();
    const down = () =>
      clusterView(samples, Date.now()).health.find((h) => h.node === 'node3' && h.rule.startsWith(NODE_DOWN_RULE));
    // Bounded: no sample for DOWN_AFTER_MS turns it red, and the view is folded again at each poll.
    await expect.poll(down, { timeout: DOWN_AFTER_MS + 4 * INTERVAL_MS + 5000 }).toMatchObject({ level: 'red' });
    expect(Date.now() - killedAt).toBeGreaterThan(DOWN_AFTER_MS - INTERVAL_MS);
    const after = clusterView(samples, Date.now());
    expect(after.worst).toBe('red');
    expect(after.nodes.filter((n) => !n.down).map((n) => n.sample.node)).toEqual(['node1', 'node2']);
    expect(after.sockets.total).toBe(3);
    expect(down()?.rule).toBe(`${NODE_DOWN_RULE}: no sample for over ${DOWN_AFTER_MS / 1000}s (critical)`);
  });

  it('hands the cluster-wide reads to the node of the admin still watching when the first one leaves', async () => {
    const n2 = stack.cluster.nodes[1]!;
    const second = await listen(stack.as(n2.url), { token: w.admin.token });
    open.push(second);
    const seen: OpsSample[] = [];
    second.socket.on('ops:sample', (s) => seen.push(s));
    firstAdmin!.close();
    await expect.poll(() => seen.findIndex((s) => s.node === 'node2' && s.eventLog), { timeout: 15_000 }).not.toBe(-1);
    // Sentinel: two more samples from node 1 (the first may have been decided before the admin left); the second
    // was taken with no admin there, and has only node 1's own figures.
    const from = seen.findIndex((s) => s.node === 'node2' && s.eventLog);
    const node1After = () => seen.slice(from).filter((s) => s.node === 'node1');
    await expect.poll(() => node1After().length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    expect(node1After()[1]!.eventLog).toBeUndefined();
    expect(node1After()[1]!.sockets.byRole.admin ?? 0).toBe(0);
  });
});
