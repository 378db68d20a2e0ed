import { describe, expect, it } from 'vitest';
import { type ClientLedger, checkDeliveries, type LoggedEvent, visibleTo } from './delivery-ledger.js';

const ev = (id: number, e: Partial<LoggedEvent> = {}): LoggedEvent => ({
  id,
  userId: null,
  vendorId: 'v1',
  customerId: 'c1',
  ...e,
});
const customer = (ids: number[], from: number | null = 0, userId = 'c1'): ClientLedger => ({
  userId,
  role: 'customer',
  vendorId: null,
  from,
  ids,
});

describe('visibleTo', () => {
  it('follows the protocol: private events to their user only; others to customer, vendor staff and admins', () => {
    const booking = ev(1);
    const privateToC1 = ev(2, { userId: 'c1' });
    expect(visibleTo(booking, { userId: 'c1', role: 'customer', vendorId: null })).toBe(true);
    expect(visibleTo(booking, { userId: 'c2', role: 'customer', vendorId: null })).toBe(false);
    expect(visibleTo(booking, { userId: 's1', role: 'staff', vendorId: 'v1' })).toBe(true);
    expect(visibleTo(booking, { userId: 's2', role: 'staff', vendorId: 'v2' })).toBe(false);
    expect(visibleTo(booking, { userId: 'a', role: 'admin', vendorId: null })).toBe(true);
    expect(visibleTo(privateToC1, { userId: 'a', role: 'admin', vendorId: null })).toBe(false);
    expect(visibleTo(privateToC1, { userId: 'c1', role: 'customer', vendorId: null })).toBe(true);
  });
});

describe('checkDeliveries', () => {
  const log = [ev(1), ev(2, { customerId: 'c2' }), ev(3), ev(4, { userId: 'c1' }), ev(5, { vendorId: 'v2' })];

  it('passes a client that got exactly what it may see after its baseline, in order', () => {
    const r = checkDeliveries(log, [customer([3, 4, 5], 1), customer([2], 1, 'c2')], 5);
    expect(r).toMatchObject({ checked: 2, expected: 4, received: 4, lost: 0, duplicated: 0, unexpected: 0 });
    expect(r.samples).toEqual([]);
  });

  it('counts a missed event as lost and names the client', () => {
    const r = checkDeliveries(log, [customer([1, 5])], 5);
    expect(r.lost).toBe(2);
    expect(r.clientsWithLoss).toBe(1);
    expect(r.samples[0]).toContain('c1: missed 2 events, the first 3');
  });

  it('counts an event received twice (a replay overlapping live delivery) as duplicated, not lost', () => {
    const r = checkDeliveries(log, [customer([1, 3, 3, 4, 5])], 5);
    expect(r).toMatchObject({ lost: 0, duplicated: 1, clientsWithDuplicates: 1, received: 5, expected: 4 });
  });

  it('flags events at or below the baseline, events of others, and ids going backwards', () => {
    const r = checkDeliveries(log, [customer([3, 1, 2, 4, 5], 1)], 5);
    expect(r.unexpected).toBe(2); // 1 is below the baseline; 2 is c2's
    expect(r.outOfOrder).toBe(1); // 2 after 3
    expect(r.lost).toBe(0);
  });

  it('ignores what came after `through` on both sides', () => {
    const r = checkDeliveries([...log, ev(6)], [customer([1, 3, 4, 5, 6])], 5);
    expect(r).toMatchObject({ expected: 4, received: 4, lost: 0, unexpected: 0 });
  });

  it('checks staff by vendor and skips clients never live, resynced or overflowing', () => {
    const staff: ClientLedger = { userId: 's1', role: 'staff', vendorId: 'v1', from: 0, ids: [1, 2, 3] };
    const r = checkDeliveries(
      log,
      [staff, customer([], null), { ...customer([]), resynced: true }, { ...customer([]), overflow: true }],
      5,
    );
    expect(r).toMatchObject({ clients: 4, checked: 1, expected: 3, lost: 0 });
    expect(r.skipped).toEqual({ neverLive: 1, resynced: 1, overflow: 1 });
  });

  it('accepts the log in any order', () => {
    const r = checkDeliveries([...log].reverse(), [customer([1, 3, 4, 5])], 5);
    expect(r.lost).toBe(0);
    expect(r.outOfOrder).toBe(0);
  });
});
