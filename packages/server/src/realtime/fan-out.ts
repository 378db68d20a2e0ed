import { type EventEnvelope, type EventFrame, encodeEventFrame, type HandshakeAuth } from '@slotcast/protocol';
import type { StoredEvent } from '../bus/event-bus.js';
import { recipientRooms, resourceRoom } from './rooms.js';
import { coalescedNotices } from './schedule-notice.js';
import type { GatewayServer, GatewaySocket } from './socket-types.js';

type Frame = { rooms: string[]; events: EventEnvelope[] };

/**
 * This node's sockets of clients that speak protocol 1 (or said no version): they get `events` as arrays of
 * envelopes. Protocol 2 sockets, the SDK's, join no room for it (a room costs each member a Set entry).
 */
export const PROTOCOL_1_ROOM = 'protocol:1';

/**
 * Joins a socket whose client speaks protocol 1 (or named no version) to PROTOCOL_1_ROOM; before it joins any room
 * that gets events. Its handshake was checked (handshake-auth.ts). The version is kept as this room membership, not
 * in `socket.data`: a field there would cost every socket its bytes.
 */
export function joinProtocolRoom(socket: GatewaySocket): void {
  if (((socket.handshake.auth as HandshakeAuth).protocolVersion ?? 1) < 2) socket.join(PROTOCOL_1_ROOM);
}

/** An `events` frame in the form the socket's client reads. */
export function eventFrameFor(socket: GatewaySocket, events: EventEnvelope[]): EventFrame {
  return socket.rooms.has(PROTOCOL_1_ROOM) ? events : encodeEventFrame(events);
}

/**
 * Sends a batch as one `events` frame per socket rather than one per event: under load a batch holds hundreds of
 * events and a vendor's staff share most of them, and each frame is a write (and a message to decode) per socket.
 * Rooms that get exactly the same events share a frame, which Socket.IO encodes once and sends to each member once.
 * A socket in rooms that get different events (staff following a booking of their own vendor) is left out of those
 * frames and gets the union in a frame of its own: in id order, each event once.
 */
export function emitCoalesced(io: GatewayServer, batch: readonly StoredEvent[]): void {
  const members = io.sockets.adapter.rooms;
  const legacy = members.get(PROTOCOL_1_ROOM);
  // Per room with a socket on this node: its events, and their ids as a key to find rooms that get the same ones.
  const perRoom = new Map<string, { key: string; events: EventEnvelope[] }>();
  for (const e of batch) {
    for (const room of recipientRooms(e)) {
      if (!members.has(room)) continue;
      const r = perRoom.get(room);
      if (r) {
        r.key += `,${e.envelope.id}`;
        r.events.push(e.envelope);
      } else perRoom.set(room, { key: String(e.envelope.id), events: [e.envelope] });
    }
  }
  const frames = new Map<string, Frame>();
  for (const [room, r] of perRoom) {
    const f = frames.get(r.key);
    if (f) f.rooms.push(room);
    else frames.set(r.key, { rooms: [room], events: r.events });
  }
  if (frames.size <= 1) {
    for (const f of frames.values()) emitFrame(io, f, [], legacy);
  } else {
    const frameOf = new Map<string, Frame>();
    const several = new Map<string, Frame[]>();
    for (const f of frames.values()) {
      for (const room of f.rooms) {
        for (const id of members.get(room)!) {
          const first = frameOf.get(id);
          if (first === undefined) frameOf.set(id, f);
          else if (first !== f) {
            const list = several.get(id);
            if (!list) several.set(id, [first, f]);
            else if (!list.includes(f)) list.push(f);
          }
        }
      }
    }
    const except = new Map<Frame, string[]>();
    for (const [id, list] of several) {
      for (const f of list) {
        const ids = except.get(f);
        if (ids) ids.push(id);
        else except.set(f, [id]);
      }
    }
    for (const f of frames.values()) emitFrame(io, f, except.get(f) ?? [], legacy);
    for (const [id, list] of several) {
      const socket = io.sockets.sockets.get(id);
      socket?.emit('events', eventFrameFor(socket, unionById(list)));
    }
  }
  // One notice per followed resource per batch: a burst on one resource is one message to its followers, not one each.
  for (const notice of coalescedNotices(batch)) {
    const room = resourceRoom(notice.resourceId);
    if (members.has(room)) io.local.to(room).emit('schedule:changed', notice);
  }
}

/**
 * Emits one frame to its rooms' sockets (but those in `except`), written once per protocol version its recipients
 * speak. With no protocol 1 socket on the node (the usual case) that is one emit, as before; otherwise the frame's
 * protocol 1 recipients, found among its recipients (work that follows the deliveries, not the node's sockets), get
 * the envelopes in one emit and are left out of the compact one. Each socket gets exactly one of the two, and frames
 * go out in the same order as before, so each socket's order is kept.
 */
function emitFrame(io: GatewayServer, f: Frame, except: string[], legacy: ReadonlySet<string> | undefined): void {
  if (legacy === undefined || legacy.size === 0) {
    io.local.to(f.rooms).except(except).emit('events', encodeEventFrame(f.events));
    return;
  }
  const members = io.sockets.adapter.rooms;
  const skip = new Set(except);
  const old: string[] = [];
  let current = false;
  for (const room of f.rooms) {
    for (const id of members.get(room) ?? []) {
      if (skip.has(id)) continue;
      if (legacy.has(id)) {
        skip.add(id);
        old.push(id);
      } else current = true;
    }
  }
  if (!current) {
    io.local.to(f.rooms).except(except).emit('events', f.events);
    return;
  }
  io.local
    .to(f.rooms)
    .except(old.length > 0 ? [...except, ...old] : except)
    .emit('events', encodeEventFrame(f.events));
  // A socket's id is a room of its own: one emit, encoded once, to these sockets.
  if (old.length > 0) io.local.to(old).emit('events', f.events);
}

function unionById(frames: readonly Frame[]): EventEnvelope[] {
  const byId = new Map<number, EventEnvelope>();
  for (const f of frames) for (const e of f.events) byId.set(e.id, e);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}
