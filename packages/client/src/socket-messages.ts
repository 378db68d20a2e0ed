import {
  decodeEventFrame,
  ENVELOPE_VERSION,
  OpsSample,
  ReplayDone,
  ResyncRequired,
  ScheduleChanged,
  SessionInfo,
} from '@slotcast/protocol';
import type { ConnectionError } from './connection-state.js';
import type { Emitter } from './emitter.js';
import type { EventStream } from './event-stream.js';
import type { RealtimeEvents } from './realtime-events.js';
import type { ClientSocket } from './socket-ack.js';

/** An envelope of a version this client cannot read: which side must be updated. */
export function envelopeIncompatibility(v: unknown): ConnectionError | null {
  if (v === ENVELOPE_VERSION) return null;
  if (typeof v === 'number' && v > ENVELOPE_VERSION) {
    return {
      code: 'PROTOCOL_CLIENT_TOO_OLD',
      message: `the server sends envelopes of version ${v}; this client reads ${ENVELOPE_VERSION}`,
    };
  }
  return {
    code: 'PROTOCOL_SERVER_TOO_OLD',
    message: `the server sends envelopes of version ${String(v)}; this client needs ${ENVELOPE_VERSION}`,
  };
}

/**
 * Routes the server's data messages of one socket into the event stream, each checked against its protocol schema
 * (a malformed one is reported and dropped). Everything that touches the cursor goes through the stream's queue, so
 * it happens after the events that arrived before it.
 */
export function routeMessages(
  socket: ClientSocket,
  live: () => boolean,
  stream: EventStream,
  emitter: Emitter<RealtimeEvents>,
  reportError: (err: unknown) => void,
  incompatible: (error: ConnectionError) => void,
): void {
  const malformed = (name: string) => reportError(new Error(`slotcast: a malformed ${name} message was dropped`));
  socket.on('events', (raw: unknown) => {
    if (!live()) return;
    // Either form (an array of envelopes from a protocol 1 server, the compact form from 2) gives the same envelopes.
    // Their payloads are checked by the stream per event type (unknown types are passed over), so only the frame and
    // the versions are checked here.
    const envelopes = decodeEventFrame(raw);
    if (envelopes === null) return malformed('events');
    for (const e of envelopes) {
      const mismatch = envelopeIncompatibility((e as { v?: unknown } | null)?.v);
      if (mismatch) return incompatible(mismatch);
    }
    stream.push(envelopes);
  });
  socket.on('replay:done', (raw) => {
    if (!live()) return;
    const info = ReplayDone.safeParse(raw);
    if (!info.success) return malformed('replay:done');
    stream.enqueue(async () => {
      // The server names the cursor the client now holds; it may be past the last visible event.
      await stream.advanceTo(info.data.lastEventId);
      emitter.emit('replayDone', info.data);
    });
  });
  socket.on('resync:required', (raw) => {
    if (!live()) return;
    const info = ResyncRequired.safeParse(raw);
    if (!info.success) return malformed('resync:required');
    stream.enqueue(async () => {
      await emitter.emitSerial('resync', info.data);
      // Set, not advance: when the cursor was ahead of the log (a restored database), the new one is lower.
      await stream.setCursor(info.data.latestEventId);
    });
  });
  socket.on('session', (raw) => {
    if (!live()) return;
    const info = SessionInfo.safeParse(raw);
    if (!info.success) return malformed('session');
    emitter.emit('session', info.data);
  });
  socket.on('schedule:changed', (raw) => {
    if (!live()) return;
    const info = ScheduleChanged.safeParse(raw);
    if (info.success) emitter.emit('scheduleChanged', info.data);
    else malformed('schedule:changed');
  });
  socket.on('ops:sample', (raw) => {
    if (!live()) return;
    const info = OpsSample.safeParse(raw);
    if (info.success) emitter.emit('opsSample', info.data);
    else malformed('ops:sample');
  });
}
