/**
 * Runs a pass when poked. Pokes that arrive during a pass collapse into one more pass, so any number of wake-ups
 * (a local commit, a NOTIFY, a poll tick) cost at most one extra read, and passes never overlap. With `againAfterMs`,
 * that extra pass starts only that long after the previous one ended: a poke to an idle loop still runs at once, but
 * under a steady stream the wake-ups of that time go into one pass (fewer, larger batches).
 */
export class WakeLoop {
  private running = false;
  private again = false;

  constructor(
    private readonly pass: () => Promise<void>,
    private readonly onError: (err: unknown) => void,
    private readonly againAfterMs = 0,
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
        this.again = false;
        await this.pass();
        if (this.again && this.againAfterMs > 0) await new Promise((r) => setTimeout(r, this.againAfterMs));
      } while (this.again);
    } catch (err) {
      this.onError(err);
    } finally {
      this.running = false;
    }
  }
}
