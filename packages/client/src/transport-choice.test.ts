import { describe, expect, it } from 'vitest';
import { TransportChoice } from './transport-choice.js';

describe('TransportChoice', () => {
  it('opens polling-first until a connection got a WebSocket, then directly, until a transport failure', () => {
    const choice = new TransportChoice();
    expect(choice.next()).toBeUndefined();
    choice.seen('polling', false);
    expect(choice.next()).toBeUndefined();
    choice.seen('websocket', false);
    // Socket.IO's default without polling: WebSocket, and a WebTransport upgrade where the server offers one.
    expect(choice.next()).toEqual(['websocket', 'webtransport']);
    expect(choice.next()).toEqual(['websocket', 'webtransport']);
    choice.failed();
    expect(choice.next()).toBeUndefined();
  });

  it('forgets the WebSocket when a connection falls back to polling', () => {
    const choice = new TransportChoice({ transports: ['polling', 'websocket'] });
    choice.seen('websocket', false);
    expect(choice.next()).toEqual(['websocket']);
    choice.seen('polling', true);
    expect(choice.next()).toBeUndefined();
  });

  it.each<[string, ConstructorParameters<typeof TransportChoice>[0]]>([
    ['WebSocket only (the service worker)', { transports: ['websocket'] }],
    ['WebSocket first', { transports: ['websocket', 'polling'] }],
    ['polling only', { transports: ['polling'] }],
    ['without the upgrade', { upgrade: false }],
  ])('keeps the configured transports: %s', (_name, configured) => {
    const choice = new TransportChoice(configured);
    choice.seen('websocket', false);
    expect(choice.next()).toBeUndefined();
  });
});
