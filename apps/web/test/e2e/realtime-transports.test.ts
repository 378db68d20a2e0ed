import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTransportGate, type TransportGate } from '../../../../packages/client/test/support/transport-gate.js';
import { chromiumOrSkip, DEMO_PASSWORD, WebStack } from './support/web-stack.js';

const available = chromiumOrSkip('the realtime transports end-to-end test');

/** How an Engine.IO connection of the page began: a polling handshake, or a WebSocket opened directly. */
type Opening = 'polling' | 'websocket';

describe.skipIf(!available)('the web app’s realtime transports in Chromium', () => {
  let stack: WebStack;
  // Where a proxy or a load balancer would stand: the page, its API calls and its socket all go through it.
  let gate: TransportGate;

  beforeAll(async () => {
    stack = await WebStack.start({ name: 'transports' });
    gate = await startTransportGate(stack.url);
  }, 240_000);

  afterAll(async () => {
    await gate?.close();
    await stack?.stop();
  });

  const status = (page: Page) => page.locator('.connection').getAttribute('data-status');
  const live = (page: Page, message: string) =>
    expect.poll(() => status(page), { message, timeout: 15_000 }).toBe('connected');

  it('reconnects with a WebSocket directly after a drop; a WebSocket closed before it opens fails at once, and the page comes back over polling', async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    // An Engine.IO connection begins with a request without a session id: a polling handshake, or a WebSocket opened
    // directly (an upgrade's WebSocket carries the session it upgrades).
    const openings: Opening[] = [];
    const noteOpening = (url: string) => {
      const u = new URL(url);
      if (u.pathname.startsWith('/socket.io/') && !u.searchParams.has('sid')) {
        openings.push(u.searchParams.get('transport') as Opening);
      }
    };
    // Engine.IO's upgrade packet: the page has moved its connection onto that WebSocket.
    let upgrades = 0;
    page.on('request', (r) => noteOpening(r.url()));
    page.on('websocket', (ws) => {
      noteOpening(ws.url());
      ws.on('framesent', ({ payload }) => {
        if (payload === '5') upgrades++;
      });
    });

    await page.goto(`${gate.url}/`);
    await page.getByLabel('Email').fill('alice@example.test');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The page's first connection: polling, then the upgrade.
    await expect.poll(() => upgrades, { message: 'upgraded', timeout: 15_000 }).toBe(1);
    await live(page, 'live');
    expect(openings).toEqual(['polling']);

    // The connection drops: the next attempt opens a WebSocket at once, no polling handshake and upgrade first.
    gate.cutAll();
    await expect.poll(() => gate.passedUpgrades, { message: 'a direct WebSocket', timeout: 15_000 }).toBe(2);
    await live(page, 'live again');
    expect(openings).toEqual(['polling', 'websocket']);
    expect(upgrades).toBe(1);

    // A deploy: the connection drops, and the proxy accepts the next WebSocket and closes it before the server has
    // said anything. The attempt fails at once (the page waits no 20 s connect timeout: the poll gives up at 15 s), and
    // the next one starts with polling and upgrades.
    gate.closeUpgrades = 1;
    gate.cutAll();
    await expect.poll(() => upgrades, { message: 'upgraded again', timeout: 15_000 }).toBe(2);
    await live(page, 'live after the deploy');
    expect(gate.closedUpgrades).toBe(1);
    expect(openings).toEqual(['polling', 'websocket', 'websocket', 'polling']);
    await context.close();
  });
});
