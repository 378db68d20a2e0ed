import { createSecretKey, type KeyObject, randomUUID } from 'node:crypto';
import type { BookingAction } from '@slotcast/protocol';
import { SlotcastError } from '@slotcast/protocol';
import { errors, jwtVerify, SignJWT } from 'jose';

export interface ActionClaims {
  userId: string;
  bookingId: string;
  action: Extract<BookingAction, 'confirm' | 'decline' | 'cancel'>;
  /** The booking version the push described: acting on a booking that changed since is refused. */
  version: number;
  /** Single use: the action runs under this id as its idempotency key. */
  jti: string;
}

// Its own audience: an action token is never accepted as an access token, nor the reverse.
const AUDIENCE = 'slotcast-push-action';
const ISSUER = 'slotcast';

/** Short-lived tokens that allow exactly one change of one booking by one user, carried inside a push. */
export class ActionTokens {
  private readonly key: KeyObject;
  constructor(
    secret: string,
    private readonly ttlSeconds: number,
  ) {
    // Derived apart from the session key so the two cannot be confused even if the audience check were missed.
    this.key = createSecretKey(Buffer.from(`push-action:${secret}`, 'utf8'));
  }

  async sign(c: Omit<ActionClaims, 'jti'>, now = new Date()): Promise<string> {
    const iat = Math.floor(now.getTime() / 1000);
    return new SignJWT({ bid: c.bookingId, act: c.action, ver: c.version })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(c.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setJti(randomUUID())
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.ttlSeconds)
      .sign(this.key);
  }

  async verify(token: string): Promise<ActionClaims> {
    try {
      const { payload: p } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
      });
      if (
        typeof p.sub !== 'string' ||
        typeof p.bid !== 'string' ||
        typeof p.ver !== 'number' ||
        typeof p.jti !== 'string' ||
        (p.act !== 'confirm' && p.act !== 'decline' && p.act !== 'cancel')
      ) {
        throw new SlotcastError('AUTH_TOKEN_INVALID', 'Not an action token');
      }
      return { userId: p.sub, bookingId: p.bid, action: p.act, version: p.ver, jti: p.jti };
    } catch (err) {
      if (err instanceof SlotcastError) throw err;
      if (err instanceof errors.JWTExpired)
        throw new SlotcastError('AUTH_TOKEN_EXPIRED', 'The action link has expired');
      throw new SlotcastError('AUTH_TOKEN_INVALID', 'Not a valid action token');
    }
  }
}
