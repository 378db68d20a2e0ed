import type { PushPayload } from '@slotcast/protocol';
import { describe, expect, it } from 'vitest';
import { collapseKey, fitPayload, pushActions } from './push-content.js';

const payload = (body: string): PushPayload => ({
  v: 1,
  id: '6f1c2a9e-0d3b-4c4e-9a51-2b7f3c8d9e10',
  eventId: 42,
  bookingId: '0b5e7d2c-1a4f-4b6e-8c9d-3e2f1a0b9c8d',
  category: 'decline',
  title: 'Booking declined',
  body,
  url: '/bookings/0b5e7d2c-1a4f-4b6e-8c9d-3e2f1a0b9c8d',
  actions: [{ action: 'view', title: 'View' }],
});

describe('push content', () => {
  it('gives every change of one booking the same Topic, 22 URL-safe characters', () => {
    const a = collapseKey({ id: 'ignored', bookingId: '0b5e7d2c-1a4f-4b6e-8c9d-3e2f1a0b9c8d' });
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(collapseKey({ id: 'other', bookingId: '0b5e7d2c-1a4f-4b6e-8c9d-3e2f1a0b9c8d' })).toBe(a);
    expect(collapseKey({ id: 'x', bookingId: '1b5e7d2c-1a4f-4b6e-8c9d-3e2f1a0b9c8d' })).not.toBe(a);
  });

  it('cuts a long body (multi-byte text too) so the payload fits, keeping title and actions', () => {
    const json = fitPayload(payload('Ω'.repeat(5000)), 3800);
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(3800);
    const back = JSON.parse(json) as PushPayload;
    expect(back.title).toBe('Booking declined');
    expect(back.body.endsWith('…')).toBe(true);
    expect(back.actions).toHaveLength(1);
    expect(fitPayload(payload('short'), 3800)).toBe(JSON.stringify(payload('short')));
  });

  it('offers Confirm/Decline to staff on a live request and Cancel to a customer on a standing booking', () => {
    expect(pushActions('staff', 'request', true)).toEqual(['view', 'confirm', 'decline']);
    expect(pushActions('staff', 'request', false)).toEqual(['view']);
    expect(pushActions('customer', 'confirmation', true)).toEqual(['view', 'cancel']);
    expect(pushActions('customer', 'decline', false)).toEqual(['view']);
    expect(pushActions('customer', 'request', true)).toEqual(['view']);
  });
});
