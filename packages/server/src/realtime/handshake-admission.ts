/**
 * Decides whether a handshake may wait for its turn at authentication, from how long it would wait: the handshakes
 * ahead of it divided by the rate this node has been clearing them. One that would wait past `maxWaitMs` is refused at
 * once with a time to come back — a client's connect timeout (the SDK's is 20 s) would otherwise end the attempt after
 * the node spent work on it, and the client would return with the next wave of timeouts.
 *
 * The times handed out are turns, one per refusal, spaced at the clearing rate after the queue's expected end: the
 * refused clients come back spread over the time the node needs for them, not all after the same delay.
 */

export interface AdmissionSettings {
  /** The longest expected wait a handshake is queued for; past it, it is refused with a retry time. 0: never refuse. */
  maxWaitMs: number;
  /** The clearing rate assumed while too few handshakes have completed to measure it (the start of a storm). */
  minRatePerSec: number;
  /** The latest turn handed out; a refusal never names a longer wait. */
  maxRetryAfterMs: number;
}

// Off by default: in every storm measured (docs/performance.md, "Reconnect storm") refusing made the storm slower, as
// authentication is slowest at a storm's start, while thousands of connections are being set up, and the refused came
// back later than the node could have served them. The assumed rate is about what one node cleared there; assuming
// 200/s refused most of a storm at its start with turns half a minute away.
export const DEFAULT_ADMISSION: AdmissionSettings = { maxWaitMs: 0, minRatePerSec: 1_000, maxRetryAfterMs: 10_000 };

/** Completions are counted in buckets of this length; the rate is over the last WINDOW buckets. */
const BUCKET_MS = 250;
const WINDOW = 8;

export class HandshakeAdmission {
  private readonly buckets = new Float64Array(WINDOW);
  private bucketAt = 0;
  private nextTurnAt = 0;

  constructor(
    private readonly settings: AdmissionSettings = DEFAULT_ADMISSION,
    private readonly now: () => number = Date.now,
  ) {}

  /** A handshake finished authentication (accepted or refused by it): it counts toward the clearing rate. */
  completed(): void {
    this.roll();
    this.buckets[this.bucketAt % WINDOW]! += 1;
  }

  /** Handshakes cleared per second lately, at least `minRatePerSec`. */
  ratePerSec(): number {
    this.roll();
    let n = 0;
    for (const b of this.buckets) n += b;
    return Math.max(this.settings.minRatePerSec, (n * 1000) / (WINDOW * BUCKET_MS));
  }

  /** Null to queue a handshake with `waiting` ahead of it; otherwise the milliseconds to tell it to wait. */
  refusal(waiting: number): number | null {
    if (this.settings.maxWaitMs <= 0) return null;
    const rate = this.ratePerSec();
    const expectedWaitMs = (waiting * 1000) / rate;
    if (expectedWaitMs <= this.settings.maxWaitMs) return null;
    const now = this.now();
    // Each refusal takes the next turn after the queue has drained: spaced 1/rate apart.
    this.nextTurnAt = Math.max(this.nextTurnAt, now + expectedWaitMs) + 1000 / rate;
    return Math.min(this.settings.maxRetryAfterMs, Math.ceil(this.nextTurnAt - now));
  }

  /** Moves the current bucket to now, emptying the buckets that passed without completions. */
  private roll(): void {
    const at = Math.floor(this.now() / BUCKET_MS);
    if (at === this.bucketAt) return;
    for (let b = Math.max(this.bucketAt + 1, at - WINDOW + 1); b <= at; b++) this.buckets[b % WINDOW] = 0;
    this.bucketAt = at;
  }
}
