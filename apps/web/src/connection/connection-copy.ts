import type { ConnectionState, ConnectionStatus } from '@slotcast/client';

export interface ConnectionCopy {
  /** The word beside the dot. */
  label: string;
  /** Attempt, countdown or transport; changes often, so it is not announced. */
  detail: string | null;
  /** What the state means for the user. */
  tooltip: string;
  /** Said once by screen readers when the status changes. */
  announcement: string;
  /** Whether a "Retry now" button makes sense. */
  canRetry: boolean;
}

/** Whole seconds until the next attempt, never negative. */
export function secondsUntil(at: number, now: number): number {
  return Math.max(0, Math.ceil((at - now) / 1000));
}

const TOOLTIP: Record<ConnectionStatus, string> = {
  connected: 'Live updates are on: changes made by others appear here as they happen.',
  connecting: 'Setting up live updates. What you see is as of loading the page until the connection is up.',
  reconnecting:
    'The live connection dropped. What you see may be out of date; everything you missed appears as soon as it is ' +
    'back. Saving changes may fail until then.',
  offline:
    'No connection to the server: your device is offline, or retries are paused. What you see may be out of date; ' +
    'it catches up by itself when the network is back, or press Retry now.',
  'polling-fallback':
    'Live updates are on, over a slower fallback (HTTP long-polling) because a WebSocket could not be opened, often ' +
    'because of a proxy or firewall. Updates may arrive a moment later.',
  incompatible:
    'This app and the server speak different versions of the live protocol, so live updates are off. Reload the ' +
    'page to get the current app; if that does not help, the server needs an update.',
};

export function describeConnection(state: ConnectionState, now: number): ConnectionCopy {
  const tooltip = TOOLTIP[state.status];
  switch (state.status) {
    case 'connected':
      return {
        label: 'Live',
        detail: null,
        tooltip,
        announcement: 'Connected. Live updates are on.',
        canRetry: false,
      };
    case 'connecting':
      return {
        label: 'Connecting…',
        detail: null,
        tooltip,
        announcement: 'Connecting to live updates.',
        canRetry: false,
      };
    case 'reconnecting': {
      const parts: string[] = [];
      if (state.attempt > 0) parts.push(`attempt ${state.attempt}`);
      parts.push(state.nextRetryAt === null ? 'trying now' : `next try in ${secondsUntil(state.nextRetryAt, now)} s`);
      return {
        label: 'Reconnecting',
        detail: parts.join(' · '),
        tooltip,
        announcement:
          state.attempt > 0
            ? `Connection lost. Reconnecting, attempt ${state.attempt}.`
            : 'Connection lost. Reconnecting.',
        canRetry: true,
      };
    }
    case 'offline':
      return {
        label: 'Offline',
        detail: state.lastError?.code === 'OFFLINE' ? 'no network' : state.attempt > 0 ? 'retries paused' : null,
        tooltip,
        announcement: 'Offline. Live updates are paused.',
        canRetry: state.lastError !== null,
      };
    case 'polling-fallback':
      return {
        label: 'Live (slow mode)',
        detail: 'long-polling',
        tooltip,
        announcement: 'Connected over a slower fallback. Live updates are on but may arrive a little later.',
        canRetry: false,
      };
    case 'incompatible':
      return {
        label: 'Update needed',
        detail: state.lastError?.code === 'PROTOCOL_SERVER_TOO_OLD' ? 'server is older' : 'reload the app',
        tooltip,
        announcement: 'Live updates are off: this app needs an update. Reload the page.',
        canRetry: false,
      };
  }
}
