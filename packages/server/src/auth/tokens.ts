import { createHash, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { Role, SlotcastError } from '@slotcast/protocol';
import { errors, jwtVerify, SignJWT } from 'jose';

export interface AccessClaims {
  userId: string;
  role: Role;
  vendorId: string | null;
  isOwner: boolean;
  sessionId: string;
  /** When the token expires, in ms since the epoch (a number, not a Date: verified claims are cached per token). */
  expiresAt: number;
}

const ISSUER = 'slotcast';
const AUDIENCE = 'slotcast-api';

export class TokenSigner {
  // A KeyObject made once: jose would otherwise import the raw secret again on every sign and verify.
  private readonly key: KeyObject;
  constructor(
    secret: string,
    private readonly ttlSeconds: number,
  ) {
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  async sign(c: Omit<AccessClaims, 'expiresAt'>, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + this.ttlSeconds;
    const token = await new SignJWT({ role: c.role, vid: c.vendorId, own: c.isOwner, sid: c.sessionId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(c.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** Verifies signature, issuer, audience and expiry; throws AUTH_TOKEN_EXPIRED or AUTH_TOKEN_INVALID. */
  async verify(token: string): Promise<AccessClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
      });
      const role = payload.role;
      if (
        typeof payload.sub !== 'string' ||
        !Role.safeParse(role).success ||
        typeof payload.sid !== 'string' ||
        typeof payload.exp !== 'number'
      ) {
        throw new SlotcastError('AUTH_TOKEN_INVALID');
      }
      return {
        userId: payload.sub,
        role: role as Role,
        vendorId: typeof payload.vid === 'string' ? payload.vid : null,
        isOwner: payload.own === true,
        sessionId: payload.sid,
        expiresAt: payload.exp * 1000,
      };
    } catch (err) {
      if (err instanceof SlotcastError) throw err;
      if (err instanceof errors.JWTExpired) throw new SlotcastError('AUTH_TOKEN_EXPIRED');
      throw new SlotcastError('AUTH_TOKEN_INVALID');
    }
  }
}

/** Refresh tokens are random; only their SHA-256 is stored, so a database leak yields no usable token. */
export function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}
export const hashRefreshToken = (token: string): string => createHash('sha256').update(token).digest('base64url');
