import type { EventEnvelope } from '@slotcast/protocol';
import type { StoredEvent } from '../bus/event-bus.js';
import { recipientRooms, resourceRoom } from './rooms.js';
import { coalescedNotices } from './schedule-notice.js';
import type { GatewayServer } from './socket-types.js';

type Frame = { rooms: string[]; events: EventEnvelope[] };

/**
 * Sends a batch as one `events` frame per socket rather than one per event: under load a batch holds hundreds of
 * events and a vendor's staff share most of them, and each frame is a write (and a message to decode) per socket.
 * Rooms that get exactly the same events share a frame, which Socket.IO encodes once and sends to each member once.
 * A socket in rooms that get different events (staff following a booking of their own vendor) is left out of those
 * frames and gets the union in a frame of its own: in id order, each event once.
 */
export function emitCoalesced(io: GatewayServer, batch: readonly StoredEvent[]): void {
  const members = io.sockets.adapter.rooms;
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
    for (const f of frames.values()) io.local.to(f.rooms).emit('events', f.events);
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
    for (const f of frames.values()) {
      io.local
        .to(f.rooms)
        .except(except.get(f) ?? [])
        .emit('events', f.events);
    }
    for (const [id, list] of several) io.sockets.sockets.get(id)?.emit('events', unionById(list));
  }
  // One notice per followed resource per batch: a burst on one resource is one message to its followers, not one each.
  for (const notice of coalescedNotices(batch)) {
    const room = resourceRoom(notice.resourceId);
    if (members.has(room)) io.local.to(room).emit('schedule:changed', notice);
  }
}

function unionById(frames: readonly Frame[]): EventEnvelope[] {
  const byId = new Map<number, EventEnvelope>();
  for (const f of frames) for (const e of f.events) byId.set(e.id, e);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}
