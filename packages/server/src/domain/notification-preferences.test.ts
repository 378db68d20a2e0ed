import { NOTIFICATION_CATEGORIES, NOTIFICATION_CHANNELS } from '@slotcast/protocol';
import { describe, expect, it } from 'vitest';
import { cellsOf, effectivePreferences, ROLE_DEFAULTS } from './notification-preferences.js';

const on = (m: ReturnType<typeof effectivePreferences>) =>
  cellsOf(m)
    .filter((c) => c.enabled)
    .map((c) => `${c.category}:${c.channel}`);

describe('notification preference defaults', () => {
  it.each([
    ['staff', 'request', { in_app: true, push: true, email: false }],
    ['staff', 'confirmation', { in_app: true, push: false, email: false }],
    ['staff', 'cancellation', { in_app: true, push: true, email: false }],
    ['customer', 'confirmation', { in_app: true, push: true, email: true }],
    ['customer', 'change', { in_app: true, push: true, email: true }],
    ['customer', 'reminder', { in_app: true, push: true, email: true }],
    ['customer', 'cancellation', { in_app: true, push: true, email: true }],
    ['customer', 'request', { in_app: true, push: false, email: false }],
    ['admin', 'request', { in_app: false, push: false, email: false }],
    ['admin', 'system', { in_app: true, push: true, email: true }],
  ] as const)('%s × %s defaults to %o', (role, category, row) => {
    expect(effectivePreferences(role, [], [])[category]).toEqual(row);
  });

  it('covers every category and channel for every role', () => {
    for (const role of ['staff', 'customer', 'admin'] as const) {
      for (const category of NOTIFICATION_CATEGORIES) {
        expect(Object.keys(ROLE_DEFAULTS[role][category]).sort()).toEqual([...NOTIFICATION_CHANNELS].sort());
      }
    }
  });
});

describe('effectivePreferences: own choice, then vendor default (staff), then role default', () => {
  it('lets a vendor turn a staff default on or off', () => {
    const m = effectivePreferences(
      'staff',
      [
        { category: 'request', channel: 'email', enabled: true },
        { category: 'request', channel: 'push', enabled: false },
      ],
      [],
    );
    expect(m.request).toEqual({ in_app: true, push: false, email: true });
  });

  it('lets the user’s own choice win over the vendor default', () => {
    const m = effectivePreferences(
      'staff',
      [{ category: 'request', channel: 'push', enabled: false }],
      [{ category: 'request', channel: 'push', enabled: true }],
    );
    expect(m.request.push).toBe(true);
  });

  it('ignores vendor defaults for customers', () => {
    const m = effectivePreferences('customer', [{ category: 'confirmation', channel: 'email', enabled: false }], []);
    expect(m.confirmation.email).toBe(true);
  });

  it('changes only the cells chosen', () => {
    const before = on(effectivePreferences('customer', [], []));
    const after = on(
      effectivePreferences('customer', [], [{ category: 'reminder', channel: 'email', enabled: false }]),
    );
    expect(before.filter((c) => !after.includes(c))).toEqual(['reminder:email']);
    expect(after.filter((c) => !before.includes(c))).toEqual([]);
  });
});
