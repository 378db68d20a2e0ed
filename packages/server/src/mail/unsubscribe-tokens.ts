import { createHash, createSecretKey, type KeyObject } from 'node:crypto';
import {
  NotificationCategory as CategorySchema,
  DETAILS,
  type NotificationCategory,
  SlotcastError,
} from '@slotcast/protocol';
import { jwtVerify, SignJWT } from 'jose';

export interface UnsubscribeClaims {
  userId: string;
  category: NotificationCategory;
  channel: 'email';
}

// Its own audience and key: an unsubscribe token opens nothing else (not a session, not a push action), and no other
// token of ours is accepted here.
const AUDIENCE = 'slotcast-unsubscribe';
const ISSUER = 'slotcast';
/**
 * Long enough for an old mail's link to still work (mail providers and people act on mails weeks later); the link
 * can do one harmless thing, once per category, so a long life costs little.
 */
export const UNSUBSCRIBE_TOKEN_TTL_DAYS = 180;

/** Signed, stateless one-click unsubscribe tokens: one user, one category, the email channel. */
export class UnsubscribeTokens {
  private readonly key: KeyObject;
  constructor(
    secret: string,
    private readonly ttlDays = UNSUBSCRIBE_TOKEN_TTL_DAYS,
  ) {
    // Derived apart from the session and push-action keys (a hash, so the secret is not a prefix of anything).
    this.key = createSecretKey(createHash('sha256').update(`mail-unsubscribe\0${secret}`).digest());
  }

  async sign(c: Omit<UnsubscribeClaims, 'channel'>, now = new Date()): Promise<string> {
    const iat = Math.floor(now.getTime() / 1000);
    return new SignJWT({ cat: c.category, ch: 'email' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(c.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.ttlDays * 86_400)
      .sign(this.key);
  }

  /** The claims of a valid token; anything else (forged, expired, another kind of token) is AUTH_LINK_INVALID. */
  async verify(token: string, now = new Date()): Promise<UnsubscribeClaims> {
    try {
      const { payload: p } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
        currentDate: now,
      });
      const category = CategorySchema.safeParse(p.cat);
      if (typeof p.sub !== 'string' || !category.success || p.ch !== 'email') throw new Error('claims');
      return { userId: p.sub, category: category.data, channel: 'email' };
    } catch {
      // One answer for every failure: which check failed is of no use to whoever holds a bad link.
      throw new SlotcastError('AUTH_LINK_INVALID', DETAILS.unsubscribeLinkInvalid());
    }
  }
}
