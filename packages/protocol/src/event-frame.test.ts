import { describe, expect, it } from 'vitest';
import { decodeEventFrame, encodeEventFrame } from './event-frame.js';
import { BOOKING_EVENT_TYPES, BookingEvent, type BookingEventType, type EventEnvelope } from './events.js';

const VENDOR = '22222222-2222-4222-8222-222222222222';
const RESOURCE = '33333333-3333-4333-8333-333333333333';
const SERVICE = '44444444-4444-4444-8444-444444444444';
const STAFF = '66666666-6666-4666-8666-666666666666';
const uuid = (n: number) => `${String(n).padStart(8, '0')}-aaaa-4aaa-8aaa-${String(n).padStart(12, '0')}`;

/** A booking event as the event log writes it: a staff change to a customer's booking. */
function bookingEvent(id: number, type: BookingEventType = 'booking.confirmed'): BookingEvent {
  const occurredAt = new Date(Date.UTC(2030, 0, 1, 9, 0, 0, id)).toISOString();
  const startAt = new Date(Date.UTC(2030, 0, 2, 9 + (id % 8))).toISOString();
  return {
    v: 1,
    id,
    type,
    occurredAt,
    data: {
      booking: {
        id: uuid(id),
        vendorId: VENDOR,
        resourceId: RESOURCE,
        serviceId: SERVICE,
        customerId: uuid(1000 + id),
        status: 'confirmed',
        startAt,
        endAt: new Date(Date.parse(startAt) + 3_600_000).toISOString(),
        timezone: 'Europe/Berlin',
        version: 2,
        note: id % 2 ? 'window seat' : null,
        priceMinor: 4500,
        currency: 'EUR',
        statusReason: null,
        updatedBy: { userId: STAFF, role: 'staff' },
        createdAt: '2029-12-31T18:00:00.000Z',
        updatedAt: occurredAt,
      },
      previousStatus: 'requested',
      actor: { userId: STAFF, role: 'staff' },
      reason: null,
    },
  };
}

const wire = (frame: unknown) => JSON.parse(JSON.stringify(frame)) as unknown;

describe('events frame, version 2', () => {
  it('gives back every booking event type exactly as encoded, in order', () => {
    const events: EventEnvelope[] = BOOKING_EVENT_TYPES.map((type, i) => bookingEvent(i + 1, type));
    const rescheduled = bookingEvent(20, 'booking.rescheduled');
    rescheduled.data.previous = {
      startAt: '2030-01-03T09:00:00.000Z',
      endAt: '2030-01-03T10:00:00.000Z',
      resourceId: RESOURCE,
    };
    const expired = bookingEvent(21, 'booking.expired');
    Object.assign(expired.data, {
      previousStatus: null,
      actor: { userId: null, role: 'system' },
      reason: 'not confirmed in time',
    });
    expired.data.booking.updatedBy = { userId: null, role: 'system' };
    expired.data.booking.statusReason = 'expired';
    events.push(rescheduled, expired);

    const frame = encodeEventFrame(events);
    expect(frame.e.every(Array.isArray)).toBe(true);
    const decoded = decodeEventFrame(wire(frame));
    expect(decoded).toEqual(events);
    for (const e of decoded!) expect(BookingEvent.safeParse(e).success).toBe(true);
  });

  it('sends other events, and booking events with fields a row does not carry, as envelopes', () => {
    const notification: EventEnvelope = {
      v: 1,
      id: 7,
      type: 'notification.created',
      occurredAt: '2030-01-01T00:00:00Z',
      data: { notificationId: uuid(7) },
    };
    const later = bookingEvent(8);
    (later.data as Record<string, unknown>).source = 'kiosk'; // a field a later server adds
    const frame = encodeEventFrame([bookingEvent(6), notification, later]);
    expect(frame.e.map(Array.isArray)).toEqual([true, false, false]);
    expect(decodeEventFrame(wire(frame))).toEqual([bookingEvent(6), notification, later]);
  });

  it('reads a version 1 frame as it is, and refuses what is neither form', () => {
    const v1 = [bookingEvent(1), bookingEvent(2)];
    expect(decodeEventFrame(wire(v1))).toEqual(v1);
    expect(decodeEventFrame({ v: 3, s: [], e: [] })).toBeNull();
    expect(decodeEventFrame({ v: 2, e: [] })).toBeNull();
    expect(decodeEventFrame('[]')).toBeNull();
    expect(decodeEventFrame(null)).toBeNull();
  });

  it('keeps a frame of seven staff changes at a third of its version 1 size (golden sizes)', () => {
    const events = Array.from({ length: 7 }, (_, i) => bookingEvent(1_234_560 + i));
    const v1 = Buffer.byteLength(JSON.stringify(events));
    const v2 = Buffer.byteLength(JSON.stringify(encodeEventFrame(events)));
    // Golden: a change of the row layout shows here first (bytes per event, v1 → v2).
    expect({ v1: Math.round(v1 / 7), v2: Math.round(v2 / 7) }).toEqual({ v1: 832, v2: 259 });
  });
});
