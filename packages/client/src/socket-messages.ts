import type { Emitter } from './emitter.js';
import type { EventStream } from './event-stream.js';
import type { RealtimeEvents } from './realtime-events.js';
import type { ClientSocket } from './socket-ack.js';

/**
 * Routes the server's data messages of one socket into the event stream. Everything that touches the cursor goes
 * through the stream's queue, so it happens after the events that arrived before it.
 */
export function routeMessages(
  socket: ClientSocket,
  live: () => boolean,
  stream: EventStream,
  emitter: Emitter<RealtimeEvents>,
  reportError: (err: unknown) => void,
): void {
  socket.on('events', (batch) => {
    if (!live()) return;
    if (Array.isArray(batch)) stream.push(batch);
    else reportError(new Error('slotcast: an events message that is not a batch was dropped'));
  });
  socket.on('replay:done', (info) => {
    if (!live()) return;
    stream.enqueue(async () => {
      // The server names the cursor the client now holds; it may be past the last visible event.
      if (typeof info?.lastEventId === 'number') await stream.advanceTo(info.lastEventId);
      emitter.emit('replayDone', info);
    });
  });
  socket.on('resync:required', (info) => {
    if (!live()) return;
    stream.enqueue(async () => {
      await emitter.emitSerial('resync', info);
      // Set, not advance: when the cursor was ahead of the log (a restored database), the new one is lower.
      if (typeof info?.latestEventId === 'number') await stream.setCursor(info.latestEventId);
    });
  });
  socket.on('session', (info) => {
    if (live()) emitter.emit('session', info);
  });
  socket.on('schedule:changed', (info) => {
    if (live()) emitter.emit('scheduleChanged', info);
  });
}
