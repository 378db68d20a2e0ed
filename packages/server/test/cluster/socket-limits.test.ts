import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectError, type Listener, listen } from '../support/sockets.js';
import { buildWorld, type World } from '../support/world.js';
import { startStack } from './support/stack.js';

const skip = inject('clusterMissing').length > 0;

describe.skipIf(skip)('open sockets per user counted across the cluster through Redis', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let w: World;
  const open: Listener[] = [];

  beforeAll(async () => {
    // Two sockets per user in the whole cluster; every other limit wide, and no tightening on a busy machine.
    stack = await startStack(2, {
      RATE_LIMITS_ENABLED: 'true',
      RATE_LIMIT_SOCKETS_PER_USER: '2',
      RATE_LIMIT_SOCKET_HANDSHAKES: '1000/60',
      RATE_LIMIT_HTTP_AUTH: '1000/60',
      RATE_LIMIT_HTTP_MUTATIONS: '1000/60',
      RATE_LIMIT_TIGHTEN_LAG_MS: '60000',
    });
    w = await buildWorld(stack.as(stack.cluster.lb.url));
  });
  afterAll(async () => {
    for (const l of open) l.close();
    await stack?.stop();
  });

  it('refuses a user’s third socket on either node with RATE_LIMITED, and frees the slot when one closes', async () => {
    const [n1, n2] = stack.cluster.nodes.map((n) => stack.as(n.url)) as [
      ReturnType<typeof stack.as>,
      ReturnType<typeof stack.as>,
    ];
    const auth = { token: w.alice.token };
    open.push(await listen(n1, auth));
    const onNode2 = await listen(n2, auth);
    open.push(onNode2);

    for (const node of [n1, n2]) {
      const err = await connectError(node, auth);
      expect(err.data).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: expect.any(Number) });
      expect(err.message).toBe('Too many open connections for this user');
    }
    // The limit is the user's: another customer still connects to the same node.
    open.push(await listen(n1, { token: w.bob.token }));

    // Alice closes her socket on node 2; node 1 then lets her in again.
    onNode2.close();
    await expect
      .poll(async () => {
        try {
          open.push(await listen(n1, auth));
          return true;
        } catch {
          return false;
        }
      })
      .toBe(true);
    expect((await connectError(n2, auth)).data).toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('keeps the cap per node while Redis is down, and still lets users in', async () => {
    const n2 = stack.as(stack.cluster.nodes[1]!.url);
    await stack.redis.stop();
    const auth = { token: w.bob.token };
    // Bob's socket on node 1 was counted in Redis; node 2 now counts on its own, up to the same cap.
    open.push(await listen(n2, auth));
    open.push(await listen(n2, auth));
    expect((await connectError(n2, auth)).data).toMatchObject({ code: 'RATE_LIMITED' });
  });
});
