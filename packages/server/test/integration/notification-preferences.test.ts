import type { NotificationPreferences, Problem, VendorNotificationDefaults } from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { api, buildWorld, type World } from '../support/world.js';

const PREFS = '/me/notification-preferences';

describe.each(DB_KINDS)('notification preferences on %s', (kind) => {
  let server: TestServer;
  let w: World;

  beforeAll(async () => {
    server = await startTestServer(kind);
    w = await buildWorld(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  const get = (token: string) => api<NotificationPreferences>(server, 'GET', PREFS, { token });
  const defaults = (vendorId: string, token: string) =>
    api<VendorNotificationDefaults | Problem>(server, 'GET', `/vendors/${vendorId}/notification-defaults`, { token });
  const setDefaults = (vendorId: string, token: string, body: unknown) =>
    api<VendorNotificationDefaults | Problem>(server, 'PATCH', `/vendors/${vendorId}/notification-defaults`, {
      token,
      body,
    });

  it('starts from the role’s defaults: staff get requests by push, customers confirmations by email', async () => {
    const staff = (await get(w.a.staff.token)).body;
    expect(staff.effective.request).toEqual({ in_app: true, push: true, email: false });
    expect(staff.own).toEqual([]);
    expect(staff.quietHours).toEqual({ timeZone: 'UTC', windows: [], urgentWithinHours: null });
    expect(staff.reminderOffsetsMinutes).toBeNull();
    const alice = (await get(w.alice.token)).body;
    expect(alice.effective.confirmation).toEqual({ in_app: true, push: true, email: true });
  });

  it('stores a user’s own cells and quiet hours for that user only, and clears a cell with null', async () => {
    const quietHours = {
      timeZone: 'Europe/Berlin',
      windows: [{ days: [1, 2, 3, 4, 5], start: '22:00', end: '07:00' }],
      urgentWithinHours: 3,
    };
    const set = await api<NotificationPreferences>(server, 'PATCH', PREFS, {
      token: w.alice.token,
      body: { settings: [{ category: 'reminder', channel: 'email', enabled: false }], quietHours },
    });
    expect(set.status).toBe(200);
    expect(set.body.effective.reminder).toEqual({ in_app: true, push: true, email: false });
    expect(set.body.own).toEqual([{ category: 'reminder', channel: 'email', enabled: false }]);
    expect((await get(w.alice.token)).body.quietHours).toEqual(quietHours);
    // Bob is untouched.
    const bob = (await get(w.bob.token)).body;
    expect(bob.effective.reminder.email).toBe(true);
    expect(bob.quietHours.windows).toEqual([]);

    const cleared = await api<NotificationPreferences>(server, 'PATCH', PREFS, {
      token: w.alice.token,
      body: { settings: [{ category: 'reminder', channel: 'email', enabled: null }] },
    });
    expect(cleared.body.effective.reminder.email).toBe(true);
    expect(cleared.body.own).toEqual([]);
    expect(cleared.body.quietHours).toEqual(quietHours);
  });

  it.each([
    ['an unknown category', { settings: [{ category: 'spam', channel: 'push', enabled: true }] }],
    ['an unknown channel', { settings: [{ category: 'request', channel: 'sms', enabled: true }] }],
    [
      'a time zone that does not exist',
      { quietHours: { timeZone: 'Mars/Base', windows: [], urgentWithinHours: null } },
    ],
    [
      'a clock time out of range',
      { quietHours: { timeZone: 'UTC', windows: [{ days: [1], start: '24:00', end: '07:00' }], urgentWithinHours: 1 } },
    ],
    [
      'a weekday 0',
      {
        quietHours: {
          timeZone: 'UTC',
          windows: [{ days: [0], start: '22:00', end: '07:00' }],
          urgentWithinHours: null,
        },
      },
    ],
    ['an unknown field', { settings: [], userId: 'x' }],
  ])('refuses %s with 400 VALIDATION_FAILED and changes nothing', async (_, body) => {
    const before = (await get(w.bob.token)).body;
    const res = await api<Problem>(server, 'PATCH', PREFS, { token: w.bob.token, body });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect((await get(w.bob.token)).body).toEqual(before);
  });

  it('needs a signed-in user', async () => {
    expect((await api(server, 'GET', PREFS)).status).toBe(401);
  });

  it('lets only the vendor’s owner (or an admin) set staff defaults; a staff member’s own choice still wins', async () => {
    const vendor = w.a.vendor.id;
    const body = { settings: [{ category: 'request', channel: 'email', enabled: true }] };
    for (const party of [w.a.staff, w.b.owner, w.alice]) {
      const res = await setDefaults(vendor, party.token, body);
      expect(res.status).toBe(403);
      expect((res.body as Problem).code).toBe('FORBIDDEN');
      expect((await defaults(vendor, party.token)).status).toBe(403);
    }
    expect(((await defaults(vendor, w.a.owner.token)).body as VendorNotificationDefaults).settings).toEqual([]);

    const set = await setDefaults(vendor, w.a.owner.token, body);
    expect(set.status).toBe(200);
    expect((set.body as VendorNotificationDefaults).effective.request.email).toBe(true);
    expect((await get(w.a.staff.token)).body.effective.request.email).toBe(true);
    // The other vendor's staff and customers do not follow vendor A's defaults.
    expect((await get(w.b.staff.token)).body.effective.request.email).toBe(false);

    await api(server, 'PATCH', PREFS, {
      token: w.a.staff.token,
      body: { settings: [{ category: 'request', channel: 'email', enabled: false }] },
    });
    expect((await get(w.a.staff.token)).body.effective.request.email).toBe(false);

    const byAdmin = await setDefaults(vendor, w.admin.token, {
      settings: [{ category: 'request', channel: 'email', enabled: null }],
    });
    expect((byAdmin.body as VendorNotificationDefaults).settings).toEqual([]);
  });

  it('answers 404 for an unknown vendor (admin)', async () => {
    const res = await defaults('00000000-0000-4000-8000-000000000000', w.admin.token);
    expect(res.status).toBe(404);
  });

  it('logs every change of a cell for the frequency report', async () => {
    const rows = await server.slotcast.db.query<{ category: string; enabled: boolean | null }>(
      `SELECT category, enabled FROM notification_preference_changes WHERE user_id = $1 ORDER BY id`,
      [w.alice.user.id],
    );
    expect(rows).toEqual([
      { category: 'reminder', enabled: false },
      { category: 'reminder', enabled: null },
    ]);
  });
});
