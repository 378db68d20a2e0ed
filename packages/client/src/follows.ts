import { type ErrorCode, FollowTarget, MAX_FOLLOWS_PER_MESSAGE } from '@slotcast/protocol';

export type RealtimeErrorCode = ErrorCode | 'TIMEOUT' | 'DISCONNECTED' | 'CANCELLED';

export interface RealtimeError {
  code: RealtimeErrorCode | (string & {});
  message: string;
  retryAfterMs?: number;
}

/** The answer to follow/unfollow: the room joined or left, or a coded error. */
export type FollowResult = { ok: true; room: string | null } | { ok: false; error: RealtimeError };

/** Sends one follow/unfollow over the current socket and waits for its ack. */
export type FollowSender = (event: 'follow' | 'unfollow', target: FollowTarget) => Promise<FollowResult>;
/**
 * Sends several follows in one `follow:many` message: one answer per target, in order; an error for the whole message;
 * or null when not connected.
 */
export type FollowManySender = (
  targets: FollowTarget[],
) => Promise<FollowResult[] | { ok: false; error: RealtimeError } | null>;

/** Errors after which sending again later may succeed; others (FORBIDDEN, ROOM_NOT_FOUND) end the follow. */
const TRANSIENT = new Set<string>(['TIMEOUT', 'DISCONNECTED', 'RATE_LIMITED', 'SERVICE_UNAVAILABLE', 'INTERNAL']);

const keyOf = (t: FollowTarget) => `${t.kind}:${t.id}`;

/**
 * What the app follows. Rooms live in the server's memory per socket, so every (re)connect sends them all again;
 * a follow asked for while disconnected is answered by that first send.
 */
export class FollowRegistry {
  private readonly targets = new Map<string, FollowTarget>();
  private readonly waiting = new Map<string, ((result: FollowResult) => void)[]>();

  constructor(
    private readonly send: FollowSender,
    private readonly sendMany: FollowManySender,
    private readonly isConnected: () => boolean,
    private readonly onRefused: (target: FollowTarget, error: RealtimeError) => void,
  ) {}

  list(): FollowTarget[] {
    return [...this.targets.values()];
  }

  async follow(input: FollowTarget): Promise<FollowResult> {
    const parsed = FollowTarget.safeParse(input);
    if (!parsed.success) {
      return { ok: false, error: { code: 'VALIDATION_FAILED', message: parsed.error.issues[0]?.message ?? 'invalid' } };
    }
    const target = parsed.data;
    const key = keyOf(target);
    this.targets.set(key, target);
    if (!this.isConnected()) {
      return new Promise((resolve) => {
        const list = this.waiting.get(key) ?? [];
        list.push(resolve);
        this.waiting.set(key, list);
      });
    }
    const result = await this.send('follow', target);
    if (!result.ok && !TRANSIENT.has(result.error.code)) this.targets.delete(key);
    return result;
  }

  async unfollow(input: FollowTarget): Promise<FollowResult> {
    const key = keyOf(input);
    const target = this.targets.get(key) ?? input;
    this.targets.delete(key);
    this.settle(key, { ok: false, error: { code: 'CANCELLED', message: 'unfollowed before the follow was sent' } });
    // Disconnected: the next connection simply does not follow it again.
    if (!this.isConnected()) return { ok: true, room: null };
    return this.send('unfollow', target);
  }

  /**
   * After a (re)connect: follow everything again, in `follow:many` messages rather than one message each (a reconnect
   * storm is thousands of clients doing this at once), answering follows that waited for the connection.
   */
  async resendAll(): Promise<void> {
    const entries = [...this.targets];
    const chunks: (typeof entries)[] = [];
    for (let i = 0; i < entries.length; i += MAX_FOLLOWS_PER_MESSAGE) {
      chunks.push(entries.slice(i, i + MAX_FOLLOWS_PER_MESSAGE));
    }
    await Promise.all(
      chunks.map(async (chunk) => {
        const answer = await this.sendMany(chunk.map(([, target]) => target));
        if (answer === null) return;
        // A server that does not know follow:many (older than it) leaves it unanswered: send them one by one.
        const results = Array.isArray(answer)
          ? answer
          : answer.error.code === 'TIMEOUT'
            ? await Promise.all(chunk.map(([, target]) => this.send('follow', target)))
            : chunk.map(() => answer);
        for (const [i, [key, target]] of chunk.entries()) this.resolved(key, target, results[i]!);
      }),
    );
  }

  private resolved(key: string, target: FollowTarget, result: FollowResult): void {
    if (this.targets.get(key) !== target) return;
    if (!result.ok && !TRANSIENT.has(result.error.code)) {
      this.targets.delete(key);
      if (!this.waiting.has(key)) this.onRefused(target, result.error);
    }
    // A transient failure leaves waiters waiting for the next connection.
    if (result.ok || !TRANSIENT.has(result.error.code)) this.settle(key, result);
  }

  /** On stop: nobody will send the follows that are waiting. */
  rejectWaiting(error: RealtimeError): void {
    for (const key of [...this.waiting.keys()]) this.settle(key, { ok: false, error });
  }

  private settle(key: string, result: FollowResult): void {
    const list = this.waiting.get(key);
    if (!list) return;
    this.waiting.delete(key);
    for (const resolve of list) resolve(result);
  }
}
