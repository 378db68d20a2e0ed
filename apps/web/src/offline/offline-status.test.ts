import 'fake-indexeddb/auto';
import { createSlotcastClient } from '@slotcast/client';
import { OfflineSession } from '@slotcast/client/offline';
import { afterEach, describe, expect, it } from 'vitest';
import { aBooking } from '../../test/support/booking-fixture.js';
import { OfflineStatusStore } from './offline-status.js';

const booking = (id: string) =>
  aBooking({ id, updatedBy: { userId: '40000000-0000-4000-8000-000000000001', role: 'customer' } });

let session: OfflineSession | null = null;
afterEach(async () => {
  await session?.wipe();
  session = null;
});

describe('OfflineStatusStore', () => {
  it("follows this tab's queue without reading the outbox again: a taken or withdrawn action shows at once", async () => {
    // Never reached: nothing is flushed here.
    const sdk = createSlotcastClient({ baseUrl: 'http://127.0.0.1:9' });
    session = new OfflineSession(sdk, { userId: 'status-1', role: 'staff', locks: null });
    const status = new OfflineStatusStore(true);
    status.connect(session);
    session.queue.on('change', (change) => status.follow(change));
    const first = await session.queue.enqueue({ payload: { kind: 'confirm' }, expected: booking('b-1') });
    await status.refresh();
    expect(status.getSnapshot().pending.map((a) => a.seq)).toEqual([first.seq]);

    // Checked as soon as the queue's write resolves: a read of the outbox would not be done yet.
    const second = await session.queue.enqueue({ payload: { kind: 'cancel' }, expected: booking('b-2') });
    expect(status.getSnapshot().pending.map((a) => [a.seq, a.kind])).toEqual([
      [first.seq, 'confirm'],
      [second.seq, 'cancel'],
    ]);
    await session.queue.withdraw(first.seq!);
    expect(status.getSnapshot().pending.map((a) => a.seq)).toEqual([second.seq]);
    // And it matches the outbox.
    expect((await session.queue.pending()).map((a) => a.seq)).toEqual([second.seq]);
  });
});
