import {
  type BookingEventData,
  type ClientToServerEvents,
  decodeEventFrame,
  type EventEnvelope,
  type EventFrame,
  type ResyncRequired,
  type ServerToClientEvents,
} from '@slotcast/protocol';
import { io, type Socket } from 'socket.io-client';
import type { TestServer } from './server.js';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface Listener {
  socket: ClientSocket;
  events: EventEnvelope[];
  /** The `events` frames as they arrived (version 1: arrays of envelopes; version 2: the compact form). */
  frames: EventFrame[];
  /** Resolves when `n` events in total have arrived (or rejects after `ms`). */
  waitFor(n: number, ms?: number): Promise<EventEnvelope[]>;
  replayDone: Promise<{ lastEventId: number; replayed: number }>;
  resync: Promise<ResyncRequired>;
  /** The first message of a type, whether it came before or after this call. */
  first<T = unknown>(type: string, ms?: number): Promise<T>;
  close(): void;
}

export function connect(
  server: TestServer,
  auth: Record<string, unknown>,
  opts: { transports?: ('polling' | 'websocket')[]; extraHeaders?: Record<string, string>; upgrade?: boolean } = {},
): ClientSocket {
  return io(server.url, {
    auth,
    transports: opts.transports ?? ['websocket'],
    upgrade: opts.upgrade ?? true,
    reconnection: false,
    forceNew: true,
    extraHeaders: opts.extraHeaders,
  });
}

/** Connects and records every delivered event in order. */
export async function listen(
  server: TestServer,
  auth: Record<string, unknown>,
  opts: Parameters<typeof connect>[2] = {},
): Promise<Listener> {
  const socket = connect(server, auth, opts);
  const events: EventEnvelope[] = [];
  const frames: EventFrame[] = [];
  const waiters: { n: number; resolve: (e: EventEnvelope[]) => void }[] = [];
  socket.on('events', (frame) => {
    frames.push(frame);
    const batch = decodeEventFrame(frame);
    if (batch === null) throw new Error('a malformed events frame arrived');
    events.push(...batch);
    for (const w of [...waiters]) {
      if (events.length >= w.n) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(events);
      }
    }
  });
  // Listen before connecting completes: these can arrive in the same read as the connect packet.
  const replayDone = new Promise<{ lastEventId: number; replayed: number }>((resolve) =>
    socket.once('replay:done', resolve),
  );
  const resync = new Promise<ResyncRequired>((resolve) => socket.once('resync:required', resolve));
  const seen = new Map<string, unknown>();
  const seenWaiters = new Map<string, ((v: unknown) => void)[]>();
  socket.onAny((type: string, payload: unknown) => {
    if (!seen.has(type)) seen.set(type, payload);
    for (const resolve of seenWaiters.get(type) ?? []) resolve(payload);
    seenWaiters.delete(type);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return {
    socket,
    events,
    frames,
    replayDone,
    resync,
    first<T>(type: string, ms = 15_000) {
      if (seen.has(type)) return Promise.resolve(seen.get(type) as T);
      return new Promise<T>((resolve, reject) => {
        seenWaiters.set(type, [...(seenWaiters.get(type) ?? []), resolve as (v: unknown) => void]);
        setTimeout(() => reject(new Error(`timed out waiting for ${type}`)), ms).unref();
      });
    },
    waitFor(n, ms = 10_000) {
      if (events.length >= n) return Promise.resolve(events);
      return new Promise((resolve, reject) => {
        const w = { n, resolve };
        waiters.push(w);
        setTimeout(() => reject(new Error(`timed out waiting for ${n} events, have ${events.length}`)), ms).unref();
      });
    },
    close: () => socket.disconnect(),
  };
}

/** The connect_error a handshake ends in. */
export function connectError(
  server: TestServer,
  auth: Record<string, unknown>,
  opts: Parameters<typeof connect>[2] = {},
) {
  const socket = connect(server, auth, opts);
  return new Promise<{ message: string; data?: { code: string } }>((resolve, reject) => {
    socket.once('connect', () => {
      socket.disconnect();
      reject(new Error('connected, expected an error'));
    });
    socket.once('connect_error', (err) => {
      socket.disconnect();
      resolve(err as unknown as { message: string; data?: { code: string } });
    });
  });
}

/** The booking an event is about (for booking events). */
export const bookingOf = (e: EventEnvelope) => (e.data as BookingEventData).booking;

/** Booking events only: staff and customers also receive their private notification events. */
export const bookingEvents = (events: EventEnvelope[]) => events.filter((e) => e.type.startsWith('booking.'));
