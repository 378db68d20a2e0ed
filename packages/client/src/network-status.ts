/** Whether the device has a network, as the platform reports it; injected so tests and React Native can drive it. */
export interface NetworkStatus {
  isOnline(): boolean;
  subscribe(listener: (online: boolean) => void): () => void;
}

/** For Node and anywhere the platform cannot tell: always online, never changes. */
export const alwaysOnline: NetworkStatus = {
  isOnline: () => true,
  subscribe: () => () => {},
};

/** Set by hand: tests, or platforms with their own reachability API. */
export class ManualNetworkStatus implements NetworkStatus {
  private readonly listeners = new Set<(online: boolean) => void>();
  constructor(private online = true) {}
  isOnline(): boolean {
    return this.online;
  }
  set(online: boolean): void {
    if (online === this.online) return;
    this.online = online;
    for (const listener of [...this.listeners]) listener(online);
  }
  subscribe(listener: (online: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}

interface OnlineEventTarget {
  navigator?: { onLine?: boolean };
  addEventListener?(type: 'online' | 'offline', listener: () => void): void;
  removeEventListener?(type: 'online' | 'offline', listener: () => void): void;
}

/**
 * The browser's navigator.onLine with its online/offline events. "Offline" is reliable; "online" only means a network
 * interface is up, so the connection attempt that follows may still fail.
 */
export function browserNetworkStatus(target: OnlineEventTarget = globalThis as OnlineEventTarget): NetworkStatus {
  if (!target.addEventListener || typeof target.navigator?.onLine !== 'boolean') return alwaysOnline;
  return {
    isOnline: () => target.navigator?.onLine !== false,
    subscribe(listener) {
      const online = () => listener(true);
      const offline = () => listener(false);
      target.addEventListener?.('online', online);
      target.addEventListener?.('offline', offline);
      return () => {
        target.removeEventListener?.('online', online);
        target.removeEventListener?.('offline', offline);
      };
    },
  };
}
