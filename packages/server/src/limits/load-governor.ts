import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';

export interface LoadThresholds {
  /** Tighten when the event loop's p99 delay over the last sample reaches this. */
  lagMs: number;
  /** Tighten when this node holds this many connections. */
  connections: number;
  /** Under load every limit is divided by this (each request costs this many points). */
  divisor: number;
  /** Relax once no sample has been over a threshold for this long. */
  relaxSeconds: number;
}

export interface LoadSample {
  lagP99Ms: number;
  connections: number;
}

/**
 * Adaptive rate limiting: samples event-loop delay and connection count, tightens every limit at once when either
 * crosses its threshold, and relaxes only after a quiet period, so the limits do not flap at the boundary.
 */
export class LoadGovernor {
  private readonly loop: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private timer: NodeJS.Timeout | null = null;
  private lastOverAt = 0;
  private current = 1;

  constructor(
    private readonly thresholds: LoadThresholds,
    private readonly connections: () => number,
    private readonly onChange: (divisor: number, sample: LoadSample) => void = () => {},
    private readonly sampleMs = 1000,
  ) {}

  /** 1 normally; `thresholds.divisor` while under load. */
  get divisor(): number {
    return this.current;
  }

  start(): void {
    this.loop.enable();
    this.timer = setInterval(() => this.sample(), this.sampleMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.loop.disable();
  }

  sample(now = Date.now()): LoadSample {
    const p99 = this.loop.percentile(99) / 1e6;
    this.loop.reset();
    const s: LoadSample = { lagP99Ms: Number.isFinite(p99) ? p99 : 0, connections: this.connections() };
    const over = s.lagP99Ms >= this.thresholds.lagMs || s.connections >= this.thresholds.connections;
    if (over) {
      this.lastOverAt = now;
      if (this.current === 1 && this.thresholds.divisor > 1) {
        this.current = this.thresholds.divisor;
        this.onChange(this.current, s);
      }
    } else if (this.current !== 1 && now - this.lastOverAt >= this.thresholds.relaxSeconds * 1000) {
      this.current = 1;
      this.onChange(this.current, s);
    }
    return s;
  }
}
