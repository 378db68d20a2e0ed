import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../store/event-log.js';
import { OrderedDelivery } from './ordered-delivery.js';

const ev = (id: number): StoredEvent => ({
  envelope: { v: 1, id, type: 'booking.requested', occurredAt: new Date(0).toISOString(), data: {} },
  vendorId: null,
  customerId: null,
  bookingId: null,
  resourceId: null,
  userId: null,
});

/** A log with the given ids (holes where ids are missing) and a delivery that records what it hands on. */
function setup(logIds: number[], startAfter = 0) {
  const delivered: number[] = [];
  const reads: [number, number][] = [];
  let failReads = 0;
  const d = new OrderedDelivery(startAfter, {
    async readRange(after, through, limit) {
      reads.push([after, through]);
      if (failReads > 0) {
        failReads--;
        throw new Error('database away');
      }
      return logIds
        .filter((id) => id > after && id <= through)
        .slice(0, limit)
        .map(ev);
    },
    deliver: (batch) => delivered.push(...batch.map((e) => e.envelope.id)),
    retryMs: 1,
  });
  /** Until nothing waits in the buffer (gaps filled from the log, retries done). */
  const settle = () => expect.poll(() => d.pending).toBe(0);
  return { d, delivered, reads, settle, failNextReads: (n: number) => (failReads = n) };
}

describe('OrderedDelivery', () => {
  it('hands on chained messages as they come, without reading the log', async () => {
    const { d, delivered, reads, settle } = setup([1, 2, 4]);
    d.push({ event: ev(1), prev: 0 });
    d.push({ event: ev(2), prev: 1 });
    d.push({ event: ev(4), prev: 2 });
    await settle();
    expect(delivered).toEqual([1, 2, 4]);
    expect(reads).toEqual([]);
  });

  it('drops duplicates and ids it already delivered', async () => {
    const { d, delivered, settle } = setup([1, 2, 3]);
    for (const [id, prev] of [
      [1, 0],
      [2, 1],
      [1, 0],
      [2, 1],
      [3, 2],
      [3, 2],
    ] as const)
      d.push({ event: ev(id), prev });
    await settle();
    expect(delivered).toEqual([1, 2, 3]);
  });

  it('fills a lost message from the log, and treats a hole as a hole', async () => {
    // 3 was rolled back (hole); 4's message was lost.
    const { d, delivered, reads, settle } = setup([1, 2, 4, 5]);
    d.push({ event: ev(1), prev: 0 });
    d.push({ event: ev(5), prev: 4 });
    d.push({ event: ev(4), prev: 2 });
    await settle();
    expect(delivered).toEqual([1, 2, 4, 5]);
    expect(reads).toEqual([[1, 5]]);
    expect(d.lastDeliveredId).toBe(5);
  });

  it('keeps order behind a failing log read and delivers once the log answers', async () => {
    const { d, delivered, settle, failNextReads } = setup([1, 2, 3, 4]);
    failNextReads(2);
    d.push({ event: ev(3), prev: 2 });
    d.push({ event: ev(4), prev: 3 });
    await settle();
    expect(delivered).toEqual([1, 2, 3, 4]);
  });

  it('catches up from the log without messages, and then drops the late messages', async () => {
    const { d, delivered, settle } = setup([1, 2, 3], 0);
    d.catchUp(3);
    await settle();
    d.push({ event: ev(2), prev: 1 });
    d.push({ event: ev(3), prev: 2 });
    await settle();
    expect(delivered).toEqual([1, 2, 3]);
  });

  it('takes a message whose prev is behind what it delivered from the log', async () => {
    const { d, delivered, reads, settle } = setup([1, 2, 5]);
    d.catchUp(2);
    await settle();
    // 5 follows 2 in the log (3, 4 are holes): no read needed.
    d.push({ event: ev(5), prev: 2 });
    await settle();
    expect(delivered).toEqual([1, 2, 5]);
    expect(reads).toEqual([[0, 2]]);
  });
});
