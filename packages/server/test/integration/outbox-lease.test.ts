import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import webpush from 'web-push';
import { loadConfig } from '../../src/config.js';
import { ActionTokens } from '../../src/push/action-tokens.js';
import { createPushSenders } from '../../src/push/push-senders.js';
import { claimDue, insertOutbox, type NewOutboxRow, renewClaims } from '../../src/store/deliveries-repo.js';
import { upsertSubscription } from '../../src/store/push-repo.js';
import { insertUser } from '../../src/store/users-repo.js';
import { OutboxSender } from '../../src/workers/outbox-sender.js';
import { pushChannel } from '../../src/workers/push-sender.js';
import { DB_KINDS, freshDb, type TestDb } from '../support/databases.js';
import { loopbackCertificate } from '../support/push/tls.js';
import { WebPushService } from '../support/push/web-push-service.js';
import { TEST_JWT_SECRET } from '../support/server.js';

const LEASE_MS = 60_000;
const POLL = { timeout: 20_000, interval: 20 };
const silent = pino({ level: 'silent' });

describe.each(DB_KINDS)('outbox leases on %s', (kind) => {
  let t: TestDb;
  let webPush: WebPushService;
  let tlsCert: string;
  let userId: string;
  // The senders' clock: claims and leases read it; renewals run on real timers.
  let now = new Date();
  const vapid = webpush.generateVAPIDKeys();

  beforeAll(async () => {
    const tls = await loopbackCertificate();
    tlsCert = tls.cert;
    webPush = new WebPushService(tls, vapid.publicKey);
    await webPush.start();
    t = await freshDb(kind);
    userId = (
      await insertUser(t.db, {
        email: 'lease@slotcast.test',
        name: 'Lease',
        role: 'customer',
        vendorId: null,
        isOwner: false,
        passwordHash: 'x',
      })
    ).id;
    for (const name of ['quick', 'slow']) {
      const d = webPush.register(webPush.device(name));
      await upsertSubscription(t.db, {
        userId,
        provider: 'webpush',
        endpoint: d.endpoint,
        p256dh: d.keys.p256dh,
        auth: d.keys.auth,
        userAgent: name,
      });
    }
  }, 60_000);
  afterAll(async () => {
    await t?.drop();
    await webPush?.close();
  });

  const message = (tag: string): NewOutboxRow => ({
    userId,
    channel: 'push',
    kind: 'single',
    category: 'system',
    bookingId: null,
    title: tag,
    body: '',
    items: 1,
    dedupeKey: `lease:${tag}`,
    dueAt: now,
  });
  const outboxRow = async (tag: string) => {
    const [row] = await t.db.query<{ id: number; claimed_until: Date | null; attempts: number; outcome: string }>(
      'SELECT id, claimed_until, attempts, outcome FROM notification_outbox WHERE dedupe_key = $1',
      [`lease:${tag}`],
    );
    return row!;
  };
  const sender = async () => {
    const config = loadConfig({
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      VAPID_SUBJECT: 'mailto:ops@slotcast.test',
    });
    return new OutboxSender({
      db: t.db,
      logger: silent,
      now: () => now,
      leaseMs: LEASE_MS,
      renewEveryMs: 10,
      retryDelaysMs: [20],
      sweepMs: 0,
      senders: [
        pushChannel({
          db: t.db,
          senders: (await createPushSenders(config, silent, { ca: tlsCert })).senders,
          actionTokens: new ActionTokens(TEST_JWT_SECRET, 300),
          logger: silent,
          now: () => now,
        }),
      ],
    });
  };

  it('keeps a claim whose pushes outlast its lease: no other sender takes it meanwhile, each device gets it once', async () => {
    const [a, b] = await Promise.all([sender(), sender()]);
    const slow = webPush.hold('slow');
    await insertOutbox(t.db, [message('outlasting')]);
    const passA = a.runOnce();
    await expect.poll(() => slow.waiting(), POLL).toBe(1);
    await expect.poll(() => webPush.to('quick').length, POLL).toBe(1);
    // The lease the message was claimed with runs out on the senders' clock while its push to `slow` is still out;
    // A renews it from the new time.
    now = new Date(now.getTime() + 2 * LEASE_MS);
    await expect
      .poll(async () => (await outboxRow('outlasting')).claimed_until!.getTime() > now.getTime(), POLL)
      .toBe(true);
    // B finds nothing to claim. (Before leases were renewed it claimed the message again and pushed it to `slow` a
    // second time: its pass would then end only once `slow` answers, after the release below.)
    const passB = b.runOnce();
    slow.release();
    await Promise.all([passA, passB]);
    expect(slow.waiting()).toBe(1);
    expect(webPush.to('slow').map((p) => JSON.parse(p.payload).title)).toEqual(['outlasting']);
    expect(webPush.to('quick')).toHaveLength(1);
    expect(await outboxRow('outlasting')).toMatchObject({ attempts: 1, outcome: 'sent' });
    await Promise.all([a.stop(), b.stop()]);
  });

  it('does not renew a lease that ran out and was claimed by another sender since', async () => {
    await insertOutbox(t.db, [message('taken')]);
    const start = now;
    const [mine] = await claimDue(t.db, 'push', start, LEASE_MS, 10);
    expect(mine?.title).toBe('taken');
    const later = new Date(start.getTime() + 2 * LEASE_MS);
    const [theirs] = await claimDue(t.db, 'push', later, LEASE_MS, 10);
    expect(theirs?.id).toBe(mine!.id);
    expect(await renewClaims(t.db, [mine!.id], mine!.claimedUntil, new Date(later.getTime() + LEASE_MS))).toEqual([]);
    expect((await outboxRow('taken')).claimed_until).toEqual(theirs!.claimedUntil);
    expect(await renewClaims(t.db, [theirs!.id], theirs!.claimedUntil, new Date(later.getTime() + LEASE_MS))).toEqual([
      theirs!.id,
    ]);
  });
});
