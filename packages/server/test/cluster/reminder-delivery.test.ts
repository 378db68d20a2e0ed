import type { Booking, NotificationPage, PushDevice, PushPayload } from '@slotcast/protocol';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { api, book, slotAt, type World } from '../support/world.js';
import { startPushCluster } from './support/push-cluster.js';

const missing = inject('clusterMissing');
const BOOKINGS = 24;
/** The defaults (24 h and 2 h before): two reminders per booking. */
const OFFSETS = 2;
const PHONE = 'alice-phone';

describe.skipIf(missing.length > 0)('reminders from a 2-node cluster', () => {
  let stack: Awaited<ReturnType<typeof startPushCluster>>;
  let cluster: typeof stack.cluster;
  let db: typeof stack.db;
  let w: World;
  let webPush: typeof stack.webPush;
  let as: typeof stack.as;

  beforeAll(async () => {
    stack = await startPushCluster(
      'cluster-reminders',
      {
        // Both nodes look for due reminders every second; every reminder on its own push; a killed node's outbox
        // claims taken over within seconds.
        REMINDER_SWEEP_SECONDS: '1',
        NOTIFY_BATCH_WINDOW_SECONDS: '0',
        OUTBOX_LEASE_SECONDS: '3',
        OUTBOX_SWEEP_SECONDS: '1',
      },
      { autoConfirm: true },
    );
    ({ cluster, db, w, webPush, as } = stack);
    const device = webPush.register(webPush.device(PHONE));
    const res = await api<PushDevice>(as(cluster.lb.url), 'POST', '/push/subscriptions', {
      token: w.alice.token,
      body: { provider: 'webpush', endpoint: device.endpoint, keys: device.keys },
    });
    expect(res.status).toBe(201);
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const scheduled = (bookingIds: string[]) =>
    db.query<{ id: string }>('SELECT id FROM reminders WHERE booking_id = ANY($1::uuid[]) AND sent_at IS NULL', [
      bookingIds,
    ]);
  const sentCount = async () =>
    Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM reminders WHERE sent_at IS NOT NULL'))[0]!.n);
  /**
   * The nodes run on the wall clock, which a test cannot move: instead their reminders' due times are brought to now
   * (plus `stepMs` per reminder), as if the clock had run on to them.
   */
  const fallDue = (bookingIds: string[], stepMs: number) =>
    db.query(
      `UPDATE reminders r SET due_at = now() + (o.n * $2::int) * interval '1 millisecond'
         FROM (SELECT id, row_number() OVER (ORDER BY booking_id, offset_minutes) - 1 AS n
                 FROM reminders WHERE booking_id = ANY($1::uuid[]) AND sent_at IS NULL) o
        WHERE r.id = o.id`,
      [bookingIds, stepMs],
    );
  const bookConfirmed = async (day: number, hour: number) => {
    const res = await book(as(cluster.lb.url), w.alice, w.a, slotAt(day, hour));
    expect(res.status).toBe(201);
    const b = res.body as Booking;
    expect(b.status).toBe('confirmed');
    return b.id;
  };
  /** Every reminder push the phone received, duplicates included. */
  const reminderPushes = () =>
    webPush
      .to(PHONE)
      .map((p) => JSON.parse(p.payload) as PushPayload)
      .filter((p) => p.category === 'reminder');
  const inApp = async () =>
    (
      await api<NotificationPage>(as(cluster.lb.url), 'GET', '/notifications?category=reminder&limit=100', {
        token: w.alice.token,
      })
    ).body.items;

  it('sends each booking × offset reminder exactly once when the node sending them is killed mid-send', async () => {
    const bookingIds: string[] = [];
    for (let i = 0; i < BOOKINGS; i++) bookingIds.push(await bookConfirmed(2 + Math.floor(i / 12), 6 + (i % 12)));
    // The reminders worker (a durable consumer) schedules them from the confirmations.
    await expect.poll(async () => (await scheduled(bookingIds)).length, { timeout: 60_000 }).toBe(BOOKINGS * OFFSETS);
    const expected = (await scheduled(bookingIds)).map((r) => -Number(r.id)).sort((a, b) => a - b);

    // Stop the sender inside its transaction: an uncommitted in-app row under one reminder's key makes whichever node
    // takes the due reminders wait there, all of them taken and marked sent but nothing committed; then kill it.
    let release!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    let holding!: () => void;
    const held = new Promise<void>((r) => {
      holding = r;
    });
    const blocker = db
      .transaction(async (tx) => {
        await tx.query(
          `INSERT INTO notifications (user_id, source_event_id, booking_id, category, priority, title, body)
           VALUES ($1, $2, NULL, 'system', 0, 'blocker', 'blocker')`,
          [w.alice.user.id, Math.max(...expected)],
        );
        holding();
        await released;
        throw new Error('rolled back');
      })
      .catch(() => {});
    await held;
    await fallDue(bookingIds, 0);
    const waiting = () =>
      db.query<{ name: string }>(
        `SELECT application_name AS name FROM pg_stat_activity
          WHERE application_name = ANY($1::text[]) AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO notifications%'`,
        [cluster.nodes.map((n) => n.id)],
      );
    await expect.poll(async () => (await waiting()).length, { timeout: 30_000, interval: 100 }).toBe(1);
    const [{ name }] = (await waiting()) as [{ name: string }];
    const victim = cluster.nodes.find((n) => n.id === name)!;
    // The other node finds every due reminder locked (SKIP LOCKED) and takes none.
    expect(await sentCount()).toBe(0);
    await victim.kill();
    release();
    await blocker;

    const seen = () => reminderPushes().map((p) => p.eventId);
    await expect.poll(() => new Set(seen()).size, { timeout: 60_000, interval: 200 }).toBe(BOOKINGS * OFFSETS);
    // Sentinel: one more booking's reminders fall due after all the others, so a late duplicate would come before.
    const sentinel = await bookConfirmed(5, 10);
    await expect.poll(async () => (await scheduled([sentinel])).length, { timeout: 30_000 }).toBe(OFFSETS);
    await fallDue([sentinel], 0);
    await expect
      .poll(() => reminderPushes().filter((p) => p.bookingId === sentinel).length, { timeout: 30_000, interval: 200 })
      .toBe(OFFSETS);

    const pushed = reminderPushes().filter((p) => p.bookingId !== sentinel);
    expect(pushed.map((p) => p.eventId).sort((a, b) => a - b)).toEqual(expected);
    // Per booking: one push per offset, each with its own text ("in 1 day", "in 2 hours").
    for (const id of bookingIds)
      expect(
        pushed
          .filter((p) => p.bookingId === id)
          .map((p) => p.title.replace(/^.* in /, 'in '))
          .sort(),
      ).toEqual(['in 1 day', 'in 2 hours']);
    // The same in the app's list: one notification per booking × offset.
    const listed = (await inApp()).filter((n) => n.bookingId !== sentinel);
    expect(listed).toHaveLength(BOOKINGS * OFFSETS);
    expect(new Set(listed.map((n) => `${n.bookingId} ${n.title}`)).size).toBe(BOOKINGS * OFFSETS);
  }, 180_000);
});
