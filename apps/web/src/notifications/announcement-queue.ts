/**
 * What the page's polite live region says, at most once per interval: a burst (a replay after reconnecting, a busy
 * minute at the desk) becomes one sentence with a count instead of a queue the screen reader reads for a minute.
 */
export class AnnouncementQueue {
  private pending: string[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly say: (text: string) => void,
    private readonly intervalMs = 3_000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  push(text: string): void {
    this.pending.push(text);
    if (this.timer) return;
    const wait = this.lastAt + this.intervalMs - this.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending = [];
  }

  private flush(): void {
    this.timer = null;
    const items = this.pending;
    this.pending = [];
    if (items.length === 0) return;
    this.lastAt = this.now();
    this.say(items.length === 1 ? items[0]! : `${items.length} updates. Latest: ${items.at(-1)}`);
  }
}
