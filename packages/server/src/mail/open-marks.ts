import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The `n` parameter on a mail's booking link: the outbox row's id and a MAC of it (128 bits), so that following the
 * link can be counted as opening that message (frequency report) and nobody can count opens of messages they did not
 * get. It grants nothing: the page still needs a signed-in user. A push carries the same mark (`open`), sent back on a
 * click (POST /push/opens).
 */
export class MailOpenMarks {
  private readonly key: Buffer;
  constructor(secret: string) {
    // Its own key, derived with a label, like every other token made from JWT_SECRET.
    this.key = createHash('sha256').update(`mail-open\0${secret}`).digest();
  }

  sign(outboxId: number): string {
    return `${outboxId}.${this.mac(outboxId)}`;
  }

  /** The outbox id of a genuine mark, or null. */
  verify(mark: string): number | null {
    const m = /^(\d{1,15})\.([\w-]{22})$/.exec(mark);
    if (!m) return null;
    const id = Number(m[1]);
    const expected = Buffer.from(this.mac(id));
    const given = Buffer.from(m[2]!);
    return timingSafeEqual(expected, given) ? id : null;
  }

  private mac(id: number): string {
    return createHmac('sha256', this.key).update(`outbox:${id}`).digest('base64url').slice(0, 22);
  }
}
