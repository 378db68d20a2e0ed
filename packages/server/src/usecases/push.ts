import { createHash } from 'node:crypto';
import type { Booking, PushDevice, SubscribePushRequest } from '@slotcast/protocol';
import { DETAILS, SlotcastError } from '@slotcast/protocol';
import type { MailOpenMarks } from '../mail/open-marks.js';
import type { ActionTokens } from '../push/action-tokens.js';
import type { Db } from '../store/db.js';
import { recordOpens } from '../store/notification-opens-repo.js';
import { deleteDevice, listDevices, upsertSubscription } from '../store/push-repo.js';
import { getUser } from '../store/users-repo.js';
import type { Caller } from './actor.js';
import type { BookingService } from './bookings.js';

/** Devices a user receives pushes on, and the actions a push lets them take without opening the app. */
export class PushService {
  constructor(
    private readonly deps: {
      db: Db;
      bookings: BookingService;
      actionTokens: ActionTokens;
      /** The `open` marks pushes carry: the same MAC of the outbox row a mail's link carries. */
      openMarks: MailOpenMarks;
      now?: () => Date;
      /** The VAPID public key browsers subscribe with; null when Web Push is not configured. */
      vapidPublicKey: string | null;
      /** PUSH_ENDPOINT_HOSTS: where a Web Push endpoint may point (see hostAllowed). */
      endpointHosts: readonly string[];
    },
  ) {}

  vapidPublicKey(): string {
    const key = this.deps.vapidPublicKey;
    if (!key) throw new SlotcastError('NOT_FOUND', 'Web Push is not configured on this server');
    return key;
  }

  async subscribe(caller: Caller, req: SubscribePushRequest, userAgent: string | null): Promise<PushDevice> {
    if (req.provider === 'webpush' && !this.deps.vapidPublicKey) {
      throw new SlotcastError('NOT_FOUND', 'Web Push is not configured on this server');
    }
    if (req.provider === 'webpush') {
      // The server posts to this URL: only to a push service the operator allows, never an address a user made up.
      const host = new URL(req.endpoint).hostname.toLowerCase();
      if (!hostAllowed(host, this.deps.endpointHosts)) {
        throw new SlotcastError('VALIDATION_FAILED', DETAILS.pushHostNotAllowed(host), {
          errors: [{ path: 'endpoint', message: 'host not allowed' }],
        });
      }
    }
    const endpoint = req.provider === 'webpush' ? req.endpoint : req.token;
    return upsertSubscription(this.deps.db, {
      userId: caller.userId,
      provider: req.provider,
      endpoint,
      p256dh: req.provider === 'webpush' ? req.keys.p256dh : null,
      auth: req.provider === 'webpush' ? req.keys.auth : null,
      userAgent: userAgent?.slice(0, 300) ?? null,
    });
  }

  list(caller: Caller): Promise<PushDevice[]> {
    return listDevices(this.deps.db, caller.userId);
  }

  async unsubscribe(caller: Caller, id: string): Promise<void> {
    // Another user's device reads as absent: ids are not a way to probe who has which device.
    if (!(await deleteDevice(this.deps.db, caller.userId, id))) throw new SlotcastError('NOT_FOUND', 'No such device');
  }

  /**
   * Runs the one change an action token allows, as its user. The token's id is the idempotency key, so pressing
   * the button twice (or a retried request) changes the booking once and answers the same both times.
   */
  async act(token: string): Promise<Booking> {
    const claims = await this.deps.actionTokens.verify(token);
    const user = await getUser(this.deps.db, claims.userId);
    if (!user) throw new SlotcastError('AUTH_TOKEN_INVALID', 'The user of this action is gone');
    const path = `/push/actions/${claims.bookingId}/${claims.action}`;
    const result = await this.deps.bookings.transition(
      { role: user.role, userId: user.id, vendorId: user.vendorId },
      claims.bookingId,
      claims.action,
      { version: claims.version },
      {
        userId: user.id,
        key: `push-action:${claims.jti}`,
        method: 'POST',
        path,
        requestHash: createHash('sha256').update(path).digest('base64url'),
      },
    );
    return result.body;
  }

  /**
   * A clicked notification: its pushes count as opened (frequency report), each once, whoever clicks twice. A mark
   * that is not genuine refuses the whole request, so nothing is counted from a made-up list.
   */
  async recordOpens(marks: string[]): Promise<void> {
    const ids = marks.map((m) => this.deps.openMarks.verify(m));
    if (ids.some((id) => id === null)) throw new SlotcastError('AUTH_TOKEN_INVALID', 'Not a mark this server made');
    await recordOpens(this.deps.db, [...new Set(ids as number[])], this.deps.now?.() ?? new Date());
  }
}

/** `host` against allowlist patterns: an exact host, `*.domain` (its subdomains), or `*` (any). */
export function hostAllowed(host: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => p === '*' || p === host || (p.startsWith('*.') && host.endsWith(p.slice(1))));
}
