/**
 * Runs a pass when poked. Pokes that arrive during a pass collapse into one more pass, so any number of wake-ups
 * (a local commit, a NOTIFY, a poll tick) cost at most one extra read, and passes never overlap.
 *
 * With `minIntervalMs`, passes start at least that far apart: pokes in between wait for the next one. A loop that is
 * poked on every commit then makes a few passes a second with several commits each, instead of one pass (and its
 * round trips) per commit, at the price of that much delay.
 */
export class WakeLoop {
  private running = false;
  private again = false;
  private lastStart = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly pass: () => Promise<void>,
    private readonly onError: (err: unknown) => void,
    private readonly minIntervalMs = 0,
  ) {}

  poke(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.run();
  }

  /** Resolves once no pass is running (after stop, so nothing runs past it). */
  async idle(): Promise<void> {
    while (this.running) await new Promise((r) => setTimeout(r, 5));
  }

  private async run(): Promise<void> {
    try {
      do {
        const wait = this.lastStart + this.minIntervalMs - performance.now();
        // Pokes during the wait set `again` and are served by this pass.
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        this.again = false;
        this.lastStart = performance.now();
        await this.pass();
      } while (this.again);
    } catch (err) {
      this.onError(err);
    } finally {
      this.running = false;
    }
  }
}
