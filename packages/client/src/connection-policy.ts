import type { BackoffOptions } from './backoff.js';
import { type Clock, systemClock, type TimerHandle } from './clock.js';

/** What the page knows about its situation; the web app feeds it from the Page Visibility, Network and Battery APIs. */
export interface ConnectionConditions {
  visible: boolean;
  /** Push is enabled on this device (permission granted and subscribed): changes still reach the user when closed. */
  pushEnabled: boolean;
  /** `navigator.connection.type` folded to three, `offline` from `navigator.onLine`. */
  network: 'wifi' | 'cellular' | 'unknown' | 'offline';
  /** `navigator.connection.saveData`. */
  saveData: boolean;
  /** Battery API: not charging and at most 20 %; false where the API does not exist. */
  batteryLow: boolean;
}

export interface ConnectionPolicySettings {
  /** Hidden this long with push enabled → close the socket and rely on push. */
  closeHiddenAfterMs: number;
  /** Heartbeat (ping) interval: in front; hidden; on saveData or a low battery (the longest that applies wins). */
  heartbeatMs: { visible: number; hidden: number; saver: number };
  /** Reconnect back-off by network: spaced more on cellular, most while offline (the `online` event retries anyway). */
  reconnect: Record<'wifi' | 'unknown' | 'cellular' | 'offline', Required<Pick<BackoffOptions, 'baseMs' | 'capMs'>>>;
}

/** The documented defaults (docs/push.md, "Battery-aware connection"). */
export const DEFAULT_CONNECTION_POLICY: ConnectionPolicySettings = {
  closeHiddenAfterMs: 60_000,
  heartbeatMs: { visible: 25_000, hidden: 60_000, saver: 120_000 },
  reconnect: {
    wifi: { baseMs: 500, capMs: 30_000 },
    unknown: { baseMs: 500, capMs: 30_000 },
    cellular: { baseMs: 2_000, capMs: 60_000 },
    offline: { baseMs: 10_000, capMs: 120_000 },
  },
};

/** The heartbeat interval for these conditions. */
export function heartbeatInterval(c: ConnectionConditions, s = DEFAULT_CONNECTION_POLICY): number {
  if (c.saveData || c.batteryLow) return s.heartbeatMs.saver;
  return c.visible ? s.heartbeatMs.visible : s.heartbeatMs.hidden;
}

/** The back-off to reconnect with on this network. */
export function reconnectBackoff(c: ConnectionConditions, s = DEFAULT_CONNECTION_POLICY): BackoffOptions {
  return { ...s.reconnect[c.network] };
}

/** What the Network Information API says (fields absent where the browser has no such API). */
export interface NetworkSignals {
  onLine: boolean;
  /** `navigator.connection.type`: Chromium on Android and ChromeOS. */
  type?: string;
  /** `navigator.connection.effectiveType`: 'slow-2g' | '2g' | '3g' | '4g', from measured round trips. */
  effectiveType?: string;
}

/**
 * The network as the policy sees it. The physical `type` wins where known; without it (desktop Chromium) a measured
 * `effectiveType` of 3g or slower counts as cellular, since it costs the radio the same.
 */
export function networkKind(n: NetworkSignals): ConnectionConditions['network'] {
  if (!n.onLine) return 'offline';
  if (n.type === 'wifi' || n.type === 'ethernet') return 'wifi';
  if (n.type === 'cellular') return 'cellular';
  if (n.type === undefined || n.type === 'unknown' || n.type === 'other') {
    if (n.effectiveType === 'slow-2g' || n.effectiveType === '2g' || n.effectiveType === '3g') return 'cellular';
  }
  return 'unknown';
}

/** Battery API: low means not charging and at most 20 % left. */
export function batteryIsLow(b: { charging: boolean; level: number }): boolean {
  return !b.charging && b.level <= 0.2;
}

/** What the policy drives: the SDK's RealtimeClient (start reconnects with its cursor and replays what was missed). */
export interface ClosableConnection {
  start(): void;
  stop(): Promise<void> | void;
  /** Applied whenever the conditions change it (RealtimeClient.setHeartbeat). */
  setHeartbeat?(ms: number): void;
  /** Applied whenever the network changes it (RealtimeClient.setBackoff): the coming reconnect attempts' spacing. */
  setBackoff?(backoff: { baseMs: number; capMs: number }): void;
}

/**
 * Closes the live socket when the page has been hidden for `closeHiddenAfterMs` and push will tell the user instead;
 * opens it again (cursor + replay, so nothing is lost) as soon as the page is visible, or push is turned off. Only
 * a socket the policy closed is reopened: a stop() by the app (sign-out) stays stopped.
 */
export class ConnectionPolicy {
  private conditions: ConnectionConditions;
  private timer: TimerHandle | null = null;
  private closedByPolicy = false;
  private readonly clock: Clock;
  private readonly settings: ConnectionPolicySettings;
  private applied: { heartbeatMs: number; baseMs: number; capMs: number } | null = null;

  constructor(
    private readonly connection: ClosableConnection,
    initial: ConnectionConditions,
    opts: { clock?: Clock; settings?: Partial<ConnectionPolicySettings> } = {},
  ) {
    this.clock = opts.clock ?? systemClock;
    this.settings = { ...DEFAULT_CONNECTION_POLICY, ...opts.settings };
    this.conditions = initial;
    this.apply();
  }

  /** Whether the socket is closed because of the policy (the UI may say "updates by push"). */
  get sleeping(): boolean {
    return this.closedByPolicy;
  }

  get heartbeatMs(): number {
    return heartbeatInterval(this.conditions, this.settings);
  }

  get backoff(): BackoffOptions {
    return reconnectBackoff(this.conditions, this.settings);
  }

  update(change: Partial<ConnectionConditions>): void {
    this.conditions = { ...this.conditions, ...change };
    this.apply();
  }

  dispose(): void {
    this.cancel();
  }

  private apply(): void {
    this.tune();
    const canSleep = !this.conditions.visible && this.conditions.pushEnabled;
    if (canSleep) {
      if (!this.closedByPolicy && this.timer === null) {
        this.timer = this.clock.setTimeout(() => {
          this.timer = null;
          this.closedByPolicy = true;
          void this.connection.stop();
        }, this.settings.closeHiddenAfterMs);
      }
      return;
    }
    this.cancel();
    if (this.closedByPolicy) {
      this.closedByPolicy = false;
      this.connection.start();
    }
  }

  /** Hands the heartbeat and back-off for the current conditions to the connection, when they changed. */
  private tune(): void {
    const heartbeatMs = this.heartbeatMs;
    const { baseMs, capMs } = this.settings.reconnect[this.conditions.network];
    const before = this.applied;
    this.applied = { heartbeatMs, baseMs, capMs };
    if (before?.heartbeatMs !== heartbeatMs) this.connection.setHeartbeat?.(heartbeatMs);
    if (before?.baseMs !== baseMs || before?.capMs !== capMs) this.connection.setBackoff?.({ baseMs, capMs });
  }

  private cancel(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}
