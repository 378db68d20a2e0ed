import type { BookingEvent } from '@slotcast/protocol';
import { describe, expect, it } from 'vitest';
import { bookingEvent } from '../test/support/fixtures.js';
import { EventStream } from './event-stream.js';

function streamWithLog(start: number | null = null) {
  const seen: number[] = [];
  const persisted: number[] = [];
  const errors: unknown[] = [];
  const stream = new EventStream({ onError: (e) => errors.push(e) });
  stream.reset(start, (id) => {
    persisted.push(id);
  });
  stream.subscribe((e) => {
    seen.push(e.id);
  });
  return { stream, seen, persisted, errors };
}

describe('EventStream', () => {
  it('hands each event over once, dropping ids at or below the cursor (replay overlapping live)', async () => {
    const { stream, seen } = streamWithLog(2);
    stream.push([bookingEvent(1), bookingEvent(2), bookingEvent(3), bookingEvent(4)]);
    stream.push([bookingEvent(4), bookingEvent(5)]);
    stream.push([bookingEvent(3)]);
    await stream.whenIdle();
    expect(seen).toEqual([3, 4, 5]);
    expect(stream.position).toBe(5);
  });

  it('hands a frame handler each batch once, new events only, before the cursor is persisted', async () => {
    const { stream, persisted } = streamWithLog(2);
    const frames: number[][] = [];
    stream.subscribeFrames((events) => {
      frames.push(events.map((e) => e.id));
      expect(persisted).toEqual([]);
    });
    stream.push([bookingEvent(2), bookingEvent(4), bookingEvent(3)]);
    await stream.whenIdle();
    stream.push([bookingEvent(4)]);
    await stream.whenIdle();
    expect(frames).toEqual([[3, 4]]);
    expect(persisted).toEqual([4]);
  });

  it('hands batches that arrive while a frame is being handled to the frame handlers together, in id order', async () => {
    const stream = new EventStream();
    const frames: number[][] = [];
    const envelopeFrames: number[][] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    stream.subscribeEnvelopeFrames(async (envelopes) => {
      envelopeFrames.push(envelopes.map((e) => e.id));
      if (envelopeFrames.length === 1) await held;
    });
    stream.subscribeFrames((events) => {
      frames.push(events.map((e) => e.id));
    });
    stream.push([bookingEvent(1)]);
    // While frame 1 is being written, three live batches arrive (a flushed outbox's echoes, one per message).
    stream.push([bookingEvent(3)]);
    stream.push([bookingEvent(2)]);
    stream.push([bookingEvent(4)]);
    release();
    await stream.whenIdle();
    expect(envelopeFrames).toEqual([[1], [2, 3, 4]]);
    expect(frames).toEqual([[1], [2, 3, 4]]);
    expect(stream.position).toBe(4);
  });

  it('keeps batches apart when other work was queued between them (replay:done after the replay)', async () => {
    const stream = new EventStream();
    const log: string[] = [];
    stream.subscribeEnvelopeFrames((envelopes) => {
      log.push(envelopes.map((e) => e.id).join(','));
    });
    stream.push([bookingEvent(1)]);
    stream.push([bookingEvent(2)]);
    stream.enqueue(() => {
      log.push('replay:done');
    });
    stream.push([bookingEvent(3)]);
    await stream.whenIdle();
    expect(log).toEqual(['1', '2', 'replay:done', '3']);
  });

  it('delivers a batch that arrives out of order in id order', async () => {
    const { stream, seen } = streamWithLog();
    stream.push([bookingEvent(7), bookingEvent(5), bookingEvent(6)]);
    await stream.whenIdle();
    expect(seen).toEqual([5, 6, 7]);
  });

  it('moves the cursor past an event only after every subscriber handled it, awaiting async ones', async () => {
    const stream = new EventStream();
    const log: string[] = [];
    stream.subscribe(async (e) => {
      log.push(`start ${e.id} cursor=${stream.position}`);
      await new Promise((r) => setTimeout(r, 10));
      log.push(`end ${e.id}`);
    });
    stream.subscribe((e) => {
      log.push(`second ${e.id} cursor=${stream.position}`);
    });
    stream.push([bookingEvent(1), bookingEvent(2)]);
    await stream.whenIdle();
    expect(log).toEqual([
      'start 1 cursor=null',
      'end 1',
      'second 1 cursor=null',
      'start 2 cursor=1',
      'end 2',
      'second 2 cursor=1',
    ]);
    expect(stream.position).toBe(2);
  });

  it('persists the cursor once per batch, after its last event', async () => {
    const { stream, persisted } = streamWithLog();
    stream.push([bookingEvent(1), bookingEvent(2), bookingEvent(3)]);
    stream.push([bookingEvent(3)]);
    stream.push([bookingEvent(9)]);
    await stream.whenIdle();
    expect(persisted).toEqual([3, 9]);
  });

  it('skips unknown event types without an error, but moves the cursor past them', async () => {
    const { stream, seen, errors, persisted } = streamWithLog();
    stream.push([bookingEvent(1), { v: 1, id: 2, type: 'invoice.paid', occurredAt: '2030-01-01T00:00:00Z', data: {} }]);
    await stream.whenIdle();
    expect(seen).toEqual([1]);
    expect(errors).toEqual([]);
    expect(stream.position).toBe(2);
    expect(persisted).toEqual([2]);
  });

  it('reports a malformed known event and an event without an id, and goes on', async () => {
    const { stream, seen, errors } = streamWithLog();
    const broken = { ...bookingEvent(2), data: { booking: { id: 'nope' } } };
    stream.push([bookingEvent(1), broken, { type: 'booking.confirmed' }, bookingEvent(3)]);
    await stream.whenIdle();
    expect(seen).toEqual([1, 3]);
    expect(errors).toHaveLength(2);
    expect(stream.position).toBe(3);
  });

  it('does not let a failing subscriber hold back the others or stall the stream', async () => {
    const stream = new EventStream({ onError: () => {} });
    const seen: number[] = [];
    stream.subscribe(() => {
      throw new Error('boom');
    });
    stream.subscribe((e: BookingEvent) => {
      seen.push(e.id);
    });
    stream.push([bookingEvent(1), bookingEvent(2)]);
    await stream.whenIdle();
    expect(seen).toEqual([1, 2]);
    expect(stream.position).toBe(2);
  });

  it('runs queued work after the events received before it', async () => {
    const { stream } = streamWithLog();
    const order: string[] = [];
    stream.subscribe(async (e) => {
      await new Promise((r) => setTimeout(r, 5));
      order.push(`event ${e.id}`);
    });
    stream.push([bookingEvent(1)]);
    stream.enqueue(() => {
      order.push(`task at ${stream.position}`);
    });
    await stream.whenIdle();
    expect(order).toEqual(['event 1', 'task at 1']);
  });

  it('advanceTo only moves forward; setCursor sets either way', async () => {
    const { stream, persisted } = streamWithLog(10);
    await stream.advanceTo(5);
    expect(stream.position).toBe(10);
    await stream.advanceTo(12);
    await stream.setCursor(3);
    expect(stream.position).toBe(3);
    expect(persisted).toEqual([12, 3]);
  });

  it('drops work queued before a reset (another user signed in)', async () => {
    const { stream, seen } = streamWithLog();
    let release!: () => void;
    stream.enqueue(() => new Promise<void>((r) => (release = r)));
    stream.push([bookingEvent(1)]);
    stream.reset(null);
    release();
    await stream.whenIdle();
    expect(seen).toEqual([]);
    expect(stream.position).toBeNull();
  });

  it('hands notification events to their own subscribers, typed, and every envelope to envelope subscribers', async () => {
    const stream = new EventStream({ onError: (e) => errors.push(e) });
    const errors: unknown[] = [];
    const log: string[] = [];
    stream.subscribe((e) => {
      log.push(`booking ${e.id}`);
    });
    stream.subscribeNotifications((e) => {
      log.push(`notification ${e.id} unread=${e.data.unreadCount}`);
    });
    stream.subscribeEnvelopes((e) => {
      log.push(`envelope ${e.id} ${e.type}`);
    });
    const read = {
      v: 1,
      id: 2,
      type: 'notification.read',
      occurredAt: '2030-01-01T00:00:00Z',
      data: { ids: [], all: true, readAt: '2030-01-01T00:00:00Z', unreadCount: 0 },
    };
    const future = { v: 1, id: 3, type: 'invoice.paid', occurredAt: '2030-01-01T00:00:00Z', data: {} };
    stream.push([bookingEvent(1), read, future]);
    await stream.whenIdle();
    expect(log).toEqual([
      'envelope 1 booking.confirmed',
      'booking 1',
      'envelope 2 notification.read',
      'notification 2 unread=0',
      'envelope 3 invoice.paid',
    ]);
    expect(errors).toEqual([]);
    expect(stream.position).toBe(3);
  });
});
